#!/usr/bin/env bash
# backfill.sh FROM TO [make args...]: ingest a long range a day at a time,
# with make -j$(nproc). Resumable: make skips every hour already done, so
# rerun it after an interruption or a temporary failure.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 2 ]; then
	echo "usage: pipelines/backfill.sh FROM TO [DATA=dir] [GHA_BASE_URL=url] [make args...]" >&2
	exit 64
fi
from=$1 to=$2
shift 2
# make runs in $top: a relative DATA (argument or environment) means the
# caller's directory
absdir() {	# absdir DIR: made if need be, and its absolute path
	mkdir -p "$1" && (cd "$1" && pwd)
}
args=()
if [ -n "${DATA:-}" ]; then
	args+=("DATA=$(absdir "$DATA")")
fi
for a in "$@"; do
	case $a in
	DATA=*) args+=("DATA=$(absdir "${a#DATA=}")") ;;
	*) args+=("$a") ;;
	esac
done
make -s -C "$top" all
list=$("$top/build/bin/gha-fetch" -n "$from" "$to")
jobs=${JOBS:-$(nproc)}
# chunks of CHUNK hours (default a day), oldest first
chunk=${CHUNK:-24}
hours=()
while read -r h; do hours+=("$h"); done <<<"$list"
total=${#hours[@]}
for ((i = 0; i < total; i += chunk)); do
	first=${hours[i]}
	last=${hours[$((i + chunk - 1 < total - 1 ? i + chunk - 1 : total - 1))]}
	echo "backfill: $first .. $last ($((i / chunk + 1)) of $(((total + chunk - 1) / chunk)))" >&2
	make -s -C "$top" -j"$jobs" ingest FROM="$first" TO="$last" ${args[@]+"${args[@]}"}
done
