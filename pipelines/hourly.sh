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
args=()
for a in "$@"; do
	case $a in
	DATA=*) data=${a#DATA=} ;;
	*) args+=("$a") ;;
	esac
done
# make runs in $top: a relative DATA means the caller's directory (cron's
# is $HOME), for the lock and the look-up here as for make
mkdir -p "$data"
data=$(cd "$data" && pwd)
exec 9>>"$data/.hourly.lock"
if ! flock -n 9; then
	echo "hourly: another run holds $data/.hourly.lock" >&2
	exit 75
fi
make -s -C "$top" all
fetch=$top/build/bin/gha-fetch
epoch() {	# epoch HOUR: seconds since 1970 of YYYY-MM-DD-H
	date -u -d "${1%-*} ${1##*-}:00 UTC" +%s
}
# the oldest and newest hours with a silver table, by time, not by name
newest="" oldest=""
if [ -d "$data/silver" ]; then
	sorted=$(find "$data/silver" -name '*.events.tsv.gz' -printf '%f\n' |
		sed 's/\.events\.tsv\.gz$//' | sort -t- -k1,1n -k2,2n -k3,3n -k4,4n)
	newest=$(tail -n 1 <<<"$sorted")
	oldest=$(head -n 1 <<<"$sorted")
fi
# the first hour ever asked for (GHA_START, remembered in DATA/.hourly.start
# so later runs need not repeat it) bounds the look-back, even when that
# hour itself failed
start=${GHA_START:-$(cat "$data/.hourly.start" 2>/dev/null || true)}
if [ -n "$start" ]; then
	"$fetch" -n "$start" >/dev/null 2>&1 || { echo "hourly: bad GHA_START '$start'" >&2; exit 64; }
	start=$("$fetch" -n "$start" | head -n 1)
	echo "$start" >"$data/.hourly.start.tmp" && mv "$data/.hourly.start.tmp" "$data/.hourly.start"
fi
if [ -n "$newest" ]; then
	# look back to retry hours that failed, but never before the start
	# (or, without one, the oldest hour ingested)
	from=$(date -u -d "@$(($(epoch "$newest") - ${LOOKBACK_HOURS:-168} * 3600))" '+%Y-%m-%d-%-H')
	floor=${start:-$oldest}
	if [ "$(epoch "$floor")" -gt "$(epoch "$from")" ]; then
		from=$floor
	fi
elif [ -n "$start" ]; then
	from=$start
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
make -s -k -C "$top" ingest FROM="$from" TO="$to" DATA="$data" ${args[@]+"${args[@]}"}
