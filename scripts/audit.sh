#!/usr/bin/env bash
# make audit: the security, accessibility and privacy audits (audit/run.py) against a fresh
# site on a loopback port. The scanners live in var/audit/tools, never in the app's venv
# (wapiti pins older libraries): sqlmap, wapiti3 (3.2.3, the last for Python 3.11) and
# pip-audit in their own venvs; lighthouse 12.2.3 (13 wants Node 22) and axe-core from npm.
# Slow (≈ 30 min), never part of `make test`. Exits non-zero when any audit fails or cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=var/audit/tools
mkdir -p "$TOOLS"
if [ "$(id -u)" -eq 0 ] && ! [ -x /usr/lib/chromium/chromium ]; then
  scripts/system-packages.sh
fi
if ! command -v npm >/dev/null && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 nodejs npm >/dev/null
fi
tool_venv() {  # name, requirement
  if ! [ -x "$TOOLS/$1/bin/python" ] || ! "$TOOLS/$1/bin/python" -m pip show -q "${2%%==*}" >/dev/null 2>&1; then
    python3 -m venv "$TOOLS/$1"
    "$TOOLS/$1/bin/python" -m pip install -q "$2" || echo "audit: could not install $2" >&2
  fi
}
tool_venv sqlmap sqlmap==1.10.10
tool_venv wapiti wapiti3==3.2.3
tool_venv pipaudit pip-audit==2.10.1
if command -v npm >/dev/null && ! [ -x "$TOOLS/node/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$TOOLS/node"
  (cd "$TOOLS/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --silent -E lighthouse@12.2.3 axe-core@4.10.2 >/dev/null) \
    || echo "audit: could not install lighthouse and axe-core from npm" >&2
fi
# A tool that failed to install makes its audit fail with that reason (audit/run.py).
exec .venv/bin/python audit/run.py "$@"
