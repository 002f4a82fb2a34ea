#!/usr/bin/env bash
# gha-bronze on every real sample: zero rejects, byte-identical output,
# counts cross-checked with jq and python3.
. "$(dirname "$0")/lib.sh"

for f in "$REAL"/*.json.gz; do
	b=$(basename "$f")
	run "$BIN/gha-bronze" -s "$TMP/stats.json" -r "$TMP/rej.ndjson" "$f"
	is "$rc" 0 "$b: exit 0"
	# the input with a final newline added where it lacked one
	zcat "$f" | sed -e '$a\' >"$TMP/in"
	same_file "$TMP/out" "$TMP/in" "$b: output equals input byte for byte"
	is "$(jq .rejected "$TMP/stats.json")" 0 "$b: zero rejects"
	is "$(wc -c <"$TMP/rej.ndjson" | tr -d ' ')" 0 "$b: empty quarantine"
	n=$(zcat "$f" | jq -c . | wc -l | tr -d ' ')
	is "$(jq .records_out "$TMP/stats.json")" "$n" "$b: records_out equals jq's count ($n)"
	is "$(jq '.records_in - .records_out - .rejected - .duplicates - .filtered' "$TMP/stats.json")" 0 \
		"$b: in = out + rejected + duplicates + filtered"
	want=$(zcat "$f" | jq -s -c 'group_by(.type) | map({(.[0].type): length}) | add // {}')
	is "$(jq -c .events_by_type "$TMP/stats.json")" "$want" "$b: events by type match jq"
	# first/last created_at in UTC, computed independently (offsets of the Timeline era)
	want=$(zcat "$f" | jq -r .created_at | python3 -c '
import sys, datetime
ts = [datetime.datetime.fromisoformat(l.strip().replace("Z", "+00:00")).astimezone(datetime.timezone.utc) for l in sys.stdin]
f = "%Y-%m-%dT%H:%M:%SZ"
print(min(ts).strftime(f), max(ts).strftime(f))')
	is "$(jq -r '"\(.first_created_at) \(.last_created_at)"' "$TMP/stats.json")" "$want" "$b: first/last created_at in UTC"
done

# REST API responses (JSON arrays, pretty-printed) become NDJSON with jq first
for f in "$REAL"/api_events_*.json "$REAL"/single_*.json; do
	b=$(basename "$f")
	jq -c 'if type == "array" then .[] else . end' "$f" >"$TMP/api.ndjson"
	run "$BIN/gha-bronze" -s "$TMP/stats.json" "$TMP/api.ndjson"
	is "$rc" 0 "$b: exit 0"
	same_file "$TMP/out" "$TMP/api.ndjson" "$b: output equals input"
	is "$(jq .rejected "$TMP/stats.json")" 0 "$b: zero rejects"
done

# the same files as they are (pretty-printed documents, arrays of events):
# read whole, each event written compacted, exactly as jq -c writes it
for f in "$REAL"/api_events_*.json "$REAL"/single_*.json; do
	b=$(basename "$f")
	run "$BIN/gha-bronze" -s "$TMP/stats.json" "$f"
	is "$rc" 0 "$b as is: exit 0"
	jq -c 'if type == "array" then .[] else . end' "$f" >"$TMP/api.ndjson"
	same_file "$TMP/out" "$TMP/api.ndjson" "$b as is: the events, compacted as jq -c does"
	is "$(jq -c '[.rejected, .records_out]' "$TMP/stats.json")" "[0,$(wc -l <"$TMP/api.ndjson" | tr -d ' ')]" \
		"$b as is: zero rejects, every event out"
done

# the same hour twice: the second copy is all duplicates
f=$REAL/2015-01-01-15.first1024.json.gz
run "$BIN/gha-bronze" -s "$TMP/stats.json" "$f" "$f"
is "$rc" 0 "same file twice: exit 0"
is "$(jq -c '[.records_in, .records_out, .duplicates]' "$TMP/stats.json")" "[2048,1024,1024]" \
	"same file twice: 1024 of 2048 are duplicates"
zcat "$f" >"$TMP/in"
same_file "$TMP/out" "$TMP/in" "same file twice: output is the first copy"

# the first 100 events: gha-bronze keeps each distinct (id, created_at)
# once, as many as jq counts
zcat "$REAL/2015-01-01-15.first1024.json.gz" | head -n 100 >"$TMP/h100"
want=$(jq -r '.id + " " + .created_at' "$TMP/h100" | sort -u | wc -l | tr -d ' ')
run "$BIN/gha-bronze" -s "$TMP/stats.json" "$TMP/h100"
is "$rc:$(jq -c '[.records_out, .duplicates]' "$TMP/stats.json")" "0:[$want,$((100 - want))]" \
	"first 100 events: one out per distinct (id, created_at) ($want)"

# plain, stdin and gzip input agree
zcat "$f" | "$BIN/gha-bronze" >"$TMP/stdin.out"
is "$?" 0 "stdin: exit 0"
same_file "$TMP/stdin.out" "$TMP/in" "stdin gives the same output"
zcat "$f" >"$TMP/plain.json"
run "$BIN/gha-bronze" "$TMP/plain.json"
same_file "$TMP/out" "$TMP/in" "plain file gives the same output"

done_testing
