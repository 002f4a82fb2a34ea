#!/usr/bin/env bash
# gha-load's progress line: on a terminal (script(1) gives it a pty), an
# input that takes more than two seconds shows "FILE: N rows, X MB, R rows/s"
# on standard error, rewritten with \r and ended by a newline; with no
# terminal, or -q, there is none. The input is a FIFO fed slowly, so the
# load takes more than two seconds whatever the machine's speed.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

if ! command -v script >/dev/null 2>&1; then
	skip "no script(1) (util-linux) to give gha-load a terminal"
	done_testing
	exit
fi
pg_need
psql_q "create table p (a integer, _source text)"
feed() {	# 3 x 70000 rows, 1.5 s apart
	{
		echo a
		for _ in 1 2 3; do
			seq 70000
			sleep 1.5
		done
	} >"$TMP/fifo"
}
mkfifo "$TMP/fifo"
feed &
script -qec "$BIN/gha-load -t p --source s1 $TMP/fifo" "$TMP/typescript" >/dev/null 2>&1 </dev/null
wait
tr '\r' '\n' <"$TMP/typescript" | grep -E "^gha-load: $TMP/fifo: [0-9]+ rows, [0-9.]+ MB, [0-9]+ rows/s *$" >"$TMP/lines" || true
n=$(wc -l <"$TMP/lines")
[ "$n" -ge 1 ] && ok "on a terminal: $n progress line(s) ($(head -1 "$TMP/lines"))" ||
	not_ok "no progress line on a terminal: $(tr '\r' '|' <"$TMP/typescript" | head -c 300)"
rows=$(sed -n 's/.*: \([0-9]*\) rows,.*/\1/p' "$TMP/lines" | tail -1)
[ -n "$rows" ] && [ "$rows" -gt 0 ] && [ "$rows" -le 210000 ] && ok "its row count ($rows) is within the input's 210000" || not_ok "rows: $rows"
# the progress line is ended before the input's line, which starts a line of its own
tr '\r' '\n' <"$TMP/typescript" | grep -q "^$TMP/fifo: 210000 rows into public.p as source s1" &&
	ok "then the input's line, on a line of its own" || not_ok "final line: $(tr '\r' '|' <"$TMP/typescript" | tail -c 300)"
is "$(psql_q "select count(*) from p")" 210000 "all rows loaded"

# no terminal: no progress line
psql_q "truncate p; truncate gha_loads" >/dev/null
feed &
run "$BIN/gha-load" -t p --source s2 "$TMP/fifo"
wait
is "$rc" 0 "without a terminal: exit 0"
! grep -q "rows/s" "$TMP/err" && ok "and no progress line on stderr" || not_ok "progress without a terminal: $(cat "$TMP/err")"

# -q on a terminal: none either
psql_q "truncate p; truncate gha_loads" >/dev/null
feed &
script -qec "$BIN/gha-load -q -t p --source s3 $TMP/fifo" "$TMP/typescript2" >/dev/null 2>&1 </dev/null
wait
! grep -q "rows/s" "$TMP/typescript2" && ok "-q on a terminal: no progress line" || not_ok "progress with -q"
done_testing
