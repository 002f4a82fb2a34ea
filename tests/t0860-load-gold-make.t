#!/usr/bin/env bash
# make load: the per-day gold tables that make gold wrote, into a real
# PostgreSQL server, one source per day; each table's rows in the database
# equal its file's (psql's COPY out of the table against the file, sorted);
# a second run loads nothing; a rebuilt day replaces its rows.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

pg_need
ok "PostgreSQL server started on a private socket"

D=$TMP/data
mkdir -p "$D/silver"
silver() {	# silver HOUR SAMPLE
	"$BIN/gha-silver" -q -a "$D/silver/$1.actors.tsv.gz" -R "$D/silver/$1.repos.tsv.gz" \
		-g "$D/silver/$1.orgs.tsv.gz" -C "$D/silver/$1.commits.tsv.gz" -o "$D/silver/$1.events.tsv.gz" "$2"
}
silver 2015-01-01-0 "$REAL/2015-01-01-0.json.gz"
silver 2015-01-01-1 "$REAL/2015-01-01-1.json.gz"
mk() {	# mk TARGET FROM TO
	make -s -C "$TOP" "$1" FROM="$2" TO="$3" DATA="$D" PG="dbname=postgres" SCHEMA=lake \
		BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" GOLD_WINDOWS=1
}
run mk gold 2015-01-01 2015-01-01
is "$rc" 0 "make gold over a day: exit 0 ($(tail -3 "$TMP/err"))"
ntab=$(ls "$D"/gold/day/2015-01-01/*.tsv | wc -l)
[ "$ntab" -ge 5 ] && ok "$ntab gold tables for a day" || not_ok "gold tables: $ntab"

run mk load 2015-01-01-0 2015-01-01-23
is "$rc" 0 "make load over the day: exit 0 ($(tail -3 "$TMP/err"))"
nwin=$(ls "$D"/gold/window/*/*.tsv | wc -l)
grep -q ", $ntab gold day table(s) and $nwin gold window table(s)" "$TMP/out" && ok "it says it loaded the gold day and window tables" || not_ok "summary: $(cat "$TMP/out")"

# each table, each day: the database's rows are the file's rows
same() {	# same SOURCE TABLE: the source's rows = the file's, as values (psql reads the file itself)
	local f=$D/gold/$1/$2.tsv cols
	cols=$(head -1 "$f" | sed 's/\t/, /g')
	[ "$(psql -X -q -t -A -v ON_ERROR_STOP=1 <<-SQL
		create temp table f as select $cols from lake.gha_gold_$2 limit 0;
		\copy f ($cols) from '$f' with (format text, header true)
		select (select count(*) from (select $cols from lake.gha_gold_$2 where _source = '$1'
			except all select * from f) x) || ' ' ||
		       (select count(*) from (select * from f except all
			select $cols from lake.gha_gold_$2 where _source = '$1') y) || ' ' ||
		       (select count(*) from f);
	SQL
	)" = "0 0 $(($(wc -l <"$f") - 1))" ]
}
bad=""
for f in "$D"/gold/day/*/*.tsv "$D"/gold/window/*/*.tsv; do
	src=${f#"$D"/gold/} tab=$(basename "$f" .tsv)
	same "${src%/*}" "$tab" || bad="$bad $src"
done
is "$bad" "" "every gold day and window table in PostgreSQL equals its file, row for row (source day/D, window/Nd-D)"
is "$(psql_q "select count(*) from lake.gha_loads where target_table like '%gha_gold_%'")" "$((ntab + nwin))" \
	"the manifest: one row per (gold table, day or window)"
# a cross-check by other means: activity's events per day, SQL sum against awk over silver
is "$(psql_q "select sum(events) from lake.gha_gold_activity where _source = 'day/2015-01-01'")" \
	"$(for h in 0 1; do zcat "$D/silver/2015-01-01-$h.events.tsv.gz" | tail -n +2; done | wc -l)" \
	"gold activity's events for 2015-01-01 sum to the silver events of the day (wc)"

before=$(psql_q "select max(loaded_at) || ' ' || count(*) from lake.gha_loads")
run mk load 2015-01-01-0 2015-01-01-23
is "$rc" 0 "a second make load: exit 0"
is "$(psql_q "select max(loaded_at) || ' ' || count(*) from lake.gha_loads")" "$before" "nothing loaded again (the manifest's latest load and count unchanged)"

# a day rebuilt with another hour: its gold rows replaced, not added
silver 2015-01-01-3 "$REAL/2015-01-01-15.first1024.json.gz"
cp "$D/gold/day/2015-01-01/activity.tsv" "$TMP/activity.before"
mk gold 2015-01-01 2015-01-01 >/dev/null 2>&1
! cmp -s "$TMP/activity.before" "$D/gold/day/2015-01-01/activity.tsv" && ok "the day's gold changed" || not_ok "gold not rebuilt"
run mk load 2015-01-01-0 2015-01-01-23
is "$rc" 0 "after rebuilding 2015-01-01 with one more hour: make load exit 0"
bad=""
for f in "$D"/gold/day/*/*.tsv "$D"/gold/window/*/*.tsv; do
	src=${f#"$D"/gold/} tab=$(basename "$f" .tsv)
	same "${src%/*}" "$tab" || bad="$bad $src"
done
is "$bad" "" "every gold table still equals its (rebuilt) file: rows replaced, not added"
# the BI views read what make load loaded
run "$BIN/gha-load" -q --views -d "dbname=postgres options=-csearch_path=lake"
is "$rc" 0 "gha-load --views over make load's schema: exit 0 ($(head -c 200 "$TMP/err"))"
is "$(psql_q "select count(*) from lake.gha_v_activity_hourly")" "$(($(wc -l <"$D"/gold/day/2015-01-01/activity.tsv) - 1))" \
	"gha_v_activity_hourly has the day's activity rows (wc)"
done_testing
