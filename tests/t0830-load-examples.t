#!/usr/bin/env bash
# The EXAMPLES of gha-load(1) run, as printed, against a real server
# (make load's example is t0820's subject).
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

pg_need
ok "PostgreSQL server started on a private socket"
psql_q "create database gha" >/dev/null

# what the examples name: a raw hour, silver files of a day, an actors table
W=$TMP/work
mkdir -p "$W/data/silver"
cp "$REAL/2015-01-01-0.json.gz" "$W/"
for h in 2015-01-01-0 2015-01-01-1; do
	"$BIN/gha-silver" -q -a "$W/data/silver/$h.actors.tsv" "$REAL/$h.json.gz" | gzip -n >"$W/data/silver/$h.events.tsv.gz"
done
"$BIN/gha-load" -q -t gha_actors --create "$W/data/silver/2015-01-01-0.actors.tsv"

# the command lines of EXAMPLES: indented past the prose (which is at 7
# columns); a line indented deeper continues the one before
mandoc -Tascii "$TESTDIR/../man/gha-load.1" | sed "s/.\x08//g" | sed -n '/^EXAMPLES/,/^[A-Z]/p' |
	awk '{ match($0, /^ */); ind = RLENGTH }
	     ind > 7 && cmd != "" && ind > cmdind { sub(/^ +/, " "); cmd = cmd $0; next }
	     ind > 7 { if (cmd != "") print cmd; cmdind = ind; sub(/^ +/, ""); cmd = $0; next }
	     { if (cmd != "") print cmd; cmd = "" }
	     END { if (cmd != "") print cmd }' | grep -v '^make ' >"$TMP/examples"
n=$(wc -l <"$TMP/examples")
[ "$n" -ge 6 ] && ok "$n example command lines found" || not_ok "example command lines: $n"
export PATH=$BIN:$PATH
i=0
while IFS= read -r cmd; do
	i=$((i + 1))
	(cd "$W" && bash -o pipefail -c "$cmd") >"$TMP/ex.out" 2>"$TMP/ex.err" </dev/null
	rc=$?
	is "$rc" 0 "example $i runs: $cmd"
	[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/ex.err"
done <"$TMP/examples"

is "$(psql_q "select count(*) from gha_events where _source = '2015-01-01-0'")" \
	"$(zcat "$W/data/silver/2015-01-01-0.events.tsv.gz" | tail -n +2 | wc -l | tr -d ' ')" \
	"the first example loaded the hour"
is "$(psql -X -q -t -A -d gha -c "select count(distinct _source) from gha_events")" 2 \
	"the second loaded two sources into the database gha"
is "$(psql_q "select count(*) from stars")" "$(zcat "$REAL/2015-01-01-0.json.gz" | jq -c 'select(.type == "WatchEvent")' | wc -l | tr -d ' ')" \
	"the stars table holds the hour's WatchEvents (jq counts them)"
done_testing
