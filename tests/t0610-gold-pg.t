#!/usr/bin/env bash
# The truth test of gha-gold: every table that has SQL (gha-gold --sql
# TABLE) gives, in a real PostgreSQL server over the same silver rows
# loaded into gha_events, byte for byte the TSV gha-gold writes. The input
# is every real sample (through gha-silver) plus a synthetic set made to
# reach star farms, name-only keys, bots and trimmed payloads.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

pg_need
ok "PostgreSQL server started on a private socket"

G=$BIN/gha-gold
mkdir -p "$TMP/s" "$TMP/r"
run "$BIN/gha-silver" --ddl
is "$rc" 0 "gha-silver --ddl exits 0"
run psql -X -q -v ON_ERROR_STOP=1 -c "$(cat "$TMP/out")"
is "$rc" 0 "the silver DDL runs"

bad=0
for f in "$REAL"/*.json.gz; do
	b=$(basename "$f" .json.gz)
	"$BIN/gha-silver" -q -R "$TMP/r/$b.tsv" -o "$TMP/s/$b.tsv" "$f" || bad=1
done
is "$bad" 0 "gha-silver turns every real sample into silver"
"$BIN/gha-silver" </dev/null >"$TMP/header.tsv"
python3 "$TESTDIR/gold_synth.py" "$TMP/header.tsv" "$TMP/s/synth"
is "$?" 0 "synthetic silver hours made"
"$BIN/gha-silver" -M -o "$TMP/repos.tsv" "$TMP"/r/*.tsv
is "$?" 0 "repos tables merged"
printf 'ci-*\n# a comment\n' >"$TMP/bots.txt"

files=("$TMP"/s/*.tsv "$TMP"/s/synth/*.tsv)
load() {	# load TABLE FILE...
	local t=$1 f
	shift
	for f in "$@"; do
		psql -X -q -v ON_ERROR_STOP=1 -c "\\copy $t from '$f' (format text, header true)" || return 1
	done
}
t "all silver loads into gha_events" load gha_events "${files[@]}"
t "the merged repos table loads into gha_repos" load gha_repos "$TMP/repos.tsv"
want=$(cat "${files[@]}" | grep -vc '^event_id	')
is "$(psql_q 'select count(*) from gha_events')" "$want" "gha_events holds every silver row"

# same TABLE [gha-gold options...]: gha-gold's TSV equals the query's COPY output
n=0
same() {
	local tbl=$1
	shift
	n=$((n + 1))
	run "$G" -t "$tbl" "$@" "${gfiles[@]}"
	if [ "$rc" != 0 ]; then
		not_ok "$tbl $*: gha-gold exits $rc: $(head -c 300 "$TMP/err")"
		return
	fi
	cp "$TMP/out" "$TMP/gold.$n"
	run "$G" --sql "$tbl" "$@"
	if [ "$rc" != 0 ]; then
		not_ok "$tbl $*: --sql exits $rc"
		return
	fi
	q=$(sed '$ s/;$//' "$TMP/out")
	run psql -X -q -v ON_ERROR_STOP=1 -c "copy ($q) to stdout (format text, header true)"
	if [ "$rc" != 0 ]; then
		not_ok "$tbl $*: the query fails in PostgreSQL: $(head -c 300 "$TMP/err")"
		return
	fi
	rows=$(($(wc -l <"$TMP/gold.$n") - 1))
	if [ "$rows" -lt 2 ]; then
		not_ok "$tbl $*: only $rows rows: the comparison would prove little"
		return
	fi
	same_file "$TMP/gold.$n" "$TMP/out" "$tbl $*: $rows rows, SQL equals gha-gold byte for byte"
}

gfiles=("${files[@]}")
for tbl in activity repo_daily languages contributors orgs prs trending; do
	same "$tbl"
done
same languages -R "$TMP/repos.tsv"
same trending -w 30d -n 0
same trending -w 1d -u 2024-03-03
same trending -w 7d -u 2015-01-01 -n 10
same trending -w 1d -u 2014-02-15 -n 0 -R "$TMP/repos.tsv"
same repo_daily -b "$TMP/bots.txt"
same contributors -b "$TMP/bots.txt"
same trending -w 30d -n 0 -b "$TMP/bots.txt"

# what the synthetic set was made to show comes out of both
grep -q '	farm/burst	.*	star_burst$' "$TMP/gold.10" && grep -q '	farm/repeat	.*	repeated_stars$' "$TMP/gold.10"
is "$?" 0 "the synthetic star farms are flagged (burst, repeated stars)"
awk -F'\t' '$3 == "nameonly/repo" && $9 > 0 { f = 1 } END { exit !f }' "$TMP/gold.2"
is "$?" 0 "pushes without a commit count are counted for a name-only repo"

# -R matters when the input is a part of what the repos table saw
psql_q "truncate gha_events" >/dev/null
gfiles=("$TMP/s/2015-01-01-1.tsv")
load gha_events "${gfiles[@]}"
same languages -R "$TMP/repos.tsv"
with=$(awk -F'\t' '$2 == "\\N" { print $3 }' "$TMP/gold.$n")
"$G" -t languages "${gfiles[@]}" >"$TMP/nor.tsv"
without=$(awk -F'\t' '$2 == "\\N" { print $3 }' "$TMP/nor.tsv")
t "-R gives languages to repos with no PR in the input ($without -> $with unknown-language events)" \
	test "$with" -lt "$without"

# DuckDB (npm @duckdb/node-api, which make bench installs) runs the duckdb
# dialect over the real samples (its CSV reader does not decode COPY
# escapes, so not the synthetic set, whose names hold some)
duck=${GHA_DUCKDB:-$GHA_BUILD/bench-node}
if [ -d "$duck/node_modules/@duckdb/node-api" ] && command -v node >/dev/null; then
	mkdir -p "$TMP/duck"
	printf '%s\n' "$TMP"/s/*.tsv >"$TMP/duck.list"
	"$BIN/gha-silver" --ddl >"$TMP/ddl.sql"
	dargs=()
	for tbl in activity repo_daily languages contributors orgs prs trending; do
		"$G" --sql "$tbl" -D duckdb >"$TMP/duck/$tbl.sql"
		dargs+=("$tbl=$TMP/duck/$tbl.sql")
	done
	"$G" --sql trending -D duckdb -w 30d -n 0 >"$TMP/duck/t30.sql"
	dargs+=("t30=$TMP/duck/t30.sql")
	run node "$TESTDIR/gold_duckdb.js" "$duck" "$TMP/ddl.sql" "$TMP/duck" "$TMP/duck.list" "${dargs[@]}"
	is "$rc" 0 "DuckDB runs every duckdb-dialect query"
	for tbl in activity repo_daily languages contributors orgs prs trending t30; do
		o=(-t "$tbl")
		[ "$tbl" = t30 ] && o=(-t trending -w 30d -n 0)
		"$G" "${o[@]}" "$TMP"/s/*.tsv >"$TMP/duck/$tbl.gold"
		same_file "$TMP/duck/$tbl.gold" "$TMP/duck/$tbl.tsv" "DuckDB: $tbl equals gha-gold byte for byte"
	done
else
	ok "# SKIP no @duckdb/node-api under $duck (make bench installs it; or GHA_DUCKDB=DIR)"
fi

# the dialects differ only where they must
for d in snowflake duckdb; do
	run "$G" --sql trending --dialect "$d"
	is "$rc" 0 "--sql trending --dialect $d exits 0"
done
run "$G" --sql trending --dialect oracle
is "$rc" 64 "an unknown dialect is a usage error"
done_testing
