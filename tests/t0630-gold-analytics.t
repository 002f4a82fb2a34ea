#!/usr/bin/env bash
# gha-gold's analytics tables: actor_profiles and regions (UTC offsets of
# synthetic actors with known offsets), anomalies (planted bursts, drops
# and a gap, and every global figure against an independent Python
# computation), and the merge property for these tables: partials of any
# grouping, merged in any order, give the bytes of a direct run.
. "$(dirname "$0")/lib.sh"
G=$BIN/gha-gold
AN=anomalies
TABLES=actor_profiles,regions,anomalies

# ---- anomalies: planted ----
python3 "$TESTDIR/gold_analytics_synth.py" anomalies "$TMP/an"
run "$G" -t $AN -o "$TMP/an.tsv" "$TMP"/an/2020-*.tsv
is "$rc" 0 "anomalies over 72 synthetic hours"
got=$(awk -F'\t' 'NR > 1 && $10 != "\\N" { print $1 "\t" $2 "\t" $3 "\t" $5 "\t" $10 }' "$TMP/an.tsv")
want=$(cut -f1-4,6 "$TMP/an/planted.tsv")
is "$got" "$want" "flagged: exactly the planted star_burst, fork_burst, event_flood (repo and actor), bot_surge, volume_drop, gap"
got=$(awk -F'\t' 'NR > 1 && $10 != "\\N" && $10 != "volume_drop" { print $1 "\t" $6 }' "$TMP/an.tsv")
want=$(awk -F'\t' '$6 != "volume_drop" { print $1 "\t" $5 }' "$TMP/an/planted.tsv")
is "$got" "$want" "the flagged values are the planted counts (distinct starring and forking people, events)"
t "a bot star farm (30 bot stars on repo 9004) is no star burst" \
	sh -c "! grep -q '	9004	' '$TMP/an.tsv'"
python3 "$TESTDIR/gold_anomaly_ref.py" "$TMP"/an/2020-*.tsv >"$TMP/an.ref" || not_ok "python reference"
awk -F'\t' '$2 == "global"' "$TMP/an.tsv" | cut -f1-9 >"$TMP/an.global"
same_file "$TMP/an.global" "$TMP/an.ref" "every global row (value, baseline, mad, score) equals the Python reference"
quiet=$(awk -F'\t' '$2 == "global" && $5 == "events" && $6 == 0 && $10 == "\\N"' "$TMP/an.tsv" | wc -l)
is "$quiet" 0 "the only empty hour is the gap (no quiet-hour row)"

# a week and more without data: gaps while the week before holds 6 present
# hours (03-04 00:00 to 03-10 18:00, 163 hours), then nothing, and the
# first hour after the outage has no baseline
sed 's/^2020-03-04T/2020-03-14T/' "$TMP/an/2020-03-04.tsv" >"$TMP/later.tsv"
run "$G" -t $AN -o "$TMP/outage.tsv" "$TMP/an/2020-03-02.tsv" "$TMP/an/2020-03-03.tsv" "$TMP/later.tsv"
is "$(awk -F'\t' '$10 == "gap" && $1 < "2020-03-14"' "$TMP/outage.tsv" | wc -l)" 163 "a 10-day outage: 163 gap hours (the week after the last present hour with 6 of them)"
is "$(awk -F'\t' '$10 == "gap" { print $1 }' "$TMP/outage.tsv" | tr '\n' ' ' | cut -d' ' -f1,163-)" \
	"2020-03-04T00:00:00Z 2020-03-10T18:00:00Z 2020-03-14T12:00:00Z " \
	"the outage's gaps run from 03-04 00:00 to 03-10 18:00; then only the planted gap"
is "$(awk -F'\t' '$1 == "2020-03-14T00:00:00Z" && $5 == "events" { print $7 }' "$TMP/outage.tsv")" '\N' \
	"the first hour after the outage has no baseline"
python3 "$TESTDIR/gold_anomaly_ref.py" "$TMP/an/2020-03-02.tsv" "$TMP/an/2020-03-03.tsv" "$TMP/later.tsv" >"$TMP/outage.ref"
awk -F'\t' '$2 == "global"' "$TMP/outage.tsv" | cut -f1-9 >"$TMP/outage.global"
same_file "$TMP/outage.global" "$TMP/outage.ref" "around the outage every global row equals the Python reference"

# a quiet hour is not a gap: an input whose baseline is small
awk -F'\t' 'NR == 1 || substr($1, 12, 2) % 3 == 0' "$TMP/an/2020-03-02.tsv" | awk -F'\t' \
	'NR == 1 || (n[substr($1, 1, 13)]++ < 3)' >"$TMP/sparse.tsv"
awk -F'\t' 'NR > 1 && substr($1, 12, 2) != "09"' "$TMP/sparse.tsv" >"$TMP/sparse.body"
{ head -n 1 "$TMP/sparse.tsv"; cat "$TMP/sparse.body"; } >"$TMP/sparse2.tsv"
run "$G" -t $AN -o "$TMP/sparse.out" "$TMP/sparse2.tsv"
gaps=$(awk -F'\t' '$10 == "gap"' "$TMP/sparse.out" | wc -l)
empty=$(awk -F'\t' '$2 == "global" && $5 == "events" && $6 == 0' "$TMP/sparse.out" | wc -l)
t "a thin input (3 events in every third hour, one of them removed): $empty empty hours listed, none a gap" \
	test "$rc" = 0 -a "$gaps" = 0 -a "$empty" -gt 0

# ---- regions ----
python3 "$TESTDIR/gold_analytics_synth.py" regions "$TMP/rg"
run "$G" -t $TABLES -d "$TMP/rg.out" "$TMP"/rg/2020-*.tsv
is "$rc" 0 "actor_profiles and regions over 14 synthetic days"
# events by hour, active days and hours, recomputed with awk from the silver
awk -F'\t' 'FNR > 1 && $3 != "\\N" { a = $3; h = substr($1, 12, 2) + 0; d = substr($1, 1, 10)
	n[a, h]++; ev[a]++; if (!((a, d) in sd)) { sd[a, d] = 1; days[a]++ }
	if (!((a, d, h) in sh)) { sh[a, d, h] = 1; hrs[a]++; act[a, h]++ } ; ids[a] = 1 }
	END { for (a in ids) { s = ""; t = ""; for (h = 0; h < 24; h++) {
		s = s (h ? "," : "") (n[a, h] + 0); t = t (h ? "," : "") (act[a, h] + 0) }
		print a "\t" ev[a] "\t" days[a] "\t" hrs[a] "\t" s "\t" t } }' "$TMP"/rg/2020-*.tsv |
	sort -n >"$TMP/rg.ref"
tail -n +2 "$TMP/rg.out/actor_profiles.tsv" | cut -f1,3-7 >"$TMP/rg.got"
same_file "$TMP/rg.got" "$TMP/rg.ref" "actor_profiles: events, active days and hours, both 24-hour lists equal awk's"
read -r n within band < <(awk -F'\t' 'NR == FNR { t[$1] = $2; next }
	FNR > 1 && ($1 in t) { n++; o = t[$1]; d = $8 - o; if (d < 0) d = -d; if (d > 12) d = 24 - d
		if ($8 != "\\N" && d <= 1) w++
		b = o <= -3 ? "americas" : o <= 3 ? "europe_africa" : "asia_pacific"; if ($10 == b) r++ }
	END { print n, w + 0, r + 0 }' "$TMP/rg/truth.tsv" "$TMP/rg.out/actor_profiles.tsv")
echo "# $n synthetic actors: offset within 1 h for $within, band right for $band"
t "offset within 1 h for >= 85% of actors ($within of $n)" test "$((within * 100))" -ge "$((n * 85))"
t "band right for >= 85% of actors ($band of $n)" test "$((band * 100))" -ge "$((n * 85))"
got=$(tail -n +2 "$TMP/rg.out/regions.tsv" | awk -F'\t' '{ e[$1] += $4; a[$1] += $3 } END { for (d in e) print d, a[d], e[d] }' | sort)
want=$(awk -F'\t' 'FNR > 1 { d = substr($1, 1, 10); e[d]++; if ($3 != "\\N" && !((d, $3) in s)) { s[d, $3] = 1; a[d]++ } }
	END { for (d in e) print d, a[d] + 0, e[d] }' "$TMP"/rg/2020-*.tsv | sort)
is "$got" "$want" "regions: per day, actors and events over all regions are the day's distinct actors and events"
got=$(awk -F'\t' '$1 == "2020-03-04" && $2 == "unknown" { print $4 }' "$TMP/rg.out/regions.tsv")
want=$(awk -F'\t' 'NR == FNR { k[$1] = 1; next } FNR > 1 && ($3 == "\\N" || !($3 in k))' \
	<(awk -F'\t' 'NR > 1 && $10 != "unknown" { print $1 }' "$TMP/rg.out/actor_profiles.tsv") \
	"$TMP/rg/2020-03-04.tsv" | wc -l)
is "$got" "$want" "regions: unknown holds the events of unknown actors and of events with no actor"

# ---- merge property, on synthetic days and real hours ----
for h in 2011-02-15-0 2014-02-15-0 2015-01-01-0 2015-01-01-1 2025-01-01-15.first2048; do
	"$BIN/gha-silver" -q "$REAL/$h.json.gz" >"$TMP/real-$h.tsv" || not_ok "silver $h"
done
check_merge() {	# NAME FILE...: random groupings and orders, 3 trials
	local name=$1 trial i g f
	shift
	local files=("$@")
	"$G" -t $TABLES -d "$TMP/m.direct" "${files[@]}" || { not_ok "$name: direct run"; return; }
	for trial in 1 2 3; do
		rm -rf "$TMP/m.parts" "$TMP/m.merged"
		mkdir -p "$TMP/m.parts"
		# a random grouping: each file to one of 1..3 groups
		i=0
		for f in $(printf '%s\n' "${files[@]}" | shuf --random-source=<(yes "$trial$name")); do
			g=$((RANDOM % 3))
			echo "$f" >>"$TMP/m.parts/g$g"
			i=$((i + 1))
		done
		for g in "$TMP"/m.parts/g*; do
			mapfile -t gf <"$g"
			"$G" -P -o "$g.part" "${gf[@]}" || not_ok "$name: partial"
		done
		mapfile -t parts < <(ls "$TMP"/m.parts/*.part | shuf)
		"$G" -M -t $TABLES -d "$TMP/m.merged" "${parts[@]}" || not_ok "$name: merge"
		for tb in ${TABLES//,/ }; do
			cmp -s "$TMP/m.direct/$tb.tsv" "$TMP/m.merged/$tb.tsv" || { not_ok "$name trial $trial: $tb differs"; return; }
		done
	done
	ok "$name: merged partials of 3 random groupings equal the direct run ($TABLES)"
}
RANDOM=630
check_merge "synthetic anomalies days" "$TMP"/an/2020-*.tsv
check_merge "synthetic regions days" "$TMP"/rg/2020-*.tsv
check_merge "real hours" "$TMP"/real-*.tsv

# the man page has every column of these tables, under the table's section
mandoc -Tascii "$TESTDIR/../man/gha-gold.1" 2>/dev/null | sed 's/.\x08//g' >"$TMP/man.txt"
for tb in ${TABLES//,/ }; do
	sect=$(awk -v t="$tb" '$0 == "   " t { on = 1; next } on && /^   [a-z]/ { exit } on' "$TMP/man.txt")
	missing=""
	for c in $("$G" --ddl -t "$tb" | awk 'NR > 1 && $1 != ");" { print $1 }'); do
		grep -q "^       $c " <<<"$sect" || missing="$missing $c"
	done
	is "$missing" "" "gha-gold(1) describes every column of $tb in its section"
done

done_testing
