#!/usr/bin/env bash
# make ingest KEEP_RAW=0: raw hours removed once their bronze is made and
# read back, left as raw/H.dropped; the same bronze and silver as with
# raw kept; no fetch again; make status still knows the hours; a lost
# silver is made again from bronze. Real sample hours from the local
# server, one of them given a reject and a duplicate (so its bronze is a
# file of its own, not a link to raw).
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/server.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

mkdir -p "$TMP/mirror"
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$TMP/mirror/"
zcat "$REAL/2015-01-01-15.first1024.json.gz" >"$TMP/h3"
{ head -n 100 "$TMP/h3"; echo '{"not":"an event"}'; tail -n +101 "$TMP/h3"; sed -n 5p "$TMP/h3"; } |
	gzip -n >"$TMP/mirror/2015-01-01-3.json.gz"
server_start "$TMP/mirror" || { not_ok "start the test server"; done_testing; exit 1; }

R=(FROM=2015-01-01-0 TO=2015-01-01-3)
ingest() {	# ingest DATA [make args]
	local d=$1
	shift
	make -s -C "$TOP" ingest "${R[@]}" DATA="$d" GHA_BASE_URL="$BASE" \
		BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" "$@"
}
layers() {	# the bronze and silver files of DATA, with their bytes
	(cd "$1" && find bronze silver -type f ! -name '*.tmp*' | sort | while read -r f; do
		echo "$f $(cksum <"$f")"; done)
}
snapshot() { (cd "$1" && find . -type f ! -path './raw/.locks/*' -printf '%p %T@\n' | sort); }

K=$TMP/kept
run ingest "$K"
is "$rc" 0 "KEEP_RAW=1 (the default): exit 0"
t "KEEP_RAW=1: raw kept" test -f "$K/raw/2015-01-01-0.json.gz" -a -f "$K/raw/2015-01-01-3.json.gz"
t "an hour with every record kept: bronze is a link to raw" \
	test "$K/bronze/2015-01-01-0.ndjson.gz" -ef "$K/raw/2015-01-01-0.json.gz"
t "an hour with a reject and a duplicate: bronze is its own file" \
	test ! "$K/bronze/2015-01-01-3.ndjson.gz" -ef "$K/raw/2015-01-01-3.json.gz"
is "$(jq -r '[.rejected, .duplicates, .records_out] | @tsv' "$K/bronze/2015-01-01-3.stats.json")" \
	"$(printf '1\t1\t1024')" "that hour: one reject, one duplicate, 1024 events"
is "$(gzip -dc "$K/bronze/2015-01-01-3.ndjson.gz" | cksum)" "$(cksum <"$TMP/h3")" \
	"that hour's bronze is the sample's events, byte for byte"

D=$TMP/dropped
m0=$(mark)
run ingest "$D" KEEP_RAW=0
is "$rc" 0 "KEEP_RAW=0: exit 0"
for h in 2015-01-01-0 2015-01-01-1 2015-01-01-3; do
	t "$h: raw removed, raw/$h.dropped left" test ! -e "$D/raw/$h.json.gz" -a -s "$D/raw/$h.dropped"
done
t "the missing hour is still recorded as missing" test -f "$D/raw/2015-01-01-2.missing"
is "$(layers "$D")" "$(layers "$K")" "KEEP_RAW=0: bronze and silver are the same files, byte for byte"
is "$(gzip -dc "$D/silver/2015-01-01-3.events.tsv.gz" | cksum)" \
	"$("$BIN/gha-bronze" -q "$TMP/mirror/2015-01-01-3.json.gz" 2>/dev/null | "$BIN/gha-silver" -q | cksum)" \
	"silver equals gha-bronze | gha-silver by hand"
is "$(requests_since "$m0" | tr -d ' ')" 4 "first run: one request per hour"
kb() { du -sk "$1" | cut -f1; }
t "KEEP_RAW=0 takes less disk than KEEP_RAW=1 ($(kb "$D") KB, $(kb "$K") KB)" test "$(kb "$D")" -lt "$(kb "$K")"

snapshot "$D" >"$TMP/before"
m0=$(mark)
run ingest "$D" KEEP_RAW=0
is "$rc" 0 "second run: exit 0"
is "$(requests_since "$m0")" 0 "second run: no request for the dropped hours"
snapshot "$D" >"$TMP/after"
same_file "$TMP/after" "$TMP/before" "second run: no file touched"
run ingest "$D"
is "$rc:$(requests_since "$m0")" "0:0" "a later run without KEEP_RAW=0: no fetch either"
run "$BIN/gha-fetch" --base-url "$BASE" --mark-missing -d "$D/raw" 2015-01-01-0 2015-01-01-3
is "$rc:$(requests_since "$m0")" "66:0" "gha-fetch itself does not fetch a dropped hour (66: one recorded missing)"
t "... and says why" grep -q "2015-01-01-1: ingested, its file removed" "$TMP/err"
t "... and prints no path for it" test ! -s "$TMP/out"

run make -s -C "$TOP" status "${R[@]}" DATA="$D" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"
is "$rc" 0 "make status: exit 0"
t "make status: a dropped hour with its events" grep -q "^2015-01-01-0 *dropped *yes *$(zcat "$REAL/2015-01-01-0.json.gz" | wc -l | tr -d ' ') *0 *yes" "$TMP/out"
t "make status: the missing hour" grep -q '^2015-01-01-2 *missing' "$TMP/out"

# a lost silver hour is made again from bronze, the same
rm "$D/silver/2015-01-01-3.events.tsv.gz" "$D/silver/2015-01-01-1.repos.tsv.gz"
run ingest "$D" KEEP_RAW=0
is "$rc" 0 "after losing silver files: exit 0"
is "$(layers "$D")" "$(layers "$K")" "lost silver files are made again from bronze, byte for byte"

# a raw file whose silver does not read back its bronze whole is kept
E=$TMP/unverified
cp -a "$K" "$E"
jq -c '.records_in += 1' "$E/silver/2015-01-01-1.stats.json" >"$TMP/s" && cp "$TMP/s" "$E/silver/2015-01-01-1.stats.json"
run bash "$TOP/pipelines/dropraw.sh" "$E" 2015-01-01-0 2015-01-01-1
is "$rc" 0 "dropraw.sh: exit 0"
t "a verified hour is dropped" test ! -e "$E/raw/2015-01-01-0.json.gz" -a -f "$E/raw/2015-01-01-0.dropped"
t "an hour whose silver did not read its bronze back whole is kept" \
	test -f "$E/raw/2015-01-01-1.json.gz" -a ! -e "$E/raw/2015-01-01-1.dropped"
t "an hour not asked for is kept" test -f "$E/raw/2015-01-01-3.json.gz"
t "dropraw.sh leaves no temporary" test -z "$(find "$E/raw" -maxdepth 1 -name '*.tmp')"

# a lost bronze of a dropped hour: make says so; removing the marker fetches it again
rm "$D/bronze/2015-01-01-0."* "$D/silver/2015-01-01-0."*
run make -s -C "$TOP" status "${R[@]}" DATA="$D" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"
t "make status: a dropped hour whose bronze is lost says how to get it back" \
	grep -q "^2015-01-01-0 *dropped .*remove raw/2015-01-01-0.dropped" "$TMP/out"
rm "$D/raw/2015-01-01-0.dropped"
run ingest "$D" KEEP_RAW=0
is "$rc" 0 "the marker removed: exit 0"
is "$(layers "$D")" "$(layers "$K")" "the hour is fetched and made again, the same"

done_testing
