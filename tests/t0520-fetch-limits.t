#!/usr/bin/env bash
# gha-fetch's memory follows -j, not the range; libcurl failures end the
# hour instead of hanging the run; a write error names its own cause; a
# .part that is not good gzip is started over, not appended to.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/server.sh"

# peak RSS (KB) of a command, through python's getrusage of its children;
# under AddressSanitizer without its quarantine of freed blocks (up to
# 256 MB held back on purpose, which would hide what the program keeps)
maxrss() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
# present DIR FROM TO: every hour of the range there, as a file that
# looks like gzip (gha-fetch only looks at the first bytes of one)
present() {
	mkdir -p "$1"
	"$BIN/gha-fetch" -n "$2" "$3" | awk -v d="$1" '{ f = d "/" $1 ".json.gz"
		printf "%c%c%s", 31, 139, "000000000000000000" > f; close(f) }'
}
present "$TMP/day" 2015-01-01 2015-01-01
present "$TMP/k" 2015-01-01 2017-09-26
is "$(find "$TMP/k" -name '*.json.gz' | wc -l | tr -d ' ')" 24000 "1000 days of hours in place"
mkdir -p "$TMP/empty"
r1=$(maxrss "$BIN/gha-fetch" -q -d "$TMP/day" --base-url "file://$TMP/empty" 2015-01-01 2015-01-01)
rk=$(maxrss "$BIN/gha-fetch" -q -d "$TMP/k" --base-url "file://$TMP/empty" 2015-01-01 2017-09-26)
echo "# peak RSS, hours in place: 1 day $r1 KB, 1000 days $rk KB"
t "hours in place: peak RSS for 1000 days within 1.5 times that of 1 day ($rk vs $r1 KB)" \
	test "$rk" -lt $((r1 * 3 / 2))
run "$BIN/gha-fetch" -q -d "$TMP/k" --base-url "file://$TMP/empty" 2015-01-01 2017-09-26
is "$rc:$(wc -l <"$TMP/out" | tr -d ' ')" "0:24000" "1000 days in place: exit 0, every path printed"
# every hour missing: a transfer each (file:// answers at once)
r1=$(maxrss "$BIN/gha-fetch" -q -j 8 -d "$TMP/m1" --base-url "file://$TMP/empty" 2015-01-01 2015-01-01)
rk=$(maxrss "$BIN/gha-fetch" -q -j 8 -d "$TMP/mk" --base-url "file://$TMP/empty" 2015-01-01 2015-04-10)
echo "# peak RSS, hours missing: 1 day $r1 KB, 100 days $rk KB"
t "hours missing: peak RSS for 100 days within 1.5 times that of 1 day ($rk vs $r1 KB)" \
	test "$rk" -lt $((r1 * 3 / 2))

M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M/2015-01-01-2.json.gz"
cp "$REAL/2015-01-01-1.json.gz" "$M/"
server_start "$M" || { not_ok "start the test server"; done_testing; exit 1; }

# libcurl refusing: a preloaded library makes one call fail
if cc -shared -fPIC -o "$TMP/fail_add.so" -x c - $(pkg-config --cflags libcurl) <<'C' &&
#include <curl/curl.h>
CURLMcode curl_multi_add_handle(CURLM *m, CURL *e) { (void)m; (void)e; return CURLM_OUT_OF_MEMORY; }
C
	cc -shared -fPIC -o "$TMP/fail_init.so" -x c - $(pkg-config --cflags libcurl) -ldl <<'C'
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>
/* curl_easy_init fails after SHIM_OK successful calls (libcurl's multi
 * handle makes one of its own) */
CURL *curl_easy_init(void) {
	static int n;
	CURL *(*real)(void) = (CURL *(*)(void))dlsym(RTLD_NEXT, "curl_easy_init");
	return n++ < atoi(getenv("SHIM_OK") ? getenv("SHIM_OK") : "0") ? real() : 0;
}
C
then
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	run timeout 60 env LD_PRELOAD="$TMP/fail_add.so" "$BIN/gha-fetch" -q -d "$TMP/add" --base-url "$BASE" 2015-01-01-1 2015-01-01-2
	is "$rc" 69 "curl_multi_add_handle fails: the run ends, exit 69"
	t "curl_multi_add_handle fails: says so for each hour" \
		test "$(grep -c 'cannot start the transfer: Out of memory' "$TMP/err")" = 2
	run timeout 60 env SHIM_OK=1 LD_PRELOAD="$TMP/fail_init.so" "$BIN/gha-fetch" -q -d "$TMP/init" --base-url "$BASE" 2015-01-01-2
	is "$rc" 69 "curl_easy_init fails: exit 69"
	t "curl_easy_init fails: says so" grep -q "2015-01-01-2: cannot make a libcurl handle" "$TMP/err"
	run timeout 60 env SHIM_OK=0 LD_PRELOAD="$TMP/fail_init.so" "$BIN/gha-fetch" -q -d "$TMP/init" --base-url "$BASE" 2015-01-01-2
	is "$rc" 69 "curl_multi_init fails (libcurl cannot make its own handle): exit 69"
	t "curl_multi_init fails: says so" grep -q "cannot initialise libcurl's multi interface" "$TMP/err"
	unset ASAN_OPTIONS
else
	for i in 1 2 3 4 5 6; do ok "# SKIP no C compiler for the libcurl failure shims"; done
fi

# a write error: the message names the write's own error, not a later one
# (the .part is opened with O_NOFOLLOW, so no link to /dev/full: the
# failure-injection shim makes the first write to it fail with ENOSPC)
mkdir -p "$TMP/full"
if [ -f "$GHA_BUILD/tests/libinject.so" ] && ! ldd "$BIN/gha-fetch" | grep -q libasan; then
	# the k-th write to a regular file: the first that lands on the .part
	# (the resume validators, .part.meta, may come first)
	for k in 1 2 3 4 5; do
		rm -rf "$TMP/full" "$TMP/ilog" && mkdir -p "$TMP/full"
		run env GHA_INJECT=write:$k:ENOSPC GHA_INJECT_LOG="$TMP/ilog" \
			LD_PRELOAD="$GHA_BUILD/tests/libinject.so" \
			"$BIN/gha-fetch" -q --retries 0 -d "$TMP/full" --base-url "$BASE" 2015-01-01-1
		grep -q '\.part$' "$TMP/ilog" 2>/dev/null && break
	done
	is "$rc" 74 "the .part cannot be written: exit 74"
	t "the .part cannot be written: the write's own error" \
		grep -q "2015-01-01-1: write error on $TMP/full/2015-01-01-1.json.gz.part: No space left on device" "$TMP/err"
else
	skip "the failure-injection shim runs on the normal build only"
	skip "the failure-injection shim runs on the normal build only"
fi

# a .part that is not gzip, with validators: started over at once (no
# Range request, no wasted attempt), not resumed onto bad bytes
mkdir -p "$TMP/badpart"
printf 'this is not gzip at all' >"$TMP/badpart/2015-01-01-1.json.gz.part"
printf '"%s"\n\n' "$(sha1sum <"$M/2015-01-01-1.json.gz" | cut -d' ' -f1)" >"$TMP/badpart/2015-01-01-1.json.gz.part.meta"
m0=$(mark)
run "$BIN/gha-fetch" -q -d "$TMP/badpart" --base-url "$BASE" 2015-01-01-1
is "$rc" 0 "a .part that is not gzip: exit 0"
same_file "$TMP/badpart/2015-01-01-1.json.gz" "$M/2015-01-01-1.json.gz" "a .part that is not gzip: the verified file"
is "$(jq -r --argjson m "$m0" 'select(.t0 >= $m) | "\(.status) \(.range)"' "$SRVLOG" | tr '\n' ' ')" "200 null " \
	"a .part that is not gzip: one plain request, no Range"
is "$(awk -F'\t' '{ printf "%s ", $3 }' "$TMP/badpart/.gha-fetch.log")" "ok " "a .part that is not gzip: one attempt, ok"

done_testing
