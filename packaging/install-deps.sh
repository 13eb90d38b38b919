#!/usr/bin/env bash
# Installs what AttrScope needs to build, run and test on Debian 12. Idempotent: when every
# package is present it only checks (well under a second) and changes nothing.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  # engine
  libtorch-dev
  libopenblas0-openmp   # without it LibTorch's matrix products run ~35x slower on Debian
  nlohmann-json3-dev libcli11-dev libutf8proc-dev
  libpcre2-dev libsentencepiece-dev   # tokenizers: Unicode regexes, SentencePiece models
  libgraphviz-dev graphviz fonts-dejavu-core
  libboost-graph-dev    # Boost.Graph max-flow (attention flow), header-only
  # GUI
  qt6-base-dev qt6-svg-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  # tests, screenshots, figure checks
  xvfb xauth poppler-utils
  # fuzz targets (libFuzzer, ASan/UBSan runtimes): CI builds them and replays their seeds
  clang libclang-rt-14-dev
  # Python module and its tests
  python3-dev pybind11-dev python3-numpy python3-pytest
  # packaging: man pages, desktop/AppStream validation, .deb dependencies and checks
  help2man desktop-file-utils appstream dpkg-dev file lintian
)

# The tokenizer differential test installs the official tokenizers package with npm; a Node.js
# that already brings npm (e.g. NodeSource's) is kept.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
