#!/usr/bin/env bash
# kill -9 anywhere: each tool is killed (SIGKILL, by the shim of
# tests/inject/inject.c) at its k-th write, flush, close, rename, fsync and
# open for writing, for k spread over every call the clean run makes. A
# kill must never leave a half output under a final name: each output is
# absent or byte-identical to the clean run's. A plain rerun in the same
# directory then makes the clean run's outputs, byte for byte. A killed
# process cannot remove its temporaries: those (NAME.tmp.XXXXXX, and
# gha-fetch's .part download, which a rerun resumes) are the only other
# files allowed.
. "$(dirname "$0")/lib.sh"
shopt -s globstar dotglob nullglob

SHIM=$GHA_BUILD/tests/libinject.so
PER_CLASS=${PER_CLASS:-5}	# kill points per class, spread over the run

if ldd "$BIN/gha-bronze" 2>/dev/null | grep -q libasan; then
	echo "ok 1 # SKIP the kill walk runs on the normal build (ASan must be loaded before the shim)"
	echo "1..1"
	exit 0
fi
if [ ! -f "$SHIM" ]; then
	not_ok "the shim is built ($SHIM)"
	done_testing
	exit 1
fi

# six events (one a duplicate), one bad record, a push with commits from
# an org: every output of bronze and silver has rows
{
	zcat "$REAL/2015-01-01-15.first1024.json.gz" | head -n 40
	echo '{"bad":1}'
	zcat "$REAL/2015-01-01-15.first1024.json.gz" | sed -n 3p
	zcat "$REAL/2015-01-01-0.json.gz" | jq -c 'select(.type == "PushEvent" and .org != null
		and (.payload.commits | length) > 0)' | head -n 3
} >"$TMP/in.json"
run "$BIN/gha-silver" -q -m 50% -o "$TMP/silver.tsv" "$TMP/in.json"
is "$rc" 0 "a silver table for gha-gold"
run "$BIN/gha-silver" -q -m 50% -o /dev/null -R "$TMP/repos.tsv" "$TMP/in.json"
is "$rc" 0 "a repos table for gha-gold"

# same FILE_A FILE_B: the ledger compares by its last line's fields
# (hour, status, size, sha256: not its time or attempt); the rest by bytes
same() {
	case $1 in
	*/.gha-fetch.log)
		[ -f "$2" ] && [ "$(tail -n 1 "$1" | cut -f1,3,5,6)" = "$(tail -n 1 "$2" | cut -f1,3,5,6)" ] ;;
	*) cmp -s "$1" "$2" ;;
	esac
}

# kill_walk DESC OUTPUTS CMD...: CMD run in a fresh directory; OUTPUTS
# the files it makes there (relative names; standard output is not one:
# it is written as it goes). $ALLOW: an extended regular expression of
# other files a killed run may leave (beyond NAME.tmp.XXXXXX).
kill_walk() {
	local desc=$1 outs=$2 cls n k step bad kills f fired ref=$TMP/ref W=$TMP/w
	shift 2
	rm -rf "$ref" "$TMP/count" && mkdir "$ref"
	rc=0
	(cd "$ref" && GHA_INJECT_COUNT=$TMP/count LD_PRELOAD=$SHIM exec "$@" >/dev/null 2>"$TMP/err") || rc=$?
	is "$rc" 0 "$desc: the clean run exits 0"
	for f in $outs; do
		[ -f "$ref/$f" ] || not_ok "$desc: the clean run makes $f"
	done
	for cls in write flush close rename fsync open; do
		n=$(awk -v c="$cls" '$1 == c { print $2 }' "$TMP/count")
		bad=""
		kills=0
		step=$(((n + PER_CLASS - 1) / PER_CLASS))
		[ "$step" -ge 1 ] || step=1
		for ((k = 1; k <= n; k += step)); do
			rm -rf "$W" "$TMP/log" && mkdir "$W"
			rc=0
			{ (cd "$W" && GHA_INJECT=$cls:$k:KILL GHA_INJECT_LOG=$TMP/log LD_PRELOAD=$SHIM \
				exec "$@" >/dev/null 2>"$TMP/err") || rc=$?; } 2>/dev/null
			fired=""
			[ ! -f "$TMP/log" ] || read -r fired <"$TMP/log"
			if [ -z "$fired" ]; then
				# a call the clean run counted (stderr's, say) not reached
				continue
			fi
			kills=$((kills + 1))
			[ "$rc" -eq 137 ] || bad="$bad [$cls:$k ($fired) exit $rc, not killed]"
			for f in $outs; do
				if [[ $f == */.gha-fetch.log ]]; then
					# a log: a kill at its write leaves it without
					# that line (or empty), never with half a line
					[ ! -e "$W/$f" ] || awk -F'\t' 'NF != 10 { bad = 1 } END { exit bad }' "$W/$f" ||
						bad="$bad [$cls:$k ($fired) $f has a torn line]"
					continue
				fi
				[ ! -e "$W/$f" ] || same "$ref/$f" "$W/$f" ||
					bad="$bad [$cls:$k ($fired) $f half-written]"
			done
			# every output in place is a finished run to make, which
			# never runs the recipe (and its sweep) again: then
			# nothing else of the run may be left
			all=1
			for f in $outs; do
				[ -e "$W/$f" ] || all=0
			done
			for f in "$W"/**; do
				[ -f "$f" ] || continue
				f=${f#"$W"/}
				[[ " $outs " == *" $f "* ]] && continue
				[[ $f =~ ^raw/\.locks/ ]] && continue
				if [ "$all" = 1 ]; then
					bad="$bad [$cls:$k ($fired) every output in place, and left $f]"
					continue
				fi
				[[ $f =~ \.tmp\.[A-Za-z0-9]{6}l?$ ]] && continue
				[ -n "${ALLOW:-}" ] && [[ $f =~ $ALLOW ]] && continue
				bad="$bad [$cls:$k ($fired) left $f]"
			done
			rc=0
			(cd "$W" && exec "$@" >/dev/null 2>"$TMP/err") || rc=$?
			[ "$rc" -eq 0 ] || bad="$bad [$cls:$k rerun exit $rc: $(head -c 200 "$TMP/err")]"
			for f in $outs; do
				# the ledger logs downloads: a kill between an hour's
				# rename and its line loses the line (the hour is
				# there, and a present hour is not fetched or logged
				# again); what it has stays whole
				if [[ $f == */.gha-fetch.log ]] && ! grep -q "$(tail -n 1 "$ref/$f" | cut -f1)" "$W/$f" 2>/dev/null; then
					awk -F'\t' 'NF != 10 { bad = 1 } END { exit bad }' "$W/$f" 2>/dev/null ||
						[ ! -e "$W/$f" ] || bad="$bad [$cls:$k rerun: $f not whole]"
					continue
				fi
				same "$ref/$f" "$W/$f" || bad="$bad [$cls:$k rerun: $f differs]"
			done
		done
		if [ -z "$bad" ]; then
			ok "$desc: killed at $kills of $n $cls calls, no half output, the rerun converges"
		else
			not_ok "$desc: killed at $kills of $n $cls calls"
			echo "$bad" | fold -w 200 | sed 's/^/#   /'
		fi
		case $cls in
		write | close | rename | open)
			# every tool here writes its outputs through these: a walk
			# that killed nothing tested nothing
			if [ "$kills" -gt 0 ]; then
				ok "$desc: $cls: the walk reached the tool's calls"
			else
				not_ok "$desc: $cls: the walk reached the tool's calls"
			fi
			;;
		esac
	done
}

kill_walk "gha-bronze -o -r -s" "events.ndjson.gz rejects.ndjson stats.json" \
	"$BIN/gha-bronze" -q -m 50% -o events.ndjson.gz -r rejects.ndjson -s stats.json "$TMP/in.json"
# -L: every record kept as it came, the output is a hard link to the
# input, made under a second temporary name (NAME.tmp.XXXXXXl)
cp "$REAL/2015-01-01-15.first1024.json.gz" "$TMP/keep.json.gz"
kill_walk "gha-bronze -L (linked)" "events.ndjson.gz rejects.ndjson stats.json" \
	"$BIN/gha-bronze" -q -L -o events.ndjson.gz -r rejects.ndjson -s stats.json "$TMP/keep.json.gz"
t "gha-bronze -L: the clean run linked its output to the input" \
	test "$(stat -c %i "$TMP/ref/events.ndjson.gz")" = "$(stat -c %i "$TMP/keep.json.gz")"
kill_walk "gha-silver, every table" \
	"events.tsv.gz actors.tsv.gz repos.tsv.gz orgs.tsv.gz commits.tsv.gz rejects.ndjson stats.json" \
	"$BIN/gha-silver" -q -m 50% -o events.tsv.gz -a actors.tsv.gz -R repos.tsv.gz -g orgs.tsv.gz \
	-C commits.tsv.gz -r rejects.ndjson -s stats.json "$TMP/in.json"
run "$BIN/gha-silver" -q -a "$TMP/a.actors" <(head -n 20 "$TMP/in.json")
is "$rc" 0 "entity table a to merge"
run "$BIN/gha-silver" -q -a "$TMP/b.actors" <(tail -n +21 "$TMP/in.json" | grep -v '"bad"')
is "$rc" 0 "entity table b to merge"
kill_walk "gha-silver --merge-entities" "merged.tsv" \
	"$BIN/gha-silver" --merge-entities -o merged.tsv "$TMP/a.actors" "$TMP/b.actors"
kill_walk "gha-gold -d, every table" "$("$BIN/gha-gold" --list | awk '{ print "gold/" $1 ".tsv" }' | tr '\n' ' ')stats.json" \
	"$BIN/gha-gold" -q -d gold -R "$TMP/repos.tsv" -s stats.json "$TMP/silver.tsv"
kill_walk "gha-gold -P" "day.part" "$BIN/gha-gold" -q -P -o day.part "$TMP/silver.tsv"
run "$BIN/gha-gold" -q -P -o "$TMP/a.part" "$TMP/silver.tsv"
is "$rc" 0 "a partial to merge"
kill_walk "gha-gold -M" "trending.tsv" "$BIN/gha-gold" -M -t trending -o trending.tsv "$TMP/a.part"

# gha-fetch from a file:// mirror: a kill mid-download leaves its .part
# (and validators, lock files) for the rerun to resume or redo
M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M/2015-01-01-15.json.gz"

ALLOW='\.part$|\.part\.meta$|^raw/\.locks/' kill_walk "gha-fetch -d" \
	"raw/2015-01-01-15.json.gz raw/.gha-fetch.log" \
	"$BIN/gha-fetch" -q --retries 0 -j1 -d raw --base-url "file://$M" 2015-01-01-15

done_testing
