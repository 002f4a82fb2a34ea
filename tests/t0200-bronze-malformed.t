#!/usr/bin/env bash
# gha-bronze on a malformed corpus built here: each case gets its
# documented exit status, a quarantine record with a clear reason, no
# crash, and counts that add up; the good lines around it pass unchanged.
. "$(dirname "$0")/lib.sh"

zcat "$REAL/2015-01-01-15.first1024.json.gz" | head -n 20 >"$TMP/good"
G1=$(sed -n 1p "$TMP/good")
G2=$(sed -n 2p "$TMP/good")

# bronze CASE [args]: run on $TMP/CASE with stats and quarantine
bronze() {
	local c=$1
	shift
	run "$BIN/gha-bronze" -s "$TMP/$c.stats" -r "$TMP/$c.rej" "$@" "$TMP/$c"
}
adds_up() {	# the invariant, checked with jq on the stats
	is "$(jq '.records_in - .records_out - .rejected - .duplicates - .filtered' "$TMP/$1.stats")" 0 \
		"$1: in = out + rejected + duplicates + filtered"
	t "$1: no crash" test "$rc" -lt 128
}
codes() {	# the quarantine codes, in order
	jq -r .code "$TMP/$1.rej" | tr '\n' ' '
}
# case NAME CODES: a file of good lines with one bad line in the middle
mixed() {
	{ printf '%s\n' "$G1"; cat; printf '%s\n' "$G2"; } >"$TMP/$1"
}

# -- bad lines among good ones: rejected with a reason, the rest untouched
printf '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","actor":{"id":1},"repo":{"id":1},"payload":{"x":"\xff\xfe"}}\n' | mixed utf8
printf '{"id":"1","type":"PushEvent","payload":{"x":"a\0b"}}\n' | mixed nul
printf '{"id":"1","type":"PushEvent","payload":{"x":"unterminated}}\n' | mixed unterminated
printf '[{"id":"1"},{"id":"2"}]\n' | mixed array
printf '{}\n' | mixed empty-object
printf '{"id":"9","type":"PushEvent","actor":{"id":1},"repo":{"id":1},"payload":{}}\n' | mixed no-created-at
printf '{"id":"9","type":"PushEvent","actor":{"id":1},"repo":{"id":1},"payload":{},"created_at":"yesterday"}\n' | mixed bad-created-at
printf '{"id":"9","type":"PushEvent","actor":{"id":1},"repo":{"id":1},"payload":{},"created_at":"2015-01-01T00:00:00Z","created_at":"2015-01-01T00:00:01Z"}\n' | mixed dup-member
printf '\xef\xbb\xbf%s\n' "$G2" | sed 's/"id":"[0-9]*"/"id":"77"/' | mixed bom
printf '%s\n' "$G1" | sed 's/"created_at"/"xcreated_at"/' | mixed lost-field
printf 'null\n' | mixed scalar
printf '{"a":1}{"b":\n' | mixed split-bad
for c in utf8:utf8 nul:nul unterminated:json array:not-object empty-object:missing-field \
	no-created-at:missing-field bad-created-at:bad-field dup-member:duplicate-member bom:bom \
	lost-field:missing-field scalar:not-object; do
	name=${c%%:*} want=${c#*:}
	bronze "$name"
	is "$rc" 1 "$name: one bad record in three is over the 0.1% default: exit 1"
	is "$(codes "$name")" "$want " "$name: quarantined as $want"
	is "$(jq -r .line "$TMP/$name.rej")" 2 "$name: the quarantine names line 2"
	t "$name: stderr has FILE:LINE: reason" grep -q "^gha-bronze: $TMP/$name:2: " "$TMP/err"
	printf '%s\n%s\n' "$G1" "$G2" >"$TMP/want"
	same_file "$TMP/out" "$TMP/want" "$name: the good lines pass byte for byte"
	adds_up "$name"
done
t "utf8: the reason says UTF-8" grep -q "UTF-8" <(jq -r .reason "$TMP/utf8.rej")
t "nul: the reason says NUL" grep -q "NUL" <(jq -r .reason "$TMP/nul.rej")
t "unterminated: the reason says unterminated string" grep -q "unterminated string" <(jq -r .reason "$TMP/unterminated.rej")
t "no-created-at: the reason names the member" grep -q "created_at" <(jq -r .reason "$TMP/no-created-at.rej")
# the quarantine keeps the raw bytes: as a string, or base64 when not UTF-8
sed -n 2p "$TMP/utf8" >"$TMP/want"
jq -r .raw_base64 "$TMP/utf8.rej" | base64 -d >"$TMP/got"
printf '\n' >>"$TMP/got"
same_file "$TMP/got" "$TMP/want" "utf8: raw_base64 holds the line's exact bytes"
sed -n 2p "$TMP/nul" >"$TMP/want"
jq -j .raw "$TMP/nul.rej" >"$TMP/got"
printf '\n' >>"$TMP/got"
same_file "$TMP/got" "$TMP/want" "nul: raw holds the line, NUL included"
is "$(jq -r .offset "$TMP/array.rej")" "$((${#G1} + 1))" "array: the offset is the line's byte offset"

# -- records run together on one line, as in the oldest files
printf '%s%s\n' "$G1" "$G2" >"$TMP/concat"
bronze concat
is "$rc" 0 "}{: exit 0"
printf '%s\n%s\n' "$G1" "$G2" >"$TMP/want"
same_file "$TMP/out" "$TMP/want" "}{: both records, each on its own line"
is "$(jq -c '[.records_in, .records_out]' "$TMP/concat.stats")" "[2,2]" "}{: two records in, two out"
printf '%s{"id":"5",\n' "$G1" >"$TMP/concat-bad"
bronze concat-bad -m 100%
printf '%s\n' "$G1" >"$TMP/want"
same_file "$TMP/out" "$TMP/want" "}{ with a broken second: the first is kept"
is "$(codes concat-bad)" "json " "}{ with a broken second: the second is quarantined"
t "}{ with a broken second: its raw text is the second record" test "$(jq -r .raw "$TMP/concat-bad.rej")" = '{"id":"5",'
adds_up concat-bad
# a record cut short mid-string with the next record spliced on (as on
# line 42321 of GH Archive's 2021-09-11-9.json.gz): the cut one is
# quarantined, the whole one kept
printf '%s\n' "${G1%%\"created_at\"*}\"url\":\"https://api.github.com/repos/a/b/commits/f5cf22c7$G2" >"$TMP/spliced"
bronze spliced -m 100%
is "$rc" 0 "a spliced record: exit 0"
printf '%s\n' "$G2" >"$TMP/want"
same_file "$TMP/out" "$TMP/want" "a spliced record: the whole record after the cut is kept"
is "$(codes spliced)" "truncated " "a spliced record: the cut one is quarantined as truncated"
t "a spliced record: the quarantined text ends where the next begins" \
	test "$(jq -r .raw "$TMP/spliced.rej")$G2" = "$(cat "$TMP/spliced")"
adds_up spliced

# -- line endings, blank lines, no final newline
printf '%s\r\n\r\n   \n\n%s\r\n' "$G1" "$G2" >"$TMP/crlf"
bronze crlf
is "$rc" 0 "CRLF and blank lines: exit 0"
printf '%s\n%s\n' "$G1" "$G2" >"$TMP/want"
same_file "$TMP/out" "$TMP/want" "CRLF: records written without the CR"
is "$(jq -c '[.records_in, .rejected, .blank_lines]' "$TMP/crlf.stats")" "[2,0,3]" "blank lines are not records, but are counted"
printf '%s\n%s' "$G1" "$G2" >"$TMP/no-eol"
bronze no-eol
same_file "$TMP/out" "$TMP/want" "no final newline: the last record is kept"

# -- duplicates: (id, created_at), not id alone; Timeline records by bytes
sed 's/"created_at":"[^"]*"/"created_at":"2015-01-01T16:00:00Z"/' <<<"$G1" >"$TMP/later"
{ printf '%s\n' "$G1"; cat "$TMP/later"; printf '%s\n' "$G1"; } >"$TMP/dups"
bronze dups
is "$(jq -c '[.records_in, .records_out, .duplicates]' "$TMP/dups.stats")" "[3,2,1]" \
	"same id: two created_at values are two events, the repeat is a duplicate"
adds_up dups
zcat "$REAL/2014-02-15-0.json.gz" | head -n 2 >"$TMP/tl2"
{ sed -n 1p "$TMP/tl2"; sed -n 1p "$TMP/tl2"; sed -n 2p "$TMP/tl2"; } >"$TMP/timeline"
bronze timeline
is "$(jq -c '[.records_in, .records_out, .duplicates]' "$TMP/timeline.stats")" "[3,2,1]" \
	"Timeline (no id): byte-identical records are duplicates, different ones are not"
bronze timeline --no-dedupe
is "$(jq -c '[.records_out, .duplicates]' "$TMP/timeline.stats")" "[3,0]" "--no-dedupe keeps them"

# -- deep nesting and long lines
python3 -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000 + "\n")' >"$TMP/deep"
bronze deep
is "$rc:$(codes deep)" "65:json " "100k nested brackets: rejected (deeper than 10000 levels), no crash"
t "100k nested brackets: the reason says how deep" grep -q "deeper than 10000" "$TMP/deep.rej"
python3 -c 'import sys; sys.stdout.write("[" * 10000 + "]" * 10000 + "\n")' >"$TMP/deep10k"
bronze deep10k
is "$rc:$(codes deep10k)" "65:not-object " "10000 nested brackets: valid JSON, rejected as not an object"
python3 -c 'import sys; sys.stdout.write("{\"a\":" * 100000 + "1" + "\n")' >"$TMP/deep-open"
bronze deep-open
is "$rc:$(codes deep-open)" "65:json " "100k unclosed objects: invalid JSON, no crash"
python3 - "$G1" >"$TMP/long" <<'PY'
import json, sys
e = json.loads(sys.argv[1])
e["payload"]["big"] = "x" * (8 << 20)
print(json.dumps(e, separators=(",", ":")))
PY
bronze long
is "$rc" 0 "an 8 MB valid event: exit 0"
same_file "$TMP/out" "$TMP/long" "an 8 MB valid event: written byte for byte"
{ printf '%s\n' "$G1"; head -c $((8 << 20)) /dev/zero | tr '\0' 'g'; printf '\n'; } >"$TMP/long-bad"
bronze long-bad -m 100%
is "$(jq -r .raw "$TMP/long-bad.rej" | wc -c | tr -d ' ')" "$(((8 << 20) + 1))" "an 8 MB garbage line is quarantined whole"

# -- whole files that are not GH Archive JSON at all
head -c 4096 /dev/urandom >"$TMP/random"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$TMP/png"
for c in random png; do
	bronze "$c"
	is "$rc" 65 "$c: not gzip or JSON: exit 65"
	is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "$c: nothing written"
	t "$c: the message says so" grep -q "not GH Archive JSON" "$TMP/err"
	adds_up "$c"
done
# the quarantine, lines joined again by their newlines, is the file itself
jq -r '.raw_base64 // (.raw | @base64)' "$TMP/png.rej" | while read -r b; do
	printf '%s' "$b" | base64 -d
	printf '\n'
done | head -c "$(stat -c %s "$TMP/png")" >"$TMP/got"
same_file "$TMP/got" "$TMP/png" "png: the quarantine keeps every byte, CR included"

# -- damaged gzip: every complete line first, then the damage and its offset
zcat "$REAL/2015-01-01-15.first1024.json.gz" >"$TMP/hour"
head -c 150000 "$REAL/2015-01-01-15.first1024.json.gz" >"$TMP/trunc.gz"
bronze trunc.gz
is "$rc" 65 "truncated gzip: exit 65"
t "truncated gzip: the message gives the byte offset" grep -q "truncated gzip stream: input ends at byte 150000" "$TMP/err"
n=$(jq .records_out "$TMP/trunc.gz.stats")
# the complete lines gzip(1) itself gets out of the cut file
want=$(zcat <"$TMP/trunc.gz" 2>/dev/null | tr -cd '\n' | wc -c | tr -d ' ')
is "$n" "$want" "truncated gzip: every complete line kept, as many as zcat gets out ($want)"
head -n "$n" "$TMP/hour" >"$TMP/want"
same_file "$TMP/out" "$TMP/want" "truncated gzip: the kept lines are the hour's first lines, byte for byte"
is "$(codes trunc.gz)" "truncated " "truncated gzip: the cut line is quarantined as truncated"
adds_up trunc.gz
cp "$REAL/2015-01-01-15.first1024.json.gz" "$TMP/crc.gz"
size=$(stat -c %s "$TMP/crc.gz")
printf '\x00\x00\x00\x00' | dd of="$TMP/crc.gz" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
bronze crc.gz
is "$rc" 65 "a bad gzip CRC: exit 65"
t "a bad gzip CRC: the message says so" grep -q "CRC" "$TMP/err"
: >"$TMP/zero.gz"
bronze zero.gz
is "$rc:$(jq .records_in "$TMP/zero.gz.stats")" "65:0" "a zero-byte file (a damaged hour upstream): exit 65, no records"
t "a zero-byte file: the message says empty" grep -q "empty file" "$TMP/err"
run "$BIN/gha-bronze" -s "$TMP/zero-stdin.stats" <"$TMP/zero.gz"
is "$rc" 0 "empty stdin (a pipe with nothing): exit 0"
printf '' | gzip >"$TMP/emptygz.gz"
bronze emptygz.gz
is "$rc" 0 "a gzip of nothing: exit 0"
printf '%s\n%s\n\n' "$G1" "$G1" >"$TMP/perfile"
bronze perfile
is "$(jq -c '.files[0] | [.records_in, .records_out, .rejected, .duplicates, .filtered, .blank_lines]' "$TMP/perfile.stats")" \
	"[2,1,0,1,0,1]" "per-file stats carry duplicates, filtered and blank lines"

# -- I/O errors and -o atomicity
rc=0
"$BIN/gha-bronze" "$REAL/2015-01-01-15.first1024.json.gz" >/dev/full 2>"$TMP/err" || rc=$?
is "$rc" 74 "stdout on a full disk: exit 74"
t "full disk: the message says write error" grep -q "write error" "$TMP/err"
run "$BIN/gha-bronze" -o "$TMP/o.ndjson" "$TMP/trunc.gz"
is "$rc" 65 "-o with a damaged input: exit 65"
t "-o with a damaged input: no output file, no temporary left" \
	test ! -e "$TMP/o.ndjson" -a -z "$(find "$TMP" -name 'o.ndjson.tmp*')"
run "$BIN/gha-bronze" -o "$TMP/o.ndjson" "$REAL/2015-01-01-15.first1024.json.gz"
is "$rc" 0 "-o: exit 0"
same_file "$TMP/o.ndjson" "$TMP/hour" "-o: the file holds the events"
run "$BIN/gha-bronze" -r /nonexistent/dir/rej "$TMP/hour"
is "$rc" 74 "a quarantine that cannot be created: exit 74"

# a pretty-printed document cut short costs only itself, not the
# documents after it (real REST API pages, the first one truncated)
{ head -c 3000 "$REAL/api_events_2017-07-15_quicktype.json"; echo; cat "$REAL/api_events_2014-08-05_yggie.json"; } >"$TMP/cutdoc.json"
"$BIN/gha-bronze" -q -m 100% -s "$TMP/cutdoc.stats" "$TMP/cutdoc.json" >"$TMP/cutdoc.out" 2>/dev/null
jq -c '.[]' "$REAL/api_events_2014-08-05_yggie.json" >"$TMP/cutdoc.want"
same_file "$TMP/cutdoc.out" "$TMP/cutdoc.want" "a truncated pretty document: every event of the next document kept"
is "$(jq '.records_in == .records_out + .rejected + .duplicates' "$TMP/cutdoc.stats")" true \
	"a truncated pretty document: in = out + rejected + duplicates"

# ... while an array whose elements start flush left, with indented
# continuation lines, is still one document
python3 - "$TMP/flush.want" >"$TMP/flush.json" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1].replace("flush.want", "good"))][:3]
print("[")
with open(sys.argv[1], "w") as want:
    for i, e in enumerate(evs):
        p = e.pop("payload", {})
        head = json.dumps(e)[:-1]
        print(head + ",\n  \"payload\": " + json.dumps(p) + "}" + ("," if i < len(evs) - 1 else ""))
        # the same tokens (escapes, numbers) without the whitespace
        e["payload"] = p
        want.write(json.dumps(e, separators=(",", ":")) + "\n")
print("]")
PY
run "$BIN/gha-bronze" -q "$TMP/flush.json"
is "$rc" 0 "an array with elements flush left: exit 0"
# on bytes: gha-bronze removes the whitespace between tokens and keeps
# the tokens as they are (a \uXXXX escape stays one: jq -c would not)
same_file "$TMP/out" "$TMP/flush.want" "an array with elements flush left, continued indented: every event"

# libjq 1.6 leaves its input and debug callbacks unset: never a crash
for e in input debug 'include "x"; .'; do
	run "$BIN/gha-bronze" -f "$e" "$REAL/2015-01-01-15.first1024.json.gz"
	t "--filter '$e': no crash (exit 0 or 64)" test "$rc" = 0 -o "$rc" = 64
done

done_testing
