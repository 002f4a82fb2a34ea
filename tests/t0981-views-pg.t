#!/usr/bin/env bash
# gha-load --views: the BI views over the gold tables, in a real
# PostgreSQL server: they exist after a load, and each returns the same
# rows as the gold files it reads (compared as sorted text).
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
L=$BIN/gha-load

pg_need
ok "PostgreSQL server started on a private socket"

views="gha_v_activity_hourly gha_v_anomalies gha_v_languages gha_v_regions gha_v_trending_30d gha_v_trending_7d"
nviews() { psql -X -q -A -t -c "select string_agg(viewname, ' ' order by viewname) from pg_views where viewname like 'gha_v_%'"; }

# usage
run "$L" --views -t gha_gold_trending
is "$rc" 64 "--views with -t: usage error"
run "$L" --views -q some.tsv
is "$rc" 64 "--views with a file: usage error"

# before any load: the tables are made from the registry, the views are empty
run "$L" --views
is "$rc" 0 "--views on an empty database: exit 0"
is "$(cat "$TMP/out")" "views: gha_v_trending_7d gha_v_trending_30d gha_v_activity_hourly gha_v_languages gha_v_regions gha_v_anomalies" \
	"it names the views it made"
is "$(nviews)" "$views" "the six views exist"
is "$(psql -X -q -A -t -c "select count(*) from gha_v_trending_7d")" 0 "and are empty before a load"

# gold: two real hours of 2015-01-01 and three synthetic days with anomalies
D=$TMP/data
mkdir -p "$D/silver"
for h in 2015-01-01-0 2015-01-01-1; do
	"$BIN/gha-silver" -q -o "$D/silver/$h.events.tsv.gz" "$REAL/$h.json.gz"
done
python3 "$TESTDIR/gold_analytics_synth.py" anomalies "$TMP/syn"
for d in 02 03 04; do gzip -nc "$TMP/syn/2020-03-$d.tsv" >"$D/silver/2020-03-$d-0.events.tsv.gz"; done
for r in "2015-01-01 2015-01-01" "2020-03-02 2020-03-04"; do
	set -- $r
	make -s -C "$TOP" gold FROM="$1" TO="$2" DATA="$D" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" >/dev/null 2>&1 ||
		not_ok "make gold $r"
done
# every gold file under its directory's name as the source (gha(7), VIEWS)
fails=0
for dir in "$D"/gold/day/* "$D"/gold/window/*/; do
	dir=${dir%/}
	src=${dir#"$D/gold/"}
	for t in trending activity languages regions anomalies; do
		[ -f "$dir/$t.tsv" ] || continue
		"$L" -q -t "gha_gold_$t" --create --source "$src" "$dir/$t.tsv" || fails=$((fails + 1))
	done
done
is "$fails" 0 "every gold file loaded with gha-load --source day/DAY or window/Nd-DAY"
run "$L" --views -q
is "$rc:$(cat "$TMP/out")" "0:" "--views again (after the load): exit 0, quiet"
is "$(nviews)" "$views" "the views exist after the load"

# compare VIEW SELECT-LIST FILES...: the view's rows (COPY text, times as
# gha-gold prints them) equal the files' rows, sorted
compare() {
	local v=$1 cols=$2 desc=$3
	shift 3
	psql -X -q -c "set timezone = 'UTC'" -c "copy (select $cols from $v) to stdout" | LC_ALL=C sort >"$TMP/view"
	for f in "$@"; do tail -n +2 "$f"; done | LC_ALL=C sort >"$TMP/file"
	if [ -s "$TMP/file" ] && cmp -s "$TMP/view" "$TMP/file"; then
		ok "$v: the same $(wc -l <"$TMP/file") rows as $desc"
	else
		not_ok "$v: the same rows as $desc"
		diff "$TMP/view" "$TMP/file" | head -5 | sed 's/^/#   /'
	fi
}
ts="to_char(hour, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
G=$D/gold
compare gha_v_trending_7d "rank, repo_id, repo_name, language, score, stars, forks, pushes, prs_opened, contributors, top_contributors, flag" \
	"window/7d-2020-03-04/trending.tsv (the latest 7-day window)" "$G/window/7d-2020-03-04/trending.tsv"
compare gha_v_trending_30d "rank, repo_id, repo_name, language, score, stars, forks, pushes, prs_opened, contributors, top_contributors, flag" \
	"window/30d-2020-03-04/trending.tsv" "$G/window/30d-2020-03-04/trending.tsv"
compare gha_v_activity_hourly "$ts, event_type, events, actors, repos, bot_events" \
	"every day/*/activity.tsv" "$G"/day/*/activity.tsv
compare gha_v_languages "day, language, events, repos, actors, pushes, prs_opened, stars" \
	"every day/*/languages.tsv" "$G"/day/*/languages.tsv
compare gha_v_regions "day, region, actors, events" "window/30d-2020-03-04/regions.tsv" \
	"$G/window/30d-2020-03-04/regions.tsv"
compare gha_v_anomalies "$ts, scope, key, name, metric, value, baseline, mad, score, reason" \
	"window/7d-2020-03-04/anomalies.tsv" "$G/window/7d-2020-03-04/anomalies.tsv"
is "$(psql -X -q -A -t -c "select distinct window_end from gha_v_trending_7d")" 2020-03-04 "window_end is the window's last day"
is "$(psql -X -q -A -t -c "select count(*) from gha_v_anomalies where flagged")" \
	"$(awk -F'\t' 'NR > 1 && $10 != "\\N"' "$G/window/7d-2020-03-04/anomalies.tsv" | wc -l)" "flagged = the rows with a reason (awk)"
# the example queries of gha(7), VIEWS: each runs and returns rows
awk '/^\.SH VIEWS/ { on = 1; next } /^\.SH/ { on = 0 } on && /^\.EX/ { q = ""; ex = 1; next }
	on && /^\.EE/ { print q; ex = 0; next } ex { q = q " " $0 }' "$TOP/man/gha.7" >"$TMP/queries"
is "$(wc -l <"$TMP/queries")" 5 "gha(7) has an example query for each of the five kinds of view"
while read -r q; do
	run psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$q"
	t "gha(7) example runs and returns rows: ${q:0:50}..." test "$rc" = 0 -a -s "$TMP/out"
done <"$TMP/queries"

done_testing
