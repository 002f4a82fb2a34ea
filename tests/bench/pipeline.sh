#!/usr/bin/env bash
# pipeline.sh HOUR.json.gz: make ingest of BENCH_HOURS copies of the
# synthetic hour (default 4, at most 24) with -j BENCH_JOBS (default 2),
# next to the tools' own cost on the same hour in the same run: core
# seconds (user + system CPU, not wall time: the machine may be shared)
# per hour, the largest process's peak memory, the disk per hour of the
# layout, and a year (8,760 such hours) projected onto 16 cores; then
# the candidate codecs on one hour's bronze (tests/bench/codecs.c;
# BENCH_CODECS=0 leaves them out).
#
# The raw hours are put in place beforehand (no fetch: tests/bench/fetch.sh
# measures gha-fetch); make ingest then runs gha-bronze and gha-silver on
# each. The tools' own cost: gha-bronze on the hour, output to /dev/null,
# and gha-silver on it with every entity table, outputs to /dev/null
# (what the two tools need to do the work at all, nothing stored).
set -eu -o pipefail
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${GHA_BUILD:-$top/build}
bin=$build/bin
hour=$1
nh=${BENCH_HOURS:-4}
jobs=${BENCH_JOBS:-2}
case $nh in '' | *[!0-9]* | 0) echo "bench: BENCH_HOURS must be 1..24" >&2; exit 1 ;; esac
[ "$nh" -le 24 ] || nh=24
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
	echo "pipeline: not measured: no GNU time (/usr/bin/time) for CPU time and peak memory"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gha-bench-pipe.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# cpu CMD...: "core-seconds peak-KB" of CMD and every process it waited for
cpu() {
	/usr/bin/time -o "$TMP/time" -f '%U %S %M' "$@" >/dev/null 2>"$TMP/cpu.err" ||
		{ echo "bench: failed: $* ($(grep -v '^[0-9.]* [0-9.]* [0-9]*$' "$TMP/cpu.err" | head -c 300))" >&2; exit 1; }
	awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$TMP/time"
}

from=2024-05-21-0
to=2024-05-21-$((nh - 1))
D=$TMP/data
mkdir -p "$D/raw"
for ((i = 0; i < nh; i++)); do
	cp "$hour" "$D/raw/2024-05-21-$i.json.gz"
done
rawmb=$(stat -c %s "$hour" | awk '{ printf "%.1f", $1 / 1e6 }')

read -r b_cpu b_kb < <(cpu "$bin/gha-bronze" -q -r /dev/null -s /dev/null "$hour")
read -r s_cpu s_kb < <(cpu "$bin/gha-silver" -q -a /dev/null -R /dev/null -g /dev/null -C /dev/null \
	-s /dev/null "$hour")
read -r p_cpu p_kb < <(cpu make -s -C "$top" ingest FROM="$from" TO="$to" DATA="$D" -j"$jobs" \
	BUILD="$(basename "$build")" GHA_BIN="$bin")
own=$(awk -v a="$b_cpu" -v b="$s_cpu" 'BEGIN { printf "%.2f", a + b }')
per=$(awk -v p="$p_cpu" -v n="$nh" 'BEGIN { printf "%.2f", p / n }')

# the layout: du counts a file with two names (bronze linked to raw) once
du_mb() { du -sb "$@" | awk '{ s += $1 } END { printf "%.1f", s / 1e6 / n }' n="$nh"; }
raw_mb=$(du_mb "$D/raw")
all_mb=$(cd "$D" && du -sb raw bronze silver | awk '{ s += $1 } END { printf "%.1f", s / 1e6 / n }' n="$nh")
bronze_mb=$(cd "$D" && du -sb raw bronze | awk 'NR == 2 { printf "%.1f", $1 / 1e6 / n }' n="$nh")
silver_mb=$(du_mb "$D/silver")
linked=0
for ((i = 0; i < nh; i++)); do
	[ "$D/raw/2024-05-21-$i.json.gz" -ef "$D/bronze/2024-05-21-$i.ndjson.gz" ] && linked=$((linked + 1))
done
# silver as made equals gha-silver's own output (one hour checked)
problems=0
"$bin/gha-silver" -q "$hour" >"$TMP/direct.tsv"
if ! gzip -dc "$D/silver/2024-05-21-0.events.tsv.gz" | cmp -s - "$TMP/direct.tsv"; then
	echo "BUG: make ingest's silver events differ from gha-silver's own output" >&2
	problems=1
fi

echo "make ingest: $nh copies of the synthetic hour ($rawmb MB gzip), -j$jobs"
echo "core-seconds: user + system CPU; peak: the largest process's resident memory"
printf '%-52s %9s %9s\n' "" "core-s/h" "peak MB"
printf '%-52s %9.2f %9.1f\n' "gha-bronze HOUR.gz >/dev/null" "$b_cpu" "$(awk -v k="$b_kb" 'BEGIN { print k / 1024 }')"
printf '%-52s %9.2f %9.1f\n' "gha-silver HOUR.gz, every table, >/dev/null" "$s_cpu" "$(awk -v k="$s_kb" 'BEGIN { print k / 1024 }')"
printf '%-52s %9.2f\n' "the tools' own (the two above)" "$own"
printf '%-52s %9.2f %9.1f\n' "make ingest -j$jobs, per hour (all layers written)" "$per" "$(awk -v k="$p_kb" 'BEGIN { print k / 1024 }')"
printf '%-52s %8.2fx\n' "pipeline / tools' own" "$(awk -v p="$per" -v o="$own" 'BEGIN { print p / o }')"
echo "disk per hour: raw $raw_mb MB, bronze $bronze_mb MB more ($linked of $nh hours linked to raw)," \
	"silver $silver_mb MB; all layers $all_mb MB = $(awk -v a="$all_mb" -v r="$raw_mb" 'BEGIN { printf "%.2f", a / r }')x raw"
awk -v p="$per" 'BEGIN {
	core = 8760 * p / 3600
	printf "a year (8,760 such hours): %.1f core-hours; on 16 cores %.1f hours (%.2f days) of wall time\n",
		core, core / 16, core / 16 / 24 }'

# the codecs on one hour's bronze (its plain events), CPU seconds
if [ "${BENCH_CODECS:-1}" != 0 ]; then
	echo
	echo "codecs on one hour's bronze ($(awk -v b="$(gzip -dc "$hour" | wc -c)" 'BEGIN { printf "%.0f", b / 1e6 }') MB NDJSON): CPU s to write in 64 KB pieces, MB, CPU s to read back"
	zl=()
	if echo '#include <zstd.h>' | cc -x c -E - >/dev/null 2>&1; then zl=(-lzstd); fi
	cc -O2 -std=c11 -o "$TMP/codecs" "$top/tests/bench/codecs.c" -lz -lisal "${zl[@]}"
	gzip -dc "$hour" >"$TMP/bronze.ndjson"
	"$TMP/codecs" "$TMP/bronze.ndjson"
fi
exit "$problems"
