#!/usr/bin/env bash
# Every tool has a man page, every option in --help is in it, and the
# man pages lint clean.
. "$(dirname "$0")/lib.sh"
MAN=$TESTDIR/../man

for src in "$TESTDIR"/../tools/gha-*.c; do
	tool=$(basename "$src" .c)
	page=$MAN/$tool.1
	t "$tool has a man page" test -f "$page"
	run "$BIN/$tool" --help
	is "$rc" 0 "$tool --help exits 0"
	t "$tool --help writes usage to stdout" grep -q "^usage: $tool" "$TMP/out"
	# the page rendered to text, so roff escapes do not hide option names
	mandoc -Tascii "$page" 2>/dev/null | sed "s/.\x08//g" >"$TMP/page"
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$TMP/out" | sort -u); do
		t "$tool: $opt is documented in $tool.1" grep -q -- "$opt" "$TMP/page"
	done
	for opt in $(grep -o -- '^  -[a-zA-Z]' "$TMP/out" | tr -d ' ' | sort -u); do
		t "$tool: $opt is documented in $tool.1" grep -q -- "$opt" "$TMP/page"
	done
	run "$BIN/$tool" --no-such-option
	is "$rc" 64 "$tool: unknown option exits 64"
done

for page in "$MAN"/*.[17]; do
	run mandoc -Tlint -W warning "$page"
	is "$rc:$(cat "$TMP/out" "$TMP/err")" "0:" "$(basename "$page") lints clean"
done
t "gha.7 exists" test -f "$MAN/gha.7"
done_testing
