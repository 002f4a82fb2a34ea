#!/usr/bin/env bash
# Entity tables of many hours merge into exactly what one pass over all
# the hours gives, whatever the grouping and order of the merge.
. "$(dirname "$0")/lib.sh"

hours=("$REAL/2011-02-15-0.json.gz" "$REAL/2014-02-15-0.json.gz"
	"$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz"
	"$REAL/2025-01-01-15.first2048.json.gz")

run "$BIN/gha-silver" -a "$TMP/all.actors" -R "$TMP/all.repos" -g "$TMP/all.orgs" "${hours[@]}"
is "$rc" 0 "all hours in one pass"
i=0
for h in "${hours[@]}"; do
	run "$BIN/gha-silver" -a "$TMP/$i.actors" -R "$TMP/$i.repos" -g "$TMP/$i.orgs" "$h"
	is "$rc" 0 "hour $i alone"
	i=$((i + 1))
done

for kind in actors repos orgs; do
	run "$BIN/gha-silver" --merge-entities "$TMP"/[0-4]."$kind"
	same_file "$TMP/out" "$TMP/all.$kind" "$kind: merging all hours equals one pass"
	run "$BIN/gha-silver" -M -o "$TMP/a.$kind" "$TMP/3.$kind" "$TMP/0.$kind"
	run "$BIN/gha-silver" -M -o "$TMP/b.$kind" "$TMP/4.$kind" "$TMP/1.$kind" "$TMP/2.$kind"
	run "$BIN/gha-silver" -M "$TMP/b.$kind" "$TMP/a.$kind"
	same_file "$TMP/out" "$TMP/all.$kind" "$kind: ((3+0)+(4+1+2)) equals one pass"
	run "$BIN/gha-silver" -M "$TMP/all.$kind"
	same_file "$TMP/out" "$TMP/all.$kind" "$kind: merging a table with nothing is the identity"
	gzip -c "$TMP/0.$kind" >"$TMP/0.$kind.gz"
	run "$BIN/gha-silver" -M "$TMP/0.$kind.gz" "$TMP"/[1-4]."$kind"
	same_file "$TMP/out" "$TMP/all.$kind" "$kind: gzip tables merge too"
done

# the sums add up: events per actor over all hours
got=$(tail -n +2 "$TMP/all.actors" | awk -F'\t' '{ s += $5 } END { print s }')
want=$(for h in "${hours[@]}"; do zcat "$h"; done | jq -r '.actor | if type == "object" then .login
	elif type == "string" then . else empty end | select(. != null)' | wc -l | tr -d ' ')
is "$got" "$want" "actor event counts sum to the events with an actor login"

# a renamed repo keeps one row; the earlier name stays visible
printf '%s\n' \
 '{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"a"},"repo":{"id":42,"name":"old/name"},"payload":{},"created_at":"2015-01-01T00:00:00Z"}' \
 '{"id":"2","type":"WatchEvent","actor":{"id":1,"login":"a"},"repo":{"id":42,"name":"new/name"},"payload":{},"created_at":"2015-01-01T01:00:00Z"}' \
 >"$TMP/rename.ndjson"
run "$BIN/gha-silver" -R "$TMP/rename.repos" "$TMP/rename.ndjson"
is "$(tail -n +2 "$TMP/rename.repos" | cut -f1,2,3,8,9)" "$(printf '42\tnew/name\tnew\t2\t{"old/name"}')" "renamed repo: one row, latest name, earlier names listed"

# mismatched and malformed tables are refused
run "$BIN/gha-silver" -M "$TMP/0.actors" "$TMP/0.repos"
is "$rc" 65 "actors and repos tables do not merge"
printf 'actor_id\tlogin\tfirst_seen\tlast_seen\tevents\tis_bot\n1\tx\tnot-a-time\t2015-01-01T00:00:00Z\t1\tf\n' >"$TMP/bad.actors"
run "$BIN/gha-silver" -M "$TMP/bad.actors"
is "$rc" 65 "a malformed row is refused"
t "the message names file and line" grep -q "bad.actors:2:" "$TMP/err"
run "$BIN/gha-silver" -M
is "$rc" 64 "--merge-entities with no tables: exit 64"

done_testing
