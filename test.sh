#!/usr/bin/env bash
# Install everything the tests need, then run every test: pytest (unit + Playwright end-to-end)
# and the JavaScript unit tests (node --test). Extra arguments go to pytest.
#   - a virtualenv in .venv with pynn (editable) and its [test] extras
#   - Debian's Chromium via apt-get when /usr/bin/chromium is missing (Playwright drives it)
#   - Debian's firefox-esr, webkit2gtk-driver and xvfb likewise, for the cross-engine tests
set -euo pipefail
cd "$(dirname "$0")"

# PYNN_ENGINES picks the cross-engine tests' browsers (tests/e2e/engines/): unset or "all" both,
# "0" none (a quick local run), or "firefox" / "webkit". Only the browsers asked for are installed.
engines="${PYNN_ENGINES:-all}"
engines="${engines// /}"
wants() {
  case ",${engines,,}," in
    *,0,*|*,none,*|*,no,*) return 1 ;;
    *,all,*|*,1,*|*,"$1",*) return 0 ;;
    *) return 1 ;;
  esac
}
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if wants firefox && [ ! -x /usr/bin/firefox-esr ]; then packages+=(firefox-esr); fi
if wants webkit && [ ! -x /usr/bin/WebKitWebDriver ]; then packages+=(webkit2gtk-driver); fi
if wants webkit && [ ! -x /usr/bin/Xvfb ]; then packages+=(xvfb); fi
if [ "${#packages[@]}" -gt 0 ]; then
  echo "test.sh: installing Debian's ${packages[*]} (apt-get)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${packages[@]}" >/dev/null
fi
for engine in firefox webkit; do
  wants "$engine" || echo "test.sh: PYNN_ENGINES=$engines: the $engine tests are skipped (tests/e2e/engines/)"
done

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

status=0
# node --test prints every test; keep that for when one fails.
tools/quietly node --test tests/js/ || status=$?
.venv/bin/python -m pytest tests "$@" || status=$?
exit "$status"
