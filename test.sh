#!/usr/bin/env bash
# Install everything the tests need, then run every test: pytest (unit + Playwright end-to-end)
# and the JavaScript unit tests (node --test). Extra arguments go to pytest.
#   - a virtualenv in .venv with pynn (editable), its [test] extras at the versions
#     tests/constraints.txt pins, and the newest numpy the registry serves
#   - a second one in .venv-numpy-2.0.2 with numpy 2.0.2 (Pyodide's), where the unit tests run
#     again (everything but tests/e2e); PYNN_NUMPY_2_0_2=0 skips that run, and says so
#   - Debian's Chromium via apt-get when /usr/bin/chromium is missing (Playwright drives it)
#   - axe-core in tests/a11y/node_modules (npm ci), for the accessibility tests
#   - Debian's firefox-esr, webkit2gtk-driver and xvfb likewise, for the cross-engine tests
# At its end it prints what ran: the numpy versions, the browsers' versions and the counts.
set -euo pipefail
cd "$(dirname "$0")"
# pip reads the pins from here for every install, the build of pynn's own wheel included.
export PIP_CONSTRAINT="$PWD/tests/constraints.txt"

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

# venv PATH NUMPY: a virtualenv at PATH with pynn (editable), its [test] extras and numpy NUMPY
# (a pip requirement: "numpy" installs or upgrades to the newest).
venv() {
  [ -x "$1/bin/python" ] || python3 -m venv "$1"
  "$1/bin/python" -m pip install -q --disable-pip-version-check --upgrade -e ".[test]" "$2"
}
oldest="${PYNN_NUMPY_2_0_2:-1}"
venv .venv numpy
[ "$oldest" = 0 ] || venv .venv-numpy-2.0.2 numpy==2.0.2
# axe-core for the accessibility tests, at the version tests/a11y/package-lock.json pins.
npm ci --prefix tests/a11y --no-audit --no-fund --silent

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
status=0
# node --test prints every test; keep that for when one fails.
tools/quietly node --test tests/js/ | tee "$log/node" || status=$?
# The unit tests (everything but tests/e2e) with the newest numpy first, in two processes (one a
# core). Then the end-to-end tests, and beside them, at the lowest CPU priority, the unit tests
# again with numpy 2.0.2 in one process: it takes only what the browsers leave idle (they wait on
# each other much of the time), so the whole run is shorter and the browsers are not slowed. No
# test reads what another writes (builds go to temporary folders). Each output is shown whole.
unit() { "$1/bin/python" -m pytest tests --ignore=tests/e2e "${@:3}" > "$log/$2" 2>&1; }
unit .venv newest -n 2 "$@" || status=1
cat "$log/newest"
if [ "$oldest" != 0 ]; then
  nice -n 19 .venv-numpy-2.0.2/bin/python -m pytest tests --ignore=tests/e2e "$@" > "$log/2.0.2" 2>&1 & oldest_run=$!
fi
# The end-to-end tests in PYNN_E2E_WORKERS processes (2 unless set; 1: one process): they mostly
# wait on their browsers, and one process used about a quarter of a core; a file's tests stay in one.
workers="${PYNN_E2E_WORKERS:-2}"
e2e_workers=()
[ "$workers" = 1 ] || e2e_workers=(-n "$workers" --dist loadfile)
.venv/bin/python -m pytest tests/e2e "${e2e_workers[@]}" "$@" | tee "$log/e2e" || status=$?
if [ "$oldest" != 0 ]; then
  wait "$oldest_run" || status=1
  cat "$log/2.0.2"
fi

# What ran: a pytest run's counts are its last summary line ("1471 passed in 101.0s").
counts() { grep -E '(passed|failed|error|no tests ran)' "$1" 2>/dev/null | tail -n 1 | tr -d '=' | xargs; }
version() { "$@" 2>/dev/null | head -n 1 || true; }
numpy_of() { "$1/bin/python" -c 'import numpy; print(numpy.__version__)'; }
echo
echo "test.sh ran:"
echo "  node $(node --version): $(sed -n 's/.* passed: //p' "$log/node" | xargs)"
echo "  numpy $(numpy_of .venv) (.venv, the newest): pytest tests --ignore=tests/e2e: $(counts "$log/newest")"
echo "  numpy $(numpy_of .venv) (.venv, the newest): pytest tests/e2e: $(counts "$log/e2e")"
if [ "$oldest" != 0 ]; then
  echo "  numpy $(numpy_of .venv-numpy-2.0.2) (.venv-numpy-2.0.2, Pyodide's): pytest tests --ignore=tests/e2e: $(counts "$log/2.0.2")"
else
  echo "  numpy 2.0.2: skipped (PYNN_NUMPY_2_0_2=0)"
fi
echo "  browsers: $(version chromium --version | cut -d' ' -f1-2)" \
  "$(wants firefox && version firefox-esr --version | sed 's/Mozilla //')" \
  "$(wants webkit && echo "WebKitGTK $(dpkg-query -W -f='${Version}' 'libwebkit2gtk-4.1-0' 2>/dev/null)")"
exit "$status"
