#!/usr/bin/env bash
# gha-fetch's command line: hours outside GH Archive's life are a usage
# error, an impossible date says so, -o is the single-hour output (-O its
# older name), and gzip is never written to a terminal.
. "$(dirname "$0")/lib.sh"

now=$(date -u '+%Y-%m-%d-%-H')
next=$(date -u -d '+2 hours' '+%Y-%m-%d-%-H')	# +2: the clock may turn an hour meanwhile
tomorrow=$(date -u -d '+1 day' '+%Y-%m-%d')
for a in "2011-02-11-23" "2011-02-11" "2010-06-01-0" "1970-01-01-0"; do
	run "$BIN/gha-fetch" -n "$a"
	is "$rc" 64 "'$a', before GH Archive's first hour: exit 64"
	t "'$a': says so" grep -q "'$a' is before GH Archive's first hour, 2011-02-12-0" "$TMP/err"
done
run "$BIN/gha-fetch" -n 2011-02-12-0
is "$rc:$(cat "$TMP/out")" "0:2011-02-12-0" "GH Archive's first hour: fine"
run "$BIN/gha-fetch" -n 2011-02-11-22 2011-02-12-1
is "$rc" 64 "a range starting before the first hour: exit 64"
for a in "$next" "$tomorrow" "2999-01-01-0"; do
	run "$BIN/gha-fetch" -q -d "$TMP/d" --base-url "http://127.0.0.1:1" "$a"
	is "$rc" 64 "'$a', after the current hour: exit 64, no request"
	t "'$a': says so" grep -q "'$a' is after the current hour" "$TMP/err"
done
run "$BIN/gha-fetch" -n 2015-01-01-0 "$next"
is "$rc" 64 "a range ending after the current hour: exit 64"
run "$BIN/gha-fetch" -n "$now"
is "$rc:$(cat "$TMP/out")" "0:$now" "the current hour: fine"
run "$BIN/gha-fetch" -n "${now%-*}"
last=$(tail -n 1 "$TMP/out")
t "today: its hours up to the current one ($last)" test "$rc" = 0 -a \( "$last" = "$now" -o "$last" = "$(date -u '+%Y-%m-%d-%-H')" \)

for a in 2015-02-30 2015-02-30-0 2015-02-29T05 2015-13-01-0 2015-04-31-23 2015-00-10; do
	run "$BIN/gha-fetch" -n "$a"
	is "$rc:$(cat "$TMP/err")" "64:gha-fetch: no such date '$a'" "'$a': no such date, exit 64"
done
run "$BIN/gha-fetch" -n 2016-02-29-0
is "$rc" 0 "a leap day exists"
for a in 2015-01-01-24 2015-1-1-0 yesterday 2015-01-01-0x; do
	run "$BIN/gha-fetch" -n "$a"
	t "'$a': exit 64, an invalid hour (not a date)" test "$rc" = 64 -a "$(grep -c 'invalid hour' "$TMP/err")" = 1
done

# -n: names in hour order (not the order a glob sorts them in)
run "$BIN/gha-fetch" -n 2015-01-01-8 2015-01-01-11
is "$(tr '\n' ' ' <"$TMP/out")" "2015-01-01-8 2015-01-01-9 2015-01-01-10 2015-01-01-11 " "-n: hour order, 9 before 10"

# -o is the output; -O its older name; --output the long one
M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M/2015-01-01-2.json.gz"
for o in -o -O --output; do
	rm -f "$TMP/one.gz"
	run "$BIN/gha-fetch" -q --base-url "file://$M" "$o" "$TMP/one.gz" 2015-01-01-2
	is "$rc" 0 "$o FILE: exit 0"
	same_file "$TMP/one.gz" "$M/2015-01-01-2.json.gz" "$o FILE: the hour"
done
run "$BIN/gha-fetch" -o - 2015-01-01-0 2015-01-01-1
is "$rc" 64 "-o with two hours: exit 64"
t "--help lists -o and -O" test "$("$BIN/gha-fetch" --help | grep -c -e '^  -o, --output' -e '^  -O FILE')" = 2

# gzip never goes to a terminal
if command -v script >/dev/null 2>&1; then
	script -qec "'$BIN/gha-fetch' --base-url 'file://$M' -o - 2015-01-01-2; echo \"rc=\$?\"" /dev/null >"$TMP/tty.out" 2>&1
	t "-o - on a terminal: exit 64" grep -q "rc=64" "$TMP/tty.out"
	t "-o - on a terminal: says why" grep -q "will not write gzip data to a terminal" "$TMP/tty.out"
	t "-o - on a terminal: no gzip bytes" test "$(grep -c $'\x1f\x8b' "$TMP/tty.out")" = 0
else
	for i in 1 2 3; do ok "# SKIP no script(1) for a terminal"; done
fi
run "$BIN/gha-fetch" --base-url "file://$M" -o - 2015-01-01-2
is "$rc" 0 "-o - into a file or pipe: exit 0"

done_testing
