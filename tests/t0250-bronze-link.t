#!/usr/bin/env bash
# gha-bronze -L: the output is a hard link to the input exactly when the
# input's every byte is an event kept as it came; otherwise the same
# bytes as without -L, written. The link is checked by inode, the bytes
# against gha-bronze's plain output and against the input itself (zcat).
. "$(dirname "$0")/lib.sh"

zcat "$REAL/2015-01-01-15.first1024.json.gz" >"$TMP/good"
# variant NAME: the good events, changed one way
variant() {
	case $1 in
	asis) cat "$TMP/good" ;;
	midreject) head -n 500 "$TMP/good"; echo '{bad'; tail -n +501 "$TMP/good" ;;
	firstreject) echo '{bad'; cat "$TMP/good" ;;
	lastreject) cat "$TMP/good"; echo '{bad' ;;
	lastdup) cat "$TMP/good"; tail -n 1 "$TMP/good" ;;
	crlf) head -n 10 "$TMP/good" | sed 's/$/\r/'; tail -n +11 "$TMP/good" ;;
	nonewline) head -c -1 "$TMP/good" ;;
	blank) head -n 3 "$TMP/good"; echo; tail -n +4 "$TMP/good" ;;
	joined) head -n 2 "$TMP/good" | tr -d '\n'; echo; tail -n +3 "$TMP/good" ;;
	esac
}
inode() { stat -c %d:%i "$1" 2>/dev/null; }
for v in asis midreject firstreject lastreject lastdup crlf nonewline blank joined; do
	variant "$v" | gzip -n >"$TMP/$v.json.gz"
	run "$BIN/gha-bronze" -q -m 1 -L -o "$TMP/$v.ndjson.gz" "$TMP/$v.json.gz"
	is "$rc" 0 "$v: exit 0"
	"$BIN/gha-bronze" -q -m 1 "$TMP/$v.json.gz" >"$TMP/$v.plain"
	gzip -dc "$TMP/$v.ndjson.gz" >"$TMP/$v.got"
	same_file "$TMP/$v.got" "$TMP/$v.plain" "$v: -L's output holds what gha-bronze writes without it"
	if [ "$v" = asis ]; then
		is "$(inode "$TMP/$v.ndjson.gz")" "$(inode "$TMP/$v.json.gz")" "$v: the output is a link to the input"
		same_file "$TMP/$v.got" "$TMP/good" "$v: ... which holds the events as they came"
	else
		t "$v: the output is its own file" test "$(inode "$TMP/$v.ndjson.gz")" != "$(inode "$TMP/$v.json.gz")"
		variant "$v" >"$TMP/$v.in"
		t "$v: ... which is not the input's bytes" sh -c "! cmp -s '$TMP/$v.got' '$TMP/$v.in'"
	fi
done
t "no temporary is left" test -z "$(find "$TMP" -name '*.tmp*')"

# a rerun over its own link: allowed (not an output that is its input), still a link
run "$BIN/gha-bronze" -q -L -o "$TMP/asis.ndjson.gz" "$TMP/asis.json.gz"
is "$rc" 0 "rerun over an earlier link: exit 0"
is "$(inode "$TMP/asis.ndjson.gz")" "$(inode "$TMP/asis.json.gz")" "rerun: still a link"
is "$(stat -c %h "$TMP/asis.json.gz")" 2 "rerun: two names, no stray third"
# the input changed (now a reject): the link is replaced by a written file, the input kept
variant midreject | gzip -n >"$TMP/new.json.gz"
cp "$TMP/new.json.gz" "$TMP/asis.json.gz.new" && mv "$TMP/asis.json.gz.new" "$TMP/asis2.json.gz"
ln -f "$TMP/asis2.json.gz" "$TMP/asis2.ndjson.gz"
run "$BIN/gha-bronze" -q -m 1 -L -o "$TMP/asis2.ndjson.gz" "$TMP/asis2.json.gz"
is "$rc" 0 "an old link whose input now has a reject: exit 0"
same_file "$TMP/asis2.json.gz" "$TMP/new.json.gz" "... the input is untouched"
gzip -dc "$TMP/asis2.ndjson.gz" >"$TMP/asis2.got"
same_file "$TMP/asis2.got" "$TMP/midreject.plain" "... the output holds the kept events"
# the one name for both is still refused
run "$BIN/gha-bronze" -q -L -o "$TMP/asis.json.gz" "$TMP/asis.json.gz"
is "$rc" 64 "-L -o the input's own name: usage error"
# no link without a .gz output, with two inputs, or with plain input
run "$BIN/gha-bronze" -q -L -o "$TMP/plain.ndjson" "$TMP/asis.json.gz"
t "-o FILE (not .gz): written, not linked" test "$(inode "$TMP/plain.ndjson")" != "$(inode "$TMP/asis.json.gz")"
same_file "$TMP/plain.ndjson" "$TMP/good" "-o FILE (not .gz): the events"
cp "$TMP/good" "$TMP/good.json"
run "$BIN/gha-bronze" -q -L -o "$TMP/fromplain.ndjson.gz" "$TMP/good.json"
gzip -dc "$TMP/fromplain.ndjson.gz" >"$TMP/fromplain.got"
same_file "$TMP/fromplain.got" "$TMP/good" "plain input, -o FILE.gz: compressed, the events"
run "$BIN/gha-bronze" -q -L -o "$TMP/two.ndjson.gz" "$TMP/asis.json.gz" "$TMP/asis.json.gz"
t "two inputs: not a link" test "$(inode "$TMP/two.ndjson.gz")" != "$(inode "$TMP/asis.json.gz")"
# the codec's output is the same bytes run after run
"$BIN/gha-bronze" -q -o "$TMP/c1.ndjson.gz" "$TMP/good.json"
"$BIN/gha-bronze" -q -o "$TMP/c2.ndjson.gz" "$TMP/good.json"
same_file "$TMP/c1.ndjson.gz" "$TMP/c2.ndjson.gz" "FILE.gz: the same bytes for the same input"
is "$(od -A n -t x1 -N 10 "$TMP/c1.ndjson.gz" | tr -d ' ')" "1f8b08000000000000ff" \
	"FILE.gz: a gzip header with no name, mtime 0"

done_testing
