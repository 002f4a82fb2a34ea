#!/usr/bin/env bash
# Every column of the events table, on every real sample of every era,
# against tests/silver_ref.jq: the schema of gha-silver(1) written in jq,
# independently of the C code. Timeline ids are hashes: only their sign
# is checked.
. "$(dirname "$0")/lib.sh"

for f in "$REAL"/*.json "$REAL"/*.json.gz; do
	b=$(basename "$f")
	run "$BIN/gha-silver" -q -m 100% "$f"
	is "$rc" 0 "$b: gha-silver exits 0"
	tail -n +2 "$TMP/out" |
		awk -F'\t' 'BEGIN { OFS = "\t" } $1 ~ /^-[0-9]+$/ { $1 = "TL" } { print }' >"$TMP/got"
	gzip -dcf "$f" >"$TMP/in"
	rc=0
	jq -r -f "$TESTDIR/silver_ref.jq" "$TMP/in" >"$TMP/want" || rc=$?
	is "$rc" 0 "$b: the jq reference exits 0"
	t "$b: rows made" test -s "$TMP/got"
	if cmp -s "$TMP/got" "$TMP/want"; then
		ok "$b: every column of every row equals the jq reference ($(wc -l <"$TMP/want" | tr -d ' ') rows)"
	else
		not_ok "$b: every column of every row equals the jq reference"
		diff "$TMP/got" "$TMP/want" | head -4 | cut -c1-300 | sed 's/^/#   /'
	fi
done
done_testing
