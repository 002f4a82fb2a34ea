#!/usr/bin/env bash
# End to end: gha-kmeans fit --track, to the loopback MLflow server
# (tests/mlflow/server.py) and to a file store, read back and compared with
# the metrics JSON, centroids and model gha-kmeans writes itself.
. "$(dirname "$0")/lib.sh"
K=$BIN/gha-kmeans
PY=/usr/bin/python3
export MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR=0.01 MLFLOW_HTTP_REQUEST_MAX_RETRIES=2
unset MLFLOW_TRACKING_URI MLFLOW_TRACKING_TOKEN
if [ ! -x "$K" ]; then
	skip "gha-kmeans is not built"
	done_testing
	exit
fi

# three well-separated blobs, 60 rows
awk 'BEGIN { srand(7); print "id\tx\ty"; for (i = 0; i < 60; i++) { c = i % 3
	printf "r%d\t%.4f\t%.4f\n", i, c * 10 + rand(), (c == 1 ? 5 : 0) + rand() } }' >"$TMP/blobs.tsv"

"$PY" "$TESTDIR/mlflow/server.py" --port-file "$TMP/port" --artifacts "$TMP/art" 2>"$TMP/server.err" &
spid=$!
trap 'kill "$spid" 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
U=http://127.0.0.1:$(cat "$TMP/port")
api() { curl -sS "$U$1"; }

run "$K" fit -c x,y --id id --k-range 2..4 --seed 1 -q -o "$TMP/assign.tsv" -s "$TMP/m.json" \
	-C "$TMP/cent.tsv" -m "$TMP/model.txt" --track "$U" --experiment e2e --run-name e2e-run "$TMP/blobs.tsv"
is "$rc" 0 "gha-kmeans fit --track $U: exit 0 ($(cat "$TMP/err"))"
api /__test__/log >"$TMP/log.json"
is "$(jq '[.requests[] | select(.status != 200 and (.path | endswith("get-by-name") | not))] | length' "$TMP/log.json")" 0 \
	"every request accepted by the server (but the first get-by-name's 404)"
is "$(jq '[.requests[] | .unknown_fields // [] | length] | add' "$TMP/log.json")" 0 "no field the API does not define"
rid=$(jq -r '.requests[] | select(.path | endswith("runs/create")) | .run_id' "$TMP/log.json")
api "/api/2.0/mlflow/runs/get?run_id=$rid" >"$TMP/run.json"
q() { jq -r "$1" "$TMP/run.json"; }
is "$(q '.run.info.status + " " + .run.info.run_name')" "FINISHED e2e-run" "the run: FINISHED, named"
is "$(q '.run.data.params | from_entries | "\(.k) \(.k_range) \(.seed) \(.columns) \(.input_sha256)"')" \
	"3 2..4 1 x,y $(sha256sum <"$TMP/blobs.tsv" | cut -d' ' -f1)" "params: k, k_range, seed, columns, the input's sha256 (sha256sum)"
want=$(jq .inertia "$TMP/m.json")
got=$(q '.run.data.metrics[] | select(.key == "inertia") | .value')
awk -v a="$got" -v b="$want" 'BEGIN { exit !(a == b) }' && ok "metric inertia equals the metrics JSON's ($got)" || not_ok "inertia $got vs $want"
api "/api/2.0/mlflow/metrics/get-history?run_id=$rid&metric_key=sweep_inertia" |
	jq -r '.metrics | sort_by(.step)[] | "\(.step) \(.value)"' >"$TMP/sweep.got"
jq -r '.sweep[] | "\(.k) \(.inertia)"' "$TMP/m.json" >"$TMP/sweep.want"
same_file "$TMP/sweep.got" "$TMP/sweep.want" "the k sweep as steps: sweep_inertia at k = 2, 3, 4"
exp=$(q .run.info.experiment_id)
for a in metrics.json:m.json centroids.tsv:cent.tsv model.txt:model.txt; do
	api "/api/2.0/mlflow-artifacts/artifacts/$exp/$rid/artifacts/${a%%:*}" >"$TMP/a.got"
	same_file "$TMP/a.got" "$TMP/${a#*:}" "artifact ${a%%:*} equals the file gha-kmeans wrote"
done

# MLFLOW_TRACKING_URI alone, artifacts the user did not ask for
MLFLOW_TRACKING_URI=$U run "$K" fit -c x,y -k 3 -q -o /dev/null "$TMP/blobs.tsv"
is "$rc" 0 "MLFLOW_TRACKING_URI alone: exit 0 ($(cat "$TMP/err"))"
rid2=$(api /__test__/log | jq -r '[.requests[] | select(.path | endswith("runs/create"))] | last | .run_id')
is "$(api "/api/2.0/mlflow-artifacts/artifacts?path=$(api "/api/2.0/mlflow/runs/get?run_id=$rid2" | jq -r .run.info.experiment_id)/$rid2/artifacts" | jq -r '[.files[].path | sub(".*/"; "")] | sort | join(",")')" \
	"centroids.tsv,metrics.json,model.txt" "  the three artifacts logged anyway"

# the server down for good: the fit's outputs stay, the exit says 69
curl -sS -X POST -d '{"rules": [{"path": "/api/2.0/mlflow/", "status": 503, "times": 100}]}' "$U/__test__/faults" >/dev/null
run "$K" fit -c x,y -k 3 -q -o "$TMP/assign2.tsv" --track "$U" "$TMP/blobs.tsv"
is "$rc" 69 "the server answering 503: exit 69"
grep -q "503" "$TMP/err" && ok "  said: $(head -1 "$TMP/err")" || not_ok "  message: $(cat "$TMP/err")"
t "  the assignments are written all the same" test -s "$TMP/assign2.tsv"
curl -sS -X POST -d '{"rules": []}' "$U/__test__/faults" >/dev/null

# the file store
run "$K" fit -c x,y --id id --k-range 2..4 --seed 1 -q -o /dev/null -s "$TMP/m2.json" --track "$TMP/mlruns" --experiment e2e "$TMP/blobs.tsv"
is "$rc" 0 "gha-kmeans fit --track DIR: exit 0 ($(cat "$TMP/err"))"
if "$PY" -c 'import yaml' 2>/dev/null; then
	run "$PY" "$TESTDIR/mlflow/filestore_check.py" --strict --dump "$TMP/dump.json" "$TMP/mlruns"
	is "$rc" 0 "the file store passes MLflow's FileStore rules ($(head -2 "$TMP/err"))"
	is "$(jq -r '.[] | select(.name == "e2e") | .runs[] | "\(.status) \(.params.k) \(.metrics.inertia[0].value) \(.artifacts | join(","))"' "$TMP/dump.json")" \
		"FINISHED 3 $(jq .inertia "$TMP/m2.json") centroids.tsv,metrics.json,model.txt" "read back: status, k, inertia, artifacts"
else
	skip "python3-yaml missing: the FileStore checker cannot run"
	skip "python3-yaml missing"
fi
done_testing
