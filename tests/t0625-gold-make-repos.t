#!/usr/bin/env bash
# make gold -R: each day's tables (and the windows ending at it) read
# silver's repos table as known at the end of that day (gold/repos/DAY.tsv,
# chained day to day with gha-silver --merge-entities), so a repo whose
# language was seen on an earlier day, with no PR today, is not in the
# NULL-language row. The fixture is built so the answer is known by
# construction: repo 1's language (Go) is seen on day 1 only.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

hdr=$("$BIN/gha-silver" -q "$REAL/2015-01-01-0.json.gz" | head -n 1)
# ev FILE 'created_at event_type repo_id repo_name actor_id language action' ...
ev() {
	local f=$1
	shift
	printf '%s\n' "$@" | awk -F' ' -v OFS='\t' -v hdr="$hdr" '
		BEGIN { n = split(hdr, h, "\t"); print hdr
			for (i = 1; i <= n; i++) c[h[i]] = i }
		{ for (i = 1; i <= n; i++) v[i] = "\\N"
		  v[c["created_at"]] = $1; v[c["event_type"]] = $2; v[c["repo_id"]] = $3
		  v[c["repo_name"]] = $4; v[c["actor_id"]] = $5; v[c["actor_login"]] = "u" $5
		  v[c["is_bot"]] = "f"; if ($6 != "-") v[c["language"]] = $6
		  if ($7 != "-") v[c["action"]] = $7
		  line = v[1]; for (i = 2; i <= n; i++) line = line OFS v[i]; print line }' |
		gzip -n >"$f"
}
repos() {	# repos FILE 'id name language seen_at first last events' ...
	local f=$1
	shift
	{
		printf 'repo_id\tname\towner\tlanguage\tlanguage_seen_at\tfirst_seen\tlast_seen\tevents\tprevious_names\n'
		printf '%s\n' "$@" | awk -F' ' -v OFS='\t' '{ split($2, o, "/")
			print $1, $2, o[1], $3 == "-" ? "\\N" : $3, $4 == "-" ? "\\N" : $4, $5, $6, $7, "\\N" }'
	} | gzip -n >"$f"
}
D=$TMP/data
S=$D/silver
mkdir -p "$S"
# day 1: a PR on repo 1 (Go), a push on repo 2 (no language known)
ev "$S/2020-05-01-0.events.tsv.gz" \
	'2020-05-01T00:10:00Z PullRequestEvent 1 a/one 10 Go opened' \
	'2020-05-01T00:20:00Z PushEvent 2 b/two 11 - -'
repos "$S/2020-05-01-0.repos.tsv.gz" \
	'1 a/one Go 2020-05-01T00:10:00Z 2020-05-01T00:10:00Z 2020-05-01T00:10:00Z 1' \
	'2 b/two - - 2020-05-01T00:20:00Z 2020-05-01T00:20:00Z 1'
# day 2: pushes only, to repos 1 and 2: no language in the day's events
ev "$S/2020-05-02-3.events.tsv.gz" \
	'2020-05-02T03:00:00Z PushEvent 1 a/one 12 - -' \
	'2020-05-02T03:05:00Z PushEvent 1 a/one 13 - -' \
	'2020-05-02T03:10:00Z PushEvent 2 b/two 12 - -'
repos "$S/2020-05-02-3.repos.tsv.gz" \
	'1 a/one - - 2020-05-02T03:00:00Z 2020-05-02T03:05:00Z 2' \
	'2 b/two - - 2020-05-02T03:10:00Z 2020-05-02T03:10:00Z 1'

gold() {	# gold DATA [make args]
	make -s -C "$TOP" gold FROM=2020-05-01 TO=2020-05-02 DATA="$1" GOLD_WINDOWS="1 7" \
		BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" "${@:2}"
}
run gold "$D"
is "$rc" 0 "make gold: exit 0"
t "the day-2 repos table is the merge of both days" test -s "$D/gold/repos/2020-05-02.tsv"
got=$(awk -F'\t' '$1 == 1 { print $4, $5 }' "$D/gold/repos/2020-05-02.tsv")
is "$got" "Go 2020-05-01T00:10:00Z" "repo 1 keeps day 1's language in the chained table"
# languages of day 2: (day, language, events, repos, actors, pushes, ...)
lang() { awk -F'\t' -v l="$2" 'NR > 1 && $2 == l { print $3, $4, $5, $6 }' "$1"; }
is "$(lang "$D/gold/day/2020-05-02/languages.tsv" Go)" "2 1 2 2" \
	"day 2: repo 1's two pushes count under Go (known from day 1 through -R)"
is "$(lang "$D/gold/day/2020-05-02/languages.tsv" '\N')" "1 1 1 1" \
	"day 2: repo 2, never with a language, stays in the NULL row"
is "$(lang "$D/gold/window/7d-2020-05-02/languages.tsv" Go | tr '\n' ' ')" "1 1 1 0 2 1 2 2 " \
	"the 7d window: repo 1 under Go on both days"
# day 1's table must not know anything from day 2 (nothing to know here,
# but its -R input is day 1's table alone)
t "day 1 reads its own repos table" test -s "$D/gold/repos/2020-05-01.tsv"
is "$(lang "$D/gold/day/2020-05-01/languages.tsv" Go)" "1 1 1 0" "day 1: the PR under Go"

# the same silver without repos tables: day 2's pushes have no language
D2=$TMP/norepos
mkdir -p "$D2/silver"
cp -p "$S"/*.events.tsv.gz "$D2/silver/"
run gold "$D2"
is "$rc" 0 "make gold without repos tables: exit 0"
t "no repos tables made" test ! -e "$D2/gold/repos"
is "$(lang "$D2/gold/day/2020-05-02/languages.tsv" '\N')" "3 2 2 3" \
	"without -R every day-2 event is in the NULL row (what -R changes)"

# incremental: nothing changed, nothing rebuilt; a changed day-1 repos
# hour rebuilds the chain and day 2's tables
snap() { (cd "$D" && find gold -type f -printf '%p %T@\n' | sort); }
before=$(snap)
sleep 1
run gold "$D"
is "$(snap)" "$before" "a second run rewrites nothing"
repos "$S/2020-05-01-0.repos.tsv.gz" \
	'1 a/one Rust 2020-05-01T00:10:00Z 2020-05-01T00:10:00Z 2020-05-01T00:10:00Z 1' \
	'2 b/two - - 2020-05-01T00:20:00Z 2020-05-01T00:20:00Z 1'
run gold "$D"
is "$rc" 0 "rerun after a changed repos hour: exit 0"
is "$(lang "$D/gold/day/2020-05-02/languages.tsv" Rust)" "2 1 2 2" \
	"day 2 follows the changed day-1 repos table (the chain was rebuilt)"
done_testing
