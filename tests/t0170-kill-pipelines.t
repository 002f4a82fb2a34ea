#!/usr/bin/env bash
# kill -9 of make ingest, make gold and make load at random moments: each
# stage is started from the same state, killed (the whole process group)
# after a delay drawn from a seed, and rerun. Every rerun must converge to
# the files (ingest, gold) or rows (load, in a real PostgreSQL) of an
# uninterrupted run, with no temporary file left behind. The seed is
# printed; KILL_SEED=N reruns the same moments, KILLS=N sets how many per
# stage (at least 20 in make check).
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
KILLS=${KILLS:-20}
if ldd "$BIN/gha-bronze" 2>/dev/null | grep -q libasan; then
	# the sanitizer pass runs the same kills, fewer: what is tested here
	# is the pipeline's renames and reruns, which the normal pass covers
	KILLS=${KILLS_SAN:-4}
fi
seed=${KILL_SEED:-$(($(date +%s) % 100000))}
# (on stderr too: prove shows it without -v, so a failure in CI can be replayed)
echo "# kill moments from seed $seed (KILL_SEED=$seed to replay)" | tee /dev/stderr
RANDOM=$seed

# four hours from a file:// mirror, one of them missing upstream
M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-15.first1024.json.gz" "$M/2015-01-01-0.json.gz"
zcat "$REAL/2015-01-01-0.json.gz" | head -n 1500 | gzip -n >"$M/2015-01-01-1.json.gz"
zcat "$REAL/2015-01-01-1.json.gz" | head -n 1500 | gzip -n >"$M/2015-01-01-3.json.gz"
R=(FROM=2015-01-01-0 TO=2015-01-01-3)
MK=(make -s -C "$TOP" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" GHA_BASE_URL="file://$M")

# stage NAME DATA [SCHEMA]: one stage of the pipeline on DATA
stage() {
	case $1 in
	ingest) "${MK[@]}" ingest "${R[@]}" DATA="$2" ;;
	gold) "${MK[@]}" gold "${R[@]}" DATA="$2" ;;
	load) "${MK[@]}" load "${R[@]}" DATA="$2" PG="dbname=postgres" SCHEMA="$3" ;;
	esac
}
# the files that matter (the fetch ledger, locks and load stamps aside)
outputs() {
	(cd "$1" && find . -type f ! -name .gha-fetch.log ! -path './raw/.locks/*' \
		! -path './load/*' ! -name '.*.lock' | sort)
}
same_tree() {	# same_tree A B: quiet, status only
	[ "$(outputs "$1")" = "$(outputs "$2")" ] &&
		(cd "$1" && outputs . | while read -r f; do cmp -s "$f" "$2/$f" || exit 1; done)
}
# leftovers DIR: temporaries and partial downloads under DIR (gold's
# partials are outputs named DAY.part)
leftovers() {
	(cd "$1" && find . -type f \( -name '*.tmp*' -o -path './raw/*.part' -o -name '*.part.meta' \) |
		sort | tr '\n' ' ')
}
ms() { date +%s%3N; }

# half DIR CLEAN: files under a final name in DIR that differ from CLEAN's
half() {
	(cd "$1" && outputs . | while read -r f; do
		case $f in *.tmp.* | ./raw/*.part | *.part.meta) continue ;; esac
		[ ! -f "$2/$f" ] || cmp -s "$f" "$2/$f" || printf '%s ' "$f"
	done)
}

# kill_stage NAME BASE [SCHEMA_PREFIX]: KILLS runs of stage NAME killed
# after a random delay within the clean run's duration, in chains of
# CHAIN kills on one copy of BASE (a DATA directory), so later kills land
# in reruns that resume earlier ones. After each kill, nothing under a
# final name differs from the clean run's; after each chain, a rerun
# converges to $TMP/clean.NAME and leaves nothing behind.
CHAIN=${CHAIN:-4}
kill_stage() {
	local name=$1 base=$2 pfx=${3:-} dur t0 i d K rc bad="" early=0 left h
	K=$TMP/k
	rm -rf "$TMP/clean.$name" && cp -a "$base" "$TMP/clean.$name"
	t0=$(ms)
	rc=0
	stage "$name" "$TMP/clean.$name" "${pfx}clean" >"$TMP/out" 2>"$TMP/err" || rc=$?
	dur=$(($(ms) - t0))
	is "$rc" 0 "make $name, uninterrupted: exit 0 (${dur} ms)"
	# KILL_STAGES (a list of stages, all by default): only these are killed
	[[ " ${KILL_STAGES:-$name} " == *" $name "* ]] || return 0
	for ((i = 1; i <= KILLS; i++)); do
		d=$((RANDOM % (dur * 3 / 4 + 1)))	# reruns are quicker than the first run
		if [ $(((i - 1) % CHAIN)) -eq 0 ]; then
			rm -rf "$K" && cp -a "$base" "$K"
		fi
		setsid bash -c "$(declare -f stage); $(declare -p MK R); stage $name '$K' '$pfx$((1 + (i - 1) / CHAIN))'" >/dev/null 2>&1 &
		local pid=$!
		sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
		kill -0 "$pid" 2>/dev/null || early=$((early + 1))
		{ kill -9 -- "-$pid"; wait "$pid"; } 2>/dev/null
		# the rest of the group too: a killed process still finishes the
		# system call it is in (a rename, say), which must not land
		# after the rerun has begun
		for _ in $(seq 500); do
			kill -0 -- "-$pid" 2>/dev/null || break
			sleep 0.01
		done
		h=$(half "$K" "$TMP/clean.$name")
		[ -z "$h" ] || bad="$bad [kill $i at ${d} ms: half output: $h]"
		[ $((i % CHAIN)) -eq 0 ] || [ "$i" -eq "$KILLS" ] || continue
		rc=0
		stage "$name" "$K" "$pfx$((1 + (i - 1) / CHAIN))" >"$TMP/out" 2>"$TMP/err" || rc=$?
		[ "$rc" -eq 0 ] || bad="$bad [kill $i at ${d} ms: rerun exit $rc: $(head -c 200 "$TMP/err")]"
		if [ "$name" = load ]; then
			h=$(load_same "${pfx}clean" "$pfx$((1 + (i - 1) / CHAIN))") || bad="$bad [kill $i at ${d} ms: rows differ: ${h:-gha_loads}]"
		fi
		same_tree "$K" "$TMP/clean.$name" || bad="$bad [kill $i at ${d} ms: files differ]"
		left=$(leftovers "$K")
		[ -z "$left" ] || bad="$bad [kill $i at ${d} ms: left $left]"
	done
	if [ -z "$bad" ]; then
		ok "make $name: killed at $KILLS random moments ($early after it ended), every rerun converges, nothing left"
	else
		not_ok "make $name: killed at $KILLS random moments (seed $seed)"
		echo "$bad" | fold -w 200 | sed 's/^/#   /' | tee /dev/stderr
	fi
}

kill_stage ingest "$(mkdir -p "$TMP/empty" && echo "$TMP/empty")"
t "the clean ingest recorded the missing hour" test -f "$TMP/clean.ingest/raw/2015-01-01-2.missing"
# a kill inside gha-fetch's marker write (between its temporary and the
# rename: too narrow for random kills to hit often) leaves the marker's
# temporary; the next run sweeps it and writes the marker
rm -rf "$TMP/sweep" && cp -a "$TMP/clean.ingest" "$TMP/sweep"
mv "$TMP/sweep/raw/2015-01-01-2.missing" "$TMP/sweep/raw/2015-01-01-2.missing.tmp.Ab12Cd"
rc=0
stage ingest "$TMP/sweep" >"$TMP/out" 2>"$TMP/err" || rc=$?
t "a marker's temporary left by a kill: swept by the next run, which converges" \
	eval '[ "$rc" = 0 ] && same_tree "$TMP/sweep" "$TMP/clean.ingest" && [ -z "$(leftovers "$TMP/sweep")" ]'
kill_stage gold "$TMP/clean.ingest"

if ! pg_start; then
	skip "make load under kill -9: no PostgreSQL server here"
	done_testing
	exit
fi
# load_same A B: schemas A and B hold the same rows in every table
load_same() {
	local t
	for t in gha_events gha_commits gha_actors gha_repos gha_orgs; do
		[ "$(psql_q "select md5(string_agg(x::text, E'\\n' order by x::text)) from $1.$t x")" = \
			"$(psql_q "select md5(string_agg(x::text, E'\\n' order by x::text)) from $2.$t x")" ] ||
			{ echo "$t: $(psql_q "select count(*) from $1.$t") vs $(psql_q "select count(*) from $2.$t") rows"; return 1; }
	done
	# and the manifest: one row per source and table, as uninterrupted
	local q="select regexp_replace(target_table, '^[^.]*[.]', '') || ' ' || source || ' ' || sha256 || ' ' || rows from"
	[ "$(psql_q "$q $1.gha_loads order by 1")" = "$(psql_q "$q $2.gha_loads order by 1")" ] ||
		{ echo "gha_loads: $(diff <(psql_q "$q $1.gha_loads order by 1") <(psql_q "$q $2.gha_loads order by 1") |
			grep '^[<>]' | tr '\n' ' ')"; return 1; }
}
kill_stage load "$TMP/clean.gold" s
is "$(psql_q "select count(*) from sclean.gha_events")" \
	"$(for f in "$TMP"/clean.gold/silver/*.events.tsv.gz; do zcat "$f" | tail -n +2; done | wc -l | tr -d ' ')" \
	"the clean load holds every silver event (counted by zcat)"

done_testing
