#!/usr/bin/env bash
# No silent loss in gha-bronze: an output that is an input is a usage
# error before anything is written; a jq filter that fails on events
# counts like a reject, and the run says so.
. "$(dirname "$0")/lib.sh"

# --- an output that is also an input: exit 64, the input untouched
cp "$REAL/2015-01-01-15.first1024.json.gz" "$TMP/h.json.gz"
cp "$TMP/h.json.gz" "$TMP/orig.json.gz"
ln "$TMP/h.json.gz" "$TMP/hard.json.gz"
ln -s h.json.gz "$TMP/sym.json.gz"
for opt in -o -s -r; do
	for name in h hard sym; do
		run "$BIN/gha-bronze" "$opt" "$TMP/$name.json.gz" "$TMP/h.json.gz"
		is "$rc" 64 "$opt $name.json.gz naming the input h.json.gz: exit 64"
		same_file "$TMP/h.json.gz" "$TMP/orig.json.gz" "$opt $name.json.gz: the input is untouched"
	done
done
t "the message names both" grep -q "output '$TMP/sym.json.gz' is the input '$TMP/h.json.gz'" "$TMP/err"
run "$BIN/gha-bronze" -o "$TMP/h.json.gz" <"$TMP/h.json.gz"
is "$rc" 64 "-o naming the file on stdin: exit 64"
rc=0
"$BIN/gha-bronze" "$TMP/h.json.gz" >>"$TMP/h.json.gz" 2>"$TMP/err" || rc=$?
is "$rc" 64 "stdout appending to the input: exit 64"
same_file "$TMP/h.json.gz" "$TMP/orig.json.gz" "stdout on the input: the input is untouched"
t "no temporary left beside the input" test -z "$(find "$TMP" -name '*.tmp.*')"
: >"$TMP/st.json"
ln "$TMP/st.json" "$TMP/st2.json"
run "$BIN/gha-bronze" -o /dev/null -s "$TMP/st.json" -r "$TMP/st2.json" "$TMP/h.json.gz"
is "$rc" 64 "two outputs on one file (a hard link): exit 64"
run "$BIN/gha-bronze" -o "$TMP/new.ndjson" -s "$TMP/new.stats" "$TMP/h.json.gz"
is "$rc" 0 "distinct outputs that are no input: exit 0"

# --- jq filter errors: Timeline events have a string actor, so
# .actor.login fails on them; 2015 events have an object
zcat "$REAL/timeline_2014-06-01-08_gh4j.json.gz" >"$TMP/mix.json"
zcat "$REAL/2015-01-01-15.first1024.json.gz" >>"$TMP/mix.json"
prog='.actor.login|test("b")'
# the truth, from jq itself: what the program does to each record
jq -r "try ($prog | if . then \"keep\" else \"drop\" end) catch \"error\"" "$TMP/mix.json" |
	sort | uniq -c | awk '{print $2 "=" $1}' >"$TMP/truth"
want_err=$(sed -n 's/^error=//p' "$TMP/truth")
want_drop=$(sed -n 's/^drop=//p' "$TMP/truth")
want_keep=$(sed -n 's/^keep=//p' "$TMP/truth")
t "the sample mixes errors, drops and keeps" test "${want_err:-0}" -gt 0 -a "${want_drop:-0}" -gt 0 -a "${want_keep:-0}" -gt 0

run "$BIN/gha-bronze" -q -D -s "$TMP/f.stats" -f "$prog" "$TMP/mix.json"
is "$rc" 1 "-q: filter errors over the reject rate: exit 1 (-q does not hide it)"
is "$(jq -c '[.filter_errors, .filtered, .records_out, .rejected]' "$TMP/f.stats")" \
	"[$want_err,$want_drop,$want_keep,0]" "stats: filter_errors, filtered, out agree with jq"
is "$(jq '.records_in - .records_out - .rejected - .duplicates - .filtered - .filter_errors' "$TMP/f.stats")" 0 \
	"in = out + rejected + duplicates + filtered + filter_errors"
is "$(jq '[.files[].filter_errors] | add' "$TMP/f.stats")" "$want_err" "per-file filter_errors add up"
is "$(wc -l <"$TMP/out" | tr -d ' ')" "$want_keep" "the kept events are written"
t "the end of the run says how many errored and how many were filtered" \
	grep -q "jq filter failed on $want_err of $((want_err + want_drop + want_keep)) events (dropped); $want_drop filtered out" "$TMP/err"
t "and why it failed" grep -q "reject rate .* (filter errors included) is over --max-reject-rate" "$TMP/err"

run "$BIN/gha-bronze" -D -m 100% -f "$prog" "$TMP/mix.json"
is "$rc" 0 "filter errors within --max-reject-rate 100%: exit 0"
t "still summed up" grep -q "jq filter failed on $want_err of" "$TMP/err"
t "the first error is shown with FILE:LINE" grep -q "^gha-bronze: $TMP/mix.json:1: jq error" "$TMP/err"
t "at most 10 errors shown one by one" test "$(grep -c ': jq error' "$TMP/err")" -le 10

# a rate that counts the errors: one error in three events
{ zcat "$REAL/timeline_2014-06-01-08_gh4j.json.gz" | head -n 1
  zcat "$REAL/2015-01-01-15.first1024.json.gz" | head -n 2; } >"$TMP/third"
for r in 0.3:1 0.34:0; do
	run "$BIN/gha-bronze" -q -m "${r%%:*}" -f '.actor.login' "$TMP/third"
	is "$rc" "${r#*:}" "--max-reject-rate ${r%%:*} with 1 filter error in 3 events: exit ${r#*:}"
done

# gha-silver's filter: the same counts, -f and -w alike
run "$BIN/gha-silver" -q -D -s "$TMP/s.stats" -f "$prog" "$TMP/mix.json"
is "$rc" 1 "gha-silver -f: filter errors over the reject rate: exit 1"
is "$(jq -c '[.filter_errors, .filtered, .event_rows]' "$TMP/s.stats")" "[$want_err,$want_drop,$want_keep]" \
	"gha-silver stats: filter_errors, filtered, rows agree with jq"
cp "$TMP/out" "$TMP/silver-f.tsv"
run "$BIN/gha-silver" -q -D -w "$prog" "$TMP/mix.json"
same_file "$TMP/out" "$TMP/silver-f.tsv" "gha-silver -w is -f"

# an event type holding \u0000 is one key of events_by_type, as jq sees it
for i in 1 2 3; do
	printf '{"id":"%s","type":"A\\u0000B","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"a/b"},"created_at":"2015-01-01T00:00:0%sZ"}\n' "$i" "$i"
done >"$TMP/nul.json"
printf '{"id":"9","type":"A","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"a/b"},"created_at":"2015-01-01T00:00:09Z"}\n' >>"$TMP/nul.json"
run "$BIN/gha-bronze" -s "$TMP/nul.stats" "$TMP/nul.json"
is "$rc:$(jq -c .events_by_type "$TMP/nul.stats")" \
	"0:$(jq -s -c 'group_by(.type) | map({(.[0].type): length}) | add' "$TMP/nul.json")" \
	"a type with \\u0000 is one key of events_by_type, as jq groups it"
done_testing
