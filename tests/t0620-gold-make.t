#!/usr/bin/env bash
# make gold: per-day partials and tables, windows merged from partials;
# incremental, exact, safe under -j and kill -9. Silver hours are made
# here (real sample hours, and synthetic days from gold_analytics_synth.py), so the
# test needs no fetch.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
G=$BIN/gha-gold

# silver: three synthetic days (2020-03-02..04, as hour 0 of each day) and
# two real hours of 2015-01-01
S=$TMP/silver
mkdir -p "$S"
python3 "$TESTDIR/gold_analytics_synth.py" anomalies "$TMP/syn"
for d in 02 03 04; do gzip -nc "$TMP/syn/2020-03-$d.tsv" >"$S/2020-03-$d-0.events.tsv.gz"; done
for h in 2015-01-01-0 2015-01-01-1; do
	"$BIN/gha-silver" -q "$REAL/$h.json.gz" | gzip -n >"$S/$h.events.tsv.gz"
done
newdata() {	# newdata DIR: a data directory holding the silver above
	mkdir -p "$1/silver" && cp -p "$S"/* "$1/silver/"
}
gold() {	# gold DATA FROM TO [make args]
	local d=$1 from=$2 to=$3
	shift 3
	make -s -C "$TOP" gold FROM="$from" TO="$to" DATA="$d" \
		BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" "$@"
}
both() {	# both DATA [make args]: the synthetic range, then the real day
	gold "$1" 2020-03-01 2020-03-04 "${@:2}" && gold "$1" 2015-01-01 2015-01-01 "${@:2}"
}
outputs() {
	(cd "$1" && find gold -type f 2>/dev/null ! -name '*.tmp*' | sort)
}
snapshot() {
	(cd "$1" && find gold -type f -printf '%p %T@\n' | sort)
}
same_tree() {	# same_tree A B DESC
	if [ "$(outputs "$1")" = "$(outputs "$2")" ] &&
		(cd "$1" && outputs . | while read -r f; do cmp -s "$f" "$2/$f" || exit 1; done); then
		ok "$3"
	else
		not_ok "$3"
		diff <(outputs "$1") <(outputs "$2") | head -5 | sed 's/^/#   /'
	fi
}
TABLES=$("$G" --list | cut -d' ' -f1 | tr '\n' ' ')

D=$TMP/data
newdata "$D"
run both "$D"
is "$rc" 0 "first run: exit 0"
t "a day with no silver is said, not fatal" grep -q "no silver hours for 2020-03-01" "$TMP/err"
n=0
for tb in $TABLES; do
	for p in day/2020-03-02 day/2020-03-03 day/2020-03-04 day/2015-01-01 window/1d-2020-03-04 \
		window/7d-2020-03-04 window/30d-2020-03-04 window/7d-2015-01-01; do
		[ -f "$D/gold/$p/$tb.tsv" ] && n=$((n + 1))
	done
done
is "$n" "$(($(echo "$TABLES" | wc -w) * 8))" "every table of every day and window exists"

# the tables equal gha-gold run directly on the silver files
"$G" -q -w 1d -d "$TMP/direct-day" "$S"/2020-03-03-0.events.tsv.gz
"$G" -q -w 7d -u 2020-03-04 -d "$TMP/direct-7d" "$S"/2020-03-0[234]-0.events.tsv.gz
"$G" -q -w 30d -u 2020-03-04 -d "$TMP/direct-30d" "$S"/2020-03-0[234]-0.events.tsv.gz
"$G" -q -w 1d -d "$TMP/direct-2015" "$S"/2015-01-01-[01].events.tsv.gz
bad=""
for tb in $TABLES; do
	cmp -s "$TMP/direct-day/$tb.tsv" "$D/gold/day/2020-03-03/$tb.tsv" || bad="$bad day:$tb"
	cmp -s "$TMP/direct-7d/$tb.tsv" "$D/gold/window/7d-2020-03-04/$tb.tsv" || bad="$bad 7d:$tb"
	cmp -s "$TMP/direct-30d/$tb.tsv" "$D/gold/window/30d-2020-03-04/$tb.tsv" || bad="$bad 30d:$tb"
	cmp -s "$TMP/direct-2015/$tb.tsv" "$D/gold/day/2015-01-01/$tb.tsv" || bad="$bad 2015:$tb"
done
is "$bad" "" "day and window tables equal gha-gold over the same silver directly"
is "$(cat "$D/gold/window/7d-2020-03-04.days")" "$(printf 'gold/partial/2020-03-0%s.part\n' 2 3 4)" \
	"the 7d window lists the partials it merged"
cp -a "$D" "$TMP/clean"

# second run: nothing to do
snapshot "$D" >"$TMP/before"
run both "$D"
is "$rc" 0 "second run: exit 0"
snapshot "$D" >"$TMP/after"
same_file "$TMP/after" "$TMP/before" "second run changes no file (mtimes)"

# a touched silver hour rebuilds its day and the windows holding it
sleep 1
touch "$D/silver/2020-03-03-0.events.tsv.gz"
snapshot "$D" >"$TMP/before"
run gold "$D" 2020-03-01 2020-03-04
snapshot "$D" >"$TMP/after"
changed=$(diff "$TMP/before" "$TMP/after" | grep '^>' | awk '{ print $2 }' | sed 's|/[a-z_]*\.tsv$|/|' | sort -u | tr '\n' ' ')
is "$changed" "gold/day/2020-03-03/ gold/partial/2020-03-03.part gold/window/30d-2020-03-04/ gold/window/7d-2020-03-04/ " \
	"a touched hour rebuilds its day's partial and tables, the 7d and 30d windows, not the 1d one"
same_tree "$D" "$TMP/clean" "incremental rebuild is byte-identical to the clean run"

# a new silver hour in a day is picked up (the day's manifest changes)
"$BIN/gha-silver" -q "$REAL/2015-01-01-15.first1024.json.gz" | gzip -n >"$D/silver/2015-01-01-15.events.tsv.gz"
run gold "$D" 2015-01-01 2015-01-01
"$G" -q -w 1d -d "$TMP/direct-2015b" "$S"/2015-01-01-[01].events.tsv.gz "$D/silver/2015-01-01-15.events.tsv.gz"
same_file "$D/gold/day/2015-01-01/activity.tsv" "$TMP/direct-2015b/activity.tsv" "a new hour in a day: the day is rebuilt with it"
rm "$D/silver/2015-01-01-15.events.tsv.gz"
run gold "$D" 2015-01-01 2015-01-01
same_tree "$D" "$TMP/clean" "the hour removed again: back to the clean bytes"

# -j2 from scratch equals the clean run
newdata "$TMP/dataj"
run both "$TMP/dataj" -j2
is "$rc" 0 "make -j2 gold: exit 0"
same_tree "$TMP/dataj" "$TMP/clean" "-j2 outputs are byte-identical to -j1"
t "-j2 reaches the sub-make (no 'jobserver unavailable')" test "$(grep -c jobserver "$TMP/err")" = 0

# kill -9 of the whole make once some outputs exist (the first partial;
# a dozen files), then a rerun: the same bytes
for at in 1 12; do
	K=$TMP/datak$at
	newdata "$K"
	setsid bash -c "make -s -C '$TOP' gold FROM=2020-03-01 TO=2020-03-04 DATA='$K' \
		BUILD='$(basename "$GHA_BUILD")' GHA_BIN='$BIN' -j2 >/dev/null 2>&1" &
	pid=$!
	for _ in $(seq 1200); do
		[ "$(outputs "$K" | wc -l)" -ge "$at" ] && break
		sleep 0.05
	done
	{ kill -9 -- "-$pid"; wait "$pid"; } 2>/dev/null
	made=$(outputs "$K" | wc -l)
	t "killed with $made of $(outputs "$TMP/clean" | wc -l) outputs made (mid-run)" \
		test "$made" -ge "$at" -a "$made" -lt "$(outputs "$TMP/clean" | wc -l)"
	run both "$K"
	is "$rc" 0 "rerun after kill -9: exit 0"
	same_tree "$K" "$TMP/clean" "rerun after kill -9 is byte-identical to an uninterrupted run"
done

# usage
run make -s -C "$TOP" gold DATA="$TMP/u" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"
t "make gold without FROM fails with a usage line" test "$rc" -ne 0 -a "$(grep -c 'usage: make gold' "$TMP/err")" = 1

done_testing
