#!/usr/bin/env bash
# demo.sh: the pipeline on the bundled real GH Archive samples, no network.
# Writes demo-out/ and prints what it produced.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${GHA_BUILD:-$top/build}/bin
real=$top/tests/data/real
out=${DEMO_OUT:-$top/demo-out}
mkdir -p "$out/bronze"

printf '%-34s %8s %8s %8s %8s  %s\n' hour in out rejected dups era
for f in "$real"/*.json.gz; do
	h=$(basename "$f" .json.gz)
	"$bin/gha-bronze" -q -r "$out/bronze/$h.rejects.ndjson" -s "$out/bronze/$h.stats.json" \
		"$f" | gzip -1 >"$out/bronze/$h.ndjson.gz.tmp"
	mv "$out/bronze/$h.ndjson.gz.tmp" "$out/bronze/$h.ndjson.gz"
	jq -r --arg h "$h" '[$h, .records_in, .records_out, .rejected, .duplicates,
		(.events_by_era | keys | join(","))] | @tsv' "$out/bronze/$h.stats.json" |
		awk -F'\t' '{ printf "%-34s %8s %8s %8s %8s  %s\n", $1, $2, $3, $4, $5, $6 }'
done

echo
echo "top event types over all hours (bronze):"
jq -s -r 'map(.events_by_type | to_entries[]) | group_by(.key)
	| map({k: .[0].key, n: (map(.value) | add)}) | sort_by(-.n) | .[:8][]
	| "  \(.n)\t\(.k)"' "$out"/bronze/*.stats.json
echo
echo "outputs in $out/bronze: validated events (*.ndjson.gz), quarantine"
echo "(*.rejects.ndjson) and summaries (*.stats.json)."
