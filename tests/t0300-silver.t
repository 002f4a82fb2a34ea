#!/usr/bin/env bash
# gha-silver on every real sample, cross-checked with jq, python3 and awk.
. "$(dirname "$0")/lib.sh"

# column number of NAME in the header of TSV file F
col() { head -n 1 "$2" | tr '\t' '\n' | grep -n -x "$1" | cut -d: -f1; }

for f in "$REAL"/*.json.gz; do
	b=$(basename "$f")
	ev=$TMP/ev.tsv
	run "$BIN/gha-silver" -s "$TMP/st.json" -a "$TMP/actors.tsv" -R "$TMP/repos.tsv" \
		-O "$TMP/orgs.tsv" -C "$TMP/commits.tsv" "$f"
	is "$rc" 0 "$b: exit 0"
	mv "$TMP/out" "$ev"
	zcat "$f" | jq -c . >"$TMP/in.ndjson"
	n=$(wc -l <"$TMP/in.ndjson" | tr -d ' ')
	is "$(($(wc -l <"$ev") - 1))" "$n" "$b: one row per event ($n)"
	is "$(jq .rejected "$TMP/st.json")" 0 "$b: zero rejects"
	is "$(awk -F'\t' 'NR > 1 && NF != 43' "$ev" | wc -l | tr -d ' ')" 0 "$b: every row has 43 fields"

	got=$(tail -n +2 "$ev" | cut -f "$(col event_type "$ev")" | sort | uniq -c)
	want=$(jq -r .type "$TMP/in.ndjson" | sort | uniq -c)
	is "$got" "$want" "$b: rows per event type match jq"

	# created_at in UTC, row by row, converted independently
	got=$(tail -n +2 "$ev" | cut -f "$(col created_at "$ev")" | md5sum)
	want=$(jq -r .created_at "$TMP/in.ndjson" | python3 -c '
import sys, datetime
for l in sys.stdin:
    t = datetime.datetime.fromisoformat(l.strip().replace("Z", "+00:00"))
    print(t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' | md5sum)
	is "$got" "$want" "$b: created_at converted to UTC, row by row"

	got=$(tail -n +2 "$ev" | cut -f "$(col actor_login "$ev")" | md5sum)
	want=$(jq -r '.actor | if type == "object" then .login elif type == "string" then . else null end
		| if . == null then "\\N" else . end' "$TMP/in.ndjson" | md5sum)
	is "$got" "$want" "$b: actor_login, row by row"

	got=$(tail -n +2 "$ev" | cut -f "$(col event_id "$ev")" | awk '$1 < 0 { print "derived"; next } { print }' | md5sum)
	want=$(jq -r 'if .id == null then "derived" else .id | tostring end' "$TMP/in.ndjson" | md5sum)
	is "$got" "$want" "$b: event_id is the id, or derived (negative) without one"
	is "$(tail -n +2 "$ev" | cut -f1 | sort | uniq -d | wc -l | tr -d ' ')" 0 "$b: event ids are unique"

	want=$(jq -r '(.actor | if type == "object" then (if .id then "i\(.id)" elif .login then "l\(.login)" else empty end)
		elif type == "string" then "l\(.)" else empty end)' "$TMP/in.ndjson" | sort -u | wc -l | tr -d ' ')
	is "$(($(wc -l <"$TMP/actors.tsv") - 1))" "$want" "$b: distinct actors ($want)"
	want=$(jq -r '((.repo.name // (if .repository.owner and .repository.name then
			"\(.repository.owner)/\(.repository.name)" else null end)) as $n
		| select($n != null and $n != "/")
		| (.repo.id // .repository.id) as $i | if $i then "i\($i)" else "n\($n)" end)' \
		"$TMP/in.ndjson" | sort -u | wc -l | tr -d ' ')
	is "$(($(wc -l <"$TMP/repos.tsv") - 1))" "$want" "$b: distinct repos ($want)"

	got=$(awk -F'\t' -v t="$(col event_type "$ev")" -v r="$(col repo_name "$ev")" \
		'NR > 1 && $t == "WatchEvent" && $r != "\\N" { n[$r]++ } END { for (k in n) print k, n[k] }' "$ev" | sort)
	want=$(jq -r 'select(.type == "WatchEvent")
		| .repo.name // "\(.repository.owner)/\(.repository.name)"' "$TMP/in.ndjson" |
		grep -v -x / | sort | uniq -c | awk '{ print $2, $1 }' | sort)
	is "$got" "$want" "$b: stars per repo match jq"

	got=$(awk -F'\t' -v c="$(col push_size "$ev")" 'NR > 1 && $c != "\\N" { s += $c; k++ } END { print k + 0, s + 0 }' "$ev")
	want=$(jq -s '[.[] | select(.type == "PushEvent") | .payload.size | numbers] | "\(length) \(add // 0)"' -r "$TMP/in.ndjson")
	is "$got" "$want" "$b: push count and size total match jq"

	got=$(awk -F'\t' -v c="$(col commit_count "$ev")" 'NR > 1 && $c != "\\N" { s += $c } END { print s + 0 }' "$ev")
	want=$(jq -s '[.[] | select(.type == "PushEvent") | (.payload.commits // .payload.shas) | arrays | length] | add // 0' "$TMP/in.ndjson")
	is "$got" "$want" "$b: commit_count total matches jq"

	want=$(jq -s '[.[] | select(.type == "PushEvent") | (.payload.commits // .payload.shas // [])[]
		| select((.sha? // .[0]?) | type == "string")] | length' "$TMP/in.ndjson")
	is "$(($(wc -l <"$TMP/commits.tsv") - 1))" "$want" "$b: commit rows ($want)"

	"$BIN/gha-silver" "$f" >"$TMP/again.tsv"
	same_file "$TMP/again.tsv" "$ev" "$b: same input, byte-identical output"
done

# the trimmed payloads of 2025-10: NULL, never zero or faked
jq -c . "$REAL/single_pushevent_2025-12-15_posttrim_keemgdeok.json" >"$TMP/post.ndjson"
jq -c . "$REAL/single_pushevent_2024-05-21_pretrim_keemgdeok.json" >"$TMP/pre.ndjson"
run "$BIN/gha-silver" -c era,push_size,push_distinct_size,commit_count,head "$TMP/post.ndjson"
is "$(sed -n 2p "$TMP/out" | cut -f1-4)" "$(printf 'trimmed\t\\N\t\\N\t\\N')" "post-trim push: size, distinct size and commit count are NULL"
run "$BIN/gha-silver" -c era,push_size,commit_count "$TMP/pre.ndjson"
is "$(sed -n 2p "$TMP/out")" "$(jq -r '"events\t\(.payload.size)\t\(.payload.commits | length)"' "$TMP/pre.ndjson")" "pre-trim push: size and commit count"

# REST API responses, flattened with jq
for f in "$REAL"/api_events_*.json; do
	jq -c '.[]' "$f" >"$TMP/api.ndjson"
	run "$BIN/gha-silver" -s "$TMP/st.json" "$TMP/api.ndjson"
	is "$rc:$(jq .rejected "$TMP/st.json")" "0:0" "$(basename "$f"): no rejects"
done

# --columns, --where, --ddl, bad usage
f=$REAL/2015-01-01-15.first1024.json.gz
run "$BIN/gha-silver" -c repo_name,event_type -w '.type == "WatchEvent"' "$f"
is "$(head -n 1 "$TMP/out")" "$(printf 'repo_name\tevent_type')" "--columns picks and orders the header"
is "$(tail -n +2 "$TMP/out" | cut -f2 | sort -u)" WatchEvent "--where keeps only matching events"
is "$(($(wc -l <"$TMP/out") - 1))" "$(zcat "$f" | jq -c 'select(.type == "WatchEvent")' | wc -l | tr -d ' ')" "--where count matches jq"
run "$BIN/gha-silver" -c no_such_column "$f"
is "$rc" 64 "unknown column: exit 64"
run "$BIN/gha-silver" --ddl
t "--ddl prints the events table" grep -q 'CREATE TABLE IF NOT EXISTS gha_events' "$TMP/out"

# bots: the built-in patterns, and a user's pattern file
printf '%s\n' \
 '{"id":"1","type":"WatchEvent","actor":{"id":1,"login":"dependabot[bot]"},"repo":{"id":2,"name":"a/b"},"payload":{},"created_at":"2020-01-01T00:00:00Z"}' \
 '{"id":"2","type":"WatchEvent","actor":{"id":3,"login":"Some-Bot"},"repo":{"id":2,"name":"a/b"},"payload":{},"created_at":"2020-01-01T00:00:00Z"}' \
 '{"id":"3","type":"WatchEvent","actor":{"id":4,"login":"robotics"},"repo":{"id":2,"name":"a/b"},"payload":{},"created_at":"2020-01-01T00:00:00Z"}' \
 '{"id":"4","type":"WatchEvent","actor":{"id":5,"login":"ci-runner"},"repo":{"id":2,"name":"a/b"},"payload":{},"created_at":"2020-01-01T00:00:00Z"}' \
 >"$TMP/bots.ndjson"
run "$BIN/gha-silver" -c actor_login,is_bot "$TMP/bots.ndjson"
is "$(tail -n +2 "$TMP/out" | cut -f2 | tr -d '\n')" "ttff" "built-in bot patterns: [bot] and -bot suffixes, any case"
printf '# our CI accounts\nci-*\n' >"$TMP/bots.txt"
run "$BIN/gha-silver" -b "$TMP/bots.txt" -c actor_login,is_bot -a "$TMP/bots.actors" "$TMP/bots.ndjson"
is "$(tail -n +2 "$TMP/out" | cut -f2 | tr -d '\n')" "ttft" "--bots adds a user's patterns"
is "$(tail -n +2 "$TMP/bots.actors" | cut -f6 | tr -d '\n')" "ttft" "actors table carries is_bot"
run "$BIN/gha-silver" -b "$TMP/no-such-file" "$TMP/bots.ndjson"
is "$rc" 66 "missing --bots file: exit 66"

# counts add up with bad lines in the input
{ zcat "$f" | head -50; echo '{"id":"1","type":"PushEvent"}'; echo 'garbage'; zcat "$f" | head -5; } >"$TMP/mixed.ndjson"
run "$BIN/gha-silver" -s "$TMP/st.json" -r "$TMP/rej.ndjson" -m 10% "$TMP/mixed.ndjson"
is "$rc" 0 "mixed input under --max-reject-rate: exit 0"
is "$(jq -c '[.records_in, .event_rows, .rejected, .duplicates]' "$TMP/st.json")" "[57,50,2,5]" "mixed input: 57 in = 50 rows + 2 rejected + 5 duplicates"
is "$(wc -l <"$TMP/rej.ndjson" | tr -d ' ')" 2 "mixed input: two quarantined records"
run "$BIN/gha-silver" "$TMP/mixed.ndjson"
is "$rc" 1 "rejects over the default rate: exit 1"
rc=0
"$BIN/gha-silver" "$f" >/dev/full 2>"$TMP/err" || rc=$?
is "$rc" 74 "write error on stdout: exit 74"
t "write error names the output" grep -q "write error on '<stdout>'" "$TMP/err"
run "$BIN/gha-silver" -o /dev/full "$f"
is "$rc" 74 "write error on -o /dev/full: exit 74"
# a device or FIFO is written in place, not renamed over: a FIFO of ours
# (not /dev/full, which would tell about the machine) stays a FIFO and
# carries the table
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/fifo.out" &
exec 3<>"$TMP/fifo"	# a writer of ours: cat ends when it closes, whatever gha-silver did
run "$BIN/gha-silver" -o "$TMP/fifo" "$f"
exec 3>&-
wait $!
is "$rc" 0 "-o FIFO: exit 0"
t "-o FIFO: still a FIFO" test -p "$TMP/fifo"
run "$BIN/gha-silver" "$f"
same_file "$TMP/fifo.out" "$TMP/out" "-o FIFO: the table went through it"
run "$BIN/gha-silver" -q -a /dev/full "$f"
is "$rc" 74 "write error on -a /dev/full: exit 74"
t "the error names the actors file, not stdout" grep -q "write error on '/dev/full'" "$TMP/err"
run "$BIN/gha-silver" -c hour,event_id,hour "$f"
is "$rc" 64 "--columns naming a column twice: exit 64"

# an hour without orgs: an orgs table of just its header (UBSan once
# stopped here on qsort of nothing)
run "$BIN/gha-silver" -q -O "$TMP/noorgs.tsv" -R "$TMP/norepos.tsv" </dev/null
is "$rc:$(cat "$TMP/noorgs.tsv")" "$(printf '0:org_id\tlogin\tfirst_seen\tlast_seen\tevents')" "no input events: entity tables are a header, exit 0"

# options that --ddl and --merge-entities would ignore are usage errors
run "$BIN/gha-silver" --ddl "$f"
is "$rc" 64 "--ddl with an input file: exit 64"
run "$BIN/gha-silver" --merge-entities -c hour "$TMP/noorgs.tsv"
is "$rc" 64 "--merge-entities with -c: exit 64"

# "007" and 7 are one id: the second is a duplicate
printf '%s\n' '{"id":"007","type":"WatchEvent","created_at":"2015-01-01T00:00:00Z","actor":{"id":1},"repo":{"id":2,"name":"a/b"}}' \
	'{"id":7,"type":"WatchEvent","created_at":"2015-01-01T00:00:00Z","actor":{"id":1},"repo":{"id":2,"name":"a/b"}}' >"$TMP/zeros.ndjson"
run "$BIN/gha-silver" -c event_id -s "$TMP/zeros.stats" "$TMP/zeros.ndjson"
is "$(tail -n +2 "$TMP/out"):$(jq -c '[.event_rows, .duplicates]' "$TMP/zeros.stats")" "7:[1,1]" "ids \"007\" and 7: one row, one duplicate"

done_testing
