#!/usr/bin/env bash
# The TSV readers (gha-gold, gha-kmeans, gha-load) and the partial and
# model parsers on hostile inputs, under a limit of 1 GiB of address space
# (ulimit -v): a header of a million columns, a 100 MB field, a partial
# with forged counts and symbol numbers, a model with forged k and d.
# Each ends with its documented status and a message naming FILE:LINE,
# never a crash or an out-of-memory abort.
. "$(dirname "$0")/lib.sh"
LIMIT_KB=1048576
if ldd "$BIN/gha-gold" 2>/dev/null | grep -q libasan; then
	LIMIT_KB=unlimited	# ASan reserves terabytes of address space
fi

# limited CMD...: run CMD under the limit, peak RSS in $rss (KB)
limited() {
	rc=0
	(ulimit -v "$LIMIT_KB" && exec /usr/bin/time -f %M -o "$TMP/rss" "$@") >"$TMP/out" 2>"$TMP/err" || rc=$?
	rss=$(tail -n 1 "$TMP/rss")	# (after "Command exited with ..." when it failed)
}

awk 'BEGIN { printf "created_at"; for (i = 0; i < 1000000; i++) printf "\tc%d", i; printf "\n" }' >"$TMP/wide.tsv"
limited "$BIN/gha-gold" -q -t activity "$TMP/wide.tsv"
is "$rc" 65 "gha-gold, a million columns: exit 65"
t "... naming FILE:1 and the limit" grep -q "wide.tsv:1: more than 4096 columns" "$TMP/err"
limited "$BIN/gha-kmeans" fit -q --no-track -c c1,c2 -k 1 "$TMP/wide.tsv"
is "$rc" 65 "gha-kmeans, a million columns: exit 65"
t "... naming FILE:1" grep -q "wide.tsv:1: more than 4096 columns" "$TMP/err"
limited "$BIN/gha-load" --target snowflake --plan "$TMP/wplan" -t t --source w "$TMP/wide.tsv"
[ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] && ok "gha-load's plan, a million columns: exit $rc, no crash" ||
	not_ok "gha-load's plan, a million columns: exit $rc: $(head -c 200 "$TMP/err")"
[ "$rss" -lt 200000 ] && ok "... in $rss KB" || not_ok "... in $rss KB"

# a 100 MB field in the second of three rows: past the 64 MiB line cap
{
	printf 'repo_name\tstars\n'
	printf 'a\t1\n'
	head -c 100000000 /dev/zero | tr '\0' x
	printf '\t2\nc\t3\n'
} >"$TMP/long.tsv"
limited "$BIN/gha-kmeans" fit -q --no-track --id repo_name -c stars -k 1 -o "$TMP/a.tsv" "$TMP/long.tsv"
is "$rc" 65 "gha-kmeans, a 100 MB field: exit 65"
t "... naming FILE:3" grep -q "long.tsv:3:" "$TMP/err"
[ "$rss" -lt 300000 ] && ok "... in $rss KB: bounded by the line cap, not the field" || not_ok "... in $rss KB"
limited "$BIN/gha-load" --target snowflake --plan "$TMP/lplan" -t t --source l "$TMP/long.tsv"
is "$rc" 65 "gha-load's plan, a 100 MB field: exit 65"
t "... naming FILE:3" grep -q "long.tsv:3:" "$TMP/err"
t "... and no plan written" test ! -e "$TMP/lplan/load.sql"
t "... saying the line is too long" grep -q "long.tsv:3: line too long (100000002 bytes" "$TMP/err"
# an entity table to merge with a 100 MB line
{
	printf 'actor_id\tlogin\tfirst_seen\tlast_seen\tevents\tis_bot\n'
	head -c 100000000 /dev/zero | tr '\0' 7
	printf '\tx\t2015-01-01 00:00:00+00\t2015-01-01 00:00:00+00\t1\tf\n'
} >"$TMP/long.actors"
limited "$BIN/gha-silver" --merge-entities -o "$TMP/merged" "$TMP/long.actors"
is "$rc" 65 "gha-silver --merge-entities, a 100 MB line: exit 65"
t "... FILE:LINE, too long" grep -q "long.actors:2: line too long" "$TMP/err"
t "... and no merged table" test ! -e "$TMP/merged"

# a partial that claims 2^50 events, one that names symbol 99999999
P=$'gha-gold-partial\t1\ns\t\\N\tPushEvent\n'
printf '%sf\t1420070400\t\\N\t\\N\t1\t0\t0\t0\t0\t0\t\\N\t0\t1125899906842624\t0\t0\t1420070400\t1420070400\n' "$P" >"$TMP/count.part"
limited "$BIN/gha-gold" -M -t activity "$TMP/count.part"
is "$rc:$(cat "$TMP/err")" "65:gha-gold: $TMP/count.part:3: bad count or time" "a partial's forged count: exit 65, FILE:LINE"
printf '%sf\t1420070400\t\\N\t\\N\t99999999\t0\t0\t0\t0\t0\t\\N\t0\t1\t0\t0\t1420070400\t1420070400\n' "$P" >"$TMP/sym.part"
limited "$BIN/gha-gold" -M -t activity "$TMP/sym.part"
is "$rc:$(cat "$TMP/err")" "65:gha-gold: $TMP/sym.part:3: bad symbol number" "a partial's forged symbol number: exit 65, FILE:LINE"

# a model that claims a billion clusters or features
printf 'repo_name\tstars\nx\t1\ny\t5\nz\t9\n' >"$TMP/r.tsv"
"$BIN/gha-kmeans" fit -q --no-track --id repo_name -c stars -k 2 -m "$TMP/m" -o /dev/null "$TMP/r.tsv" ||
	not_ok "a model to forge"
sed 's/^k\t2$/k\t999999999/' "$TMP/m" >"$TMP/mk"
limited "$BIN/gha-kmeans" predict -q -m "$TMP/mk" "$TMP/r.tsv"
is "$rc" 65 "a model's forged k: exit 65"
t "... FILE:LINE and the bound" grep -q "mk:[0-9]*: expected 'k' and a count from 1 to 10000" "$TMP/err"
sed 's/^d\t1$/d\t999999999/' "$TMP/m" >"$TMP/md"
limited "$BIN/gha-kmeans" predict -q -m "$TMP/md" "$TMP/r.tsv"
is "$rc" 65 "a model's forged d: exit 65"
t "... FILE:LINE and the bound" grep -q "md:[0-9]*: expected 'd' and a count from 1 to 4096" "$TMP/err"
done_testing
