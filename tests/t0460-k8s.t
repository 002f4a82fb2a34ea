#!/usr/bin/env bash
# pipelines/k8s/: the Indexed Job manifests parse, are what gha(7) says
# (Indexed, a shared volume at DATA, completions = the range's chunks),
# and their commands, run here as Kubernetes would run them (the $(VAR)
# references expanded from the container's env, JOB_COMPLETION_INDEX set;
# the range, the volume and the checkout's path swapped for small local
# ones), give the bytes of make ingest + make gold. No Kubernetes here.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
K=$TOP/pipelines/k8s
PY=/usr/bin/python3

if ! "$PY" -c 'import yaml' 2>/dev/null; then
	skip "no PyYAML for /usr/bin/python3 (apt-get install python3-yaml)"
	done_testing
	exit 0
fi
# manifest FILE [FROM TO CHUNK]: "completions parallelism claim mount" on
# the first line, then the command, one word a line, $(VAR) expanded from
# the env (FROM, TO, CHUNK replaced when given), as the kubelet does
manifest() {
	"$PY" - "$@" <<'EOF'
import re, sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
assert len(docs) == 1 and docs[0]["kind"] == "Job", "one Job"
spec = docs[0]["spec"]
pod = spec["template"]["spec"]
(c,) = pod["containers"]
env = {e["name"]: e["value"] for e in c.get("env", [])}
if len(sys.argv) > 2:
    env.update(FROM=sys.argv[2], TO=sys.argv[3], CHUNK=sys.argv[4])
(m,) = c["volumeMounts"]
(v,) = [v for v in pod["volumes"] if v["name"] == m["name"]]
print(spec.get("completions"), spec.get("parallelism", 1), v["persistentVolumeClaim"]["claimName"],
      m["mountPath"], spec.get("completionMode", "NonIndexed"), pod["restartPolicy"])
for w in c["command"] + c.get("args", []):
    print(re.sub(r"\$\((\w+)\)", lambda x: env[x.group(1)], w))
EOF
}

for f in chunks finish; do
	run manifest "$K/$f.yaml"
	is "$rc" 0 "$f.yaml parses as one Job with one container and its volume"
done
manifest "$K/chunks.yaml" >"$TMP/chunks"
read -r completions _ claim mount mode policy <"$TMP/chunks"
is "$mode $claim $mount" "Indexed gha-data /data" "chunks.yaml: an Indexed Job over the shared volume gha-data at /data"
t "chunks.yaml: a failed pod restarts (policy $policy)" test "$policy" = OnFailure
is "$(sed -n 2,3p "$TMP/chunks" | tr '\n' ' ')" "bash /opt/gha/pipelines/chunk.sh " "chunks.yaml runs pipelines/chunk.sh"
t "chunks.yaml: DATA is the volume" grep -qx "DATA=$mount" "$TMP/chunks"
# completions: the range's chunks, counted here by gha-fetch -n
words=$(tail -n +4 "$TMP/chunks")
from=$(sed -n 1p <<<"$words") to=$(sed -n 2p <<<"$words")
chunk=$(sed -n 's/^CHUNK=//p' <<<"$words")
hours=$("$BIN/gha-fetch" -n "$from" "$to" | wc -l)
is "$completions" "$(((hours + chunk - 1) / chunk))" "completions is the number of chunks of $chunk hours in $from..$to ($hours hours)"
manifest "$K/finish.yaml" >"$TMP/finish"
is "$(sed -n 4p "$TMP/finish")" "--finish" "finish.yaml runs chunk.sh --finish"
t "finish.yaml: the same range, chunking and volume" \
	test "$(tail -n +5 "$TMP/finish")" = "$words"

# the commands as a pod would run them, over 6 small hours in chunks of 4
# (chunk 0 holds all of 2014-12-31; 2015-01-01-0 is missing upstream)
M=$TMP/mirror
mkdir -p "$M"
for h in 2014-12-31-20 2014-12-31-21 2014-12-31-22 2014-12-31-23 2015-01-01-1; do
	gzip -dc "$REAL/2015-01-01-15.first1024.json.gz" |
		jq -c --arg p "${h%-*}T$(printf %02d "${h##*-}")" '.created_at |= sub("^2015-01-01T15"; $p)' |
		gzip -n >"$M/$h.json.gz"
done
F=2014-12-31-20 T=2015-01-01-1
MV=(GHA_BASE_URL="file://$M" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN")
podrun() {	# podrun FILE INDEX: FILE's command, local paths, this range
	local cmd=()
	mapfile -t cmd < <(manifest "$K/$1.yaml" "$F" "$T" 4 | tail -n +2 |
		sed -e "s|^/opt/gha/|$TOP/|" -e "s|^DATA=/data\$|DATA=$TMP/data|")
	JOB_COMPLETION_INDEX=$2 JOBS=2 "${cmd[@]}" "${MV[@]}"
}
run podrun chunks 1
is "$rc" 0 "pod 1 of chunks.yaml: exit 0"
t "pod 1 made its chunk's hour (2015-01-01-1) and no other" \
	test -f "$TMP/data/silver/2015-01-01-1.events.tsv.gz" -a ! -f "$TMP/data/bronze/2014-12-31-20.ndjson.gz" \
	-a "$(find "$TMP/data/silver" -name '*.events.tsv.gz' | wc -l)" = 1
run podrun chunks 0
is "$rc" 0 "pod 0 of chunks.yaml: exit 0"
t "pod 0 made its whole day's gold partial" test -f "$TMP/data/gold/partial/2014-12-31.part"
run podrun finish 0
is "$rc" 0 "finish.yaml's pod: exit 0"
t "its summary: 6 hours, 5 done, 1 missing" \
	grep -qx "hours $F..$T: 6, done 5, missing upstream 1, failed 0" "$TMP/data/.chunks/summary"

# misuse: exit 64 with a reason
run bash "$TOP/pipelines/chunk.sh" "$F" "$T" DATA="$TMP/data" CHUNK=0 "${MV[@]}"
is "$rc:$(grep -c 'CHUNK must be a number' "$TMP/err")" "64:1" "chunk.sh CHUNK=0: exit 64, said"
run env JOB_COMPLETION_INDEX=2 bash "$TOP/pipelines/chunk.sh" "$F" "$T" DATA="$TMP/data" CHUNK=4 "${MV[@]}"
is "$rc:$(grep -c 'the range has 2 chunks of 4 hours' "$TMP/err")" "64:1" "chunk.sh: an index past the range's chunks: exit 64, said"
run env -u JOB_COMPLETION_INDEX bash "$TOP/pipelines/chunk.sh" "$F" "$T" DATA="$TMP/data" CHUNK=4 "${MV[@]}"
is "$rc:$(grep -c 'no chunk index' "$TMP/err")" "64:1" "chunk.sh without an index: exit 64, said"
run bash "$TOP/pipelines/slurm.sh" "$F"
is "$rc:$(grep -c '^usage: pipelines/slurm.sh' "$TMP/err")" "64:1" "slurm.sh without TO: exit 64 with its usage line"
run bash "$TOP/pipelines/slurm.sh" "$F" "$T" oops
is "$rc:$(grep -c "neither a make variable nor an sbatch option: 'oops'" "$TMP/err")" "64:1" "slurm.sh with a stray word: exit 64, said"

make -s -C "$TOP" ingest FROM="$F" TO="$T" DATA="$TMP/ref" "${MV[@]}" 2>/dev/null &&
	make -s -C "$TOP" gold FROM="$F" TO="$T" DATA="$TMP/ref" "${MV[@]}" 2>/dev/null
is "$?" 0 "make ingest + make gold of the same range"
sums() {	# sums DIR: the checksum of every output
	(cd "$1" && find . -type f ! -name .gha-fetch.log ! -path './raw/.locks/*' ! -name '.*.lock' \
		! -path './.chunks/*' | sort | xargs -r -d '\n' sha256sum)
}
is "$(sums "$TMP/data" | sha256sum)" "$(sums "$TMP/ref" | sha256sum)" \
	"the pods' outputs are byte-identical to make ingest + make gold"
t "and there are some ($(sums "$TMP/ref" | wc -l) files)" test "$(sums "$TMP/ref" | wc -l)" -gt 40

done_testing
