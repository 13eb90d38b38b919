#!/usr/bin/env bash
# Builds the .deb packages, installs them as root, checks the installed programs, desktop files
# and Python module, removes them and checks that nothing is left in /usr. Run as root on a
# Debian 12 machine after packaging/install-deps.sh (CI: after the README's test command).
#   packaging/ci-package.sh [BUILD_DIR]   (default build/package; ccache makes it cheap)
# ATTRSCOPE_PACKAGE_GUI=OFF packages without the desktop app (and skips its checks).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build/package}
gui=${ATTRSCOPE_PACKAGE_GUI:-ON}
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ci-package: run as root or install sudo (it installs and removes packages)" >&2; exit 1; }
  sudo="sudo"
fi
step() { printf '\n== ci-package: %s\n' "$*"; }
export DEBIAN_FRONTEND=noninteractive
# man-db is often absent on minimal machines, so man pages are checked as files.
manpage() { [ -s "/usr/share/man/man1/$1.1.gz" ] && gzip -t "/usr/share/man/man1/$1.1.gz" && echo "man page $1: ok"; }

step "configure and build ($build, prefix /usr)"
cmake --preset release -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DATTRSCOPE_BUILD_TESTS=OFF \
  -DATTRSCOPE_BUILD_BENCH=OFF -DATTRSCOPE_BUILD_GUI="$gui" -DATTRSCOPE_PYTHON=ON >/dev/null
cmake --build "$build"
grep -q 'CPACK_COMPONENTS_ALL "[^"]*python' "$build/CPackConfig.cmake" ||
  { echo "ci-package: the Python module was not configured (pybind11-dev missing?)" >&2; exit 1; }

step "package"
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >/dev/null)
debs=("$build"/attrscope_*.deb "$build"/python3-attrscope_*.deb)
for d in "${debs[@]}"; do
  printf '%s: %s bytes, Installed-Size %s KiB\n' "$(basename "$d")" "$(stat -c %s "$d")" \
    "$(dpkg-deb -f "$d" Installed-Size)"
  dpkg-deb -f "$d" Package Depends
done

step "lintian (reported, not fatal)"
lintian --tag-display-limit 0 --display-info "${debs[@]}" || true

step "install"
# Paths only: caches that triggers rewrite (mime, icons, desktop database) may change content.
snapshot() { find /usr -xdev -not -path '/usr/share/icons/hicolor/icon-theme.cache' \
  -not -path '/usr/share/applications/mimeinfo.cache' | sort; }
before=$(mktemp) after=$(mktemp)
snapshot >"$before"
$sudo apt-get install -y -qq "${debs[@]/#/$root/}" >/dev/null
unset ATTRSCOPE_MODELS

step "attrscope-cli predict from /usr/bin on the installed default model"
out=$(cd / && /usr/bin/attrscope-cli --quiet predict --no-attention \
  --text-a "A man is playing a guitar." --text-b "A man is not playing a guitar.")
echo "$out" | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print("predicted:", j["predicted_label"], j["probs"])'
manpage attrscope-cli

if [ "$gui" = ON ]; then
  manpage attrscope
  step "attrscope --screenshot under xvfb-run"
  shot=$(mktemp --suffix=.png)
  (cd / && QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1700x1100x24" /usr/bin/attrscope --threads 2 \
    --size 1600x1000 --text-a "A man is playing a guitar." --text-b "A man is not playing a guitar." \
    --screenshot "$shot")
  /usr/bin/python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); assert d[:8]==b"\x89PNG\r\n\x1a\n" and len(d)>20000, len(d); print("screenshot:", len(d), "bytes")' "$shot"
  rm -f "$shot"

  step "desktop entry, AppStream metadata, MIME type"
  desktop-file-validate /usr/share/applications/attrscope.desktop && echo "desktop-file-validate: ok"
  appstreamcli validate --no-net /usr/share/metainfo/org.attrscope.AttrScope.metainfo.xml
  grep -q 'application/x-attrscope-session' /usr/share/mime/packages/attrscope.xml
  if command -v update-mime-database >/dev/null; then
    grep -q 'x-attrscope-session' /usr/share/mime/globs2 && echo "MIME type registered: ok"
  fi
fi

step "pytest against the installed module"
(cd / && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -c 'import attrscope; print(attrscope.__file__)')
(cd / && PYTHONDONTWRITEBYTECODE=1 ATTRSCOPE_CLI=/usr/bin/attrscope-cli ATTRSCOPE_TEST_DATA_DIR="$root/tests/data" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider "$root/python/tests")

step "purge and check /usr"
$sudo apt-get purge -y -qq attrscope python3-attrscope >/dev/null
snapshot >"$after"
if ! diff "$before" "$after" >/dev/null; then
  echo "ci-package: /usr differs after purge:" >&2
  diff "$before" "$after" >&2 || true
  exit 1
fi
rm -f "$before" "$after"
echo "ci-package: nothing left in /usr; all checks passed"
