#!/usr/bin/env bash
# pipelines/slurm.sh on a real one-node Slurm cluster (tests/slurm.sh):
# the job array's outputs are byte-identical to make ingest + make gold
# over the same range (real and synthetic hours, one missing upstream,
# from the local HTTP server); an array element cancelled mid-run leaves
# the rest done, a second run on the same DATA waits for the first
# (singleton), and reruns converge to the same bytes.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/server.sh"
. "$TESTDIR/slurm.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

if ! slurm_start; then
	skip "no Slurm cluster here: $SLURM_WHY"
	done_testing
	exit 0
fi
ok "a one-node Slurm cluster is up ($SLURM_NODE)"

# the mirror: two real hours of 2015-01-01, three synthetic ones (a real
# hour's first 1024 events moved to another hour with jq); 2015-01-01-2
# is missing upstream. Chunks of 2 hours: 0 = the whole day 2014-12-31
# (its gold partial made in the chunk), 1 and 2 cut 2015-01-01 (its
# partial made by the final job).
M=$TMP/mirror
mkdir -p "$M"
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$M/"
for h in 2014-12-31-22 2014-12-31-23 2015-01-01-3; do
	gzip -dc "$REAL/2015-01-01-15.first1024.json.gz" |
		jq -c --arg p "${h%-*}T$(printf %02d "${h##*-}")" '.created_at |= sub("^2015-01-01T15"; $p)' |
		gzip -n >"$M/$h.json.gz" || { not_ok "make the synthetic hour $h" && done_testing && exit 1; }
done
server_start "$M" || { not_ok "start the test server"; slurm_stop; done_testing; exit 1; }
trap 'slurm_stop; server_stop; rm -rf "$TMP"' EXIT
FROM=2014-12-31-22 TO=2015-01-01-3
MV=(GHA_BASE_URL="$BASE" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN")
slurm() {	# slurm DATA [args]: pipelines/slurm.sh over the range, chunks of 2
	local d=$1
	shift
	bash "$TOP/pipelines/slurm.sh" "$FROM" "$TO" DATA="$d" CHUNK=2 "${MV[@]}" "$@"
}
# the outputs that matter: not the fetch ledger, locks, temporaries or the
# run's own state (.chunks)
outputs() {
	(cd "$1" && find . -type f ! -name .gha-fetch.log ! -path './raw/.locks/*' ! -name '.*.lock' \
		! -path './.chunks/*' ! -name '*.tmp*' ! -name '*.part' | sort)
}
sums() {	# sums DIR: the checksum of every output, in two processes
	(cd "$1" && outputs . | xargs -r -d '\n' sha256sum)
}
same_tree() {	# same_tree A B DESC
	if [ "$(sums "$1")" = "$(sums "$2")" ]; then
		ok "$3"
	else
		not_ok "$3"
		diff <(sums "$1") <(sums "$2") | head -5 | sed 's/^/#   /'
	fi
}

# the reference: make ingest + make gold on one machine
REF=$TMP/ref
run make -s -C "$TOP" ingest FROM="$FROM" TO="$TO" DATA="$REF" "${MV[@]}" -j2
is "$rc" 0 "make ingest of the range (the reference)"
run make -s -C "$TOP" gold FROM="$FROM" TO="$TO" DATA="$REF" "${MV[@]}" -j2
is "$rc" 0 "make gold of the range (the reference)"
is "$(outputs "$REF" | grep -c '^./silver/.*\.events\.tsv\.gz$')" 5 "the reference has the 5 hours served"

# one run, waited for
D=$TMP/data
run slurm "$D" --wait --cpus-per-task=1
is "$rc" 0 "slurm.sh --wait: exit 0 (one hour missing upstream is not a failure)"
t "all 3 chunks were submitted" grep -q "3 of 3 chunks of 2 hours to run" "$TMP/err"
# the summary, checked against the mirror's own listing
served=$(find "$M" -name "*.json.gz" | wc -l)
t "the summary: 6 hours, $served done, 1 missing upstream, none failed" \
	grep -qx "hours $FROM..$TO: 6, done $served, missing upstream 1, failed 0" "$D/.chunks/summary"
t "the summary names the missing hour" grep -qx "missing upstream: 2015-01-01-2" "$D/.chunks/summary"
t "the summary says gold is done" grep -qx "gold: ok" "$D/.chunks/summary"
same_tree "$D" "$REF" "the cluster run's outputs are byte-identical to make ingest + make gold"
t "chunk 0 made its whole day's gold partial itself, before the final job" \
	test "$D/gold/partial/2014-12-31.part" -ot "$D/gold/partial/2015-01-01.part"

# cancel one element mid-run: hour 2015-01-01-1 (chunk 1) stalls at the
# server until the element is cancelled
D2=$TMP/data2
echo "2015-01-01-1.json.gz stall 2000 60" >"$FAULTS"
slurm "$D2" --wait --cpus-per-task=1 >"$TMP/run1.out" 2>"$TMP/run1.err" &
run1=$!
for _ in $(seq 600); do
	[ -f "$D2/.chunks/0.rc" ] && [ -f "$D2/.chunks/2.rc" ] &&
		compgen -G "$D2/raw/2015-01-01-1.json.gz.part*" >/dev/null && break
	sleep 0.1
done
name=gha-$(printf '%s' "$D2" | cksum | cut -d' ' -f1)
el=$(squeue -h -n "$name" -t R -o '%F_%K' | grep -v '_N/A$' || true)
t "chunk 1 is running, stalled on its hour ($el), chunks 0 and 2 are done" \
	test -n "$el" -a -f "$D2/.chunks/0.rc" -a -f "$D2/.chunks/2.rc" -a ! -f "$D2/silver/2015-01-01-1.events.tsv.gz"

# a second run on the same DATA meanwhile: only chunk 1 to do, and it
# waits for the first run (Slurm's singleton dependency)
run slurm "$D2"
is "$rc" 0 "a second run on the same DATA is submitted"
t "it submits only the chunk not complete" grep -q "1 of 3 chunks of 2 hours to run" "$TMP/err"
arr2=$(sed -n 's/.*(array job \([0-9]*\)).*/\1/p' "$TMP/err")
# (the reason reads "None" until the scheduler's next pass evaluates the
# dependency: poll for it)
for _ in $(seq 100); do
	st=$(squeue -h -j "$arr2" -o '%T %r' 2>/dev/null | sort -u)
	[ "$st" != "PENDING None" ] && break
	sleep 0.1
done
is "$st" "PENDING Dependency" \
	"its array waits for the first run (pending on the singleton dependency)"

scancel "$el"
: >"$FAULTS"
wait "$run1"
rc1=$?
is "$rc1" 1 "the run with a cancelled element exits 1"
sed 's/^/# summary: /' "$D2/.chunks/summary"
t "its summary counts the two hours of the cancelled chunk as failed" \
	grep -qx "hours $FROM..$TO: 6, done 3, missing upstream 1, failed 2" "$D2/.chunks/summary"
t "and says why: chunk 1 was killed" grep -q "^chunk 1 (2015-01-01-0..2015-01-01-1): killed by SIGTERM" "$D2/.chunks/summary"
t "and names the failed hour's state" grep -q "^failed 2015-01-01-1: " "$D2/.chunks/summary"

# the second run now does chunk 1; wait for its jobs to end
for _ in $(seq 900); do
	[ -z "$(squeue -h -n "$name" -o %i 2>/dev/null)" ] && break
	sleep 0.1
done
is "$(squeue -h -n "$name" -o %i | wc -l)" 0 "the second run ended"
t "the second run's summary: nothing failed" \
	grep -qx "hours $FROM..$TO: 6, done $served, missing upstream 1, failed 0" "$D2/.chunks/summary"
same_tree "$D2" "$REF" "after the cancelled element's chunk is rerun: byte-identical to make ingest + make gold"
snap() { (cd "$1" && find . -type f ! -path './.chunks/*' -printf '%p %T@\n' | sort); }
snap "$D2" >"$TMP/before"
run slurm "$D2" --wait
is "$rc:$(grep -c '0 of 3 chunks' "$TMP/err")" "0:1" "a third run finds every chunk complete and exits 0"
snap "$D2" >"$TMP/after"
same_file "$TMP/after" "$TMP/before" "the third run changes no output (mtimes)"

done_testing
