#!/usr/bin/env bash
# Installs brainweave's build dependencies from Debian's packages (as root), if any is missing.
#   scripts/install-deps.sh           to build the library, the runner and the examples
#   scripts/install-deps.sh --tests   also what the tests use: h5py and HDMF to open NWB files in Python,
#                                     xmllint to validate NeuroML2 against its schema, rsvg-convert to render figures
#   scripts/install-deps.sh --fuzz    also clang and its libFuzzer runtime (scripts/fuzz.sh)
set -euo pipefail
pkgs=(g++ cmake make libeigen3-dev xtensor-dev xtl-dev libxsimd-dev libboost-dev zlib1g-dev libbz2-dev catch2
      nlohmann-json3-dev libopenmpi-dev openmpi-bin libhdf5-dev)
if [ "${1:-}" = "--tests" ]; then pkgs+=(python3-h5py python3-hdmf libxml2-utils librsvg2-bin); fi
if [ "${1:-}" = "--fuzz" ]; then pkgs+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
