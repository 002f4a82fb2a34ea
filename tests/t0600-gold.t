#!/usr/bin/env bash
# gha-gold: tables from merged partials equal tables computed directly,
# over random groupings and orders of real and synthetic hours; activity
# and repo_daily agree with awk over the silver text; bad input is
# reported, quarantined and counted.
. "$(dirname "$0")/lib.sh"

G=$BIN/gha-gold
mkdir -p "$TMP/s"
bad=0
for f in "$REAL"/*.json.gz; do
	"$BIN/gha-silver" -q -o "$TMP/s/$(basename "$f" .json.gz).tsv" "$f" || bad=1
done
is "$bad" 0 "gha-silver turns every real sample into silver"
"$BIN/gha-silver" </dev/null >"$TMP/header.tsv"
python3 "$TESTDIR/gold_synth.py" "$TMP/header.tsv" "$TMP/s/synth"
is "$?" 0 "synthetic silver hours made"
files=("$TMP"/s/*.tsv "$TMP"/s/synth/*.tsv)
tables=$("$G" --list | awk '{ print $1 }')
opts=(-w 30d -n 0)

# ---- merged partials = direct ----
run "$G" "${opts[@]}" -d "$TMP/direct" "${files[@]}"
is "$rc" 0 "all tables directly from ${#files[@]} silver hours"
nt=0
for tbl in $tables; do
	[ -s "$TMP/direct/$tbl.tsv" ] && nt=$((nt + 1))
done
is "$nt" "$(echo "$tables" | wc -l)" "every table written"

seed=${GOLD_SEED:-$RANDOM}
echo "# merge property seed $seed (GOLD_SEED=$seed to repeat)"
RANDOM=$seed
shuffle() {	# print the arguments in a random order
	local a=("$@") i j x
	for ((i = ${#a[@]} - 1; i > 0; i--)); do
		j=$((RANDOM % (i + 1)))
		x=${a[i]} a[i]=${a[j]} a[j]=$x
	done
	printf '%s\n' "${a[@]}"
}
for trial in 1 2 3 4; do
	d=$TMP/trial$trial
	mkdir -p "$d"
	mapfile -t order < <(shuffle "${files[@]}")
	parts=()
	i=0 k=0 fail=0
	while [ "$i" -lt "${#order[@]}" ]; do
		size=$((1 + RANDOM % (trial * 6)))
		"$G" -q -P -o "$d/p$k" "${order[@]:i:size}" || fail=1
		parts+=("$d/p$k")
		i=$((i + size)) k=$((k + 1))
	done
	# partials of partials: merge a random half into one partial first
	mapfile -t parts < <(shuffle "${parts[@]}")
	half=$(((${#parts[@]} + 1) / 2))
	"$G" -M -P -o "$d/pp" "${parts[@]:0:half}" || fail=1
	mapfile -t last < <(shuffle "$d/pp" "${parts[@]:half}")
	"$G" -M "${opts[@]}" -d "$d/out" "${last[@]}" || fail=1
	for tbl in $tables; do
		cmp -s "$TMP/direct/$tbl.tsv" "$d/out/$tbl.tsv" || { fail=1; echo "# $tbl differs"; }
	done
	is "$fail" 0 "trial $trial: ${#order[@]} hours in $k partials, merged in two levels: every table byte-identical"
done
"$G" -P -o "$TMP/pa" "${files[@]}"
mapfile -t rev < <(printf '%s\n' "${files[@]}" | sort -r)
"$G" -P -o "$TMP/pb" "${rev[@]}"
same_file "$TMP/pa" "$TMP/pb" "a partial's bytes do not depend on the input order"
"$G" -M -P -o "$TMP/pc" "$TMP/pa"
same_file "$TMP/pa" "$TMP/pc" "merging one partial gives it back"
run "$G" -M -t activity "$TMP/pa" "$TMP/pa"
awk -F'\t' 'NR > 1 { s += $3 } END { print s }' "$TMP/out" >"$TMP/twice"
awk -F'\t' 'NR > 1 { s += $3 } END { print 2 * s }' "$TMP/direct/activity.tsv" >"$TMP/double"
same_file "$TMP/double" "$TMP/twice" "the same partial merged twice counts its events twice (documented: no dedupe)"

# ---- awk over the silver text, independent of the C code ----
# columns by name from the header
awkcols='NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
function key(id, name) { return $c[id] != "\\N" ? "i" $c[id] : ($c[name] != "\\N" ? "l" $c[name] : "") }'
for f in "$TMP/s/2015-01-01-0.tsv" "$TMP/s/2014-02-15-0.tsv" "$TMP/s/2011-02-15-0.tsv"; do
	b=$(basename "$f")
	awk -F'\t' "$awkcols"'
	{
		g = substr($c["created_at"], 1, 13) ":00:00Z" "\t" $c["event_type"]
		ev[g]++
		if ($c["is_bot"] == "t") bots[g]++
		a = key("actor_id", "actor_login"); r = key("repo_id", "repo_name")
		if (a != "" && !sa[g, a]++) na[g]++
		if (r != "" && !sr[g, r]++) nr[g]++
	}
	END { for (g in ev) print g "\t" ev[g] "\t" na[g] + 0 "\t" nr[g] + 0 "\t" bots[g] + 0 }' "$f" |
		sort >"$TMP/awk.act"
	"$G" -t activity "$f" | tail -n +2 | sort >"$TMP/gold.act"
	same_file "$TMP/awk.act" "$TMP/gold.act" "$b: activity equals awk ($(wc -l <"$TMP/awk.act") rows)"

	awk -F'\t' "$awkcols"'
	{
		r = key("repo_id", "repo_name"); if (r == "") next
		# a repo is its id, or its name where the id is NULL (each such
		# name its own row); the row shows the id column only
		g = substr($c["created_at"], 1, 10) "\t" r
		show[g] = substr($c["created_at"], 1, 10) "\t" ($c["repo_id"] != "\\N" ? $c["repo_id"] : "\\N")
		if (!(g in ev)) order[++n] = g
		ev[g]++
		t = $c["event_type"]; act = $c["action"]; a = key("actor_id", "actor_login")
		human = a != "" && $c["is_bot"] != "t"
		if (t == "WatchEvent" && human && !st[g, a]++) stars[g]++
		if (t == "ForkEvent" && human && !fk[g, a]++) forks[g]++
		if (t == "PushEvent") { push[g]++; if ($c["commit_count"] == "\\N") nocnt[g]++; else commits[g] += $c["commit_count"] }
		if (t == "PullRequestEvent" && act == "opened") pro[g]++
		if (t == "PullRequestEvent" && act == "closed") { if ($c["merged"] == "t") prm[g]++; else prc[g]++ }
		if (t == "IssueCommentEvent" || t == "CommitCommentEvent" || t == "PullRequestReviewCommentEvent") com[g]++
	}
	END { for (g in ev) print show[g] "\t" ev[g] "\t" stars[g] + 0 "\t" forks[g] + 0 "\t" push[g] + 0 "\t" \
		commits[g] + 0 "\t" nocnt[g] + 0 "\t" pro[g] + 0 "\t" prm[g] + 0 "\t" prc[g] + 0 "\t" com[g] + 0 }' "$f" |
		sort >"$TMP/awk.rd"
	"$G" -t repo_daily "$f" | tail -n +2 | cut -f 1,2,4-12,15 | sort >"$TMP/gold.rd"
	same_file "$TMP/awk.rd" "$TMP/gold.rd" "$b: repo_daily equals awk ($(wc -l <"$TMP/awk.rd") rows)"
done
nz=$(awk -F'\t' '$5 > 0' "$TMP/gold.rd" | wc -l)
t "the awk check saw stars ($nz repo-days with stars)" test "$nz" -gt 0

# ---- a column subset (gha-silver -c) is enough when it holds what is read ----
f=$TMP/s/2015-01-01-0.tsv
"$BIN/gha-silver" -q -c repo_name,is_bot,created_at,event_type,actor_login,repo_id,actor_id \
	"$REAL/2015-01-01-0.json.gz" >"$TMP/subset.tsv"
"$G" -t activity "$f" >"$TMP/full.act"
run "$G" -t activity "$TMP/subset.tsv"
cp "$TMP/out" "$TMP/sub.act"
is "$rc" 0 "activity from a 7-column subset in another order exits 0"
same_file "$TMP/full.act" "$TMP/sub.act" "and equals activity from all columns"
run "$G" -t repo_daily "$TMP/subset.tsv"
is "$rc" 65 "repo_daily from that subset: exit 65"
grep -q "subset.tsv:1: no column 'action' in the header" "$TMP/err"
is "$?" 0 "the message names the file and the missing column"

# ---- malformed rows: quarantined with file:line, counted ----
{
	head -n 4 "$f"
	printf '1\tPushEvent\n'
	sed -n 5p "$f" | awk -F'\t' 'BEGIN { OFS = "\t" } { $7 = $7 "\\q"; print }'
	sed -n 6p "$f" | awk -F'\t' 'BEGIN { OFS = "\t" } { $3 = "2015-13-01T00:00:00Z"; print }'
	sed -n 7p "$f" | awk -F'\t' 'BEGIN { OFS = "\t" } { $6 = "12x"; print }'
	sed -n 8,20p "$f"
} >"$TMP/bad.tsv"
run "$G" -t activity -m 50% -r "$TMP/rej.ndjson" -s "$TMP/stats.json" "$TMP/bad.tsv"
is "$rc" 0 "4 bad rows of 20 under -m 50%: exit 0"
got=$(jq -r '"\(.line) \(.code) \(.reason)"' "$TMP/rej.ndjson" | tr '\n' ';')
is "$got" "5 malformed fewer fields than the header has;6 malformed bad escape;7 bad_value bad or NULL created_at;8 bad_value bad actor_id;" \
	"each bad row is quarantined with its line and reason"
is "$(jq -r .file "$TMP/rej.ndjson" | sort -u)" "$TMP/bad.tsv" "with its file"
got=$(jq -r '"\(.rows_in) \(.rows_used) \(.rows_rejected)"' "$TMP/stats.json")
is "$got" "20 16 4" "stats: rows in (20) = used (16) + rejected (4)"
is "$(awk -F'\t' 'NR > 1 { s += $3 } END { print s }' "$TMP/out")" 16 "the table counts the 16 good rows"
grep -q "4 of 20 rows rejected" "$TMP/err"
is "$?" 0 "the rejects are reported on stderr"
run "$G" -t activity "$TMP/bad.tsv"
is "$rc" 1 "over the default --max-reject-rate: exit 1"

# ---- a 100 MB line: rejected, memory bounded by the 64 MiB line cap ----
{
	head -n 3 "$f"
	printf '1\t'
	head -c 100000000 /dev/zero | tr '\0' x
	printf '\n'
	sed -n 4,5p "$f"
} >"$TMP/long.tsv"
rc=0
/usr/bin/time -f %M -o "$TMP/rss" "$G" -q -t activity -m 50% -r "$TMP/rej2.ndjson" "$TMP/long.tsv" \
	>"$TMP/out" 2>"$TMP/err" || rc=$?
is "$rc" 0 "a 100 MB line among 5 rows under -m 50%: exit 0"
is "$(jq -r '"\(.line) \(.code)"' "$TMP/rej2.ndjson")" "4 too_long" "it is quarantined as too_long, line 4"
rss=$(cat "$TMP/rss")
echo "# peak memory with a 100 MB line: $rss KB"
case $GHA_BUILD in
*san*) ok "# SKIP peak memory is not measured under sanitizers" ;;
*) t "peak memory stays under 200 MB ($rss KB): bounded, not the line's size (the reader thread and the main thread each keep at most a 64 MiB line)" test "$rss" -lt 200000 ;;
esac

# ---- windows and days outside the input, usage ----
run "$G" -t trending -u 2016-01-01 "$f"
is "$rc" 65 "--until after the input: exit 65"
grep -q "outside the input, which covers 2015-01-01 to 2015-01-01" "$TMP/err"
is "$?" 0 "the message says what the input covers"
run "$G" -t trending "$f"
grep -q "the 7d window starts 2014-12-26, before the input's first day 2015-01-01" "$TMP/err"
is "$rc.$?" "0.0" "a window reaching before the input: a warning saying so"
run "$G" -t activity -w 1d "$f"
is "$rc" 64 "--window without trending: usage error, not silently ignored"
run "$G" -t trending -w 2d "$f"
is "$rc" 64 "--window 2d: usage error"
run "$G" -t trending -u 2015-1-1 "$f"
is "$rc" 64 "--until not a day: usage error"
run "$G" -t nosuch "$f"
is "$rc" 64 "an unknown table: usage error"
run "$G" -t activity,repo_daily "$f"
is "$rc" 64 "two tables without -d: usage error"
run "$G" -P -t activity "$f"
is "$rc" 64 "--partial with -t: usage error"
run "$G" -t activity "$TMP/nonexistent.tsv"
is "$rc" 66 "a missing input file: exit 66"
: >"$TMP/empty.tsv"
run "$G" -t activity "$TMP/empty.tsv"
is "$rc" 65 "an empty input file: exit 65"
run "$G" -t activity -o /dev/full "$f"
is "$rc" 74 "a write error: exit 74"

# -d writes every table or none: a table that cannot be written (its
# name taken by a directory) leaves the tables before it unwritten too
mkdir -p "$TMP/dset/trending.tsv"
printf 'old\n' >"$TMP/dset/activity.tsv"
run "$G" -q -t activity,trending -d "$TMP/dset" "$f"
is "$rc" 74 "-d with a table that cannot be written: exit 74"
is "$(cat "$TMP/dset/activity.tsv")" old "-d: the table written before it stays as it was"
is "$(find "$TMP/dset" -name '*.tmp*' | wc -l | tr -d ' ')" 0 "-d: no temporary left"
rmdir "$TMP/dset/trending.tsv"
run "$G" -q -t activity,trending -d "$TMP/dset" "$f"
t "-d then writes both" eval '[ "$rc" = 0 ] && cmp -s "$TMP/dset/activity.tsv" <("$G" -q -t activity "$f") && test -s "$TMP/dset/trending.tsv"'

# ---- partials: bad ones are refused with file:line ----
run "$G" -M -t activity "$f"
is "$rc" 65 "--merge of a silver file (not a partial): exit 65"
sed '1 s/\t1$/\t99/' "$TMP/pa" >"$TMP/pv"
run "$G" -M -t activity "$TMP/pv"
grep -q "pv:1: a gold partial of another version" "$TMP/err"
is "$rc.$?" "65.0" "a partial of another version: exit 65 with file:line"
n=$(grep -n -m 1 '^f' "$TMP/pa" | cut -d: -f1)
awk -v n="$n" 'NR == n { sub(/\t[0-9]+$/, "\tx") } { print }' "$TMP/pa" >"$TMP/pt"
run "$G" -M -t activity "$TMP/pt"
grep -q "pt:$n: bad count or time" "$TMP/err"
is "$rc.$?" "65.0" "a damaged fact line: exit 65 naming file:$n"
run "$G" -M -t activity -o "$TMP/never.tsv" "$TMP/pa" "$TMP/pt"
t "no table is written when a partial is bad" test ! -e "$TMP/never.tsv"

# ---- --list, --ddl ----
run "$G" --ddl
is "$(grep -c '^CREATE TABLE' "$TMP/out")" "$(echo "$tables" | wc -l)" "--ddl: one CREATE TABLE per table"
run "$G" --ddl -t prs
head -n 1 "$TMP/out" | grep -q "gold_prs"
is "$rc.$?" "0.0" "--ddl -t prs: just that table"
"$G" -t prs "$f" | head -n 1 | tr '\t' '\n' >"$TMP/hdr"
sed -n 's/^    \([a-z_0-9]*\) .*/\1/p' "$TMP/out" >"$TMP/ddlcols"
same_file "$TMP/hdr" "$TMP/ddlcols" "the DDL's columns are the TSV header's"
done_testing
