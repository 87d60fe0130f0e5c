"""The privacy notice shown beside every need form; its version is recorded with consent.

Change PRIVACY_NOTICE_VERSION whenever the text of leads/privacy_notice.html changes in
substance, so each lead records which text the person agreed to.
"""

PRIVACY_NOTICE_VERSION = "2026-11-25"
