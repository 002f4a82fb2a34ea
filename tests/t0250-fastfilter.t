#!/usr/bin/env bash
# The fast filter path (lib/fastfilter.c) against the jq command line:
# for real hours of every era and a file of edge-case events, gha-bronze
# -f keeps exactly the events for which jq's first output is truthy, drops
# (and counts) those jq fails on, and does the same with the fast path
# off (GHA_JQ_FAST=0); gha-silver -w agrees; --explain-filter says which
# path an expression takes. tests/unit/test_fastfilter.c compares with
# libjq in process on thousands more programs.
. "$(dirname "$0")/lib.sh"

# edge cases, as events gha-bronze accepts: escapes, surrogates, numbers
# with exponents, duplicate members, members that are not objects
ev() {
	printf '{"id":"%s","type":"%s","actor":%s,"repo":%s,"payload":%s,"public":%s,"created_at":"2015-01-01T15:00:00Z"%s}\n' "$@"
}
{
	ev 1 PushEvent '{"id":1,"login":"dependabot[bot]"}' '{"id":2,"name":"torvalds/linux"}' '{"size":3}' true ''
	ev 2 'P\u0075shEvent' '{"id":1,"login":"Dependabot[bot]"}' '{"id":2,"name":"Torvalds/Linux"}' '{"size":3.0}' false ''
	ev 3 PushEvent '"a-login-string"' '{"id":2,"name":"torvalds/linux"}' '{"size":3e0}' null ''
	ev 4 PushEvent '{"id":1,"login":"x"}' '{"id":2,"name":"torvalds\/linux"}' '{"size":1e400}' true ',"x":"\ud800"'
	ev 5 WatchEvent '{"id":1,"login":"\u00e9l\u00e8ve"}' '{"id":2,"name":"a/b","name":"torvalds/linux"}' '{"size":-2}' true ''
	ev 6 PushEvent '{"id":1,"login":"élève"}' '"torvalds/linux"' '{"size":"3"}' true ''
	ev 7 IssuesEvent '{"id":1,"login":"a\u0000b"}' 'null' '{"action":"opened","size":null}' true ''
	ev 8 PushEvent '{"id":1,"login":"\ud83d\ude00"}' '{"id":2,"name":"torvalds/linux"}' '{"size":100000000000000000001}' 0 ''
	ev 9 PushEvent '{"id":1,"login":"x"}' '{"id":2,"name":"torvalds/linux"}' '[]' '""' ',"repo":{"id":2,"name":"other/repo"}'
	ev 10 CreateEvent '{"id":1,"login":"x"}' '{"id":2,"name":"x/y"}' '{"size":0.3}' true ''
} >"$TMP/edge.json"

# (the larger hours are in tests/unit/test_fastfilter.c, in process)
files="$REAL/2011-02-15-0.json.gz $REAL/2015-01-01-15.first1024.json.gz
$REAL/2025-01-01-15.first2048.json.gz $REAL/timeline_2014-06-01-08_gh4j.json.gz
$REAL/typecoverage_2011-2016_arfon.json.gz $TMP/edge.json"

# the README's and man pages' examples, and more of the subset
filters=(
	'.type == "PushEvent"'
	'.type == "PushEvent" and .repo.name == "torvalds/linux"'
	'.type == "IssuesEvent" and .payload.action == "opened"'
	'select(.type == "WatchEvent")'
	'.actor.login | startswith("dependabot")'
	'.actor.login | ascii_downcase | endswith("[bot]")'
	'.actor.login | contains("b")'
	'.type | IN("PushEvent", "CreateEvent", "IssuesEvent")'
	'.payload.size > 2'
	'.payload.size == 3 or .payload.size >= 1e300'
	'.payload.size == 100000000000000000000'
	'.public'
	'.public | not'
	'.public == false or .public == null'
	'.org == null'
	'.org.login == "github"'
	'.actor == "a-login-string"'
	'.repo.name < "m"'
	'.repo["name"] | endswith("/linux")'
	'.id > "2489651100"'
	'.created_at >= "2014-02-15T00:30:00"'
	'.repository.owner != null and .repository.name == "OpenEmu"'
	'.actor.login == "\u00e9l\u00e8ve"'
	'(.type == "PushEvent" or .type == "CreateEvent") and (.public | not | not)'
	'.missing.deeper == null'
	'.actor_attributes.login | IN("obeid", null)'
)
# jq's verdicts for every filter on every line: 1 kept, 0 not, 2 error
verdict_prog="try (fromjson | ["
for i in "${!filters[@]}"; do
	[ "$i" = 0 ] || verdict_prog+=", "
	verdict_prog+="(try ([limit(1; ${filters[$i]})] | if length == 0 then 0 elif .[0] then 1 else 0 end) catch 2)"
done
verdict_prog+='] | map(tostring) | join(" ")) catch ([range('"${#filters[@]}"')] | map("2") | join(" "))'

for i in "${!filters[@]}"; do
	run "$BIN/gha-bronze" --explain-filter -f "${filters[$i]}"
	t "--explain-filter: fast: ${filters[$i]}" grep -q '^fast: ' "$TMP/out"
done

for f in $files; do
	name=$(basename "$f")
	run "$BIN/gha-bronze" -q -m 100% "$f"
	is "$rc" 0 "$name: gha-bronze without a filter: exit 0"
	cp "$TMP/out" "$TMP/all"
	jq -R -r "$verdict_prog" "$TMP/all" >"$TMP/verdicts"
	is "$(wc -l <"$TMP/verdicts")" "$(wc -l <"$TMP/all")" "$name: jq judged every event"
	bad=0
	for i in "${!filters[@]}"; do
		col=$((i + 1))
		awk -v c="$col" 'NR == FNR { v[FNR] = $c; next } v[FNR] == 1' "$TMP/verdicts" "$TMP/all" >"$TMP/want"
		nerr=$(awk -v c="$col" '$c == 2' "$TMP/verdicts" | wc -l | tr -d ' ')
		"$BIN/gha-bronze" -q -m 100% -s "$TMP/st" -f "${filters[$i]}" "$f" >"$TMP/fast" 2>/dev/null ||
			{ echo "# gha-bronze -f '${filters[$i]}' $name: exit $?"; bad=$((bad + 1)); }
		# libjq alone too, on the small files (it is the slow one)
		if [ "$(wc -l <"$TMP/all")" -lt 600 ]; then
			GHA_JQ_FAST=0 "$BIN/gha-bronze" -q -m 100% -f "${filters[$i]}" "$f" >"$TMP/slow" 2>/dev/null ||
				{ echo "# GHA_JQ_FAST=0 gha-bronze -f '${filters[$i]}' $name: exit $?"; bad=$((bad + 1)); }
		else
			cp "$TMP/want" "$TMP/slow"
		fi
		if ! cmp -s "$TMP/fast" "$TMP/want"; then
			echo "# fast path and jq differ: '${filters[$i]}' on $name ($(wc -l <"$TMP/fast") vs $(wc -l <"$TMP/want") events)"
			bad=$((bad + 1))
		fi
		if ! cmp -s "$TMP/slow" "$TMP/want"; then
			echo "# libjq path and jq differ: '${filters[$i]}' on $name"
			bad=$((bad + 1))
		fi
		# the run's total: the last filter_errors member (one file: the same)
		got=$(grep -o '"filter_errors":[0-9]*' "$TMP/st" | tail -n 1 | cut -d: -f2)
		if [ "$got" != "$nerr" ]; then
			echo "# filter_errors $got, jq failed on $nerr: '${filters[$i]}' on $name"
			bad=$((bad + 1))
		fi
	done
	is "$bad" 0 "$name: ${#filters[@]} filters: fast path = libjq path = jq's select, errors counted alike"
done

# gha-silver -w takes the same path (more scan paths of its own)
f=$REAL/2015-01-01-15.first1024.json.gz
w='.type == "PushEvent" and (.actor.login | ascii_downcase | contains("a"))'
run "$BIN/gha-silver" --explain-filter -w "$w"
t "gha-silver --explain-filter: fast" grep -q '^fast: ' "$TMP/out"
run "$BIN/gha-silver" -q -w "$w" "$f"
is "$rc" 0 "gha-silver -w (fast): exit 0"
cp "$TMP/out" "$TMP/silver-fast"
GHA_JQ_FAST=0 "$BIN/gha-silver" -q -w "$w" "$f" >"$TMP/silver-slow"
same_file "$TMP/silver-fast" "$TMP/silver-slow" "gha-silver -w: the fast path's table equals libjq's"
is "$(($(wc -l <"$TMP/silver-fast") - 1))" "$(zcat "$f" | jq -c "select($w)" | wc -l | tr -d ' ')" \
	"gha-silver -w: as many rows as jq selects"

# what goes to libjq, and says so
for p in '.type | test("Push")' '.payload.commits[0].sha == "x"' '.a // 1' '.["a.b"] == 1' \
	'.type as $t | $t == "x"' '"\(.type)" == "PushEvent"' '.payload.size + 1 > 2'; do
	run "$BIN/gha-bronze" --explain-filter -f "$p"
	t "--explain-filter: libjq with a reason: $p" grep -q '^libjq: .' "$TMP/out"
done
GHA_JQ_FAST=0 "$BIN/gha-bronze" --explain-filter -f '.type == "x"' >"$TMP/out"
t "GHA_JQ_FAST=0: libjq" grep -q '^libjq: GHA_JQ_FAST=0' "$TMP/out"
run "$BIN/gha-bronze" --explain-filter
is "$rc" 64 "--explain-filter without -f: exit 64"
run "$BIN/gha-bronze" --explain-filter -f '.['
is "$rc" 64 "--explain-filter with a program libjq refuses: exit 64 (libjq's message)"
t "libjq's message" grep -q "invalid jq filter" "$TMP/err"

done_testing
