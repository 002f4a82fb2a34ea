#!/usr/bin/env bash
# demo.sh: the pipeline on the bundled real GH Archive samples, no network:
# make ingest (gha-fetch from a file:// mirror -> gha-bronze -> gha-silver),
# make gold, gha-kmeans, make report, and (when PostgreSQL is installed) make load and
# the gold tables with their BI views in a throwaway server. Writes
# demo-out/.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${GHA_BUILD:-$top/build}/bin
real=$top/tests/data/real
out=${DEMO_OUT:-$top/demo-out}
data=$out/data
unset MAKEFLAGS MFLAGS MAKELEVEL

# lap NAME: the seconds since the last lap, for the summary's timings
t_start=$EPOCHREALTIME t_last=$EPOCHREALTIME laps=""
lap() {
	local now=$EPOCHREALTIME
	laps="$laps $1 $(awk -v a="$t_last" -v b="$now" 'BEGIN { printf "%.1f", b - a }') s,"
	t_last=$now
}

# a local mirror of the real sample hours, named as GH Archive names them
mkdir -p "$out/mirror"
for h in 2011-02-15-0 2014-02-15-0 2015-01-01-0 2015-01-01-1; do
	cp "$real/$h.json.gz" "$out/mirror/"
done
cp "$real/2025-01-01-15.first2048.json.gz" "$out/mirror/2025-01-01-15.json.gz"
base=file://$out/mirror

echo "== make ingest: fetch -> bronze -> silver, per hour, from $base"
ingest() {
	make -s -C "$top" ingest FROM="$1" TO="$2" DATA="$data" GHA_BASE_URL="$base" \
		GHA_BIN="$bin" 2>&1 | sed 's/^/  /'
}
ingest 2011-02-15-0 2011-02-15-0
ingest 2014-02-15-0 2014-02-15-0
ingest 2015-01-01-0 2015-01-01-2	# hour 2 is not in the mirror: recorded as missing
ingest 2025-01-01-15 2025-01-01-15
echo
make -s -C "$top" status FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$data" GHA_BIN="$bin" | sed 's/^/  /'

lap ingest
echo
echo "== bronze: validated events (from the stats files)"
echo "  hours: $(find "$data/bronze" -name '*.stats.json' | wc -l) ingested," \
	"$(find "$data/raw" -name '*.missing' | wc -l) missing upstream;" \
	"events: $(jq -s 'map(.records_out) | add' "$data"/bronze/*.stats.json)"
echo "  top event types:"
jq -s -r 'map(.events_by_type | to_entries[]) | group_by(.key)
	| map({ k: .[0].key, n: (map(.value) | add) }) | sort_by(-.n, .k)[:5][]
	| "    \(.k): \(.n)"' "$data"/bronze/*.stats.json
echo "  by era:"
jq -s -r 'map(.events_by_era | to_entries[]) | group_by(.key)
	| map("    \(.[0].key): \(map(.value) | add) events")[]' "$data"/bronze/*.stats.json
echo "  rejected: $(jq -s 'map(.rejected) | add' "$data"/bronze/*.stats.json)," \
	"duplicates: $(jq -s 'map(.duplicates) | add' "$data"/bronze/*.stats.json)"

# a damaged download: the complete lines survive, the cut one is quarantined
head -c 200000 "$real/2015-01-01-15.first1024.json.gz" >"$out/truncated.json.gz"
rc=0
"$bin/gha-bronze" -q -r "$out/truncated.rejects.ndjson" -s "$out/truncated.stats.json" \
	"$out/truncated.json.gz" 2>"$out/truncated.err" >/dev/null || rc=$?
echo "  a truncated copy of an hour (exit $rc): $(jq -r '"\(.records_out) events kept, \(.rejected) quarantined"' \
	"$out/truncated.stats.json")"
echo "    $(tail -n 1 "$out/truncated.err")"

echo
echo "== silver: one typed events table for every era"
echo "  a Timeline event (2014: no id, a -08:00 offset, now UTC) and a 2015 one:"
for h in 2014-02-15-0 2015-01-01-0; do
	gzip -dc "$data/silver/$h.events.tsv.gz" | sed -n 2p | cut -f1-10 | sed 's/^/    /'
done
echo "  most starred repos, 2015-01-01 00:00-02:00 UTC:"
for h in 2015-01-01-0 2015-01-01-1; do gzip -dc "$data/silver/$h.events.tsv.gz"; done |
	awk -F'\t' '$2 == "WatchEvent" { n[$10]++ } END { for (r in n) print n[r] "\t" r }' |
	sort -k1,1rn -k2 | sed -n 1,5p | sed 's/^/    /'
"$bin/gha-silver" --merge-entities -o "$out/repos.tsv" "$data"/silver/2015-01-01-[01].repos.tsv.gz
"$bin/gha-silver" --merge-entities -o "$out/actors.tsv" "$data"/silver/2015-01-01-[01].actors.tsv.gz
echo "  merged over those two hours: $(($(wc -l <"$out/repos.tsv") - 1)) repos," \
	"$(($(wc -l <"$out/actors.tsv") - 1)) actors, $(awk -F'\t' '$6 == "t"' "$out/actors.tsv" | wc -l) of them bots"

lap "bronze and silver samples"
echo
echo "== gold: make gold, per-day partials and tables, windows merged from partials"
make -s -C "$top" gold FROM=2015-01-01 TO=2015-01-01 DATA="$data" GHA_BIN="$bin" 2>&1 | sed 's/^/  /'
g=$data/gold/day/2015-01-01
echo "  $(find "$g" -name "*.tsv" | wc -l) tables for 2015-01-01 in $g, windows in $data/gold/window/"
echo "  activity, the busiest (hour, event type) rows:"
tail -n +2 "$g/activity.tsv" | sort -t"$(printf '\t')" -k3,3rn | sed -n 1,4p | cut -f1-6 | sed 's/^/    /'
if [ -f "$g/repo_daily.tsv" ]; then
	echo "  repo_daily, most starred (distinct non-bot stargazers):"
	tail -n +2 "$g/repo_daily.tsv" | sort -t"$(printf '\t')" -k5,5rn -k3,3 | sed -n 1,3p |
		awk -F'\t' '{ print "    " $3 ": " $5 " stars, " $4 " events" }'
fi
echo "  regions (one day is too little to place most actors: see actor_profiles):"
tail -n +2 "$g/regions.tsv" | sed 's/^/    /'
echo "  anomalies, the global series (too few hours for a baseline here):"
awk -F'\t' 'NR > 1 && $2 == "global"' "$g/anomalies.tsv" | cut -f1,5,6,9,10 | sed 's/^/    /'

lap gold
echo
echo "== kmeans: make kmeans, gha-kmeans over gold's 1-day window, runs recorded in $out/mlruns"
make -s -C "$top" kmeans FROM=2015-01-01 TO=2015-01-01 DATA="$data" GHA_BIN="$bin" KMEANS_WINDOW=1 \
	KMEANS_TRACK="$out/mlruns" 2>&1 | sed 's/^/  /'
k=$data/kmeans/1d-2015-01-01
for s in repos contributors profiles; do
	jq -r --arg s "$s" '"  \($s): \(.rows) rows, k=\(.chosen_k) by silhouette (\(.silhouette * 1000 | round / 1000)" +
		" on \(.silhouette_rows) rows), elbow at k=\(.elbow_k), sizes \(.sizes | map(tostring) | join(" "))"' "$k/$s.metrics.json"
done
echo "  repo clusters (centroids in original units: geometric-style means, log1p scale):"
cut -f1-10 "$k/repos.centroids.tsv" | awk -F'\t' 'NR == 1 { print "    " $0; next }
	{ printf "    %s\t%s", $1, $2; for (i = 3; i <= NF; i++) printf "\t%.2f", (($i < 0.005 && $i > -0.005) ? 0 : $i); print "" }'
echo "  the day's repo_daily assigned with that model (gha-kmeans predict, as for the next day's):"
"$bin/gha-kmeans" predict -q -m "$k/repos.model" "$data/gold/day/2015-01-01/repo_daily.tsv" |
	awk -F'\t' 'NR > 1 { n[$2]++ } END { for (c in n) printf "    cluster %s: %d repos\n", c, n[c] }' | sort -k2,2n

lap kmeans
echo
echo "== report: make report, one HTML page from gold (gnuplot SVG charts, no script, no network)"
REPORT_MLRUNS=$out/mlruns make -s -C "$top" report FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$data" \
	GHA_BIN="$bin" 2>&1 | sed 's/^/  /'

echo
echo "outputs in $data: raw/ bronze/ silver/ gold/ kmeans/ report/ (see man/gha.7);"
echo "load silver into PostgreSQL with: make load FROM=... TO=... DATA=$data PG=conninfo"

lap report
# ---- load: silver into a throwaway PostgreSQL with gha-load ----
echo
echo "== load: silver into a throwaway PostgreSQL (make load -> gha-load)"
pgbin=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$pgbin/initdb" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	echo "  skipped: no PostgreSQL server here; on Debian: apt-get install postgresql"
	echo "  (then make demo again), or point make load at yours:"
	echo "  make load FROM=2015-01-01-0 TO=2015-01-01-1 DATA=$data PG='dbname=gha'"
else
	# pg.sh keeps its server under $TMP
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/gha-demo-pg.XXXXXX")
	export TMP
	# shellcheck disable=SC1091
	. "$top/tests/pg.sh"
	pg_start	# a private server on a unix socket, stopped and removed at exit
	rm -rf "$data/load"
	load() {
		make -s -C "$top" load FROM="$1" TO="$2" DATA="$data" GHA_BIN="$bin" 2>&1 | sed 's/^/  /'
	}
	load 2011-02-15-0 2011-02-15-0
	load 2014-02-15-0 2014-02-15-0
	load 2015-01-01-0 2015-01-01-2
	load 2025-01-01-15 2025-01-01-15
	echo "  the manifest (gha_loads), per table:"
	psql -X -q -A -F ' ' -t -c "select target_table, count(*) || ' sources', sum(rows) || ' rows'
		from gha_loads group by 1 order by 1" | sed 's/^/    /'
	load 2015-01-01-0 2015-01-01-1
	echo "  (a second make load: nothing to do) $(psql -X -q -A -t -c "select count(*) from gha_events") events, each once"
	echo "  most starred repos, 2015-01-01 00:00-02:00 UTC, in SQL:"
	psql -X -q -A -F ' ' -t -c "select count(*), repo_name from gha_events where event_type = 'WatchEvent'
		and _source in ('2015-01-01-0', '2015-01-01-1') group by 2 order by 1 desc, 2 limit 5" | sed 's/^/    /'
	echo "  gold into PostgreSQL (each file's directory under gold/ is its source), then the BI views:"
	for dir in "$data"/gold/day/2015-01-01 "$data"/gold/window/*-2015-01-01; do
		for t in trending activity languages regions anomalies; do
			"$bin/gha-load" -q -t "gha_gold_$t" --create --source "${dir#"$data/gold/"}" "$dir/$t.tsv"
		done
	done
	"$bin/gha-load" --views | sed 's/^/    /'
	echo "  select rank, repo_name, score, stars from gha_v_trending_7d where rank <= 5 order by rank;"
	psql -X -q -A -F ' ' -t -c "select rank, repo_name, score, stars from gha_v_trending_7d
		where rank <= 5 order by rank" | sed 's/^/    /'
fi

lap load
echo
echo "== summary"
echo "  report: $data/report/index.html (open it in a browser; no network needed)"
echo "  events: $(jq -s 'map(.records_out) | add' "$data"/bronze/*.stats.json) in" \
	"$(find "$data/bronze" -name '*.stats.json' | wc -l) hours," \
	"$(find "$data/raw" -name '*.missing' | wc -l) hour missing upstream;" \
	"gold: $(find "$data/gold" -name '*.tsv' | wc -l) tables"
echo "  time:${laps%,}; $(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s in all (the build not counted)"
