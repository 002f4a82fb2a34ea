#!/usr/bin/env bash
# The silver tables load into a real PostgreSQL server (started here) with
# COPY ... (FORMAT text, HEADER true) into the DDL of gha-silver --ddl,
# and SQL over them agrees with jq over the input.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

pg_need
ok "PostgreSQL server started on a private socket"

run "$BIN/gha-silver" --ddl
is "$rc" 0 "--ddl exits 0"
cp "$TMP/out" "$TMP/ddl.sql"
run psql -X -q -v ON_ERROR_STOP=1 -f "$TMP/ddl.sql"
is "$rc" 0 "the DDL runs"

load() {	# load TABLE FILE
	psql -X -q -v ON_ERROR_STOP=1 -c "\\copy $1 from '$2' (format text, header true)"
}

for f in "$REAL"/*.json.gz; do
	b=$(basename "$f")
	run "$BIN/gha-silver" -a "$TMP/a.tsv" -R "$TMP/r.tsv" -g "$TMP/o.tsv" -C "$TMP/c.tsv" "$f"
	is "$rc" 0 "$b: silver exit 0"
	psql_q "truncate gha_events, gha_actors, gha_repos, gha_orgs, gha_commits" >/dev/null
	t "$b: events COPY loads" load gha_events "$TMP/out"
	t "$b: actors COPY loads" load gha_actors "$TMP/a.tsv"
	t "$b: repos COPY loads" load gha_repos "$TMP/r.tsv"
	t "$b: orgs COPY loads" load gha_orgs "$TMP/o.tsv"
	t "$b: commits COPY loads" load gha_commits "$TMP/c.tsv"

	zcat "$f" | jq -c . >"$TMP/in.ndjson"
	got=$(psql_q "select event_type || ' ' || count(*) from gha_events group by event_type order by 1")
	want=$(jq -r .type "$TMP/in.ndjson" | sort | uniq -c | awk '{ print $2, $1 }' | sort)
	is "$got" "$want" "$b: SQL count by type equals jq"
	got=$(psql_q "select coalesce(sum(push_size), 0) from gha_events where event_type = 'PushEvent'")
	want=$(jq -s '[.[] | select(.type == "PushEvent") | .payload.size | numbers] | add // 0' "$TMP/in.ndjson")
	is "$got" "$want" "$b: SQL sum of push sizes equals jq"
	got=$(psql_q "select to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from gha_events")
	want=$(jq -r .created_at "$TMP/in.ndjson" | python3 -c '
import sys, datetime
print(min(datetime.datetime.fromisoformat(l.strip().replace("Z", "+00:00")) for l in sys.stdin)
      .astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))')
	is "$got" "$want" "$b: earliest created_at as timestamptz equals python's"
	got=$(psql_q "select count(distinct actor_login) from gha_events")
	want=$(jq -r '.actor | if type == "object" then .login elif type == "string" then . else empty end
		| select(. != null)' "$TMP/in.ndjson" | sort -u | wc -l | tr -d ' ')
	is "$got" "$want" "$b: distinct actor logins in SQL equal jq"
	got=$(psql_q "select count(*) from gha_events e join gha_repos r using (repo_id)
		where e.repo_name is distinct from r.name and r.previous_names is null")
	is "$got" 0 "$b: every repo name is the current one or listed in previous_names"
	got=$(psql_q "select coalesce(sum(events), 0) from gha_actors")
	want=$(psql_q "select count(*) from gha_events where actor_login is not null")
	is "$got" "$want" "$b: actor event counts sum to the events with an actor"
done

# text that needs escaping survives the round trip: tabs, newlines,
# backslashes, quotes, emoji and \u escapes in titles and messages
f=$REAL/2015-01-01-0.json.gz
"$BIN/gha-silver" -c event_id,title "$f" >"$TMP/t.tsv"
psql_q "create table t (event_id bigint, title text)" >/dev/null
t "titles load" load t "$TMP/t.tsv"
got=$(psql_q "select md5(string_agg(event_id || ':' || coalesce(title, '<null>'), chr(1) order by event_id)) from t")
want=$(zcat "$f" | python3 -c '
import sys, json, hashlib
rows = []
for l in sys.stdin:
    e = json.loads(l)
    p = e.get("payload") or {}
    t = (p.get("pull_request") or {}).get("title") or (p.get("issue") or {}).get("title")
    rows.append((int(e["id"]), "<null>" if t is None else t))
rows.sort()
s = "\x01".join("%d:%s" % r for r in rows)
print(hashlib.md5(s.encode()).hexdigest())')
is "$got" "$want" "titles round-trip through COPY byte for byte"

# numbers at and past the edges of integer and bigint: what fits loads as
# itself, what does not is NULL, and the COPY never fails
E=$TMP/edges.ndjson
ev() {	# ev ID ACTOR_ID SIZE: a PushEvent with those raw JSON values
	printf '{"id":%s,"type":"PushEvent","created_at":"2020-01-01T00:00:00Z","actor":{"id":%s,"login":"a\\u0000b"},"repo":{"id":1,"name":"o\\/r"},"payload":{"size":%s,"distinct_size":"7","push_id":1.5}}\n' "$1" "$2" "$3"
}
{
	ev 1 9223372036854775807 2147483647
	ev 2 9223372036854775808 2147483648
	ev 3 -9223372036854775808 -2147483648
	ev 4 -9223372036854775809 -2147483649
	ev 5 99999999999999999999 1e2
	ev '"0006"' '"12"' '"-3"'
	ev '"9223372036854775808"' 1 1
} >"$E"
run "$BIN/gha-silver" -m 50% -s "$TMP/edges.stats" -a "$TMP/edges.actors" -R "$TMP/edges.repos" "$E"
is "$rc" 0 "edge numbers: exit 0 (the id past 2^63-1 is the one reject)"
is "$(jq -c '[.records_in, .event_rows, .rejected]' "$TMP/edges.stats")" "[7,6,1]" "edge numbers: 7 in, 6 rows, 1 rejected"
cp "$TMP/out" "$TMP/edges.tsv"
psql_q "truncate gha_events, gha_actors, gha_repos" >/dev/null
t "edge numbers: events COPY loads" load gha_events "$TMP/edges.tsv"
t "edge numbers: actors COPY loads" load gha_actors "$TMP/edges.actors"
t "edge numbers: repos COPY loads" load gha_repos "$TMP/edges.repos"
is "$(psql_q "select string_agg(event_id || '|' || coalesce(actor_id::text, 'N') || '|' || coalesce(push_size::text, 'N')
	|| '|' || coalesce(push_distinct_size::text, 'N') || '|' || coalesce(push_id::text, 'N'), ' ' order by event_id) from gha_events")" \
	"1|9223372036854775807|2147483647|7|N 2|N|N|7|N 3|-9223372036854775808|-2147483648|7|N 4|N|N|7|N 5|N|N|7|N 6|12|N|7|N" \
	"edge numbers: in range as given, out of range (or not an integer) NULL"
is "$(psql_q "select distinct actor_login || ' ' || repo_name || ' ' || repo_owner from gha_events")" \
	$'a\xef\xbf\xbdb o/r o' "\\u0000 becomes U+FFFD; an escaped slash splits owner/name"
is "$(psql_q "select login || ' ' || events from gha_actors where actor_id is null")" \
	$'a\xef\xbf\xbdb 3' "the actors table: the events without an id under one login with U+FFFD"
is "$(psql_q "select name || ' ' || owner from gha_repos")" "o/r o" "the repos table: the same owner as the events table"

# --columns: the DDL and the rows agree, and load
run "$BIN/gha-silver" --ddl -c repo_name,event_type,created_at
sed 's/gha_events/gha_events_narrow/' "$TMP/out" | sed -n '1,/^);/p' >"$TMP/narrow.sql"
run psql -X -q -v ON_ERROR_STOP=1 -f "$TMP/narrow.sql"
is "$rc" 0 "--ddl -c: a three-column table"
"$BIN/gha-silver" -c repo_name,event_type,created_at "$REAL/2015-01-01-1.json.gz" >"$TMP/narrow.tsv"
t "--columns rows load into the --ddl -c table" load gha_events_narrow "$TMP/narrow.tsv"
is "$(psql_q "select count(*) from gha_events_narrow")" "$(zcat "$REAL/2015-01-01-1.json.gz" | wc -l | tr -d ' ')" \
	"--columns: every event loaded"
done_testing
