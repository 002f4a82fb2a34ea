#!/usr/bin/env bash
# make ingest with a wrong base URL records nothing and says so; markers
# name the URL, so the right URL asks again; a DATA make cannot use is
# said first; a relative DATA is the caller's directory.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/server.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

mkdir -p "$TMP/mirror"
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$TMP/mirror/"
server_start "$TMP/mirror" || { not_ok "start the test server"; done_testing; exit 1; }
MK=(BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" GHA_FETCH_FLAGS="--retries 0")

D=$TMP/data
run make -s -C "$TOP" ingest FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$D" GHA_BASE_URL="$BASE/wrong" "${MK[@]}"
t "a wrong base URL: make ingest fails" test "$rc" -ne 0
t "a wrong base URL: says so" grep -q "gha-fetch: no hour of 2015-01-01-0..2015-01-01-2 at $BASE/wrong: is the base URL right?" "$TMP/err"
is "$(find "$D" -name '*.missing' | wc -l | tr -d ' ')" 0 "a wrong base URL: no .missing marker"
t "a wrong base URL: not reported as missing upstream" test "$(grep -c 'missing upstream' "$TMP/err")" = 0

m0=$(mark)
run make -s -C "$TOP" ingest FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$D" GHA_BASE_URL="$BASE" "${MK[@]}"
is "$rc" 0 "then the right URL: exit 0"
is "$(requests_since "$m0")" 3 "then the right URL: every hour asked for"
t "then the right URL: the hours reach silver" test -f "$D/silver/2015-01-01-0.events.tsv.gz" -a -f "$D/silver/2015-01-01-1.events.tsv.gz"
is "$(cat "$D/raw/2015-01-01-2.missing")" "$BASE" "the missing hour's marker names the URL"

m0=$(mark)
run make -s -C "$TOP" ingest FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$D" GHA_BASE_URL="$BASE" "${MK[@]}"
is "$rc:$(requests_since "$m0")" "0:0" "the same URL again: exit 0, no request"

# another mirror that has the hour: asked again without RETRY_MISSING
M2=$TMP/mirror2
mkdir -p "$M2"
cp "$TMP/mirror/"*.json.gz "$M2/"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M2/2015-01-01-2.json.gz"
run make -s -C "$TOP" ingest FROM=2015-01-01-0 TO=2015-01-01-2 DATA="$D" GHA_BASE_URL="file://$M2" "${MK[@]}"
is "$rc" 0 "another base URL: exit 0"
t "another base URL: the hour recorded missing is fetched and reaches silver" test -f "$D/silver/2015-01-01-2.events.tsv.gz"
t "another base URL: its marker is gone" test ! -e "$D/raw/2015-01-01-2.missing"

# a DATA with a space: the reason first, no make warnings
run make -C "$TOP" ingest FROM=2015-01-01-0 DATA="$TMP/my data" "${MK[@]}"
t "DATA with a space: fails" test "$rc" -ne 0
t "DATA with a space: the first line says why" grep -q "^gha: DATA must name one directory, without spaces" <(head -n 1 "$TMP/err")
is "$(grep -ci warning "$TMP/err")" 0 "DATA with a space: no make warnings"
t "DATA with a space: nothing made" test ! -e "$TMP/my data" -a ! -e "$TMP/my"

# a relative DATA is taken from the caller's directory
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && make -s -C "$TOP" ingest FROM=2015-01-01-0 DATA=rel GHA_BASE_URL="$BASE" "${MK[@]}" >/dev/null 2>&1)
is "$?" 0 "make -C TOP ingest DATA=rel from elsewhere: exit 0"
t "DATA=rel: the data is in the caller's directory" test -f "$TMP/cwd/rel/silver/2015-01-01-0.events.tsv.gz"
t "DATA=rel: nothing in the checkout" test ! -e "$TOP/rel"

done_testing
