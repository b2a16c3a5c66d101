#!/usr/bin/env bash
# Installs dependencies, checks formatting, builds, and runs every test:
# the release build runs the whole suite (unit and end-to-end through the
# in-process Kafka broker); the fuzzers run for a minute each (ops/fuzz.sh);
# the debug build (ASan + UBSan) runs the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/install-deps.sh

echo "== format check"
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

echo "== release build"
cmake --preset release >/dev/null
cmake --build --preset release -j2

echo "== tests (release)"
ctest --preset release -j2 --timeout 600

echo "== fuzzers (libFuzzer, ASan + UBSan): the JSON and binary event decoders and the projections, 60 s each"
ops/fuzz.sh 60

echo "== debug build with ASan + UBSan (unit tests)"
cmake --preset debug >/dev/null
cmake --build --preset debug -j2 --target unit_tests
ASAN_OPTIONS=detect_leaks=1 ./build/debug/tests/unit_tests --gtest_brief=1
