#!/usr/bin/env bash
# Install everything the tests need, then run every test: pytest (unit + Playwright end-to-end)
# and the JavaScript unit tests (node --test). Extra arguments go to pytest.
#   - a virtualenv in .venv with pynn (editable) and its [test] extras
#   - Debian's Chromium via apt-get when /usr/bin/chromium is missing (Playwright drives it)
#   - axe-core in tests/a11y/node_modules (npm ci), for the accessibility tests
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian's chromium (apt-get)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
# axe-core for the accessibility tests, at the version tests/a11y/package-lock.json pins.
npm ci --prefix tests/a11y --no-audit --no-fund --silent

status=0
# node --test prints every test; keep that for when one fails.
tools/quietly node --test tests/js/ || status=$?
.venv/bin/python -m pytest tests "$@" || status=$?
exit "$status"
