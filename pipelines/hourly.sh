#!/usr/bin/env bash
# hourly.sh [make args...]: the cron entry. Ingests every hour after the
# newest one already ingested up to the last hour GH Archive should have
# published (two hours ago). It looks back LOOKBACK_HOURS (default 168)
# before the newest hour too, and runs make -k: an hour that failed is
# retried on every run, never skipped for good, and does not hold up the
# hours after it (make skips the done ones at the cost of a stat).
# Under a lock: two runs never overlap.
# Start with GHA_START=YYYY-MM-DD-H when nothing is ingested yet.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$top/data}
for a in "$@"; do
	case $a in DATA=*) data=${a#DATA=} ;; esac
done
mkdir -p "$data"
exec 9>"$data/.hourly.lock"
if ! flock -n 9; then
	echo "hourly: another run holds $data/.hourly.lock" >&2
	exit 75
fi
make -s -C "$top" all
fetch=$top/build/bin/gha-fetch
# the newest hour with a silver table, by time, not by name
newest=""
if [ -d "$data/silver" ]; then
	newest=$(find "$data/silver" -name '*.events.tsv.gz' -printf '%f\n' |
		sed 's/\.events\.tsv\.gz$//' | sort -t- -k1,1n -k2,2n -k3,3n -k4,4n | tail -n 1)
fi
if [ -n "$newest" ]; then
	d=${newest%-*}
	from=$(date -u -d "$d ${newest##*-}:00 UTC ${LOOKBACK_HOURS:-168} hours ago" '+%Y-%m-%d-%-H')
	if [ -n "${GHA_START:-}" ] && [ "$("$fetch" -n "$GHA_START" "$from" 2>/dev/null | head -n 1)" = "$GHA_START" ]; then
		:	# GHA_START is before the look-back: keep the look-back
	elif [ -n "${GHA_START:-}" ]; then
		from=$GHA_START
	fi
elif [ -n "${GHA_START:-}" ]; then
	from=$GHA_START
else
	echo "hourly: nothing ingested in $data yet: set GHA_START=YYYY-MM-DD-H" >&2
	exit 64
fi
# GHA_NOW (a date(1) string) stands in for the clock, for tests
now=${GHA_NOW:-now}
to=$(date -u -d "$now 2 hours ago" '+%Y-%m-%d-%-H')
"$fetch" -n "$from" "$to" >/dev/null 2>&1 || { echo "hourly: nothing to do ($from is after $to)" >&2; exit 0; }
# an hour of the last day missing upstream may just be late: ask again
while read -r h; do
	rm -f "$data/raw/$h.missing"
done < <("$fetch" -n "$(date -u -d "$now 26 hours ago" '+%Y-%m-%d-%-H')" "$to")
make -s -k -C "$top" ingest FROM="$from" TO="$to" DATA="$data" "$@"
