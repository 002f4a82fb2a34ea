#!/usr/bin/env bash
# The schema registry seen from outside: every table's COPY header line is
# its DDL's column list, gha-silver.1 documents every column, and the
# column lists of gha-gold.1 are the registry's (make man-columns).
. "$(dirname "$0")/lib.sh"
MAN=$TESTDIR/../man

run "$BIN/gha-silver" --ddl
is "$rc" 0 "gha-silver --ddl exits 0"
cp "$TMP/out" "$TMP/ddl"
# table -> its columns, in order, from the DDL text
awk '/^CREATE TABLE/ { t = $6; sub(/^gha_/, "", t); next }
     /^\);/ { print t "\t" cols; cols = ""; next }
     { c = $1; gsub(/"/, "", c); cols = cols (cols == "" ? "" : " ") c }' "$TMP/ddl" >"$TMP/tables"
is "$(cut -f1 "$TMP/tables" | tr '\n' ' ')" "events actors repos orgs commits " \
	"--ddl: the five silver tables, in order"

run "$BIN/gha-silver" -q -o "$TMP/events" -a "$TMP/actors" -R "$TMP/repos" -g "$TMP/orgs" \
	-C "$TMP/commits" "$REAL/2015-01-01-15.first1024.json.gz"
is "$rc" 0 "gha-silver writes all five tables"
while IFS=$'\t' read -r table cols; do
	is "$(head -n 1 "$TMP/$table" | tr '\t' ' ')" "$cols" "$table: the COPY header is the DDL's columns"
done <"$TMP/tables"

mandoc -Tascii "$MAN/gha-silver.1" 2>/dev/null | sed "s/.\x08//g" >"$TMP/page"
missing=
while IFS=$'\t' read -r table cols; do
	for c in $cols; do
		grep -qw -- "$c" "$TMP/page" || missing="$missing $table.$c"
	done
done <"$TMP/tables"
is "$missing" "" "gha-silver.1 names every column of every table"

# man-columns rewrites the lists between BEGIN/END columns markers from
# the registry: a page that differs from its rewrite is stale
COLS=$GHA_BUILD/tests/man-columns
for m in "$MAN"/*.[17]; do
	run "$COLS" "$m"
	is "$rc" 0 "man-columns reads $(basename "$m")"
	same_file "$TMP/out" "$m" "$(basename "$m"): its column lists are the registry's (make man-columns)"
done
is "$(grep -c '^\.\\" BEGIN columns gold_' "$MAN/gha-gold.1")" "$("$BIN/gha-gold" --list | wc -l | tr -d ' ')" \
	"gha-gold.1 has a generated column list for every gold table"
# and the generator fails loudly on a table it does not know
printf '.\\" BEGIN columns gold_nosuch\n.\\" END columns gold_nosuch\n' >"$TMP/bad.1"
run "$COLS" "$TMP/bad.1"
is "$rc:$(grep -c "no table 'gold_nosuch'" "$TMP/err")" "65:1" "man-columns: an unknown table is an error (65), named"
printf '.\\" BEGIN columns gold_activity\n' >"$TMP/bad.1"
run "$COLS" "$TMP/bad.1"
is "$rc" 65 "man-columns: a BEGIN without its END is an error"
done_testing
