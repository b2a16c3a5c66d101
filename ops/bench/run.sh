#!/usr/bin/env bash
# Builds and runs the benchmarks; prints each figure beside its target.
#   ops/bench/run.sh            100,000 persons, 12 months
#   ops/bench/run.sh --quick    10,000 persons, 6 months
#   ops/bench/run.sh --persons 300000 --months 12
#   ops/bench/run.sh --keep --dir D   keep the ledgers in D (D/binary, D/json)
#   ops/bench/run.sh --replay-from D/binary   only P2 (and the raw scan) on a kept ledger
#   ops/bench/run.sh --query-from D   only the query figures, on the ledger in D as it stands
#   ops/bench/run.sh --soak 30 [--rate 5000 --clients 8]   the soak (R6): the
#                               daemon under steady ingest and queries, per minute
#   ops/bench/run.sh --soak 5 --clients 50 --query-interval-ms 0 --p3-queries   P3 over
#                               HTTP: 50 clients asking coverage, person ledgers, claims
#   ops/bench/run.sh --restart 3 [--persons 650000 --months 12]   P5 and P4: the
#                               daemon killed -9 three times during ingest (650,000
#                               persons x 12 months is about 10 M events)
set -euo pipefail
cd "$(dirname "$0")/../.."
ops/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target safetynet_bench safetynetd
exec build/release/ops/safetynet_bench "$@"
