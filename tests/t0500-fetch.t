#!/usr/bin/env bash
# gha-fetch against a real HTTP server on 127.0.0.1 with injected faults:
# the end state is the verified file or a clear report with the documented
# status, never a corrupt file under the final name, and the ledger agrees.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/server.sh"

M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$M/"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M/2015-01-01-2.json.gz"
server_start "$M" || { not_ok "start the test server"; done_testing; exit 1; }
F=(--retries 4 -q)

ledger_status() {	# ledger_status DIR HOUR: the statuses logged for HOUR, in order
	awk -F'\t' -v h="$2" '$1 == h { printf "%s ", $3 }' "$1/.gha-fetch.log"
}
intact() {	# intact DIR HOUR: the final file, if any, is the served one
	[ ! -e "$1/$2.json.gz" ] || cmp -s "$1/$2.json.gz" "$M/$2.json.gz"
}
fault() {	# fault HOUR FAULT...: the only fault in force
	echo "$1.json.gz ${*:2}" >"$FAULTS"
}

# a plain range, in parallel
D=$TMP/d1
run "$BIN/gha-fetch" "${F[@]}" -j 2 -d "$D" --base-url "$BASE" 2015-01-01-0 2015-01-01-2
is "$rc" 0 "three hours: exit 0"
is "$(cat "$TMP/out")" "$(printf '%s\n' "$D"/2015-01-01-{0,1,2}.json.gz)" "prints the paths in hour order"
for h in 2015-01-01-0 2015-01-01-1 2015-01-01-2; do
	same_file "$D/$h.json.gz" "$M/$h.json.gz" "$h: the served bytes"
	is "$(awk -F'\t' -v h="$h" '$1 == h && $3 == "ok" { print $6 }' "$D/.gha-fetch.log")" \
		"$(sha256sum "$M/$h.json.gz" | cut -d' ' -f1)" "$h: ledger sha256 equals sha256sum"
done
t "no .part left" test -z "$(find "$D" -name '*.part*')"

# idempotent: a second run makes no request
m0=$(mark)
run "$BIN/gha-fetch" "${F[@]}" -d "$D" --base-url "$BASE" 2015-01-01-0 2015-01-01-2
is "$rc:$(requests_since "$m0")" "0:0" "second run: exit 0 and no request"
run "$BIN/gha-fetch" "${F[@]}" --refresh -d "$D" --base-url "$BASE" 2015-01-01-0
is "$rc" 0 "--refresh: exit 0"
is "$(jq -r 'select(.path == "/2015-01-01-0.json.gz") | .status' "$SRVLOG" | tail -n 1)" 304 "--refresh asks conditionally and gets 304"
is "$(ledger_status "$D" 2015-01-01-0)" "ok not-modified " "--refresh: ledger says not-modified"

# each fault: either the verified file, or a clear report
check() {	# check DESC WANT_RC WANT_LEDGER HOUR [fetch args]
	local desc=$1 want=$2 wl=$3 h=$4 d=$TMP/f.$RANDOM
	shift 4
	run "$BIN/gha-fetch" "${F[@]}" -d "$d" --base-url "$BASE" "$@" "$h"
	is "$rc" "$want" "$desc: exit $want"
	is "$(ledger_status "$d" "$h")" "$wl" "$desc: ledger '$wl'"
	t "$desc: never a bad file under the final name" intact "$d" "$h"
	if [ "$want" = 0 ]; then
		same_file "$d/$h.json.gz" "$M/$h.json.gz" "$desc: the verified file"
	else
		t "$desc: no final file" test ! -e "$d/$h.json.gz"
	fi
	LAST=$d
}
fault 2015-01-01-1 fail500 2
check "500, 500, then 200" 0 "retry retry ok " 2015-01-01-1
fault 2015-01-01-1 retry503 1
check "503 with Retry-After" 0 "retry ok " 2015-01-01-1
fault 2015-01-01-1 tooMany 1
check "429" 0 "retry ok " 2015-01-01-1
fault 2015-01-01-1 reset 500000
check "connection reset mid-body" 0 "retry ok " 2015-01-01-1
t "after a reset, the transfer resumes with a Range request" \
	grep -Eq '^bytes=[1-9][0-9]*-$' <(jq -r 'select(.path == "/2015-01-01-1.json.gz") | .range' "$SRVLOG" | tail -n 1)
fault 2015-01-01-1 short 300000:1
check "body shorter than Content-Length" 0 "retry ok " 2015-01-01-1
fault 2015-01-01-1 stall 200000 30
check "a stalled transfer" 0 "retry ok " 2015-01-01-1 --stall-time 1
fault 2015-01-01-1 missing
check "404" 66 "missing " 2015-01-01-1
t "404: the message says missing upstream" grep -q "2015-01-01-1: missing upstream" "$TMP/err"
fault 2015-01-01-1 corrupt 1
check "a corrupt gzip once, with status 200" 0 "retry ok " 2015-01-01-1
fault 2015-01-01-1 corrupt
check "a corrupt gzip every time" 65 "retry retry retry retry corrupt " 2015-01-01-1
printf '%s\n' "2015-01-01-1.json.gz norange" "2015-01-01-1.json.gz reset 500000" >"$FAULTS"
check "reset on a server without ranges" 0 "retry ok " 2015-01-01-1
fault 2015-01-01-1 fail500 100
check "500 every time" 75 "retry failed " 2015-01-01-1 --retries 1
t "temporary failure: the message says giving up" grep -q "giving up" "$TMP/err"
: >"$FAULTS"
run "$BIN/gha-fetch" "${F[@]}" -d "$TMP/known" --base-url "$BASE" 2016-10-21-18
is "$rc" 66 "a known gap: exit 66"
is "$(ledger_status "$TMP/known" 2016-10-21-18)" "known-missing " "a known gap: ledger says known-missing"

# kill -9 mid-download, then a rerun: resumed and verified
fault 2015-01-01-0 slow 300000
K=$TMP/kill
"$BIN/gha-fetch" -q -d "$K" --base-url "$BASE" 2015-01-01-0 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -s "$K/2015-01-01-0.json.gz.part" ] && break
	sleep 0.1
done
{ kill -9 "$pid"; wait "$pid"; } 2>/dev/null
t "killed: no final file" test ! -e "$K/2015-01-01-0.json.gz"
t "killed: a .part and its validators remain" test -s "$K/2015-01-01-0.json.gz.part" -a -s "$K/2015-01-01-0.json.gz.part.meta"
: >"$FAULTS"
run "$BIN/gha-fetch" "${F[@]}" -d "$K" --base-url "$BASE" 2015-01-01-0
is "$rc" 0 "rerun after kill -9: exit 0"
same_file "$K/2015-01-01-0.json.gz" "$M/2015-01-01-0.json.gz" "rerun after kill -9: the verified file"
is "$(jq -c 'select(.path == "/2015-01-01-0.json.gz" and .status == 206 and .if_range != null
	and (.range | test("^bytes=[1-9][0-9]*-$")))' "$SRVLOG" | wc -l | tr -d ' ')" 1 \
	"rerun after kill -9: one Range request with If-Range, answered 206"

# two concurrent runs on one directory: no corruption, each hour fetched once
fault 2015-01-01-0 slow 2000000
C=$TMP/conc
m0=$(mark)
"$BIN/gha-fetch" -q -d "$C" --base-url "$BASE" 2015-01-01-0 2015-01-01-2 >"$TMP/c1" 2>&1 &
p1=$!
"$BIN/gha-fetch" -q -d "$C" --base-url "$BASE" 2015-01-01-0 2015-01-01-2 >"$TMP/c2" 2>&1 &
p2=$!
r1=0 r2=0
wait "$p1" || r1=$?
wait "$p2" || r2=$?
: >"$FAULTS"
is "$r1:$r2" "0:0" "two concurrent runs: both exit 0"
is "$(requests_since "$m0")" 3 "two concurrent runs: each hour requested once"
for h in 2015-01-01-0 2015-01-01-1 2015-01-01-2; do
	same_file "$C/$h.json.gz" "$M/$h.json.gz" "two concurrent runs: $h intact"
done
is "$(grep -c $'\tok\t' "$C/.gha-fetch.log")" 3 "two concurrent runs: three ok lines in the ledger"

# -O - streams one verified hour; nothing at all when it never verifies
run "$BIN/gha-fetch" -q --base-url "$BASE" -O - 2015-01-01-2
is "$rc" 0 "-O -: exit 0"
same_file "$TMP/out" "$M/2015-01-01-2.json.gz" "-O -: the hour's bytes on stdout"
fault 2015-01-01-2 corrupt
run "$BIN/gha-fetch" -q --retries 1 --base-url "$BASE" -O - 2015-01-01-2
is "$rc:$(wc -c <"$TMP/out" | tr -d ' ')" "65:0" "-O - of a corrupt hour: exit 65, nothing written"
: >"$FAULTS"
run "$BIN/gha-fetch" -q --base-url "$BASE" -O /dev/full 2015-01-01-2
is "$rc" 74 "-O /dev/full: exit 74"

# file:// mirrors and GHA_BASE_URL
run env GHA_BASE_URL="file://$M" "$BIN/gha-fetch" -q -d "$TMP/file" 2015-01-01-2
is "$rc" 0 "GHA_BASE_URL=file://...: exit 0"
same_file "$TMP/file/2015-01-01-2.json.gz" "$M/2015-01-01-2.json.gz" "file:// mirror: the verified file"

# credentials are never printed
run "$BIN/gha-fetch" -v -d "$TMP/cred" --base-url "http://user:s3cret@${BASE#http://}" 2015-01-01-2
is "$rc" 0 "credentials in the URL: exit 0"
t "credentials are not printed" test "$(grep -c s3cret "$TMP/err" "$TMP/out" "$TMP/cred/.gha-fetch.log" | awk -F: '{ s += $2 } END { print s }')" = 0

# a progress line on a terminal, none otherwise
if command -v script >/dev/null; then
	rc=0
	script -qec "'$BIN/gha-fetch' -d '$TMP/tty' --base-url '$BASE' 2015-01-01-0 2015-01-01-2" /dev/null >"$TMP/tty.out" 2>&1 || rc=$?
	is "$rc" 0 "on a terminal: exit 0"	# script -e passes the status on
	t "on a terminal: a progress line with hours done" grep -q "gha-fetch: 3/3 hours" "$TMP/tty.out"
	run "$BIN/gha-fetch" -d "$TMP/notty" --base-url "$BASE" 2015-01-01-0
	is "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "not a terminal: no progress on stderr"
else
	skip "script(1) not installed: the progress line on a terminal is not tested"
fi

# hour names and usage
run "$BIN/gha-fetch" -n 2015-01-01-22 2015-01-02T01
is "$(tr '\n' ' ' <"$TMP/out")" "2015-01-01-22 2015-01-01-23 2015-01-02-0 2015-01-02-1 " "-n: hour names across midnight, not zero-padded"
run "$BIN/gha-fetch" -n 2016-02-29
is "$(wc -l <"$TMP/out" | tr -d ' '):$(head -n 1 "$TMP/out"):$(tail -n 1 "$TMP/out")" "24:2016-02-29-0:2016-02-29-23" "-n: a whole day (a leap day)"
for bad in "2015-01-01-24" "2015-02-30-0" "2015-1-1-0" "yesterday"; do
	run "$BIN/gha-fetch" -n "$bad"
	is "$rc" 64 "bad hour '$bad': exit 64"
done
run "$BIN/gha-fetch" -n 2015-01-02-0 2015-01-01-0
is "$rc" 64 "a range that ends before it starts: exit 64"
run "$BIN/gha-fetch" -O - 2015-01-01-0 2015-01-01-1
is "$rc" 64 "-O with more than one hour: exit 64"
run "$BIN/gha-fetch" -j 0 2015-01-01-0
is "$rc" 64 "-j 0: exit 64"
run "$BIN/gha-fetch" -j 65 2015-01-01-0
is "$rc" 64 "-j 65 (more than 64 transfers): exit 64"

# the default directory, data/raw, is made with its parents
mkdir -p "$TMP/fresh"
ABIN=$(cd "$BIN" && pwd)
(cd "$TMP/fresh" && "$ABIN/gha-fetch" -q --base-url "$BASE" 2015-01-01-2 >out 2>err)
is "$?:$(cat "$TMP/fresh/out")" "0:data/raw/2015-01-01-2.json.gz" "default -d data/raw in a fresh directory: made, exit 0"
run "$BIN/gha-fetch" -q -d "$TMP/deep/er/dir/" --base-url "$BASE" 2015-01-01-2
is "$rc:$(cat "$TMP/out")" "0:$TMP/deep/er/dir/2015-01-01-2.json.gz" "-d DIR/ with missing parents: made; paths without '//'"

# a file under the final name that is not gzip (not ours): fetched again
mkdir -p "$TMP/touched"
: >"$TMP/touched/2015-01-01-2.json.gz"
run "$BIN/gha-fetch" -q -d "$TMP/touched" --base-url "$BASE" 2015-01-01-2
is "$rc" 0 "an empty file under the final name: exit 0"
same_file "$TMP/touched/2015-01-01-2.json.gz" "$M/2015-01-01-2.json.gz" "an empty file under the final name: replaced by the verified hour"

# a base URL with a path and a trailing slash: no '//' in the request
m0=$(mark)
run "$BIN/gha-fetch" -q -d "$TMP/slash" --base-url "$BASE/" 2015-01-01-2
is "$rc:$(jq -r --argjson m "$m0" 'select(.t0 >= $m) | .path' "$SRVLOG")" "0:/2015-01-01-2.json.gz" "--base-url URL/: the path has one slash"

# junk past Content-Length on a kept-alive connection: the next transfer
# on it fails, and is retried on a fresh one
fault 2015-01-01-1 overlong
run "$BIN/gha-fetch" -q -j 1 -d "$TMP/junk" --base-url "$BASE" 2015-01-01-1 2015-01-01-2
: >"$FAULTS"
is "$rc" 0 "junk on a reused connection: exit 0"
for h in 2015-01-01-1 2015-01-01-2; do
	same_file "$TMP/junk/$h.json.gz" "$M/$h.json.gz" "junk on a reused connection: $h verified"
done

# a base URL of another scheme: a usage error, and no password shown
run "$BIN/gha-fetch" -q -d "$TMP/ftp" --base-url "ftp://u:s3cret@example.org" 2015-01-01-2
is "$rc:$(grep -c s3cret "$TMP/err")" "64:0" "--base-url ftp://...: exit 64, the password not shown"

# a mistyped file:// mirror is not 'missing upstream' for every hour
run "$BIN/gha-fetch" -q -d "$TMP/nomirror" --base-url "file://$TMP/no/such/mirror" 2015-01-01-2
is "$rc" 69 "file:// mirror that is not a directory: exit 69"
t "file:// mirror that is not a directory: says so" grep -q "not a directory" "$TMP/err"

# a whole .part (killed between the last byte and the rename): the server
# answers 416 to the Range after its end, and the .part is checked and kept
W=$TMP/whole
mkdir -p "$W"
etag_of() {	# the validators fetch_server.py gives a file: "sha1", no date
	printf '"%s"\n\n' "$(sha1sum <"$1" | cut -d' ' -f1)"
}
cp "$M/2015-01-01-2.json.gz" "$W/2015-01-01-2.json.gz.part"
etag_of "$M/2015-01-01-2.json.gz" >"$W/2015-01-01-2.json.gz.part.meta"
m0=$(mark)
run "$BIN/gha-fetch" -q -d "$W" --base-url "$BASE" 2015-01-01-2
is "$rc" 0 "a whole .part answered 416: exit 0"
same_file "$W/2015-01-01-2.json.gz" "$M/2015-01-01-2.json.gz" "a whole .part answered 416: the verified file"
is "$(jq -r --argjson m "$m0" 'select(.t0 >= $m) | "\(.status) \(.range)"' "$SRVLOG" | tr '\n' ' ')" \
	"416 bytes=$(stat -c %s "$M/2015-01-01-2.json.gz")- " "a whole .part: one Range request, nothing downloaded again"
t "a whole .part: no .part or .meta left" test ! -e "$W/2015-01-01-2.json.gz.part" -a ! -e "$W/2015-01-01-2.json.gz.part.meta"
# a truncated .part whose rest the server refuses: started over
cp "$M/2015-01-01-2.json.gz" "$W/2015-01-01-1.json.gz.part"
etag_of "$M/2015-01-01-1.json.gz" >"$W/2015-01-01-1.json.gz.part.meta"
head -c 1000 "$M/2015-01-01-1.json.gz" >"$W/2015-01-01-1.json.gz.part"
cat "$M/2015-01-01-1.json.gz" >>"$W/2015-01-01-1.json.gz.part"
run "$BIN/gha-fetch" -q -d "$W" --base-url "$BASE" 2015-01-01-1
is "$rc" 0 "a .part longer than the file (416, fails the check): exit 0"
same_file "$W/2015-01-01-1.json.gz" "$M/2015-01-01-1.json.gz" "a .part longer than the file: downloaded afresh"

# -O - into a reader that stops early: no temporary hour left behind
mkdir -p "$TMP/tmpdir"
TMPDIR=$TMP/tmpdir "$BIN/gha-fetch" -q --base-url "$BASE" -O - 2015-01-01-1 2>"$TMP/err" | head -c 10 >/dev/null
st=("${PIPESTATUS[@]}")
# gha-fetch(1): the temporary is removed "also when killed by SIGPIPE"
is "${st[0]}:${st[1]}:$(cat "$TMP/err")" "141:0:" "-O - | head: gha-fetch killed by SIGPIPE, quietly"
is "$(find "$TMP/tmpdir" -mindepth 1 | wc -l | tr -d ' ')" 0 "-O - | head: nothing left in \$TMPDIR"

# -vv traces headers, never a credential
run "$BIN/gha-fetch" -vv -d "$TMP/cred2" --base-url "http://user:s3cret@${BASE#http://}" 2015-01-01-2
is "$rc" 0 "-vv with credentials: exit 0"
t "-vv: the request headers are traced" grep -q "> GET /2015-01-01-2.json.gz" "$TMP/err"
t "-vv: no password, plain or base64" test "$(grep -c -e s3cret -e "$(printf user:s3cret | base64)" "$TMP/err")" = 0

done_testing
