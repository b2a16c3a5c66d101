#!/usr/bin/env bash
# Installs every Debian 12 package safetynet needs to build, test and run.
# Idempotent: does nothing when everything is already installed. Node.js
# and npm come with the machine (Debian's own are older than we need).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang-format
  librdkafka-dev librocksdb-dev libflatbuffers-dev flatbuffers-compiler
  libspdlog-dev libgtest-dev libgmock-dev libssl-dev libcpp-httplib-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libxlsxwriter-dev python3-openpyxl  # reports as spreadsheets, and the test that opens them
  kcat curl
  chromium fonts-noto-cjk fontconfig  # the dashboard test: a browser and Chinese glyphs
  clang libclang-rt-14-dev  # the fuzzers (ops/fuzz.sh): libFuzzer
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The browser tests drive Debian's Chromium with playwright-core from npm
# (tests/browser/, pinned by its package-lock.json; it downloads no browser).
browser="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
if [ ! -f "$browser/node_modules/playwright-core/package.json" ] ||
   [ "$browser/package-lock.json" -nt "$browser/node_modules/.package-lock.json" ]; then
  echo "installing: npm packages of tests/browser" >&2
  (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
