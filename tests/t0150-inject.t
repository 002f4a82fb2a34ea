#!/usr/bin/env bash
# Every output path of every tool, walked through each failure the shim
# tests/inject/inject.c can make (the k-th write, flush, close, rename,
# fsync or open for writing fails, k = 1, 2, ... until a run no longer
# reaches the fault) of bronze, silver, fetch, gold, the load plan and
# kmeans: the tool exits 74, names the file, leaves nothing
# under the failed output's final name and no temporary behind. Then
# malloc failures (a message, never a crash), then a full filesystem.
. "$(dirname "$0")/lib.sh"
shopt -s globstar dotglob nullglob

SHIM=$GHA_BUILD/tests/libinject.so
KMAX=400	# a bound on the walk: no configuration here makes this many calls

if ldd "$BIN/gha-bronze" 2>/dev/null | grep -q libasan; then
	# the ASan runtime must be the first object loaded: a preload in
	# front of it aborts the run
	echo "ok 1 # SKIP failure injection runs on the normal build (ASan must come first)"
	echo "1..1"
	exit 0
fi
if [ ! -f "$SHIM" ]; then
	not_ok "the shim is built ($SHIM)"
	done_testing
	exit 1
fi

# a small input: six events (one a duplicate), one bad record
{
	zcat "$REAL/2015-01-01-15.first1024.json.gz" | head -n 5
	echo '{"bad":1}'
	zcat "$REAL/2015-01-01-15.first1024.json.gz" | sed -n 3p
	# a push event with commits, from an org, so every silver table has rows
	zcat "$REAL/2015-01-01-0.json.gz" | jq -c 'select(.type == "PushEvent" and .org != null
		and (.payload.commits | length) > 0)' | head -n 1
} >"$TMP/in.json"
is "$(wc -l <"$TMP/in.json" | tr -d ' ')" 8 "the input has its eight lines"

# inject_run DIR CMD...: CMD in DIR under the shim (GHA_INJECT as set by
# the caller), stdout to DIR/stdout; sets rc and fired (the log's line)
inject_run() {
	local d=$1
	shift
	rm -f "$TMP/log"
	rc=0
	# (bash's own "Aborted" notes for xmalloc's aborts to /dev/null)
	{ (cd "$d" && GHA_INJECT_LOG=$TMP/log LD_PRELOAD=$SHIM exec "$@" >stdout 2>"$TMP/err") || rc=$?; } 2>/dev/null
	fired=""
	[ ! -f "$TMP/log" ] || read -r fired <"$TMP/log"
}

# untimed FILE: a JSON summary without its timings, keys sorted
untimed() {
	jq -cS 'walk(if type == "object" then del(.seconds, .rows_per_s) else . end)' "$1" 2>&1
}

# same_out A B: two runs' output files agree (the ledger's time column
# and attempt aside, and only its last line: a rerun appends to it; a
# JSON summary's timings aside)
same_out() {
	case $1 in
	*/.gha-fetch.log)
		[ -f "$2" ] && [ "$(tail -n 1 "$1" | cut -f1,3,5,6)" = "$(tail -n 1 "$2" | cut -f1,3,5,6)" ] ;;
	*.json)	# a summary's timings aside (gha-load's seconds and rows_per_s)
		cmp -s "$1" "$2" || { [ -f "$2" ] && [ "$(untimed "$1")" = "$(untimed "$2")" ]; } ;;
	*) cmp -s "$1" "$2" ;;
	esac
}

# whole FILE: an output written whatever the status is whole: JSON that
# parses (the summary, the quarantine), a ledger of 10-field lines
whole() {
	case $1 in
	*.json | *.ndjson) jq -e . "$1" >/dev/null 2>&1 ;;
	*/.gha-fetch.log) awk -F'\t' 'NF != 10 { bad = 1 } END { exit bad }' "$1" ;;
	*) return 1 ;;
	esac
}

# walk DESC OUTPUTS CMD...: run CMD (in a fresh directory, outputs named
# relative to it) once clean, then through every fault of every class.
# OUTPUTS is the space-separated list of files CMD makes ("stdout" for
# standard output). For each fault reached: exit 74, the file named in
# the message, the failed output not under its final name, no *.tmp.*
# anywhere, every other output either absent, as in the clean run, or
# (the quarantine, the summary, the ledger: written whatever the status)
# whole, and nothing else but what $ALLOW (an extended regular
# expression) allows. A fault on a file matching $SPARE (gha-fetch's
# resume validators and lock files: helpers, not outputs) is survived:
# exit 0, the clean run's outputs. With $RERUN set, a clean rerun in the
# same directory then makes the clean run's outputs. After the last fault,
# a clean run with the shim loaded is byte-identical to the one without.
# $CLASSES: the classes walked (all by default); $REACH: those the walk
# must find calls of; $WALKS: a glob, the walks to run (all by default, for
# debugging); $ERRNO: the error made (EIO by default).
walk() {
	local desc=$1 outs=$2 cls k f name base bad faults ref=$TMP/ref W=$TMP/w
	shift 2
	# shellcheck disable=SC2053 # WALKS is a glob
	[[ -z ${WALKS:-} || $desc == $WALKS ]] || return 0
	# the clean run in the directory the faulty runs use, then moved
	# aside: an output that names its own path (a plan's PUT lines) is
	# then the same in both
	rm -rf "$ref" "$W"
	mkdir -p "$W"
	rc=0
	(cd "$W" && "$@" >stdout 2>"$TMP/err") || rc=$?
	mv "$W" "$ref"
	is "$rc" 0 "$desc: the clean run exits 0"
	for cls in ${CLASSES:-write flush close rename fsync open}; do
		bad=""
		faults=0
		for ((k = 1; k <= KMAX; k++)); do
			rm -rf "$W" && mkdir "$W"
			GHA_INJECT=$cls:$k:${ERRNO:-EIO} inject_run "$W" "$@"
			if [ -z "$fired" ]; then
				# the walk is over: the run did not reach a k-th call
				[ "$rc" -eq 0 ] || bad="$bad [$cls:$k no fault, exit $rc]"
				for f in $outs; do
					same_out "$ref/$f" "$W/$f" || bad="$bad [$cls:$k no fault, $f differs]"
				done
				break
			fi
			faults=$((faults + 1))
			f=${fired#* * }				# the path the call was on
			[ "$rc" -lt 128 ] || bad="$bad [$cls:$k ($fired) crashed: $rc]"
			if [ -n "${SPARE:-}" ] && [[ "$cls $f" =~ $SPARE ]]; then
				[ "$rc" -eq 0 ] || bad="$bad [$cls:$k ($fired) exit $rc: $(head -c 200 "$TMP/err")]"
				for f in $outs; do
					same_out "$ref/$f" "$W/$f" || bad="$bad [$cls:$k ($fired) $f differs]"
				done
				continue
			fi
			base=${f##*/}
			name=${base%%.tmp.*}			# a temporary's final name
			name=${name%.part}			# gha-fetch's download
			[ "$f" = "$W/stdout" ] && name="<stdout>"
			[ "$rc" -eq 74 ] || bad="$bad [$cls:$k ($fired) exit $rc]"
			grep -qF -- "$name" "$TMP/err" ||
				bad="$bad [$cls:$k ($fired) message does not name $name: $(head -c 200 "$TMP/err")]"
			for f in $outs; do
				[ -e "$W/$f" ] || continue
				if [ "${f##*/}" = "$name" ] && [ "$name" = .gha-fetch.log ]; then
					# an append-only log: it keeps the lines it had
					whole "$W/$f" || bad="$bad [$cls:$k ($fired) $f not whole]"
					continue
				elif [ "${f##*/}" = "$name" ]; then
					# an open that failed may be one the run made before
					# the output was complete: then it stands as made
					[ "$cls" = open ] && same_out "$ref/$f" "$W/$f" ||
						bad="$bad [$cls:$k ($fired) $f exists]"
					continue
				fi
				[ "$f" = stdout ] && continue	# written as it goes
				same_out "$ref/$f" "$W/$f" || whole "$W/$f" ||
					bad="$bad [$cls:$k ($fired) $f half-written]"
			done
			for f in "$W"/**; do	# anything else left behind
				[ -f "$f" ] || continue
				f=${f#"$W"/}
				[[ " $outs " == *" $f "* ]] && continue
				[ -n "${ALLOW:-}" ] && [[ $f =~ $ALLOW ]] && continue
				bad="$bad [$cls:$k ($fired) left $f]"
			done
			if [ -n "${RERUN:-}" ]; then
				rc=0
				(cd "$W" && "$@" >stdout 2>"$TMP/err") || rc=$?
				for f in $outs; do
					# a ledger line lost stays lost: a present hour is not logged again
					[ "${f##*/}" = "$name" ] && [ "$name" = .gha-fetch.log ] && continue
					same_out "$ref/$f" "$W/$f" || bad="$bad [$cls:$k rerun: $f differs (exit $rc)]"
				done
			fi
		done
		[ "$k" -le "$KMAX" ] || bad="$bad [$cls: the walk did not end by $KMAX]"
		if [ -z "$bad" ]; then
			ok "$desc: $cls: $faults faults, each handled"
		elif [ -n "${WALK_TODO:-}" ]; then	# known, not yet fixed: visible, not failing
			echo "not ok $((tap_n + 1)) - $desc: $cls: $faults faults # TODO $WALK_TODO"
			tap_n=$((tap_n + 1))
			echo "$bad" | cut -c1-800 | fold -w 200 | sed "s/^/#   /"
		else
			not_ok "$desc: $cls: $faults faults"
			echo "$bad" | cut -c1-800 | fold -w 200 | sed "s/^/#   /"
		fi
		case " ${REACH:-write flush close rename open} " in
		*" $cls "*)
			# the walk must find the tool's calls, or the shim is not
			# in their path and every "ok" above means nothing
			if [ "$faults" -gt 0 ]; then
				ok "$desc: $cls: the walk reached the tool's calls"
			else
				not_ok "$desc: $cls: the walk reached the tool's calls"
			fi
			;;
		esac
	done
}

walk "gha-bronze -o -r -s" "events.ndjson rejects.ndjson stats.json stdout" \
	"$BIN/gha-bronze" -q -m 50% -o events.ndjson -r rejects.ndjson -s stats.json "$TMP/in.json"
REACH="write flush close" walk "gha-bronze to stdout" "stdout" "$BIN/gha-bronze" -q -m 50% "$TMP/in.json"
CLASSES=write ERRNO=ENOSPC walk "gha-bronze -o, ENOSPC" "events.ndjson stdout" \
	"$BIN/gha-bronze" -q -m 50% -o events.ndjson "$TMP/in.json"
walk "gha-silver, every table" \
	"events.tsv actors.tsv repos.tsv orgs.tsv commits.tsv rejects.ndjson stats.json stdout" \
	"$BIN/gha-silver" -q -m 50% -o events.tsv -a actors.tsv -R repos.tsv -g orgs.tsv \
	-C commits.tsv -r rejects.ndjson -s stats.json "$TMP/in.json"
REACH="write flush close" walk "gha-silver to stdout" "stdout" "$BIN/gha-silver" -q -m 50% "$TMP/in.json"

# entity tables of two inputs to merge
head -n 3 "$TMP/in.json" >"$TMP/a.json"
tail -n +4 "$TMP/in.json" | grep -v '"bad"' >"$TMP/b.json"
run "$BIN/gha-silver" -q -a "$TMP/a.actors" "$TMP/a.json"
is "$rc" 0 "entity table a to merge"
run "$BIN/gha-silver" -q -a "$TMP/b.actors" "$TMP/b.json"
is "$rc" 0 "entity table b to merge"
walk "gha-silver --merge-entities -o" "merged.tsv stdout" \
	"$BIN/gha-silver" --merge-entities -o merged.tsv "$TMP/a.actors" "$TMP/b.actors"
REACH="write flush close" walk "gha-silver --merge-entities to stdout" "stdout" \
	"$BIN/gha-silver" --merge-entities "$TMP/a.actors" "$TMP/b.actors"

# gha-fetch from a file:// mirror: the hour, its ledger, the printed path
M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M/2015-01-01-15.json.gz"
ALLOW='\.part$|\.part\.meta$|^raw/\.locks/' SPARE='\.part\.meta$|^close .*/\.locks/' RERUN=1 walk "gha-fetch into a directory" "raw/2015-01-01-15.json.gz raw/.gha-fetch.log stdout" \
	"$BIN/gha-fetch" -q --retries 0 -d raw --base-url "file://$M" 2015-01-01-15
SPARE='\.part\.meta$|^close .*/\.locks/' TMPDIR=. walk "gha-fetch -O" "hour.json.gz stdout" \
	"$BIN/gha-fetch" -q --retries 0 -O hour.json.gz --base-url "file://$M" 2015-01-01-15

# the layers after silver: gha-gold's tables and partial, gha-load's
# offline Snowflake plan, gha-kmeans's outputs (the silver of a real
# hour's first 60 events: rows in every table but prs, in few writes)
zcat "$REAL/2015-01-01-0.json.gz" | head -n 60 >"$TMP/h60.json"
"$BIN/gha-silver" -q -o "$TMP/ev.tsv" "$TMP/h60.json" || not_ok "silver for gold"
gold_outs=$("$BIN/gha-gold" --list | cut -d' ' -f1 | sed 's,^,gold/,; s,$,.tsv,' | tr '\n' ' ')
walk "gha-gold -d -r -s (every table)" "${gold_outs}rejects.ndjson stats.json stdout" \
	"$BIN/gha-gold" -q -d gold -r rejects.ndjson -s stats.json "$TMP/ev.tsv"
walk "gha-gold -P -o" "day.part stdout" "$BIN/gha-gold" -q -P -o day.part "$TMP/ev.tsv"
"$BIN/gha-gold" -q -P -o "$TMP/day.part" "$TMP/ev.tsv" || not_ok "a partial to merge"
walk "gha-gold -M -t activity -o" "activity.tsv stdout" \
	"$BIN/gha-gold" -M -t activity -o activity.tsv "$TMP/day.part"
REACH="write flush close" walk "gha-gold -t activity to stdout" "stdout" \
	"$BIN/gha-gold" -q -t activity "$TMP/ev.tsv"
# the plan's chunks are named by their content: the clean run's names
ALLOW='^plan/part-[0-9a-f]+\.csv\.gz$' walk "gha-load --target snowflake --plan" "plan/load.sql stats.json stdout" \
	"$BIN/gha-load" -q --target snowflake --plan plan -t gha_events --chunk-size 1 -s stats.json "$TMP/ev.tsv"
"$BIN/gha-gold" -q -t repo_daily -o "$TMP/rd.tsv" "$TMP/ev.tsv" || not_ok "repo_daily for kmeans"
walk "gha-kmeans fit -o -m -C -s" "assign.tsv model.txt centroids.tsv metrics.json stdout" \
	"$BIN/gha-kmeans" fit -q -f repos -k 3 --n-init 2 --threads 1 --no-track -o assign.tsv -m model.txt \
	-C centroids.tsv -s metrics.json "$TMP/rd.tsv"
"$BIN/gha-kmeans" fit -q -f repos -k 3 --n-init 2 --threads 1 --no-track -m "$TMP/model.txt" \
	-o /dev/null "$TMP/rd.tsv" || not_ok "a model to predict with"
walk "gha-kmeans predict -o" "assign.tsv stdout" \
	"$BIN/gha-kmeans" predict -q -m "$TMP/model.txt" --threads 1 -o assign.tsv "$TMP/rd.tsv"

# malloc_walk DESC OUTPUTS CMD...: the k-th allocation from main on fails,
# for about 30 k spread over all the run makes. Out of memory may abort in
# xmalloc, with a message; any other end is a documented status with a
# message, or a run that survived it with the clean run's outputs. Never
# a crash without a word.
malloc_walk() {
	local desc=$1 outs=$2 n k step bad="" crash="" runs=0 aborts=0 left="" ref=$TMP/ref W=$TMP/w f
	shift 2
	# shellcheck disable=SC2053 # WALKS is a glob
	[[ -z ${WALKS:-} || $desc == $WALKS ]] || return 0
	rm -rf "$ref" && mkdir "$ref"
	(cd "$ref" && GHA_INJECT_COUNT=$TMP/count LD_PRELOAD=$SHIM exec "$@" >stdout 2>"$TMP/err")
	is "$?" 0 "$desc: malloc: the clean run exits 0"
	n=$(awk '$1 == "malloc" { print $2 }' "$TMP/count")
	rm -f "$TMP/count"
	step=$(((n + 29) / 30))
	for ((k = 1; k <= n; k += step)); do
		rm -rf "$W" && mkdir "$W"
		GHA_INJECT=malloc:$k inject_run "$W" "$@"
		runs=$((runs + 1))
		case $rc in
		0)
			for f in $outs; do
				same_out "$ref/$f" "$W/$f" || bad="$bad [malloc:$k exit 0, $f differs]"
			done
			;;
		134)
			aborts=$((aborts + 1))
			grep -q "^${1##*/}: out of memory" "$TMP/err" ||
				bad="$bad [malloc:$k aborted without 'out of memory': $(head -c 200 "$TMP/err")]"
			for f in "$W"/**/*.tmp.*; do left="$left ${f#"$W"/}"; done
			;;
		1 | 64 | 65 | 66 | 69 | 74 | 75)
			grep -q "^${1##*/}: " "$TMP/err" || bad="$bad [malloc:$k exit $rc without a message]"
			for f in "$W"/**/*.tmp.*; do bad="$bad [malloc:$k exit $rc left ${f#"$W"/}]"; done
			;;
		*)
			if [ -n "${CRASH_TODO:-}" ]; then
				crash="$crash $k"
			else
				bad="$bad [malloc:$k exit $rc: $(head -c 200 "$TMP/err")]"
			fi
			;;
		esac
	done
	# $CRASH_TODO: a known crash outside our code, shown as a TODO test
	# (visible, not failing the suite) rather than hidden
	if [ -n "${CRASH_TODO:-}" ]; then
		if [ -z "$crash" ]; then
			ok "$desc: malloc: no crash"
		else
			echo "not ok $((tap_n + 1)) - $desc: malloc: crashed at allocation$crash # TODO $CRASH_TODO"
			tap_n=$((tap_n + 1))
		fi
	fi
	if [ -z "$bad" ] && [ "$runs" -gt 0 ]; then
		ok "$desc: malloc: $runs of $n allocations failed in turn ($aborts aborts), each handled"
	else
		not_ok "$desc: malloc: $runs of $n allocations failed in turn"
		echo "$bad" | fold -w 200 | sed 's/^/#   /'
	fi
	# xmalloc's abort() raises SIGABRT, whose handler in the tempfile
	# registry removes what the run made
	if [ -z "$left" ]; then
		ok "$desc: malloc: no temporary left after an abort"
	else
		not_ok "$desc: malloc: no temporary left after an abort"
		echo "# left:$(echo "$left" | cut -c1-150)"
	fi
}

malloc_walk "gha-bronze -o -r -s" "events.ndjson rejects.ndjson stats.json stdout" \
	"$BIN/gha-bronze" -q -m 50% -o events.ndjson -r rejects.ndjson -s stats.json "$TMP/in.json"
malloc_walk "gha-silver, every table" \
	"events.tsv actors.tsv repos.tsv orgs.tsv commits.tsv rejects.ndjson stats.json stdout" \
	"$BIN/gha-silver" -q -m 50% -o events.tsv -a actors.tsv -R repos.tsv -g orgs.tsv \
	-C commits.tsv -r rejects.ndjson -s stats.json "$TMP/in.json"
malloc_walk "gha-silver --merge-entities -o" "merged.tsv stdout" \
	"$BIN/gha-silver" --merge-entities -o merged.tsv "$TMP/a.actors" "$TMP/b.actors"
malloc_walk "gha-gold -d (every table)" "${gold_outs}stdout" "$BIN/gha-gold" -q -d gold "$TMP/ev.tsv"
malloc_walk "gha-kmeans fit" "assign.tsv model.txt stdout" \
	"$BIN/gha-kmeans" fit -q -f repos -k 3 --n-init 2 --threads 1 --no-track -o assign.tsv -m model.txt "$TMP/rd.tsv"
CRASH_TODO="libcrypto 3.0 takes a NULL lock when an allocation inside the first EVP_MD_fetch (sha256_init) fails" \
	malloc_walk "gha-fetch into a directory" "raw/2015-01-01-15.json.gz raw/.gha-fetch.log stdout" \
	"$BIN/gha-fetch" -q --retries 0 -d raw --base-url "file://$M" 2015-01-01-15

# A full filesystem, for real: a 64 KiB tmpfs, far smaller than the
# outputs. Each tool exits 74 naming the file, and nothing is left on it.
FULL=$TMP/full
mkdir -p "$FULL"
if [ "$(id -u)" != 0 ]; then
	skip "a full filesystem needs root (mount -t tmpfs)"
elif ! mount -t tmpfs -o size=64k gha-test-full "$FULL" 2>"$TMP/err"; then
	skip "cannot mount a tmpfs: $(head -c 100 "$TMP/err")"
else
	trap 'umount "$FULL" 2>/dev/null; rm -rf "$TMP"' EXIT
	big=$REAL/2015-01-01-15.first1024.json.gz	# 300 KB gzip, megabytes of events
	# full NAME CMD...: CMD fills the disk writing NAME
	full() {
		local name=$1
		shift
		run "$@"
		is "$rc" 74 "full disk, $name: exit 74"
		t "full disk, $name: the message names the file" grep -qF "$name" "$TMP/err"
		t "full disk, $name: it says why" grep -q "No space left on device" "$TMP/err"
		# gha-fetch keeps its .part (and validators, ledger, lock) to resume
		is "$(cd "$FULL" && find . -type f | grep -vE '\.part$|\.part\.meta$|/\.gha-fetch\.log$|/\.locks/|/\.gha-track\.lock$' |
			sort | tr '\n' ' ')" "" "full disk, $name: nothing left on it"
		t "full disk, $name: not under its final name" test ! -e "$FULL/$name"
	}
	full events.ndjson "$BIN/gha-bronze" -o "$FULL/events.ndjson" "$big"
	full rejects.ndjson "$BIN/gha-bronze" -m 100% -r "$FULL/rejects.ndjson" -o /dev/null \
		<(zcat "$big" | sed 's/"created_at"/"x"/')
	full events.tsv "$BIN/gha-silver" -o "$FULL/events.tsv" "$big"
	full commits.tsv "$BIN/gha-silver" -o /dev/null -C "$FULL/commits.tsv" "$REAL/2015-01-01-0.json.gz"
	full actors.tsv "$BIN/gha-silver" -o /dev/null -a "$FULL/actors.tsv" "$REAL/2015-01-01-0.json.gz"
	full repos.tsv "$BIN/gha-silver" -o /dev/null -R "$FULL/repos.tsv" "$REAL/2015-01-01-0.json.gz"
	"$BIN/gha-silver" -q -o /dev/null -R "$TMP/repos0.tsv" "$REAL/2015-01-01-0.json.gz" ||
		not_ok "a repos table to merge"
	full merged.tsv "$BIN/gha-silver" -M -o "$FULL/merged.tsv" "$TMP/repos0.tsv"
	full 2015-01-01-15.json.gz "$BIN/gha-fetch" -q --retries 0 -d "$FULL" --base-url "file://$M" 2015-01-01-15
	is "$(cat "$TMP/out")" "" "full disk, gha-fetch: no path printed"
	# the layers after silver: a gold table, a partial, kmeans's
	# assignments and its MLflow store, the Snowflake plan
	"$BIN/gha-silver" -q -o "$TMP/ev0.tsv" "$REAL/2015-01-01-0.json.gz" || not_ok "silver for gold"
	"$BIN/gha-gold" -q -t repo_daily -o "$TMP/rd0.tsv" "$TMP/ev0.tsv" || not_ok "repo_daily for kmeans"
	rm -rf "${FULL:?}"/*
	full repo_daily.tsv "$BIN/gha-gold" -q -t repo_daily -d "$FULL/gold" "$TMP/ev0.tsv"
	full day.part "$BIN/gha-gold" -q -P -o "$FULL/day.part" "$TMP/ev0.tsv"
	full assign.tsv "$BIN/gha-kmeans" fit -q -f repos -k 3 --no-track -o "$FULL/assign.tsv" "$TMP/rd0.tsv"
	head -c 60000 /dev/zero >"$FULL/filler"	# the store's few small files must not fit
	run "$BIN/gha-kmeans" fit -q -f repos -k 3 --track "$FULL/mlruns" -o /dev/null "$TMP/rd0.tsv"
	is "$rc" 74 "full disk, the MLflow store: exit 74"
	t "full disk, the MLflow store: the message names the file" grep -q "tracking: write error on '$FULL/mlruns/" "$TMP/err"
	rm -f "$FULL/filler"
	rm -rf "${FULL:?}"/*
	run "$BIN/gha-load" -q --target snowflake --plan "$FULL/plan" -t t --source s "$TMP/ev0.tsv"
	is "$rc" 74 "full disk, the Snowflake plan: exit 74"
	t "full disk, the Snowflake plan: the message names the file" grep -q "write error on '$FULL/plan/" "$TMP/err"
	is "$(cd "$FULL" && find . -type f | tr '\n' ' ')" "" "full disk, the Snowflake plan: nothing left on it, no load.sql"
	umount "$FULL"
	trap 'rm -rf "$TMP"' EXIT
fi

done_testing
