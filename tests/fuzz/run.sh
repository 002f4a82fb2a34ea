#!/bin/sh
# run.sh MODE N BUILD BIN...: run libFuzzer targets one after the other.
#   smoke N: the seeds, then N mutations (-runs=N, fixed -seed): bounded by
#            count, not time, so make check does the same work everywhere
#   time N:  N seconds each, growing BUILD/corpus/NAME across runs
# Ends with one line per target: executions, executions a second (of
# wall-clock and of CPU time), coverage, corpus size, peak memory, findings. A finding (crash, leak,
# timeout, memory blow-up) is saved under BUILD/findings/ and fails the run.
# The library's own warnings are silenced (-close_fd_mask=2); the
# sanitizers' reports are not.
set -eu
# ASan keeps 256 MB of freed blocks from reuse by default: each input's
# allocations then land in fresh pages (a page fault each), and memory
# grows to the limit. 16 MB still holds every block freed while one input
# runs, so a use after free inside an input is still caught.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=16}"
mode=$1 n=$2 build=$3
shift 3
here=$(dirname "$0")
mkdir -p "$build/findings" "$build/logs"
summary="" failed=0
cpu() {	# CPU seconds of the children, from times run in this shell
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"
}
now() {
	date +%s.%N
}
rate() {	# runs, from, to
	awk -v r="${1:-0}" -v a="$2" -v b="$3" 'BEGIN { printf "%d", (b > a ? r / (b - a) : 0) }'
}
nfound() {	# files saved under findings/ for target $1
	k=0
	for f in "$build/findings/$1"-*; do
		[ -e "$f" ] && k=$((k + 1))
	done
	echo "$k"
}
for bin in "$@"; do
	name=${bin##*/}
	short=${name#fuzz_}
	seeds="$here/corpus/$short"
	[ -d "$seeds" ] || { echo "fuzz: $name: no seed corpus $seeds" >&2; exit 1; }
	set -- -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -close_fd_mask=2 \
		"-artifact_prefix=$build/findings/$name-"
	[ -f "$here/$short.dict" ] && set -- "$@" "-dict=$here/$short.dict"
	# NAME.options: more libFuzzer flags for one target, e.g. -max_len (by
	# default the largest seed: a 1 MB input fuzzes no better than an
	# event's few kilobytes, at a tenth of the speed)
	# shellcheck disable=SC2046 # one flag a word
	[ -f "$here/$short.options" ] && set -- "$@" $(cat "$here/$short.options")
	if [ "$mode" = smoke ]; then
		work=$(mktemp -d "${TMPDIR:-/tmp}/gha-fuzz.XXXXXX")
		set -- "$@" -runs="$n" -seed=1
	else
		work="$build/corpus/$short"
		mkdir -p "$work"
		set -- "$@" -max_total_time="$n"
	fi
	log="$build/logs/$name.log"
	before=$(nfound "$name")
	rc=0
	times >"$build/logs/.times0"
	t0=$(now)
	"$bin" "$@" "$work" "$seeds" >"$log" 2>&1 || rc=$?
	t1=$(now)
	times >"$build/logs/.times1"
	cpu0=$(cpu "$build/logs/.times0") cpu1=$(cpu "$build/logs/.times1")
	[ "$mode" = smoke ] && rm -rf "$work"
	after=$(nfound "$name")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	# per CPU second too: on a shared machine wall-clock rates understate
	eps=$(rate "$runs" "$t0" "$t1") cpueps=$(rate "$runs" "$cpu0" "$cpu1")
	found=$((after - before))
	[ "$rc" -eq 0 ] || [ "$found" -gt 0 ] || found=1
	line=$(printf '%-16s %9s runs %6s exec/s %6s/cpu-s  cov %4s  corpus %4s  peak %4s MB  findings %s' \
		"$name" "${runs:-?}" "${eps:-?}" "$cpueps" "${cov:-?}" "${corp:-?}" "${rss:-?}" "$found")
	echo "$line"
	summary="$summary$line
"
	if [ "$found" -gt 0 ]; then
		failed=1
		echo "fuzz: $name: finding (exit $rc); the log, $log, ends:" >&2
		tail -n 40 "$log" >&2
	fi
done
printf 'fuzz %s %s:\n%s' "$mode" "$n" "$summary"
exit "$failed"
