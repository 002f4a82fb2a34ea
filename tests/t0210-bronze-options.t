#!/usr/bin/env bash
# gha-bronze's options: --filter against jq, rates, stdin, missing files.
. "$(dirname "$0")/lib.sh"
f=$REAL/2015-01-01-0.json.gz
zcat "$f" >"$TMP/hour"

run "$BIN/gha-bronze" -s "$TMP/st" -f '.type == "PushEvent"' "$f"
is "$rc" 0 "--filter: exit 0"
grep '"type":"PushEvent"' "$TMP/hour" >"$TMP/want"
same_file "$TMP/out" "$TMP/want" "--filter keeps exactly the push events, byte for byte"
is "$(wc -l <"$TMP/out" | tr -d ' ')" "$(jq -c 'select(.type == "PushEvent")' "$TMP/hour" | wc -l | tr -d ' ')" \
	"--filter count equals jq's select"
is "$(jq '.records_in - .records_out - .filtered' "$TMP/st")" 0 "--filter: filtered events are counted"
run "$BIN/gha-bronze" -f '.payload.size > 5 and .repo.name != null' "$f"
is "$rc" 0 "a compound --filter: exit 0"
is "$(wc -l <"$TMP/out" | tr -d ' ')" "$(jq -c 'select(.payload.size > 5 and .repo.name != null)' "$TMP/hour" | wc -l | tr -d ' ')" \
	"a compound --filter agrees with jq"
run "$BIN/gha-bronze" -f 'error("boom")' "$f"
is "$rc:$(wc -c <"$TMP/out" | tr -d ' ')" "0:0" "a filter that errors drops the event, exit 0"
t "a filter error is reported with FILE:LINE" grep -q "^gha-bronze: $f:1: jq error: boom" "$TMP/err"
run "$BIN/gha-bronze" -f '.[' "$f"
is "$rc" 64 "a jq program that does not compile: exit 64"
t "its message is on one line" test "$(wc -l <"$TMP/err")" = 1

printf '%s\n' "$(head -n 1 "$TMP/hour")" 'oops' "$(sed -n 2p "$TMP/hour")" >"$TMP/third-bad"
for r in 0.3:1 0.34:0 40%:0 33%:1 0:1 1:0; do
	run "$BIN/gha-bronze" -q -m "${r%%:*}" "$TMP/third-bad"
	is "$rc" "${r#*:}" "--max-reject-rate ${r%%:*} with 1 of 3 rejected: exit ${r#*:}"
done
for bad in abc -1 2 150% ""; do
	run "$BIN/gha-bronze" -m "$bad" "$TMP/third-bad"
	is "$rc" 64 "--max-reject-rate '$bad': exit 64"
done
run "$BIN/gha-bronze" -q "$TMP/third-bad"
t "-q: no per-record warnings" test "$(grep -c "third-bad:2:" "$TMP/err")" = 0
t "-q: the reason for exit 1 is still given" grep -q "over --max-reject-rate" "$TMP/err"

run "$BIN/gha-bronze" - <"$TMP/hour"
is "$rc" 0 "stdin as -: exit 0"
same_file "$TMP/out" "$TMP/hour" "stdin via -"
run "$BIN/gha-bronze" <"$TMP/hour"
is "$rc" 0 "stdin as no argument: exit 0"
same_file "$TMP/out" "$TMP/hour" "stdin with no argument"
head -n 3 "$TMP/hour" >"$TMP/three"
run "$BIN/gha-bronze" -r "$TMP/rej" -s "$TMP/st" - <"$TMP/three"
is "$rc" 0 "three events on stdin: exit 0"
is "$(jq -r '.files[0].name' "$TMP/st")" "<stdin>" "stdin is named <stdin> in the stats"

run "$BIN/gha-bronze" -s "$TMP/st" "$TMP/no-such-file" "$f"
is "$rc" 66 "a missing file among good ones: exit 66"
same_file "$TMP/out" "$TMP/hour" "the other files are still processed"
t "the missing file is named" grep -q "cannot open '$TMP/no-such-file'" "$TMP/err"
is "$(jq -r '.files[0].status' "$TMP/st" | grep -c 'cannot open')" 1 "the stats record the failure per file"
run "$BIN/gha-bronze" "$TMP"
is "$rc" 66 "a directory as input: exit 66 (an input that cannot be opened)"
t "a directory as input: the message says so" grep -qF "gha-bronze: $TMP: is a directory" "$TMP/err"
run "$BIN/gha-bronze" --version
is "$rc:$(cut -d' ' -f1 "$TMP/out")" "0:gha-bronze" "--version"
# outputs through links: /dev/stderr redirected to a file is appended to,
# and stays a link; a link to a file keeps being a link
f=$REAL/api_events_2014-08-05_yggie.json
echo '{"a":1}' >"$TMP/bad.json"
rc=0
"$BIN/gha-bronze" -m 100% -r /dev/stderr "$TMP/bad.json" 2>"$TMP/stderr.file" >/dev/null || rc=$?
is "$rc" 65 "-r /dev/stderr into a file: exit 65 (no valid event in the input)"
t "-r /dev/stderr into a file: the reject record is there" grep -q '"code":"missing-field"' "$TMP/stderr.file"
t "-r /dev/stderr into a file: the messages are kept too" grep -q "missing member 'type'" "$TMP/stderr.file"
t "/dev/stderr is still a symbolic link" test -L /dev/stderr
echo old >"$TMP/target"
ln -s "$TMP/target" "$TMP/link"
run "$BIN/gha-bronze" -o "$TMP/link" "$f"
is "$rc" 0 "-o LINK: exit 0"
t "-o LINK: still a link" test -L "$TMP/link"
is "$(wc -l <"$TMP/target" | tr -d ' ')" "$(jq length "$f")" "-o LINK: the file it leads to holds the events"
ln -s "$TMP/made-by-link" "$TMP/dangling"
run "$BIN/gha-bronze" -o "$TMP/dangling" "$f"
t "-o to a dangling link: the link stays, its target is made" test -L "$TMP/dangling" -a -s "$TMP/made-by-link"
run "$BIN/gha-bronze" -o "$TMP/same" -s "$TMP/./same" "$f"
is "$rc" 64 "-o and -s naming one file: exit 64"
run "$BIN/gha-bronze" -r /dev/null -s /dev/null "$f"
is "$rc" 0 "-r and -s both /dev/null: fine"
run "$BIN/gha-bronze" -m 0x1 "$f"
is "$rc" 64 "-m 0x1: exit 64"
run "$BIN/gha-bronze" --bogus
t "an unknown option: the message starts 'gha-bronze: '" grep -q "^gha-bronze: unrecognized option" "$TMP/err"

# a write error ends the run even while the input is still open (a pipe
# from a slow producer, tail -f): it does not wait for more input
rm -f "$TMP/ended"
{ cat "$REAL/2015-01-01-0.json.gz"; sleep 60 & echo $! >"$TMP/sleeper"; wait; } |
	{ "$BIN/gha-bronze" -q >/dev/full 2>/dev/null; echo $? >"$TMP/ended"; } >/dev/null 2>&1 &
for _ in $(seq 300); do
	[ -s "$TMP/ended" ] && break
	sleep 0.1
done
is "$(cat "$TMP/ended" 2>/dev/null)" 74 "a write error with the input still open: exit 74 before the input ends"
kill "$(cat "$TMP/sleeper")" 2>/dev/null
wait

done_testing
