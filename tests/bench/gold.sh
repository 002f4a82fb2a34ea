#!/usr/bin/env bash
# gold.sh: the gold part of make bench (called by run.sh with the
# synthetic hour). On the hour's silver events TSV:
#   gha-gold -t activity,repo_daily      next to DuckDB (2 threads) computing
#                                        the same two tables from the same TSV
#                                        with gha-gold --sql ... -D duckdb
#   gha-gold (every table)
# then every table over a day: 24 copies of the hour moved to the 24 hours
# of its day (the columns gha-gold reads, gha-silver -c), with peak memory.
# DuckDB's results must equal gha-gold's, byte for byte, before any timing.
# DuckDB comes from npm (@duckdb/node-api, a prebuilt engine) installed
# into $GHA_BUILD/bench-node; without npm or node the DuckDB rows are
# skipped with a note.
#
#   gold.sh HOUR.json.gz       (BENCH_RUNS as in run.sh; BENCH_GOLD_DAY=0
#                               skips the day)
set -eu -o pipefail
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${GHA_BUILD:-$top/build}
bin=$build/bin
cache=$build/bench
runs=${BENCH_RUNS:-3}
hour=$1
problems=0

die() {
	echo "bench: $*" >&2
	exit 1
}
[ -x "$bin/gha-gold" ] || die "no $bin/gha-gold: run make first"

# ---- the silver TSV of the hour, made once per hour file ----
key=$(basename "$hour" .json.gz)
silver=$cache/gold-$key.tsv
if [ ! -s "$silver" ]; then
	rm -f "$cache"/gold-*.tsv
	rm -rf "$cache/gold-day"
	"$bin/gha-silver" -q "$hour" >"$silver.tmp"
	mv "$silver.tmp" "$silver"
fi
n=$(($(wc -l <"$silver") - 1))
mb=$(awk -v b="$(stat -c %s "$silver")" 'BEGIN { printf "%.1f", b / 1e6 }')

# ---- timing: best wall time of $runs, with that run's CPU time and peak RSS ----
# time_row NAME CMD...: prints one row; sets best
time_row() {
	local name=$1 i w u s m line
	shift
	best="" cpu="" rss=""
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -o "$cache/gold.time" -f '%e %U %S %M' "$@" >/dev/null 2>"$cache/gold.err" ||
			die "failed: $* ($(head -c 300 "$cache/gold.err"))"
		read -r w u s m <"$cache/gold.time"
		if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$w
			cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
			rss=$m
		fi
	done
	line=$(printf '%-52s %4d %8.2f %8.2f %8.0f %9d' "$name" "$runs" "$best" "$cpu" \
		"$(awk -v e="$rows" -v t="$best" 'BEGIN { print e / t }')" "$((rss / 1024))")
	echo "$line"
}
header() {
	echo
	echo "$1"
	printf '%-52s %4s %8s %8s %8s %9s\n' command runs seconds cpu_s events/s peak_MB
}
[ -x /usr/bin/time ] || die "needs GNU time (/usr/bin/time): apt-get install time"

# ---- DuckDB, from npm ----
node_prefix=$build/bench-node
duck=""
if [ -d "$node_prefix/node_modules/@duckdb/node-api" ] && command -v node >/dev/null; then
	duck=1
elif command -v npm >/dev/null && command -v node >/dev/null; then
	echo "installing @duckdb/node-api with npm into $node_prefix ..." >&2
	if npm install --silent --no-audit --no-fund --prefix "$node_prefix" @duckdb/node-api >&2; then
		duck=1
	else
		echo "note: npm install @duckdb/node-api failed: no DuckDB rows" >&2
	fi
else
	echo "note: no npm/node: DuckDB rows skipped (apt-get install npm, then make bench)" >&2
fi
work=$cache/gold-out
rm -rf "$work"
mkdir -p "$work/gold" "$work/duck"
if [ -n "$duck" ]; then
	"$bin/gha-silver" --ddl >"$work/ddl.sql"
	for t in activity repo_daily; do
		"$bin/gha-gold" --sql "$t" -D duckdb >"$work/$t.sql"
	done
	duckrun=(node "$top/tests/bench/duckdb.js" "$node_prefix" 2 "$silver" "$work/duck" "$work/ddl.sql"
		activity="$work/activity.sql" repo_daily="$work/repo_daily.sql")
	# the same rows, or the comparison means nothing
	"$bin/gha-gold" -q -t activity,repo_daily -d "$work/gold" "$silver"
	"${duckrun[@]}"
	for t in activity repo_daily; do
		if cmp -s "$work/gold/$t.tsv" "$work/duck/$t.tsv"; then
			echo "$t: DuckDB's $(($(wc -l <"$work/duck/$t.tsv") - 1)) rows equal gha-gold's, byte for byte"
		else
			echo "$t: DuckDB's rows DIFFER from gha-gold's ($(wc -l <"$work/duck/$t.tsv") vs" \
				"$(wc -l <"$work/gold/$t.tsv") lines)"
			problems=$((problems + 1))
		fi
	done
fi

rows=$n
echo
echo "gold: the synthetic hour's silver events TSV, $n events, $mb MB ($(nproc) cores;"
echo "seconds: best wall time of 'runs', with that run's CPU seconds and peak RSS)"
header "gold tables from one hour"
time_row "gha-gold -t activity,repo_daily FILE" "$bin/gha-gold" -q -t activity,repo_daily -d "$work/gold" "$silver"
g2=$best g2cpu=$cpu
if [ -n "$duck" ]; then
	time_row "duckdb (node, 2 threads): load + the same 2 tables" "${duckrun[@]}"
	echo "gha-gold vs DuckDB, activity + repo_daily: $(awk -v a="$best" -v b="$g2" 'BEGIN { printf "%.1f", a / b }')x" \
		"wall, $(awk -v a="$cpu" -v b="$g2cpu" 'BEGIN { printf "%.1f", a / b }')x CPU" \
		"(load average $(cut -d' ' -f1 /proc/loadavg): on a shared machine wall times vary)"
fi
time_row "gha-gold FILE (all $("$bin/gha-gold" --list | wc -l) tables)" "$bin/gha-gold" -q -d "$work/gold" "$silver"
time_row "gha-gold -P FILE (the hour's partial)" "$bin/gha-gold" -q -P -o "$work/hour.part" "$silver"

# ---- a day: 24 hours ----
if [ "${BENCH_GOLD_DAY:-1}" != 0 ]; then
	day=$cache/gold-day
	cols=created_at,event_type,actor_id,actor_login,is_bot,repo_id,repo_name,org_id,org_login,action
	cols=$cols,commit_count,merged,merged_at,pr_created_at,additions,deletions,language
	if [ ! -f "$day/done" ]; then
		rm -rf "$day"
		mkdir -p "$day"
		"$bin/gha-silver" -q -c "$cols" "$hour" >"$day/base.tsv"
		# the hour is 2024-05-21 15:00-16:00; copy it to each hour of the day
		for h in $(seq 0 23); do
			hh=$(printf '%02d' "$h")
			awk -F'\t' -v OFS='\t' -v hh="$hh" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "created_at") c = i }
				NR > 1 { $c = substr($c, 1, 11) hh substr($c, 14) } 1' \
				"$day/base.tsv" >"$day/$h.tsv"
		done
		rm "$day/base.tsv"
		touch "$day/done"
	fi
	rows=$((n * 24))
	dmb=$(du -sm "$day" | cut -f1)
	echo
	echo "a day: 24 such hours, $rows events, $dmb MB (gha-silver -c: the 17 columns gha-gold reads)"
	header "gold tables from a day"
	runs=1
	time_row "gha-gold -t activity,repo_daily DAY/*.tsv" "$bin/gha-gold" -q -t activity,repo_daily \
		-d "$work/gold" "$day"/*.tsv
	time_row "gha-gold DAY/*.tsv (all tables)" "$bin/gha-gold" -q -d "$work/gold" "$day"/*.tsv
	parts=()
	for h in 0 6 12 18; do
		"$bin/gha-gold" -q -P -o "$work/q$h.part" "$day/$h.tsv" "$day/$((h + 1)).tsv" "$day/$((h + 2)).tsv" \
			"$day/$((h + 3)).tsv" "$day/$((h + 4)).tsv" "$day/$((h + 5)).tsv"
		parts+=("$work/q$h.part")
	done
	time_row "gha-gold -M (all tables) from 4 six-hour partials" "$bin/gha-gold" -q -M -d "$work/merged" "${parts[@]}"
	bad=0
	for f in "$work/gold"/*.tsv; do
		cmp -s "$f" "$work/merged/$(basename "$f")" || bad=$((bad + 1))
	done
	if [ "$bad" = 0 ]; then
		echo "the merged partials' tables equal the direct run's, byte for byte"
	else
		echo "the merged partials' tables DIFFER from the direct run's ($bad tables)"
		problems=$((problems + 1))
	fi
fi
rm -f "$cache/gold.time" "$cache/gold.err"
[ "$problems" = 0 ] || { echo "bench: $problems problem(s) in the gold bench" >&2; exit 1; }
