#!/usr/bin/env bash
# Every tool has a man page, every option in --help is in its OPTIONS and
# every option there is in --help (matched as whole tokens), and the man
# pages lint clean.
. "$(dirname "$0")/lib.sh"
MAN=$TESTDIR/../man

for src in "$TESTDIR"/../tools/gha-*.c; do
	tool=$(basename "$src" .c)
	page=$MAN/$tool.1
	t "$tool has a man page" test -f "$page"
	run "$BIN/$tool" --help
	is "$rc" 0 "$tool --help exits 0"
	t "$tool --help writes usage to stdout" grep -q "^usage: $tool" "$TMP/out"
	# the options, one a line, as whole tokens: from --help's option lines
	# ("  -s, --stats FILE   text" -> -s and --stats) and from the tags of
	# the page's OPTIONS section, rendered to text so roff escapes do not
	# hide them (".BR \-s \(dq, \(dq \-\-stats" -> -s and --stats)
	sed -nE 's/^ +(-.*)$/\1/p' "$TMP/out" | sed -E 's/  .*//' |
		tr ', ' '\n\n' | grep -E '^--?[A-Za-z0-9]' | sort -u >"$TMP/help.opts"
	mandoc -Tascii "$page" 2>/dev/null | sed "s/.\x08//g" |
		awk '/^[A-Z]/ { sec = $0 } sec == "OPTIONS" && /^       -/' | sed -E 's/^ +//; s/  .*//' |
		tr ', ' '\n\n' | grep -E '^--?[A-Za-z0-9]' | sort -u >"$TMP/page.opts"
	t "$tool: --help lists options" test -s "$TMP/help.opts"
	t "$tool: $tool.1 has an OPTIONS section with tags" test -s "$TMP/page.opts"
	for opt in $(cat "$TMP/help.opts"); do
		t "$tool: $opt (--help) is documented in $tool.1 OPTIONS" grep -qxF -- "$opt" "$TMP/page.opts"
	done
	for opt in $(cat "$TMP/page.opts"); do
		t "$tool: $opt ($tool.1) is in --help" grep -qxF -- "$opt" "$TMP/help.opts"
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
