#!/usr/bin/env bash
# Refresh locale/en/LC_MESSAGES/django.po from the code and templates (new strings come in
# untranslated; translate them, then scripts/messages.sh compiles). The tests fail while any
# string of the English catalogue is untranslated (yuanqu/core/tests/test_catalogue.py).
set -euo pipefail
cd "$(dirname "$0")/.."
YUANQU_TESTING=1 .venv/bin/python manage.py makemessages -l en --no-obsolete \
  --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'audit/*' \
  --ignore 'tests/*' --ignore '*/tests/*' --ignore 'node_modules/*' --ignore 'docs/*' -v0
