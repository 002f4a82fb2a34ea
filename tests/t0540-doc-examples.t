#!/usr/bin/env bash
# The README's shell examples run as written (on the real samples, into a
# real PostgreSQL server), and give what SQL and jq say by other routes.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"
TOP=$(cd "$TESTDIR/.." && pwd)

if ! pg_start; then
	not_ok "start a PostgreSQL server"
	# gha.7's examples under LOADING INTO POSTGRESQL, from the roff source
awk '/^\.SH LOADING INTO POSTGRESQL/ { on = 1; next } on && /^\.SH/ { exit }
	on && /^\.nf/ { inb = 1; next } on && /^\.fi/ { inb = 0; next } inb { gsub(/\\e/, "\\"); print }' \
	"$TOP/man/gha.7" >"$TMP/gha7.sh"
is "$(wc -l <"$TMP/gha7.sh" | tr -d ' ')" 3 "gha.7 has its three example lines"
mkdir -p "$W/data/silver"
"$BIN/gha-silver" "$W/2015-01-01-0.json.gz" | gzip >"$W/data/silver/2015-01-01-0.events.tsv.gz"
psql_q "drop table gha_events, gha_actors, gha_repos, gha_orgs, gha_commits" >/dev/null
run env -C "$W" PATH="$BIN:$PATH" bash -e -o pipefail "$TMP/gha7.sh"
is "$rc" 0 "gha.7's examples run, exit 0"
is "$(psql_q 'select count(*) from gha_events')" "$want" "gha.7's psql line loads every event"
# hours 0 and 1, then the sample copied into hours 2 to 23: kept once
is "$(wc -l <"$W/day.ndjson" | tr -d ' ')" \
	"$(($(zcat "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" | wc -l) + $(zcat "$REAL/2015-01-01-15.first1024.json.gz" | wc -l)))" \
	"gha.7's hour-ordered bronze line: every event of the day once"
is "$(head -n 1 "$W/day.ndjson")" "$(zcat "$REAL/2015-01-01-0.json.gz" | head -n 1)" "... hour 0 first"

done_testing
	exit 1
fi
# the block under "In a shell pipeline", as it stands in the README
awk '/^## In a shell pipeline/ { on = 1; next } on && /^```sh/ { inb = 1; next }
	inb && /^```/ { exit } inb { print }' "$TOP/README.md" >"$TMP/readme.sh"
t "the README has the shell example block" test -s "$TMP/readme.sh"
t "it loads a gzipped events table with psql" grep -q "from program 'gzip -dc events.tsv.gz' (format text, header true)" "$TMP/readme.sh"
t "it lists hours with gha-fetch -n, not a glob" grep -q 'gha-fetch -n 2015-01-01' "$TMP/readme.sh"

# a day of hours: the real samples, the hours without one a copy of the
# first 1024 events of 2015-01-01-15 (its duplicates are dropped)
W=$TMP/work
mkdir -p "$W"
for h in $("$BIN/gha-fetch" -n 2015-01-01); do
	cp "$REAL/2015-01-01-15.first1024.json.gz" "$W/$h.json.gz"
done
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$W/"
run env -C "$W" PATH="$BIN:$PATH" bash -e -o pipefail "$TMP/readme.sh"
is "$rc" 0 "the README's shell examples run, exit 0"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/err"
want=$(zcat "$REAL/2015-01-01-0.json.gz" | wc -l | tr -d ' ')
is "$(psql_q 'select count(*) from gha_events')" "$want" "events loaded from the gzipped table: one row per event of the hour"
is "$(psql_q 'select count(*) from gha_actors')" \
	"$(zcat "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" | jq -r '.actor.id' | sort -u | wc -l | tr -d ' ')" \
	"actors of two hours merged, then loaded: one row per distinct actor id (jq)"
is "$(jq -r '[.records_in, .records_out, .rejected, .duplicates] | @tsv' "$W/stats.json")" \
	"$(zcat "$W/2015-01-01-0.json.gz" "$W/2015-01-01-1.json.gz" | wc -l | tr -d ' ')	$(zcat "$W/2015-01-01-0.json.gz" "$W/2015-01-01-1.json.gz" | wc -l | tr -d ' ')	0	0" \
	"the stats example: two hours in, all out"

# the hour order of gha-fetch -n, against a glob's
names=$(cd "$W" && "$BIN/gha-fetch" -n 2015-01-01 | sed 's/$/.json.gz/' | tr '\n' ' ')
glob=$(cd "$W" && printf '%s ' 2015-01-01-*.json.gz)
t "a glob does not list the hours in order" test "$names" != "$glob"
is "$(echo "$names" | awk '{ print $3, $11 }')" "2015-01-01-2.json.gz 2015-01-01-10.json.gz" "gha-fetch -n: hour 2 third, hour 10 eleventh"

# the older-server form in the README: no header option, the first line skipped
line=$(grep -o "\\\\copy gha_events from program 'gzip -dc events.tsv.gz | tail -n +2' (format text)" "$TOP/README.md")
t "the README gives the form for servers before 15" test -n "$line"
psql_q "truncate gha_events" >/dev/null
run env -C "$W" psql -X -q -v ON_ERROR_STOP=1 -c "$line"
is "$rc:$(psql_q 'select count(*) from gha_events')" "0:$want" "the form for servers before 15 loads every event, no header row"

# gha.7's examples under LOADING INTO POSTGRESQL, from the roff source
awk '/^\.SH LOADING INTO POSTGRESQL/ { on = 1; next } on && /^\.SH/ { exit }
	on && /^\.nf/ { inb = 1; next } on && /^\.fi/ { inb = 0; next } inb { gsub(/\\e/, "\\"); print }' \
	"$TOP/man/gha.7" >"$TMP/gha7.sh"
is "$(wc -l <"$TMP/gha7.sh" | tr -d ' ')" 3 "gha.7 has its three example lines"
mkdir -p "$W/data/silver"
"$BIN/gha-silver" "$W/2015-01-01-0.json.gz" | gzip >"$W/data/silver/2015-01-01-0.events.tsv.gz"
psql_q "drop table gha_events, gha_actors, gha_repos, gha_orgs, gha_commits" >/dev/null
run env -C "$W" PATH="$BIN:$PATH" bash -e -o pipefail "$TMP/gha7.sh"
is "$rc" 0 "gha.7's examples run, exit 0"
is "$(psql_q 'select count(*) from gha_events')" "$want" "gha.7's psql line loads every event"
# hours 0 and 1, then the sample copied into hours 2 to 23: kept once
is "$(wc -l <"$W/day.ndjson" | tr -d ' ')" \
	"$(($(zcat "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" | wc -l) + $(zcat "$REAL/2015-01-01-15.first1024.json.gz" | wc -l)))" \
	"gha.7's hour-ordered bronze line: every event of the day once"
is "$(head -n 1 "$W/day.ndjson")" "$(zcat "$REAL/2015-01-01-0.json.gz" | head -n 1)" "... hour 0 first"

done_testing
