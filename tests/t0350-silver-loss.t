#!/usr/bin/env bash
# gha-silver never makes a repo name up: repo_name is owner/name or NULL
# (a Timeline record's empty owner gives NULL, not "/name"); a 2011
# event named "/" takes its name from payload.repo, where the event says
# it; the repos table names a repo id by its proper name from elsewhere
# in the input. Checked against jq, computed apart from the C code.
. "$(dirname "$0")/lib.sh"
s2011=$REAL/2011-02-15-0.json.gz

# 2011: the "/" events whose payload.repo names the repo
zcat "$s2011" | jq -r 'select(.repo.name == "/" and (.payload.repo | type) == "string"
	and (.payload.repo | test("^[^/]+/.+$"))) | [.id, .payload.repo, (.payload.repo | split("/")[0])] | @tsv' |
	sort >"$TMP/want"
t "the 2011 sample has \"/\" events that name their repo in payload.repo" test -s "$TMP/want"
run "$BIN/gha-silver" -q -c event_id,repo_name,repo_owner -R "$TMP/repos.tsv" "$s2011"
is "$rc" 0 "gha-silver on the 2011 sample: exit 0"
zcat "$s2011" | jq -r 'select(.repo.name == "/") | .id' | sort >"$TMP/slash_ids"
tail -n +2 "$TMP/out" | sort | join -t "$(printf '\t')" - "$TMP/slash_ids" | awk -F'\t' '$2 != "\\N"' >"$TMP/got"
same_file "$TMP/got" "$TMP/want" "\"/\" events: repo_name and repo_owner from payload.repo, exactly where jq finds one"
is "$(tail -n +2 "$TMP/out" | sort | join -t "$(printf '\t')" - "$TMP/slash_ids" | awk -F'\t' '$2 == "\\N"' | wc -l | tr -d ' ')" \
	"$(($(wc -l <"$TMP/slash_ids") - $(wc -l <"$TMP/want")))" "the other \"/\" events: NULL, nothing made up"
# the repos table holds exactly the names jq finds proper, no more
zcat "$s2011" | jq -r '(if .repo.name == "/" then .payload.repo else .repo.name end)
	| select(type == "string" and test("^[^/]+/.+$"))' | sort -u >"$TMP/want_names"
tail -n +2 "$TMP/repos.tsv" | cut -f2 | sort -u >"$TMP/got_names"
same_file "$TMP/got_names" "$TMP/want_names" "repos table: the proper names jq finds, no more, no fewer"

# no sample gives a name with an empty side
for f in "$REAL"/*.json "$REAL"/*.json.gz; do
	"$BIN/gha-silver" -q -m 100% -c repo_name "$f" 2>/dev/null | tail -n +2 >"$TMP/names"
	is "$(grep -c -E '^/|/$' "$TMP/names")" 0 "$(basename "$f"): no repo_name with an empty side"
done

# Timeline: an empty owner; the same repository id named properly later
tl=$REAL/timeline_2014-06-01-08_gh4j.json.gz
zcat "$tl" | head -n 1 >"$TMP/one"
owner=$(jq -r .repository.owner "$TMP/one")
name=$(jq -r .repository.name "$TMP/one")
id=$(jq -r .repository.id "$TMP/one")
{ jq -c '.repository.owner = "" | .created_at = "2014-06-01T01:00:00-07:00"' "$TMP/one"
  jq -c '.created_at = "2014-06-01T01:00:05-07:00"' "$TMP/one"
  jq -c '.repository.owner = "" | .created_at = "2014-06-01T01:00:09-07:00"' "$TMP/one"; } >"$TMP/tl.json"
run "$BIN/gha-silver" -c repo_id,repo_name,repo_owner -R "$TMP/tl.repos" "$TMP/tl.json"
is "$rc" 0 "Timeline with an empty owner: exit 0"
is "$(tail -n +2 "$TMP/out" | tr '\t\n' ',;')" "$id,\\N,\\N;$id,$owner/$name,$owner;$id,\\N,\\N;" \
	"empty owner: repo_name and repo_owner NULL (not \"/$name\"); the named one as given"
is "$(tail -n +2 "$TMP/tl.repos" | cut -f1,2,9 | tr '\t\n' ',;')" "$id,$owner/$name,\\N;" \
	"the repos table names the id by its proper name, no \"/$name\" among its names"
done_testing
