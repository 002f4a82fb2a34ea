#!/usr/bin/env bash
# run.sh: make bench. Throughput of gha-bronze and gha-silver on a large
# synthetic hour (tests/bench/gen.c), next to zcat and jq measured in the
# same run on the same file (with -f: the fast filter path, libjq alone
# and jq's select); then make ingest of several copies of the hour next
# to the tools' own CPU time (pipeline.sh), gha-fetch (fetch.sh),
# gha-load next to psql's \copy (load.sh), gha-gold next to DuckDB
# (gold.sh) and gha-kmeans next to scikit-learn (kmeans.sh).
#
# Each row is the best wall time of up to BENCH_RUNS runs (default 3); a
# row stops early when one more run would take it past BENCH_ROW_SECS
# (default 60): on a slow machine the jq baselines, which take 10-20 s a
# run here, get fewer runs on the whole file rather than a slice. The runs
# column says how many were made.
#
#   BENCH_EVENTS=N     events in the synthetic hour (default 200000, ~700 MB)
#   BENCH_RUNS=N       runs per row (default 3)
#   BENCH_ROW_SECS=S   time budget per row (default 60; large: always N runs)
#
# The hour is generated once into $GHA_BUILD/bench, keyed by the checksum
# of gen.c and the event count, and reused while those stay the same.
set -eu -o pipefail
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${GHA_BUILD:-$top/build}
bin=$build/bin
cache=$build/bench
events=${BENCH_EVENTS:-200000}
runs=${BENCH_RUNS:-3}
rowsecs=${BENCH_ROW_SECS:-60}

die() {
	echo "bench: $*" >&2
	exit 1
}
case $events in '' | *[!0-9]* | 0) die "BENCH_EVENTS must be a positive integer, not '$events'" ;; esac
case $runs in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$runs'" ;; esac
case $rowsecs in '' | *[!0-9.]*) die "BENCH_ROW_SECS must be a number, not '$rowsecs'" ;; esac
for t in gha-bronze gha-silver; do
	[ -x "$bin/$t" ] || die "no $bin/$t: run make first"
done
mkdir -p "$cache"

# ---- the synthetic hour, made once per generator version and size ----
gen=$cache/gen
if [ ! -x "$gen" ] || [ "$top/tests/bench/gen.c" -nt "$gen" ]; then
	cc -O2 -std=c11 -Wall -Wextra -o "$gen.tmp" "$top/tests/bench/gen.c"
	mv "$gen.tmp" "$gen"
fi
sum=$(cksum <"$top/tests/bench/gen.c" | cut -d' ' -f1)
hour=$cache/hour-$sum-$events.json
if [ ! -s "$hour" ] || [ ! -s "$hour.gz" ]; then
	rm -f "$cache"/hour-* "$cache"/slice.json
	echo "generating a synthetic hour of $events events ..." >&2
	"$gen" "$events" >"$hour.tmp"
	mv "$hour.tmp" "$hour"
	if command -v pigz >/dev/null; then zip=(pigz -6); else zip=(gzip -6); fi
	echo "compressing it with ${zip[*]} ..." >&2
	"${zip[@]}" -c "$hour" >"$hour.gz.tmp"
	mv "$hour.gz.tmp" "$hour.gz"
fi
bytes=$(stat -c %s "$hour")
gzbytes=$(stat -c %s "$hour.gz")
n=$(wc -l <"$hour" | tr -d ' ')
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
gzmb=$(awk -v b="$gzbytes" 'BEGIN { printf "%.1f", b / 1e6 }')

# ---- gha-bronze must take every generated event, byte for byte ----
problems=0
stats=$cache/check.stats.json
rej=$cache/check.rejects.json
rc=0
"$bin/gha-bronze" -q -s "$stats" -r "$rej" "$hour.gz" >/dev/null || rc=$?
rejected=$(jq -r '.rejected' "$stats" 2>/dev/null || echo "?")
if [ "$rc" -ne 0 ] || [ "$rejected" != 0 ]; then
	echo "BUG: gha-bronze exited $rc and rejected $rejected of $n generated events;" \
		"the first rejects (from $rej):" >&2
	head -n 3 "$rej" | cut -c1-600 >&2
	problems=$((problems + 1))
else
	rm -f "$stats" "$rej"
fi

# ---- timing ----
# time_row CMD...: sets best (seconds, the least of the runs) and nrun
time_row() {
	local t0 t1 t sum=0 i
	best=""
	nrun=0
	for ((i = 0; i < runs; i++)); do
		if [ "$nrun" -gt 0 ] && awk -v s="$sum" -v t="$best" -v c="$rowsecs" \
			'BEGIN { exit !(s + t > c) }'; then
			break
		fi
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>"$cache/row.err" || die "failed ($?): $* (stderr: $(head -c 300 "$cache/row.err"))"
		t1=$EPOCHREALTIME
		t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		sum=$(awk -v s="$sum" -v t="$t" 'BEGIN { print s + t }')
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
		fi
		nrun=$((nrun + 1))
	done
}
zcat_rate=""
# row NAME CMD...: one line of the table
row() {
	local name=$1 rate
	shift
	time_row "$@"
	rate=$(awk -v m="$mb" -v t="$best" 'BEGIN { print m / t }')
	[ -n "$zcat_rate" ] || zcat_rate=$rate
	printf '%-40s %4d %8.3f %8.1f %10.0f %7.2fx\n' "$name" "$nrun" "$best" "$rate" \
		"$(awk -v e="$n" -v t="$best" 'BEGIN { print e / t }')" \
		"$(awk -v r="$rate" -v z="$zcat_rate" 'BEGIN { print r / z }')"
}
header() {
	echo
	echo "$1"
	printf '%-40s %4s %8s %8s %10s %8s\n' command runs seconds MB/s events/s "vs zcat"
}
# peak resident set size of a command, in KB, or a sentence saying why not
peak_rss() {
	local pid kb=0 v
	if /usr/bin/time -f %M true >/dev/null 2>&1; then
		/usr/bin/time -o "$cache/rss" -f %M "$@" >/dev/null 2>&1 || true
		echo "$(tail -n 1 "$cache/rss") KB"
	elif [ -r /proc/self/status ]; then
		"$@" >/dev/null 2>&1 &
		pid=$!
		while v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) && [ -n "$v" ]; do
			kb=$v
			sleep 0.01
		done
		wait "$pid" || true
		echo "$kb KB (VmHWM polled: a lower bound)"
	else
		echo "(not measured: no GNU time, no /proc)"
	fi
}

echo "synthetic hour: $n events, $mb MB uncompressed, $gzmb MB gzip -6 ($(nproc) cores)"
echo "MB/s: uncompressed MB per second; seconds: the best of 'runs' wall times;"
echo "vs zcat: throughput relative to zcat FILE.gz >/dev/null"

header "raw events: inflate, validate, de-duplicate, write byte for byte"
row "zcat FILE.gz >/dev/null" zcat "$hour.gz"
row "gha-bronze FILE.gz >/dev/null" "$bin/gha-bronze" -q "$hour.gz"
row "gha-bronze FILE >/dev/null (plain)" "$bin/gha-bronze" -q "$hour"
row "jq -c . FILE >/dev/null (plain)" jq -c . "$hour"

out=$("$bin/gha-bronze" -q "$hour.gz" | wc -c | tr -d ' ')
if [ "$out" = "$bytes" ]; then
	echo "gha-bronze FILE.gz | wc -c: $out bytes out, $bytes in: equal"
else
	echo "gha-bronze FILE.gz | wc -c: $out bytes out, $bytes in: DIFFERENT"
	problems=$((problems + 1))
fi
echo "peak RSS of gha-bronze FILE.gz: $(peak_rss "$bin/gha-bronze" -q "$hour.gz")"

# ---- --filter: the fast path (lib/fastfilter.c) next to libjq and jq ----
repo=$(grep -m 1 '"type":"PushEvent"' "$hour" | jq -r .repo.name)
flt=".type == \"PushEvent\" and .repo.name == \"$repo\""
header "filters: gha-bronze -f '$flt'"
row "gha-bronze FILE.gz (no filter)" "$bin/gha-bronze" -q "$hour.gz"
nofilter=$best
row "gha-bronze -f FILTER FILE.gz (fast path)" "$bin/gha-bronze" -q -f "$flt" "$hour.gz"
fast=$best
libjq_row() { GHA_JQ_FAST=0 "$bin/gha-bronze" -q -f "$flt" "$hour.gz"; }
row "GHA_JQ_FAST=0 gha-bronze -f FILTER (libjq)" libjq_row
slow=$best
jq_select() { zcat "$hour.gz" | jq -c "select($flt)"; }
row "zcat FILE.gz | jq -c 'select(FILTER)'" jq_select
jqsel=$best
flt2='.actor.login | ascii_downcase | startswith("dependabot")'
row "gha-bronze -f '.actor.login | ascii_downcase | startswith(...)'" "$bin/gha-bronze" -q -f "$flt2" "$hour.gz"
echo "$("$bin/gha-bronze" --explain-filter -f "$flt" | cut -d'(' -f1)for FILTER ($repo)"
awk -v n="$nofilter" -v f="$fast" -v s="$slow" -v j="$jqsel" 'BEGIN {
	printf "filtered / unfiltered: fast path %.2fx, libjq %.2fx; jq select takes %.1fx the fast path\n",
		f / n, s / n, j / f }'
kept=$("$bin/gha-bronze" -q -f "$flt" "$hour.gz" | wc -l | tr -d ' ')
want=$(jq_select | wc -l | tr -d ' ')
if [ "$kept" = "$want" ]; then
	echo "events kept: $kept, as jq's select"
else
	echo "events kept: $kept, jq's select keeps $want: DIFFERENT"
	problems=$((problems + 1))
fi

header "typed TSV: the events table"
row "gha-silver FILE.gz (raw to TSV)" "$bin/gha-silver" -q "$hour.gz"
pipe() { "$bin/gha-bronze" -q "$hour.gz" | "$bin/gha-silver" -q; }
row "gha-bronze FILE.gz | gha-silver" pipe
row "gha-silver FILE (plain)" "$bin/gha-silver" -q "$hour"
jqtsv='[.id, .type, .created_at, .actor.id, .actor.login, .repo.id, .repo.name, .org.id,
	.org.login, .public, .payload.action, .payload.ref, .payload.size,
	.payload.pull_request.number, .payload.issue.number] | @tsv'
row "jq -r '[15 fields] | @tsv' FILE" jq -r "$jqtsv" "$hour"
echo "peak RSS of gha-silver FILE.gz: $(peak_rss "$bin/gha-silver" -q "$hour.gz");" \
	"with every entity table: $(peak_rss "$bin/gha-silver" -q -a /dev/null -R /dev/null \
		-O /dev/null -C /dev/null "$hour.gz")"
rm -f "$cache/row.err" "$cache/rss"

echo
bash "$top/tests/bench/pipeline.sh" "$hour.gz" || problems=$((problems + 1))

echo
bash "$top/tests/bench/fetch.sh"

echo
bash "$top/tests/bench/load.sh" "$hour.gz"

bash "$top/tests/bench/gold.sh" "$hour.gz" || problems=$((problems + 1))

bash "$top/tests/bench/kmeans.sh" || problems=$((problems + 1))

if [ "$problems" -gt 0 ]; then
	echo "bench: $problems problem(s) above" >&2
	exit 1
fi
