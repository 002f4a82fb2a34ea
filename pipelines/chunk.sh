#!/usr/bin/env bash
# chunk.sh: one piece of a cluster run over FROM..TO, whatever the
# scheduler (pipelines/slurm.sh submits it as a Slurm job array,
# pipelines/k8s/ as a Kubernetes Indexed Job). The hours of the range are
# cut into chunks of CHUNK hours (default 24), numbered from 0.
#
#   chunk.sh FROM TO [VAR=value ...]           run chunk $GHA_CHUNK, else
#                                              $SLURM_ARRAY_TASK_ID (plus
#                                              GHA_CHUNK_BASE), else
#                                              $JOB_COMPLETION_INDEX
#   chunk.sh --plan FROM TO [VAR=value ...]    "chunks N", then the numbers
#                                              of those not complete yet
#   chunk.sh --finish FROM TO [VAR=value ...]  gold over the range, then
#                                              the run's summary
#
# A chunk runs make ingest over its hours, then make gold (partials and
# day tables, no windows) for the days whose hours of the range all lie in
# it; --finish runs make gold over the whole range (days cut by a chunk
# boundary, the windows) and writes DATA/.chunks/summary. Every output is
# made by those make rules (temporary name, rename), so a chunk killed at
# any moment and run again gives the same bytes.
#
# Locks: within one run the chunks' hours and days are disjoint, so a
# chunk runs make with a lock of its own (INGEST_LOCK, GOLD_LOCK on local
# disk) instead of DATA's, which would make the chunks take turns. It
# holds DATA/.ingest.lock and DATA/.gold.lock shared instead: a make
# ingest or make gold run by hand on DATA (which takes them exclusive)
# waits for the chunks, where flock works across nodes (NFSv4, NFSv3 with
# lockd, Lustre mounted -o flock, GPFS, BeeGFS). Two runs of chunks on
# one DATA are kept apart by the scheduler: slurm.sh by a singleton job
# name, k8s by the Job's fixed name.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
usage() {
	echo "usage: pipelines/chunk.sh [--plan|--finish] FROM TO [DATA=dir] [CHUNK=24] [make args...]" >&2
	exit 64
}
mode=run
case ${1:-} in
--plan | --finish) mode=${1#--} && shift ;;
-*) usage ;;
esac
[ $# -ge 2 ] || usage
from=$1 to=$2
shift 2

# make variables: DATA made absolute (a relative one is the caller's
# directory), CHUNK ours; -j and the like are refused (the chunk sets -j)
data=${DATA:-data} chunk=${CHUNK:-24} retry=0
vars=()
for a in "$@"; do
	case $a in
	DATA=*) data=${a#DATA=} ;;
	CHUNK=*) chunk=${a#CHUNK=} ;;
	[A-Za-z_]*=*)
		vars+=("$a")
		[ "$a" != RETRY_MISSING=1 ] || retry=1
		;;
	*) echo "chunk.sh: not a make variable: '$a'" >&2 && usage ;;
	esac
done
case $chunk in '' | *[!0-9]* | 0) echo "chunk.sh: CHUNK must be a number of hours: '$chunk'" >&2 && exit 64 ;; esac
mkdir -p "$data" || exit 74
data=$(cd "$data" && pwd)
vars=("DATA=$data" ${vars[@]+"${vars[@]}"})
mk() {	# mk TARGET [args]: make in the source tree with the run's variables
	make -s -C "$top" --no-print-directory "${vars[@]}" "$@"
}

# the tools: the build's, or GHA_BIN's (built once before submitting: the
# chunks never build, they would race on a shared tree)
bin=$top/build/bin
for v in "${vars[@]}"; do
	case $v in
	BUILD=*) bin=$top/${v#BUILD=}/bin ;;
	esac
done
for v in "${vars[@]}"; do
	case $v in
	GHA_BIN=*) bin=${v#GHA_BIN=} ;;
	esac
done
[ -x "$bin/gha-fetch" ] || { echo "chunk.sh: no $bin/gha-fetch (run make first)" >&2 && exit 69; }

list=$("$bin/gha-fetch" -n "$from" "$to") || exit 64
mapfile -t hours <<<"$list"
total=${#hours[@]}
nchunks=$(((total + chunk - 1) / chunk))
state=$data/.chunks
mkdir -p "$state"

# chunk_range I: sets first, last (hours) and lo, hi (indexes) of chunk I
chunk_range() {
	lo=$(($1 * chunk))
	hi=$((lo + chunk - 1 < total - 1 ? lo + chunk - 1 : total - 1))
	first=${hours[lo]} last=${hours[hi]}
}
# whole_days I: the days all of whose hours in the range are in chunk I,
# as "FIRSTDAY LASTDAY" (they are consecutive), or nothing
whole_days() {
	chunk_range "$1"
	local d0=${first%-*} d1=${last%-*}
	# the first day is whole unless the chunk before holds some of it
	if [ "$lo" -gt 0 ] && [ "${hours[lo - 1]%-*}" = "$d0" ]; then
		d0=$(date -u -d "$d0 + 1 day" +%F)
	fi
	if [ "$hi" -lt $((total - 1)) ] && [ "${hours[hi + 1]%-*}" = "$d1" ]; then
		d1=$(date -u -d "$d1 - 1 day" +%F)
	fi
	[[ $d0 > $d1 ]] || echo "$d0 $d1"
}

# chunk_end: the EXIT trap of a chunk: records how it ended (rcfile)
chunk_end() {
	local rc=$?
	if [ -n "$why" ] && [ "$rc" = 0 ]; then rc=1; fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$first" "$last" "$rc" "$started" "${why:-exit $rc}" >"$rcfile.tmp.$$" &&
		mv "$rcfile.tmp.$$" "$rcfile"
	rm -rf "$scratch"
}

case $mode in
plan)
	# a chunk is complete when each of its hours has silver or is
	# missing upstream (make status says which), and each of its whole
	# days with silver has its gold partial
	mk status FROM="$from" TO="$to" >"$state/plan.status.$$" ||
		{ rm -f "$state/plan.status.$$" && exit 74; }
	declare -A done_h=()
	while read -r h r _ _ _ s _; do
		if [ "$s" = yes ] || { [ "$r" = missing ] && [ "$retry" = 0 ]; }; then done_h[$h]=1; fi
	done < <(tail -n +2 "$state/plan.status.$$")
	rm -f "$state/plan.status.$$"
	echo "chunks $nchunks"
	for ((i = 0; i < nchunks; i++)); do
		chunk_range "$i"
		ok=1
		for ((k = lo; k <= hi; k++)); do
			[ -n "${done_h[${hours[k]}]:-}" ] || { ok=0 && break; }
		done
		if [ "$ok" = 1 ] && w=$(whole_days "$i") && [ -n "$w" ]; then
			for d in $(seq 0 $((($(date -u -d "${w#* }" +%s) - $(date -u -d "${w% *}" +%s)) / 86400))); do
				day=$(date -u -d "${w% *} + $d day" +%F)
				if compgen -G "$data/silver/$day-*.events.tsv.gz" >/dev/null &&
					[ ! -f "$data/gold/partial/$day.part" ]; then
					ok=0
				fi
			done
		fi
		[ "$ok" = 1 ] || echo "$i"
	done
	exit 0
	;;

run)
	i=${GHA_CHUNK:-}
	if [ -z "$i" ] && [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
		i=$((${GHA_CHUNK_BASE:-0} + SLURM_ARRAY_TASK_ID))
	fi
	i=${i:-${JOB_COMPLETION_INDEX:-}}
	case $i in '' | *[!0-9]*) echo "chunk.sh: no chunk index (GHA_CHUNK, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)" >&2 && exit 64 ;; esac
	if [ "$i" -ge "$nchunks" ]; then
		echo "chunk.sh: chunk $i: the range has $nchunks chunks of $chunk hours" >&2
		exit 64
	fi
	chunk_range "$i"
	jobs=${SLURM_CPUS_PER_TASK:-${JOBS:-$(nproc)}}
	# the chunk's status, for the summary: written at any exit (a
	# cancelled chunk gets SIGTERM first), by rename
	rcfile=$state/$i.rc
	started=$(date -u +%FT%TZ)
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/gha-chunk.XXXXXX")
	why=""
	trap chunk_end EXIT
	trap 'why="killed by SIGTERM (cancelled, preempted or out of time)"; exit 143' TERM
	trap 'why="interrupted"; exit 130' INT
	rm -f "$rcfile"
	echo "chunk $i of $nchunks: $first .. $last on $(hostname) with -j$jobs" >&2
	exec 7<>"$data/.ingest.lock" 8<>"$data/.gold.lock"
	flock -s 7 && flock -s 8 ||
		echo "chunk.sh: no flock on $data: a make run by hand on it is not kept out" >&2
	rc=0
	mk -j"$jobs" ingest FROM="$first" TO="$last" INGEST_LOCK="$scratch/ingest.lock" || rc=$?
	if w=$(whole_days "$i") && [ -n "$w" ]; then
		mk -j"$jobs" gold FROM="${w% *}" TO="${w#* }" GOLD_WINDOWS= GOLD_LOCK="$scratch/gold.lock" || rc=$?
	fi
	exit "$rc"
	;;

finish)
	jobs=${SLURM_CPUS_PER_TASK:-${JOBS:-$(nproc)}}
	grc=0
	mk -j"$jobs" gold FROM="$from" TO="$to" 2>"$state/gold.err.$$" || grc=$?
	cat "$state/gold.err.$$" >&2
	mk status FROM="$from" TO="$to" >"$state/status.$$" || grc=${grc/#0/74}
	sum=$state/summary.tmp.$$
	# hours: done (silver), missing upstream, failed (with make status's
	# note, which starts at column 61)
	rc=0
	awk -v from="$from" -v to="$to" -v strict="$(printf '%s\n' "${vars[@]}" | grep -c '^STRICT=1$' || true)" \
		-v failed="$state/failed.$$" '
	NR == 1 { next }
	{
		h = $1; n++
		if ($6 == "yes") ndone++
		else if ($2 == "missing") { nmiss++; miss = miss " " h }
		else {
			nfail++
			note = substr($0, 61)
			if (note == "") note = "not built"
			fail = fail sprintf("failed %s: %s\n", h, note)
			print h > failed
		}
	}
	END {
		printf "hours %s..%s: %d, done %d, missing upstream %d, failed %d\n", from, to, n, ndone, nmiss, nfail
		if (nmiss) printf "missing upstream:%s\n", miss
		printf "%s", fail
		exit (nfail > 0 || (strict > 0 && nmiss > 0)) ? 1 : 0
	}' "$state/status.$$" >"$sum" || rc=$?
	# the chunks holding failed hours, and how each ended
	touch "$state/failed.$$"
	for ((i = 0; i < nchunks; i++)); do
		chunk_range "$i"
		printf '%s\n' "${hours[@]:lo:hi-lo+1}" | grep -qxFf "$state/failed.$$" || continue
		f=$state/$i.rc
		if [ ! -f "$f" ]; then
			echo "chunk $i ($first..$last): no end recorded (never ran, or its node was lost)"
		elif IFS=$'\t' read -r a b _ _ cwhy <"$f" && [ "$a $b" = "$first $last" ]; then
			echo "chunk $i ($first..$last): $cwhy"
		else
			echo "chunk $i ($first..$last): no end recorded for this chunking (CHUNK changed?)"
		fi
	done >>"$sum"
	if [ "$grc" = 0 ]; then
		echo "gold: ok" >>"$sum"
	else
		echo "gold: make gold exited $grc: $(tail -n 1 "$state/gold.err.$$")" >>"$sum"
	fi
	rm -f "$state/status.$$" "$state/gold.err.$$" "$state/failed.$$"
	mv "$sum" "$state/summary"
	cat "$state/summary"
	[ "$grc" = 0 ] || exit "$grc"
	exit "$rc"
	;;
esac
