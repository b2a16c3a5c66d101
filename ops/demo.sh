#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running ledger: installs the
# dependencies, builds, starts safetynetd with its embedded Kafka broker,
# publishes a generated province to it through Kafka, and prints where to look.
# The daemon keeps running until Ctrl-C.
#   PERSONS=20000 MONTHS=24 SEED=7 HTTP=127.0.0.1:8080 ops/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS=${PERSONS:-20000}
MONTHS=${MONTHS:-24}
SEED=${SEED:-7}
HTTP=${HTTP:-127.0.0.1:8080}
DATA=${DATA:-data/demo}

ops/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target safetynetd safetynet
safetynetd=build/release/daemon/safetynetd
cli=build/release/tools/safetynet

mkdir -p "$DATA"
echo "== generating a province: $PERSONS persons, $MONTHS months (seed $SEED)"
"$cli" generate --seed "$SEED" --persons "$PERSONS" --months "$MONTHS" --out "$DATA/province.jsonl"

rm -rf "$DATA/ledger"
out="$DATA/safetynetd.out"
"$safetynetd" --embedded-kafka --data "$DATA" --http "$HTTP" >"$out" 2>"$DATA/safetynetd.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do grep -q "^http:" "$out" 2>/dev/null && break; sleep 0.1; done
bootstrap=$(sed -n 's/^embedded kafka bootstrap: //p' "$out")
url=$(sed -n 's/^http: //p' "$out")
[ -n "$bootstrap" ] || { echo "daemon did not start; see $DATA/safetynetd.log" >&2; exit 1; }
echo "embedded kafka bootstrap: $bootstrap"
# The API wants a token (daemon/access.h); with none configured the daemon
# made an auditor token in the data directory.
token=$(cat "${DATA%/}-secrets/auditor.token")  # secrets live beside the data directory
auth=(-H "Authorization: Bearer $token")

echo "== publishing through Kafka (paced to the daemon)"
"$cli" publish --brokers "$bootstrap" "$DATA/province.jsonl"
lines=$(wc -l <"$DATA/province.jsonl")
metric() { curl -s "${auth[@]}" "${url}metrics" | awk -v n="$1" '$1==n {print $2}'; }
for _ in $(seq 600); do
  done_n=$(( $(metric safetynet_events_appended_total) + $(metric safetynet_events_duplicate_total) + $(metric safetynet_events_rejected_total) ))
  [ "$done_n" -ge "$lines" ] && break
  sleep 0.2
done

cat <<INFO

== the ledger is running
  messages published:   $lines
  events appended:      $(metric safetynet_events_appended_total)
  duplicates ignored:   $(metric safetynet_events_duplicate_total)
  rejected (dead letters): $(metric safetynet_events_rejected_total)

  dashboard:            ${url}#region=23&month=201906&token=$token
  API token (auditor):  $token   (curl -H "Authorization: Bearer $token" URL)
  coverage, province:   ${url}v1/coverage?region=23
  coverage, Harbin:     ${url}v1/coverage?region=2301
  gap list:             ${url}v1/coverage/gaps?region=2301&tier=medical_assistance
  findings:             ${url}v1/findings?region=23&status=open
  rectification items:  ${url}v1/rectifications?region=23&status=overdue
  monthly report:       ${url}v1/reports/monthly?region=23&month=201906
  ledger events:        ${url}v1/events?limit=10
  dead letters:         ${url}v1/deadletters
  metrics:              ${url}metrics
  kcat works too:       kcat -L -b $bootstrap

$(curl -s "${auth[@]}" "${url}v1/coverage?region=23")

Ctrl-C stops the daemon. Data in $DATA; verify with:
  $cli verify --data $DATA   and   $cli replay --data $DATA
INFO
wait $daemon
