#!/usr/bin/env bash
# demo.sh: the pipeline on the bundled real GH Archive samples, no network:
# raw -> bronze (validated NDJSON) -> silver (typed TSV tables).
# Writes demo-out/ and prints what it produced.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${GHA_BUILD:-$top/build}/bin
real=$top/tests/data/real
out=${DEMO_OUT:-$top/demo-out}
mkdir -p "$out/bronze" "$out/silver"

echo "== bronze: validate, quarantine, de-duplicate"
printf '%-34s %8s %8s %8s %8s  %s\n' file in out rejected dups era
for f in "$real"/*.json.gz; do
	h=$(basename "$f" .json.gz)
	"$bin/gha-bronze" -q -r "$out/bronze/$h.rejects.ndjson" -s "$out/bronze/$h.stats.json" \
		"$f" | gzip -1 >"$out/bronze/$h.ndjson.gz.tmp"
	mv "$out/bronze/$h.ndjson.gz.tmp" "$out/bronze/$h.ndjson.gz"
	jq -r --arg h "$h" '[$h, .records_in, .records_out, .rejected, .duplicates,
		(.events_by_era | keys | join(","))] | @tsv' "$out/bronze/$h.stats.json" |
		awk -F'\t' '{ printf "%-34s %8s %8s %8s %8s  %s\n", $1, $2, $3, $4, $5, $6 }'
done

# a damaged copy of a real hour: the complete lines survive, the cut one is quarantined
head -c 200000 "$real/2015-01-01-15.first1024.json.gz" >"$out/truncated.json.gz"
rc=0
"$bin/gha-bronze" -q -r "$out/bronze/truncated.rejects.ndjson" -s "$out/bronze/truncated.stats.json" \
	"$out/truncated.json.gz" 2>"$out/bronze/truncated.err" >/dev/null || rc=$?
echo
echo "a truncated download (exit $rc): $(jq -r '"\(.records_out) events kept, \(.rejected) quarantined"' \
	"$out/bronze/truncated.stats.json"); $(tail -n 1 "$out/bronze/truncated.err")"

echo
echo "== silver: one typed events table for every era, entities from the same pass"
for f in "$out"/bronze/*.ndjson.gz; do
	h=$(basename "$f" .ndjson.gz)
	[ "$h" = truncated ] && continue
	zcat "$f" | "$bin/gha-silver" -q -a "$out/silver/$h.actors.tsv" -R "$out/silver/$h.repos.tsv" \
		-O "$out/silver/$h.orgs.tsv" -C "$out/silver/$h.commits.tsv" \
		-s "$out/silver/$h.stats.json" | gzip -1 >"$out/silver/$h.events.tsv.gz.tmp"
	mv "$out/silver/$h.events.tsv.gz.tmp" "$out/silver/$h.events.tsv.gz"
done
"$bin/gha-silver" --merge-entities -o "$out/silver/all.repos.tsv" "$out"/silver/2015-01-01-[01].repos.tsv
"$bin/gha-silver" --merge-entities -o "$out/silver/all.actors.tsv" "$out"/silver/2015-01-01-[01].actors.tsv
tables=("$out"/silver/*.events.tsv.gz)
echo "events table: $(zcat "${tables[@]}" | grep -vc '^event_id') rows in ${#tables[@]} files"
echo "a Timeline event (2014, no id, -08:00 offset) and a 2015 one, as rows:"
for h in 2014-02-15-0 2015-01-01-0; do
	zcat "$out/silver/$h.events.tsv.gz" | sed -n 2p | cut -f1-11 | sed 's/^/  /'
done
echo
echo "most starred repos on 2015-01-01 00:00-02:00 UTC (WatchEvents):"
for h in 2015-01-01-0 2015-01-01-1; do zcat "$out/silver/$h.events.tsv.gz"; done |
	awk -F'\t' '$2 == "WatchEvent" { n[$10]++ } END { for (r in n) print n[r] "\t" r }' |
	sort -k1,1rn -k2 | head -5 | sed 's/^/  /'
echo
echo "repos seen in those two hours (merged tables): $(($(wc -l <"$out/silver/all.repos.tsv") - 1));" \
	"actors: $(($(wc -l <"$out/silver/all.actors.tsv") - 1))," \
	"bots among them: $(awk -F'\t' '$6 == "t"' "$out/silver/all.actors.tsv" | wc -l)"
echo
echo "outputs in $out: bronze/ (validated events, quarantine, stats) and"
echo "silver/ (events, actors, repos, orgs, commits TSV; load with gha-silver --ddl | psql)."
