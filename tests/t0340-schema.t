#!/usr/bin/env bash
# The schema registry seen from outside: every table's COPY header line is
# its DDL's column list, and gha-silver.1 documents every column.
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

run "$BIN/gha-silver" -q -o "$TMP/events" -a "$TMP/actors" -R "$TMP/repos" -O "$TMP/orgs" \
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
done_testing
