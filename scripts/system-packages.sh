#!/usr/bin/env bash
# Debian packages yuanqu needs beyond Python: Chromium and a CJK font (PDF reports and the
# browser tests; without the font every Chinese glyph renders as a box); for the tests also
# poppler-utils (pdftotext reads the PDFs back), gettext (compiles the translations),
# PostgreSQL and Redis. `--pdf`: only what
# the PDF export needs (make run); `--deploy`: nginx, PostgreSQL, Redis and systemd-analyze for make deploy-check. Installs them when
# run as root; otherwise prints the command.
set -euo pipefail
missing=()
if [ "${1:-}" = "--deploy" ]; then
  command -v nginx >/dev/null || missing+=(nginx-light)
  [ -n "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v systemd-analyze >/dev/null || missing+=(systemd)  # verifies the units
  [ ${#missing[@]} -eq 0 ] && exit 0
fi
[ "${1:-}" = "--deploy" ] || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
[ "${1:-}" = "--deploy" ] || fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || missing+=(fonts-wqy-microhei)
if [ -z "${1:-}" ]; then
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v msgfmt >/dev/null || missing+=(gettext)
  command -v pg_isready >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}. Run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get -o DPkg::Lock::Timeout=900 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
  --no-install-recommends "${missing[@]}" fontconfig >/dev/null
