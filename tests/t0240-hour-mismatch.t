#!/usr/bin/env bash
# A raw hour whose events all belong to another hour (a mislabeled
# mirror) is warned about on stderr and in the stats; neighbouring hours
# in a file (normal since 2025-05) are counted, not warned about.
. "$(dirname "$0")/lib.sh"
cp "$REAL/2015-01-01-0.json.gz" "$TMP/2015-01-01-3.json.gz"
# the truth by jq: events (valid, any dedupe) whose hour is not 03
want=$(zcat "$TMP/2015-01-01-3.json.gz" | jq -s '[.[] | select(.created_at[11:13] != "03")] | length')
run "$BIN/gha-bronze" -q -s "$TMP/st.json" -o /dev/null "$TMP/2015-01-01-3.json.gz"
is "$rc" 0 "a mislabeled hour is a warning, not a failure: exit 0"
t "stderr says none of the events is in the file's hour" \
	grep -q "2015-01-01-3.json.gz: none of its $want events is in hour 2015-01-01-3 (they are from 2015-01-01T00:00:00Z to 2015-01-01T00:" "$TMP/err"
is "$(jq -c '[.hour_mismatch, .mislabeled_hours, .files[0].hour, .files[0].hour_mismatch, .files[0].hour_mislabeled]' "$TMP/st.json")" \
	"[$want,[\"$TMP/2015-01-01-3.json.gz\"],\"2015-01-01-3\",$want,true]" \
	"stats: hour_mismatch agrees with jq, the file is listed as mislabeled"

# its own name: no warning, nothing mismatched
run "$BIN/gha-bronze" -q -s "$TMP/ok.json" -o /dev/null "$REAL/2015-01-01-0.json.gz"
is "$rc:$(wc -c <"$TMP/err" | tr -d ' ')" "0:0" "a rightly named hour: no warning"
is "$(jq -c '[.hour_mismatch, .mislabeled_hours, .files[0].hour_mislabeled]' "$TMP/ok.json")" '[0,[],false]' \
	"a rightly named hour: nothing mismatched"

# an hour that holds its neighbours too (since 2025-05): counted, no warning
{ zcat "$REAL/2015-01-01-0.json.gz" | head -n 3; zcat "$REAL/2015-01-01-1.json.gz" | head -n 5; } |
	gzip -n >"$TMP/2015-01-01-1.json.gz"
run "$BIN/gha-bronze" -s "$TMP/nb.json" -o /dev/null "$TMP/2015-01-01-1.json.gz"
is "$rc:$(grep -c mislabeled "$TMP/err")" "0:0" "neighbouring hours in a file: no warning"
is "$(jq -c '[.hour_mismatch, .files[0].hour_mislabeled]' "$TMP/nb.json")" '[3,false]' \
	"neighbouring hours in a file: the 3 others counted"

# not an hour's name (stdin, a sample): no check
run "$BIN/gha-bronze" -s "$TMP/in.json" -o /dev/null <"$TMP/2015-01-01-3.json.gz"
is "$(jq -c '[.hour_mismatch, .files[0].hour]' "$TMP/in.json"):$(grep -c mislabeled "$TMP/err")" '[0,null]:0' \
	"stdin has no hour: no check"
# Timeline-era files are named by the Pacific hour their events carry
# (2014-02-15-0 holds 00:03-08:00 .. 01:03-08:00, that is 08:03Z ..):
# no warning; the events whose local hour is not 00 (jq) are the mismatch
tl=$REAL/2014-02-15-0.json.gz
want=$(zcat "$tl" | jq -s '[.[] | select(.created_at[11:13] != "00")] | length')
run "$BIN/gha-bronze" -q -s "$TMP/tl.json" -o /dev/null "$tl"
is "$rc:$(grep -c mislabeled "$TMP/err")" "0:0" "a Timeline hour named in Pacific time: no warning"
is "$(jq -c '[.hour_mismatch, .files[0].hour_mislabeled]' "$TMP/tl.json")" "[$want,false]" \
	"a Timeline hour: only events outside its local hour are counted (jq: $want)"
# the same Timeline file under another hour's name is still mislabeled
cp "$tl" "$TMP/2014-02-15-5.json.gz"
run "$BIN/gha-bronze" -q -s "$TMP/tl5.json" -o /dev/null "$TMP/2014-02-15-5.json.gz"
is "$(jq -c '.files[0].hour_mislabeled' "$TMP/tl5.json")" true "a Timeline hour under a wrong name is mislabeled"
done_testing
