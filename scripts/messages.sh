#!/usr/bin/env bash
# Compile the translation catalogues under locale/ (the .mo files are build output, not in
# git). Needs gettext's msgfmt; without it the site runs, with the article editor's dialogs
# in English.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v msgfmt >/dev/null; then
  echo "yuanqu: msgfmt not found (apt-get install gettext): translations not compiled." >&2
  exit 0
fi
YUANQU_TESTING=${YUANQU_TESTING:-1} .venv/bin/python manage.py compilemessages \
  --ignore '.venv' --ignore 'var' --ignore 'node_modules' -v0
