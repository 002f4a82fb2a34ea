#!/usr/bin/env bash
# A wrong base URL is not a range of missing hours: when every hour asked
# for is a 404 (and none a known gap), gha-fetch exits 69 and records
# nothing. --mark-missing records real gaps with the URL they were missing
# at, so another URL asks again. Real local HTTP server.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/server.sh"

M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$M/"
server_start "$M" || { not_ok "start the test server"; done_testing; exit 1; }
F=(-q --retries 0 --mark-missing)

# a base URL with a wrong path: every hour 404s
D=$TMP/wrong
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "$BASE/nope" 2015-01-01-0 2015-01-01-3
is "$rc" 69 "every hour 404: exit 69"
is "$(cat "$TMP/err")" "gha-fetch: no hour of 2015-01-01-0..2015-01-01-3 at $BASE/nope: is the base URL right?" \
	"every hour 404: one message naming the range and the URL"
is "$(requests_since "$m0")" 4 "every hour 404: each hour was asked for once"
is "$(find "$D" -name '*.missing' | wc -l | tr -d ' ')" 0 "every hour 404: no .missing marker"
is "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "every hour 404: no path printed"
# credentials never reach the message
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "http://u:s3cret@${BASE#http://}/nope" 2015-01-01-2
is "$rc:$(grep -c s3cret "$TMP/err")" "69:0" "every hour 404 with credentials in the URL: exit 69, no password shown"
# a file:// mirror without the hours: the same
mkdir -p "$TMP/emptymirror"
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "file://$TMP/emptymirror" 2015-01-01-0 2015-01-01-1
is "$rc" 69 "file:// mirror with none of the hours: exit 69"

# the right URL afterwards: every hour that is there is fetched, the one
# that is not is recorded against the URL (credentials hidden)
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "http://u:s3cret@${BASE#http://}" 2015-01-01-0 2015-01-01-2
is "$rc" 66 "the right URL: exit 66 (one hour missing upstream)"
is "$(requests_since "$m0")" 3 "the right URL: every hour asked for (nothing was recorded before)"
same_file "$D/2015-01-01-1.json.gz" "$M/2015-01-01-1.json.gz" "the right URL: the hours that are there"
is "$(cat "$D/2015-01-01-2.missing" 2>/dev/null)" "http://***@${BASE#http://}" \
	"the marker records the base URL, without the password"
t "no marker for hours in place" test ! -e "$D/2015-01-01-0.missing" -a ! -e "$D/2015-01-01-1.missing"

# the same URL again: no request for the recorded hour
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "http://u:other@${BASE#http://}" 2015-01-01-0 2015-01-01-2
is "$rc:$(requests_since "$m0")" "66:0" "the same URL again: exit 66, no request"
run "$BIN/gha-fetch" --retries 0 --mark-missing -d "$D" --base-url "http://u:s3cret@${BASE#http://}" 2015-01-01-2
t "the same URL, not quiet: says where it is recorded" grep -q "2015-01-01-2: missing upstream (recorded in $D/2015-01-01-2.missing)" "$TMP/err"

# another URL, which has the hour: asked again without any retry switch,
# and the marker goes
M2=$TMP/mirror2
mkdir -p "$M2"
cp "$M"/*.json.gz "$M2/"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M2/2015-01-01-2.json.gz"
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "http://u:s3cret@${BASE#http://}/" 2015-01-01-2
is "$rc:$(requests_since "$m0")" "66:0" "the same URL with a trailing slash is the same URL"
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "file://$M2" 2015-01-01-0 2015-01-01-2
is "$rc" 0 "another base URL: asks again, exit 0"
same_file "$D/2015-01-01-2.json.gz" "$M2/2015-01-01-2.json.gz" "another base URL: the hour fetched"
t "another base URL: the marker is gone" test ! -e "$D/2015-01-01-2.missing"

# a marker of an older gha (the hour's name, no URL) asks again
D2=$TMP/old
mkdir -p "$D2"
echo 2015-01-01-2 >"$D2/2015-01-01-2.missing"
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D2" --base-url "$BASE" 2015-01-01-1 2015-01-01-2
is "$rc:$(requests_since "$m0" /2015-01-01-2.json.gz)" "66:1" "a marker without a URL: asked again"
is "$(cat "$D2/2015-01-01-2.missing")" "$BASE" "a marker without a URL: rewritten with the URL"

# a known gap is not a sign of a wrong URL: exit 66, recorded
run "$BIN/gha-fetch" "${F[@]}" -d "$TMP/known" --base-url "$BASE" 2016-10-21-17 2016-10-21-18
is "$rc" 66 "404 for every hour, one a known gap: exit 66"
t "404 for every hour, one a known gap: both recorded" test -f "$TMP/known/2016-10-21-17.missing" -a -f "$TMP/known/2016-10-21-18.missing"

# hours already in place and the others 404: not every hour is gone, so
# they are recorded, but against the URL that lacked them
run "$BIN/gha-fetch" "${F[@]}" -d "$D2" --base-url "$BASE/nope" 2015-01-01-1 2015-01-01-3
is "$rc:$(cat "$D2/2015-01-01-3.missing")" "66:$BASE/nope" "an hour in place, the others 404: exit 66, recorded against that URL"
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D2" --base-url "$BASE" 2015-01-01-1 2015-01-01-3
is "$(requests_since "$m0")" 2 "... and the right URL asks for them again"

# without --mark-missing, no marker is ever written
run "$BIN/gha-fetch" -q --retries 0 -d "$TMP/plain" --base-url "$BASE" 2015-01-01-1 2015-01-01-2
is "$rc:$(find "$TMP/plain" -name '*.missing' | wc -l | tr -d ' ')" "66:0" "without --mark-missing: exit 66, no marker"
run "$BIN/gha-fetch" --mark-missing -o "$TMP/x.gz" --base-url "$BASE" 2015-01-01-1
is "$rc" 64 "--mark-missing with -o: exit 64"

done_testing
