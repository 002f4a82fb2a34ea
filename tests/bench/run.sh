#!/usr/bin/env bash
# run.sh: make bench. Throughput of gha-bronze and gha-silver on a large
# synthetic hour (tests/bench/gen.c), next to zcat and jq measured in the
# same run on the same file; then gha-fetch (fetch.sh). Best of RUNS wall
# times (jq once: it is slow). BENCH_EVENTS=N for a smaller hour.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${GHA_BUILD:-$top/build}
bin=$build/bin
cache=$build/bench
events=${BENCH_EVENTS:-200000}
runs=${RUNS:-3}
mkdir -p "$cache"

# the hour is made once per generator version and size
sum=$(cksum <"$top/tests/bench/gen.c" | cut -d' ' -f1)
hour=$cache/hour-$sum-$events.json
if [ ! -s "$hour.gz" ]; then
	rm -f "$cache"/hour-*
	cc -O2 -std=c11 -Wall -Wextra -o "$cache/gen" "$top/tests/bench/gen.c"
	echo "generating a synthetic hour of $events events ..." >&2
	"$cache/gen" "$events" >"$hour.tmp"
	mv "$hour.tmp" "$hour"
	gzip -6 -c "$hour" >"$hour.gz.tmp"
	mv "$hour.gz.tmp" "$hour.gz"
fi
[ -s "$hour" ] || gzip -dc "$hour.gz" >"$hour"
mb=$(stat -c %s "$hour" | awk '{ printf "%.1f", $1 / 1e6 }')
gzmb=$(stat -c %s "$hour.gz" | awk '{ printf "%.1f", $1 / 1e6 }')
n=$(wc -l <"$hour" | tr -d ' ')

best() {	# best N CMD: the least wall time of N runs, in seconds
	local k=$1 b="" t0 t1 t i
	shift
	for ((i = 0; i < k; i++)); do
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		t=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
		if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then b=$t; fi
	done
	echo "$b"
}
base_rate=""
row() {	# row NAME MB EVENTS RUNS CMD...
	local name=$1 m=$2 e=$3 k=$4 t rate
	shift 4
	t=$(best "$k" "$@")
	rate=$(echo "$m $t" | awk '{ print $1 / $2 }')
	[ -n "$base_rate" ] || base_rate=$rate
	printf '%-44s %7.3f %9.1f %12.0f %8.2fx\n' "$name" "$t" "$rate" \
		"$(echo "$e $t" | awk '{ print $1 / $2 }')" \
		"$(echo "$rate $base_rate" | awk '{ print $1 / $2 }')"
}
header() {
	echo
	echo "$1"
	printf '%-44s %7s %9s %12s %9s\n' command seconds MB/s events/s "MB/s vs 1st"
	base_rate=""
}
peak_kb() {	# peak resident KB of a command (getrusage of the child)
	python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

echo "synthetic hour: $n events, $mb MB uncompressed, $gzmb MB gzip -6 ($(nproc) cores)"
echo "MB/s is uncompressed MB per second; best of $runs runs (jq: one run)"

header "raw events: inflate, validate, de-duplicate, write byte for byte"
row "zcat FILE.gz >/dev/null" "$mb" "$n" "$runs" zcat "$hour.gz"
row "gha-bronze FILE.gz >/dev/null" "$mb" "$n" "$runs" "$bin/gha-bronze" -q "$hour.gz"
row "gha-bronze FILE >/dev/null (plain)" "$mb" "$n" "$runs" "$bin/gha-bronze" -q "$hour"
row "jq -c . FILE >/dev/null (plain, one run)" "$mb" "$n" 1 jq -c . "$hour"
echo "bytes out of gha-bronze: $("$bin/gha-bronze" -q "$hour.gz" | wc -c | tr -d ' ')," \
	"bytes in: $(stat -c %s "$hour")"

header "typed TSV: the events table"
row "zcat FILE.gz >/dev/null" "$mb" "$n" "$runs" zcat "$hour.gz"
row "gha-silver FILE.gz (raw to TSV)" "$mb" "$n" "$runs" "$bin/gha-silver" -q "$hour.gz"
pipe() { "$bin/gha-bronze" -q "$hour.gz" | "$bin/gha-silver" -q; }
row "gha-bronze FILE.gz | gha-silver" "$mb" "$n" "$runs" pipe
row "gha-silver FILE (plain)" "$mb" "$n" "$runs" "$bin/gha-silver" -q "$hour"
jqtsv='[.id, .type, .created_at, .actor.id, .actor.login, .repo.id, .repo.name, .org.id,
	.org.login, .public, .payload.action, .payload.ref, .payload.size,
	.payload.pull_request.number, .payload.issue.number] | @tsv'
row "jq -r '[15 fields] | @tsv' FILE (one run)" "$mb" "$n" 1 jq -r "$jqtsv" "$hour"
echo "peak RSS: gha-silver FILE.gz $(peak_kb "$bin/gha-silver" -q "$hour.gz") KB;" \
	"with all entity tables $(peak_kb "$bin/gha-silver" -q -a /dev/null -R /dev/null -O /dev/null -C /dev/null "$hour.gz") KB;" \
	"gha-bronze FILE.gz $(peak_kb "$bin/gha-bronze" -q "$hour.gz") KB"

echo
bash "$top/tests/bench/fetch.sh"
