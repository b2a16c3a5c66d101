#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan, and
# runs each for SECONDS (default 60): the projections over random programs of
# valid events, and the two decoders from a seed corpus of generated events:
# every line of a small generated province (malformed ones included) as a
# JSON seed, and the FlatBuffer form of each valid line (by flatc) as a binary
# seed. Exit non-zero on the first crash, leak, timeout or broken invariant;
# the input that did it is left in build/fuzz/run/.
#   ops/fuzz.sh [SECONDS]
# Needs the release build's `safetynet` (ops/test.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
ops/install-deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2 --target event_json_fuzzer event_binary_fuzzer projection_fuzzer

run=build/fuzz/run
rm -rf "$run"
mkdir -p "$run"/seeds-json "$run"/seeds-binary "$run"/corpus-json "$run"/corpus-binary
build/release/tools/safetynet generate --seed 11 --persons 40 --months 3 --malformed-share 0.1 \
  --out "$run/events.jsonl" >/dev/null
split -l 1 -a 5 "$run/events.jsonl" "$run/seeds-json/e"
for f in "$run"/seeds-json/e*; do
  mv "$f" "$f.json"
  flatc -b -o "$run/seeds-binary" events/event.fbs "$f.json" 2>/dev/null || true  # malformed lines have none
done
echo "seeds: $(ls "$run/seeds-json" | wc -l) JSON, $(ls "$run/seeds-binary" | wc -l) binary"

mkdir -p "$run/corpus-projection" "$run/seeds-projection"
for kind in json binary projection; do
  echo "== fuzzing the $kind target for ${seconds}s"
  log="$run/$kind.log"
  status=0
  target="build/fuzz/tests/fuzz/event_${kind}_fuzzer"
  [ "$kind" = projection ] && target=build/fuzz/tests/fuzz/projection_fuzzer
  "$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$run/${kind}-" \
    "$run/corpus-$kind" "$run/seeds-$kind" >"$log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)" "$log" || true
  if [ "$status" -ne 0 ]; then
    grep -E "invariant broken|ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
    echo "the $kind fuzzer failed (exit $status); log and input in $run" >&2
    exit 1
  fi
done
