#!/usr/bin/env bash
# load.sh HOUR.json.gz: gha-load of the synthetic hour's silver events TSV
# into a private PostgreSQL server (tests/pg.sh), next to psql's \copy of
# the same TSV into the same server, in the same run. Each row is the best
# of BENCH_RUNS runs (default 3), each run starting from an empty table and
# an empty manifest (the TRUNCATE is timed too, in both rows).
set -eu -o pipefail
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GHA_BUILD:-$top/build}/bin
hour=$1
runs=${BENCH_RUNS:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gha-bench-load.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# shellcheck disable=SC1091
. "$top/tests/pg.sh"
if ! pg_start 2>"$TMP/pg.err"; then
	echo "gha-load: not measured: no PostgreSQL server ($(head -n 1 "$TMP/pg.err"))"
	exit 0
fi
psql_q "set client_min_messages = warning" >/dev/null

tsv=$TMP/h.events.tsv
"$bin/gha-silver" -q "$hour" >"$tsv"
gzip -1 -c "$tsv" >"$tsv.gz"
rows=$(($(wc -l <"$tsv") - 1))
mb=$(stat -c %s "$tsv" | awk '{ printf "%.1f", $1 / 1e6 }')

# psql's table: the same DDL, no _source column, no index
"$bin/gha-silver" --ddl | sed -n '/gha_events/,/^);/p' | sed 's/gha_events/psql_events/' | psql -X -q -v ON_ERROR_STOP=1
"$bin/gha-load" -q -t gha_events --create "$tsv"

best=""
time_row() {	# time_row CMD...: best wall seconds of $runs runs in $best
	local i t0 t1 t
	best=""
	for ((i = 0; i < runs; i++)); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>"$TMP/row.err" || { echo "bench: failed: $* ($(head -c 300 "$TMP/row.err"))" >&2; exit 1; }
		t1=$EPOCHREALTIME
		t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
}
row() {
	local name=$1
	shift
	time_row "$@"
	printf '%-52s %8.3f %10.0f %8.1f\n' "$name" "$best" \
		"$(awk -v r="$rows" -v t="$best" 'BEGIN { print r / t }')" \
		"$(awk -v m="$mb" -v t="$best" 'BEGIN { print m / t }')"
}
psql_copy() {
	psql -X -q -v ON_ERROR_STOP=1 -c "truncate psql_events" \
		-c "\\copy psql_events from '$1' (format text, header true)"
}
gha_load() {
	psql -X -q -v ON_ERROR_STOP=1 -c "truncate gha_events, gha_loads"
	"$bin/gha-load" -q -t gha_events "$@"
}
check() {	# the rows landed
	local got
	got=$(psql_q "select count(*) from $1")
	[ "$got" = "$rows" ] || { echo "bench: $1 has $got rows, the TSV $rows" >&2; exit 1; }
}

echo "loading the silver events table of the synthetic hour: $rows rows, $mb MB of TSV, into a"
echo "private PostgreSQL $(psql_q "show server_version") (fsync off), best of $runs runs"
printf '%-52s %8s %10s %8s\n' command seconds rows/s MB/s
row "psql -c '\\copy t from FILE (format text, header true)'" psql_copy "$tsv"
check psql_events
row "gha-load -t gha_events FILE (hash, lock, manifest)" gha_load "$tsv"
check gha_events
row "gha-load -t gha_events FILE.gz (gzip -1)" gha_load "$tsv.gz"
check gha_events
row "gha-load --source h - <FILE (stdin)" sh -c "psql -X -q -c 'truncate gha_events, gha_loads' &&
	'$bin/gha-load' -q -t gha_events --source h - <'$tsv'"
check gha_events
row "gha-load FILE again (unchanged: hash + 1 lookup)" "$bin/gha-load" -q -t gha_events "$tsv"
check gha_events
echo "(gha-load's table has the _source column and its index; psql's has neither)"
