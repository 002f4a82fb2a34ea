#!/usr/bin/env bash
# slurm.sh FROM TO [--wait] [VAR=value ...] [sbatch options ...]: the
# hours FROM..TO on a Slurm cluster. One job array whose tasks each run
# pipelines/chunk.sh over a chunk of CHUNK hours (make ingest, and make
# gold for the days the chunk holds whole, with -j$SLURM_CPUS_PER_TASK),
# then a job that depends on it (afterany) and runs chunk.sh --finish:
# make gold over the range (the days cut by a chunk boundary, the 1d, 7d,
# 30d windows) and the summary, DATA/.chunks/summary (hours done, missing
# upstream, failed and why). --wait blocks until that job ends and exits
# with its status (0, or 1 when hours failed).
#
# Only chunks not complete are submitted, so a rerun after a cancelled or
# failed task does only what is left; the outputs are those of make
# ingest and make gold, byte for byte. Every job of a run is named
# gha-CKSUM (of DATA's path) with --dependency=singleton: Slurm itself
# keeps two runs on one DATA apart, on any filesystem.
#
# Options starting with '-' go to sbatch (--partition=P, --account=A,
# --time=T, --cpus-per-task=N, ...; give a value in the same word, or put
# sbatch options after --). DATA, the checkout and the tools must be at the
# same path on every node (a shared filesystem); the tools are built here,
# before submitting.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
usage() {
	echo "usage: pipelines/slurm.sh FROM TO [--wait] [DATA=dir] [CHUNK=24] [make args...] [sbatch options...]" >&2
	exit 64
}
[ $# -ge 2 ] || usage
case $1$2 in -*) usage ;; esac
from=$1 to=$2
shift 2
wait=0 data=${DATA:-data} chunk=${CHUNK:-24}
vars=() sopts=()
while [ $# -gt 0 ]; do
	case $1 in
	--wait) wait=1 ;;
	--) shift && sopts+=("$@") && break ;;
	-*) sopts+=("$1") ;;
	DATA=*) data=${1#DATA=} ;;
	CHUNK=*) chunk=${1#CHUNK=} ;;
	[A-Za-z_]*=*) vars+=("$1") ;;
	*) echo "slurm.sh: neither a make variable nor an sbatch option: '$1'" >&2 && usage ;;
	esac
	shift
done
command -v sbatch >/dev/null || { echo "slurm.sh: no sbatch here (is this a Slurm login node?)" >&2 && exit 69; }
mkdir -p "$data" || exit 74
data=$(cd "$data" && pwd)
state=$data/.chunks
mkdir -p "$state"
make -s -C "$top" --no-print-directory all ${vars[@]+"${vars[@]}"}

# the chunk's command line, quoted for sbatch --wrap's /bin/sh
q() {	# q WORD: WORD in single quotes
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
args=("$from" "$to" "DATA=$data" "CHUNK=$chunk" ${vars[@]+"${vars[@]}"})
cmd="exec bash $(q "$top/pipelines/chunk.sh")"
for a in "${args[@]}"; do cmd="$cmd $(q "$a")"; done

# chunk.sh --plan: "chunks N", then the numbers of those not complete
plan=$(bash "$top/pipelines/chunk.sh" --plan "${args[@]}")
nall=$(head -n 1 <<<"$plan" | cut -d' ' -f2)
todo=$(tail -n +2 <<<"$plan")
name=gha-$(printf '%s' "$data" | cksum | cut -d' ' -f1)
if [ -n "$(squeue -h -n "$name" -o %i 2>/dev/null | head -n 1)" ]; then
	echo "slurm.sh: a run on $data is still queued or running (jobs named $name): this one starts after it" >&2
fi

# one array job per MAXARRAY chunk numbers (Slurm's MaxArraySize, 1001
# by default, bounds the index, not the count): the task adds the base
ids=""
maxarr=${GHA_SLURM_MAX_ARRAY:-1000}
if [ -n "$todo" ]; then
	for base in $(awk -v m="$maxarr" '{ print int($1 / m) * m }' <<<"$todo" | uniq); do
		# the indexes of this base, as ranges a-b
		spec=$(awk -v b="$base" -v m="$maxarr" '$1 >= b && $1 < b + m { i = $1 - b
			if (n && i == hi + 1) { hi = i; next }
			if (n) s = s (s != "" ? "," : "") (lo == hi ? lo : lo "-" hi)
			lo = hi = i; n++ }
			END { if (n) s = s (s != "" ? "," : "") (lo == hi ? lo : lo "-" hi); print s }' <<<"$todo")
		id=$(sbatch --parsable --job-name="$name" --dependency=singleton --requeue \
			--array="$spec" --export=ALL,GHA_CHUNK_BASE="$base" \
			--output="$state/slurm-%A_%a.out" ${sopts[@]+"${sopts[@]}"} --wrap="$cmd")
		ids="$ids:${id%%;*}"
	done
fi
n=$(grep -c . <<<"$todo" || true)
echo "slurm.sh: $n of $nall chunks of $chunk hours to run${ids:+ (array job${ids//:/ })}" >&2

fin=(--parsable --job-name="$name" --dependency="${ids:+afterany$ids,}singleton"
	--output="$state/slurm-%j.out")
fcmd="exec bash $(q "$top/pipelines/chunk.sh") --finish"
for a in "${args[@]}"; do fcmd="$fcmd $(q "$a")"; done
if [ "$wait" = 0 ]; then
	id=$(sbatch "${fin[@]}" ${sopts[@]+"${sopts[@]}"} --wrap="$fcmd")
	echo "slurm.sh: final job ${id%%;*}: gold over the range and $state/summary" >&2
	exit 0
fi
rc=0
: >"$state/submitted.$$"
sbatch "${fin[@]}" --wait ${sopts[@]+"${sopts[@]}"} --wrap="$fcmd" >"$state/final.id.$$" || rc=$?
echo "slurm.sh: final job $(cut -d';' -f1 "$state/final.id.$$"): exit $rc" >&2
if [ "$state/summary" -nt "$state/submitted.$$" ]; then
	cat "$state/summary" >&2
else
	echo "slurm.sh: the final job wrote no summary (see $state/slurm-*.out)" >&2
fi
rm -f "$state/final.id.$$" "$state/submitted.$$"
exit "$rc"
