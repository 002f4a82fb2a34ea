#!/usr/bin/env bash
# make load: silver hours (events, commits) and per-day merged entity
# tables into a real PostgreSQL server, incrementally: a second run loads
# nothing, a rebuilt hour replaces its rows, counts equal awk over the files.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

pg_need
ok "PostgreSQL server started on a private socket"

# a DATA directory as make ingest leaves it (pipelines/ingest.mk's names)
D=$TMP/data
mkdir -p "$D/silver"
silver() {	# silver HOUR SAMPLE
	"$BIN/gha-silver" -q -a "$D/silver/$1.actors.tsv.gz" -R "$D/silver/$1.repos.tsv.gz" \
		-g "$D/silver/$1.orgs.tsv.gz" -C "$D/silver/$1.commits.tsv.gz" -o "$D/silver/$1.events.tsv.gz" "$2"
}
silver 2014-02-15-0 "$REAL/2014-02-15-0.json.gz"
silver 2015-01-01-0 "$REAL/2015-01-01-0.json.gz"
silver 2015-01-01-1 "$REAL/2015-01-01-1.json.gz"
# an hour of the day outside the range: its entities count for the day
silver 2015-01-01-3 "$REAL/2015-01-01-15.first1024.json.gz"

load() {
	make -s -C "$TOP" load FROM="$1" TO="$2" DATA="$D" PG="dbname=postgres" SCHEMA=lake \
		BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"
}
lines() {	# data lines of the silver files given
	local n=0 f
	for f in "$@"; do
		case $f in *.gz) n=$((n + $(zcat "$f" | wc -l) - 1)) ;; *) n=$((n + $(wc -l <"$f") - 1)) ;; esac
	done
	echo "$n"
}

run load 2015-01-01-0 2015-01-01-2
is "$rc" 0 "make load over three hours (one without silver): exit 0"
grep -q "2 hour(s) of 3 in 2015-01-01-0..2015-01-01-2 have silver" "$TMP/out" && ok "it says what it loaded" || not_ok "summary: $(cat "$TMP/out" "$TMP/err")"
is "$(psql_q "select count(*) from lake.gha_events")" \
	"$(lines "$D"/silver/2015-01-01-[01].events.tsv.gz)" "events: rows equal the two files' lines"
is "$(psql_q "select _source || ' ' || count(*) from lake.gha_events group by _source order by 1")" \
	"$(for h in 2015-01-01-0 2015-01-01-1; do echo "$h $(lines "$D/silver/$h.events.tsv.gz")"; done)" \
	"events: each hour is its own source"
is "$(psql_q "select count(*) from lake.gha_commits")" \
	"$(lines "$D"/silver/2015-01-01-[01].commits.tsv.gz)" "commits: rows equal the files' lines"
for k in actors repos orgs; do
	"$BIN/gha-silver" --merge-entities -o "$TMP/day.$k" "$D"/silver/2015-01-01-*."$k".tsv.gz
	is "$(psql_q "select count(*) from lake.gha_$k where _source = '2015-01-01'")" "$(lines "$TMP/day.$k")" \
		"$k: the day's rows equal its merged table (all four hours of the day in silver)"
done
is "$(psql_q "select sum(events) from lake.gha_actors")" \
	"$(tail -n +2 "$TMP/day.actors" | awk -F'\t' '{ s += $5 } END { print s }')" \
	"actors: the events column sums as awk sums the merged table"
is "$(psql_q "select count(*) from lake.gha_loads")" 7 "the manifest: 2 hours x 2 tables + 1 day x 3 tables"

# a second run: nothing to do (the stamps are newer than the silver files)
before=$(psql_q "select string_agg(source || sha256 || loaded_at, ',' order by target_table, source) from lake.gha_loads")
run make -C "$TOP" load FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$D" PG="dbname=postgres" SCHEMA=lake \
	BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"
is "$rc" 0 "a second make load: exit 0"
grep -q "gha: load 20" "$TMP/out" && not_ok "a second run loads nothing: $(cat "$TMP/out")" || ok "a second run loads nothing"
is "$(psql_q "select string_agg(source || sha256 || loaded_at, ',' order by target_table, source) from lake.gha_loads")" \
	"$before" "the manifest is untouched"
# a silver file rewritten with the same content: one lookup, nothing loaded
touch "$D/silver/2015-01-01-1.events.tsv.gz"
run make -C "$TOP" load FROM=2015-01-01-1 DATA="$D" PG="dbname=postgres" SCHEMA=lake \
	BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"
is "$rc" 0 "a touched hour: exit 0"
grep -q "gha: load 2015-01-01-1 into lake.gha_events" "$TMP/out" && ok "a touched hour goes to gha-load" ||
	not_ok "touched: $(cat "$TMP/out")"
is "$(psql_q "select string_agg(source || sha256 || loaded_at, ',' order by target_table, source) from lake.gha_loads")" \
	"$before" "the same content: the manifest is untouched (nothing loaded)"
is "$(cat "$D"/load/*/2015-01-01-1.events)" "$(zcat "$D/silver/2015-01-01-1.events.tsv.gz" | sha256sum | cut -d' ' -f1)" \
	"the stamp records the content's sha256"

# a rebuilt hour: its rows are replaced, the day's entities too
zcat "$D/silver/2015-01-01-1.events.tsv.gz" | head -n 501 | gzip -n >"$D/silver/2015-01-01-1.events.tsv.gz.new"
mv "$D/silver/2015-01-01-1.events.tsv.gz.new" "$D/silver/2015-01-01-1.events.tsv.gz"
zcat "$D/silver/2015-01-01-1.actors.tsv.gz" | head -n 11 | gzip -n >"$TMP/a" && mv "$TMP/a" "$D/silver/2015-01-01-1.actors.tsv.gz"
run load 2015-01-01-0 2015-01-01-2
is "$rc" 0 "after a rebuild: exit 0"
is "$(psql_q "select count(*) from lake.gha_events where _source = '2015-01-01-1'")" 500 "the rebuilt hour's rows replaced"
is "$(psql_q "select count(*) from lake.gha_events")" "$(lines "$D"/silver/2015-01-01-[01].events.tsv.gz)" \
	"events: rows still equal the files' lines"
"$BIN/gha-silver" --merge-entities -o "$TMP/day.actors" "$D"/silver/2015-01-01-*.actors.tsv.gz
is "$(psql_q "select count(*) || ' ' || sum(events) from lake.gha_actors where _source = '2015-01-01'")" \
	"$(tail -n +2 "$TMP/day.actors" | awk -F'\t' '{ s += $5; n++ } END { print n, s }')" \
	"actors: the day's rows replaced by the new merge"

# another day
run load 2014-02-15-0 2014-02-15-0
is "$rc" 0 "another day: exit 0"
is "$(psql_q "select count(*) from lake.gha_events")" "$(lines "$D"/silver/2014-02-15-0.events.tsv.gz "$D"/silver/2015-01-01-[01].events.tsv.gz)" \
	"events: every loaded hour's rows"
is "$(psql_q "select count(distinct _source) from lake.gha_actors")" 2 "actors: one source per day"

run make -s -C "$TOP" load DATA="$D"
[ "$rc" != 0 ] && grep -q "usage: make load FROM=" "$TMP/err" && ok "make load without FROM: fails with the usage" ||
	not_ok "no FROM: $rc $(cat "$TMP/err")"
run make -s -C "$TOP" load FROM=2015-13-01 DATA="$D"
[ "$rc" != 0 ] && ok "a bad FROM: fails" || not_ok "a bad FROM: $rc"
done_testing
