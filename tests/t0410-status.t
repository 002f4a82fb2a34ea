#!/usr/bin/env bash
# make status: a year of hours in a few processes (none per hour), a note
# saying why an hour is not done (ledger, marker, quarantine) or looks
# wrong (every event of another hour), an error for a DATA that does not
# exist, a relative DATA from the caller's directory.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
MK=(BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN")

# a synthetic year: every hour with all layers, bronze stats whose
# records_out is the hour's index, a few hours missing or half done
Y=$TMP/year
mkdir -p "$Y/raw" "$Y/bronze" "$Y/silver"
"$BIN/gha-fetch" -n 2015-01-01 2015-12-31 >"$TMP/hours"
awk -v d="$Y" '{
	if (NR % 1000 == 1) { print d > (d "/raw/" $1 ".missing"); close(d "/raw/" $1 ".missing"); next }
	f = d "/raw/" $1 ".json.gz"; printf "" > f; close(f)
	if (NR % 1000 == 2) next
	f = d "/bronze/" $1 ".ndjson.gz"; printf "" > f; close(f)
	f = d "/bronze/" $1 ".stats.json"
	printf "{\"records_out\":%d,\"rejected\":%d,\"rejected_by_reason\":{%s}}\n", NR, NR % 7,
		NR % 7 ? "\"json\":" NR % 7 : "" > f; close(f)
	if (NR % 1000 == 3) next
	f = d "/silver/" $1 ".events.tsv.gz"; printf "" > f; close(f)
}' "$TMP/hours"
is "$(find "$Y" -type f | wc -l | tr -d ' ')" $((9 + 8751 + 8742 * 2 + 8733)) "a synthetic year of files"

# count the processes status starts: every command it may run is a
# wrapper that logs one line first
W=$TMP/wrap
mkdir -p "$W"
for c in jq awk gawk mawk find xargs sed sort mktemp rm cat head tail cut tr wc grep date; do
	real=$(command -v "$c") || continue
	printf '#!/bin/sh\necho %s >>"%s/log"\nexec %s "$@"\n' "$c" "$W" "$real" >"$W/$c"
	chmod +x "$W/$c"
done
: >"$W/log"
run env PATH="$W:$PATH" make -s -C "$TOP" status FROM=2015-01-01 TO=2015-12-31 DATA="$Y" "${MK[@]}"
is "$rc" 0 "status of a year: exit 0"
is "$(grep -c '^2015-' "$TMP/out")" 8760 "status of a year: 8,760 hour lines"
n=$(wc -l <"$W/log" | tr -d ' ')
t "status of a year: a few processes, not one per hour ($n: $(sort "$W/log" | uniq -c | tr -s ' \n' ' '))" test "$n" -lt 50
# the figures, checked against the files by another route
is "$(awk 'NR == FNR { want[$1] = FNR; next }
	/^2015-/ { h = $1; i = want[h]
		exp_raw = (i % 1000 == 1) ? "missing" : "yes"
		exp_ev = (i % 1000 == 1 || i % 1000 == 2) ? "-" : i
		exp_si = (i % 1000 == 1 || i % 1000 == 2 || i % 1000 == 3) ? "-" : "yes"
		if ($2 != exp_raw || $4 != exp_ev || $6 != exp_si) bad++ }
	END { print bad + 0 }' "$TMP/hours" "$TMP/out")" 0 "status of a year: every line agrees with the files"
t "a missing hour says so" grep -q '^2015-01-01-0 *missing .* missing upstream$' "$TMP/out"
t "an hour without bronze says so" grep -q '^2015-01-01-1 *yes *- .* bronze not built$' "$TMP/out"
t "an hour without silver says so" grep -q '^2015-01-01-2 *yes *yes *3 *3 *- *silver not built$' "$TMP/out"
t "an hour with rejects names their code" grep -q '^2015-01-01-4 *yes *yes *5 *5 *yes *rejects mostly json$' "$TMP/out"

# why hours failed, from real runs: a corrupt upstream file (the ledger)
# and a reject rate too high (the quarantine kept)
M=$TMP/mirror
mkdir -p "$M"
head -c 20000 "$REAL/2015-01-01-0.json.gz" >"$M/2015-01-01-0.json.gz"
{ gzip -dc "$REAL/2015-01-01-15.first1024.json.gz" | head -n 40; printf 'not json %s\n' 1 2 3 4 5; } | gzip >"$M/2015-01-01-1.json.gz"
# a good hour: real events, moved from hour 15 to hour 2 so that the file
# is rightly named (gha-bronze warns about a file none of whose events is
# in its hour)
gzip -dc "$REAL/2015-01-01-15.first1024.json.gz" |
	jq -c '.created_at = "2015-01-01T02:" + .created_at[14:]' | gzip -n >"$M/2015-01-01-2.json.gz"
D=$TMP/data
run make -s -C "$TOP" ingest FROM=2015-01-01-0 TO=2015-01-01-3 DATA="$D" GHA_BASE_URL="file://$M" \
	GHA_FETCH_FLAGS="--retries 0" "${MK[@]}"
t "ingest with a corrupt hour and a bad one fails" test "$rc" -ne 0
run make -s -C "$TOP" status FROM=2015-01-01-0 TO=2015-01-01-3 DATA="$D" "${MK[@]}"
is "$rc" 0 "status after a failed ingest: exit 0"

t "a corrupt upstream hour: the ledger's reason" \
	grep -q "^2015-01-01-0 *- .* fetch corrupt: $(awk -F'\t' '$1 == "2015-01-01-0" { d = $10 } END { print d }' "$D/raw/.gha-fetch.log")$" "$TMP/out"
t "... which says what is wrong" grep -q "^2015-01-01-0 .*truncated gzip" "$TMP/out"
is "$(grep '^2015-01-01-1 ' "$TMP/out" | sed 's/.*yes *- *- *- *- *//')" \
	"bronze: reject rate too high: $(wc -l <"$D/bronze/2015-01-01-1.rejects.failed.ndjson" | tr -d ' ') rejects, mostly $(jq -r .code "$D/bronze/2015-01-01-1.rejects.failed.ndjson" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')" \
	"a reject rate too high: the count and code of the quarantine kept"
t "a good hour: no note" grep -Eq '^2015-01-01-2 *yes *yes *1024 *0 *yes$' "$TMP/out"
t "an hour missing upstream" grep -q '^2015-01-01-3 *missing .* missing upstream$' "$TMP/out"

# a raw hour whose events all belong to another hour (a mislabeled
# mirror), when the stats carry the count
printf '{"records_out":12,"rejected":0,"hour_mismatch":12}\n' >"$D/bronze/2015-01-01-2.stats.json"
run make -s -C "$TOP" status FROM=2015-01-01-2 DATA="$D" "${MK[@]}"
t "every event of another hour: a warning" grep -q '^2015-01-01-2 .*warning: every event belongs to another hour' "$TMP/out"
printf '{"records_out":12,"rejected":0,"hour_mismatch":5,"mislabeled_hours":[]}\n' >"$D/bronze/2015-01-01-2.stats.json"
run make -s -C "$TOP" status FROM=2015-01-01-2 DATA="$D" "${MK[@]}"
t "some events of another hour (normal since 2025-05): their count, no warning" \
	grep -Eq '^2015-01-01-2 .* 5 events of another hour$' "$TMP/out"
t "... no warning" test "$(grep -c warning "$TMP/out")" = 0
# gha-bronze's own verdict: mislabeled_hours lists the file
printf '{"records_out":12,"rejected":0,"hour_mismatch":11,"mislabeled_hours":["raw/2015-01-01-2.json.gz"]}\n' >"$D/bronze/2015-01-01-2.stats.json"
run make -s -C "$TOP" status FROM=2015-01-01-2 DATA="$D" "${MK[@]}"
t "a file gha-bronze calls mislabeled: a warning" grep -q '^2015-01-01-2 .*warning: every event belongs to another hour' "$TMP/out"

# a DATA that does not exist; a relative DATA
run make -s -C "$TOP" status FROM=2015-01-01-0 DATA="$TMP/nope" "${MK[@]}"
t "a DATA that does not exist: fails" test "$rc" -ne 0
t "a DATA that does not exist: says so" grep -q "gha: no data directory '$TMP/nope'" "$TMP/err"
t "a DATA that does not exist: not made" test ! -e "$TMP/nope"
make -s -C "$TOP" status FROM=2015-01-01-0 TO=2015-01-01-3 DATA="$TMP/data" "${MK[@]}" >"$TMP/out.all" 2>&1
(cd "$TMP" && make -s -C "$TOP" status FROM=2015-01-01-0 TO=2015-01-01-3 DATA=data "${MK[@]}" >"$TMP/rel.out" 2>&1)
is "$?" 0 "make -C TOP status DATA=data from elsewhere: exit 0"
same_file "$TMP/rel.out" "$TMP/out.all" "a relative DATA is the caller's"

done_testing
