#!/usr/bin/env bash
# lib/track.h over MLflow's REST API, against tests/mlflow/server.py: a
# loopback server that checks each request as MLflow's server does (paths,
# methods, field names and types, enum names, batch limits, key rules) and
# answers as it does, errors included. What the library logged is read
# back through the API (runs/get, metrics/get-history, artifact download)
# and compared with what was logged, computed apart.
. "$(dirname "$0")/lib.sh"
D=$GHA_BUILD/tests/test_track
PY=/usr/bin/python3
export MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR=0.01 MLFLOW_HTTP_REQUEST_MAX_RETRIES=3
unset MLFLOW_TRACKING_TOKEN MLFLOW_TRACKING_USERNAME MLFLOW_TRACKING_PASSWORD

"$PY" "$TESTDIR/mlflow/server.py" --port-file "$TMP/port" --artifacts "$TMP/art" 2>"$TMP/server.err" &
spid=$!
trap 'kill "$spid" 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
U=http://127.0.0.1:$(cat "$TMP/port")
api() { curl -sS "$U$1"; }
faults() { curl -sS -X POST -d "$1" "$U/__test__/faults" >/dev/null; }
reqlog() { api /__test__/log >"$TMP/log.json"; }
log_from=0
# the requests since the last mark, one JSON object a line
since() { reqlog; jq -c --argjson n "$log_from" '.requests[$n:][]' "$TMP/log.json"; }
mark() { reqlog; log_from=$(jq '.requests | length' "$TMP/log.json"); }

# the server itself refuses what MLflow refuses: its acceptance means something
code() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
is "$(code "$U/api/2.0/mlflow/experiments/get-by-name")" 400 "server: get-by-name without experiment_name: 400"
is "$(jq -r .error_code "$TMP/body")" INVALID_PARAMETER_VALUE "  with MLflow's error_code"
is "$(code -X POST -H 'Content-Type: application/json' -d '{"run_id":"abc","metrics":[{"key":"m","value":"x","timestamp":1}]}' "$U/api/2.0/mlflow/runs/log-batch")" 400 "server: a metric value that is not a double: 400"
is "$(code -X POST -H 'Content-Type: application/json' -d '{"run_id":"abc","status":"DONE"}' "$U/api/2.0/mlflow/runs/update")" 400 "server: a status that is not a RunStatus name: 400"
big=$(jq -cn '{run_id: "abc", metrics: [range(1001) | {key: "m", value: 1, timestamp: 1, step: .}]}')
is "$(code -X POST -H 'Content-Type: application/json' -d "$big" "$U/api/2.0/mlflow/runs/log-batch")" 400 "server: 1001 metrics in a batch: 400"
grep -q "at most 1000 metrics" "$TMP/body" && ok "  saying MLflow's limit" || not_ok "  limit message: $(cat "$TMP/body")"
is "$(code -X POST -H 'Content-Type: application/json' -d '{"run_id":"abc","params":[{"key":"../x","value":"1"}]}' "$U/api/2.0/mlflow/runs/log-batch")" 400 "server: a param key leaving its folder: 400"
is "$(code -X POST -d '{}' "$U/api/2.0/mlflow/runs/create")" 400 "server: a POST that is not application/json: 400"
is "$(code "$U/api/2.0/mlflow/runs/create")" 405 "server: GET on a POST endpoint: 405"
is "$(code "$U/api/2.0/mlflow/runs/nope")" 404 "server: an unknown endpoint: 404"

printf 'c1\t1.5\nc2\t-3\n' >"$TMP/centroids.tsv"
mark
run "$D" drive "$U" "kmeans repos" 25 "$TMP/centroids.tsv"
is "$rc" 0 "a run over REST: exit 0 ($(cat "$TMP/err"))"
read -r run exp <"$TMP/out"
since >"$TMP/reqs"
is "$(jq -r '"\(.method) \(.path | sub("/artifacts/.*"; "/artifacts/…")) \(.status)"' "$TMP/reqs" | tr '\n' ';')" \
	"GET /api/2.0/mlflow/experiments/get-by-name 404;POST /api/2.0/mlflow/experiments/create 200;POST /api/2.0/mlflow/runs/create 200;PUT /api/2.0/mlflow-artifacts/artifacts/… 200;POST /api/2.0/mlflow/runs/log-batch 200;POST /api/2.0/mlflow/runs/update 200;" \
	"the calls: get-by-name (404), create, runs/create, artifact PUT, log-batch, update"
is "$(jq -s '[.[] | .unknown_fields // [] | length] | add' "$TMP/reqs")" 0 "no field the API does not define"
api "/api/2.0/mlflow/runs/get?run_id=$run" >"$TMP/run.json"
q() { jq -r "$1" "$TMP/run.json"; }
is "$(q .run.info.status)" FINISHED "the stored run: FINISHED"
is "$(q .run.info.experiment_id)" "$exp" "in experiment $exp"
is "$(q '.run.info.end_time >= .run.info.start_time')" true "end_time after start_time"
is "$(q '.run.data.params | map("\(.key)=\(.value)") | join(",")')" "input/file=gold/repo_daily.tsv,k=8,scale=zscore" "params as logged"
is "$(q '.run.data.tags | from_entries | .note')" "quotes ' \" and unicode é" "a tag with quotes and UTF-8"
is "$(q '.run.data.tags | from_entries | [.["mlflow.runName"], .["mlflow.source.type"], .["gha.version"]] | join(",")')" \
	"drive-run,LOCAL,0.1.0-test" "system tags and a logged tag"
api "/api/2.0/mlflow/metrics/get-history?run_id=$run&metric_key=inertia" |
	jq -r '.metrics[] | "\(.step) \(.timestamp) \(.value)"' | awk '{ printf "%d %d %.9f\n", $1, $2, $3 }' >"$TMP/got"
awk 'BEGIN { for (i = 0; i < 25; i++) printf "%d %d %.9f\n", i, 1700000000000 + i, 1000 / (i + 1) }' >"$TMP/want"
same_file "$TMP/got" "$TMP/want" "metric history: 25 steps as logged (awk computes them apart)"
is "$(api "/api/2.0/mlflow/metrics/get-history?run_id=$run&metric_key=odd" | jq -r '[.metrics[].value] | join(",")')" \
	"NaN,Infinity,-Infinity" "NaN and infinities survive as proto3 JSON"
api "/api/2.0/mlflow-artifacts/artifacts/$exp/$run/artifacts/model/centroids.tsv" >"$TMP/art.got"
same_file "$TMP/art.got" "$TMP/centroids.tsv" "the artifact downloads byte for byte"

mark
run "$D" drive "$U" "kmeans repos" 1
read -r _ exp2 <"$TMP/out"
is "$rc:$exp2" "0:$exp" "a second run finds the experiment by name"
is "$(since | jq -r 'select(.path | endswith("experiments/create")) | .path' | wc -l)" 0 "  without creating it again"

# batches within MLflow's limits: 2,403 metrics, 253 params (100 a batch),
# then 200 params of 6,000 characters (1.2 MB: split by size)
mark
TEST_TRACK_NPARAMS=250 run "$D" drive "$U" chunks 1200
is "$rc" 0 "2,403 metrics and 253 params: exit 0 ($(cat "$TMP/err"))"
read -r crun _ <"$TMP/out"
since | jq -c 'select(.path | endswith("log-batch"))' >"$TMP/batches"
is "$(jq -s 'map(.status) | unique | join(",")' "$TMP/batches")" '"200"' "every log-batch accepted"
is "$(jq -s 'map(.n_metrics) | add' "$TMP/batches"):$(jq -s 'map(.n_params) | add' "$TMP/batches")" "2403:253" "all metrics and params sent"
is "$(jq -s '[.[] | select(.n_metrics > 1000 or .n_params > 100 or .n_tags > 100 or (.n_metrics + .n_params + .n_tags) > 1000)] | length' "$TMP/batches")" 0 "no batch over 1000 metrics, 100 params, 100 tags, 1000 in all"
is "$(api "/api/2.0/mlflow/metrics/get-history?run_id=$crun&metric_key=k_sweep/silhouette" | jq '.metrics | length')" 1200 "the server holds 1,200 steps of k_sweep/silhouette"
is "$(api "/api/2.0/mlflow/runs/get?run_id=$crun" | jq '.run.data.params | length')" 253 "and 253 params"
mark
TEST_TRACK_NPARAMS=200 TEST_TRACK_PARAMLEN=6000 run "$D" drive "$U" chunks 1
is "$rc" 0 "200 params of 6,000 characters: exit 0 ($(cat "$TMP/err"))"
since | jq -c 'select(.path | endswith("log-batch"))' >"$TMP/batches"
is "$(jq -s '[.[] | select(.bytes > 1000000)] | length' "$TMP/batches")" 0 "no log-batch over 1 MB ($(jq -s 'map(.bytes) | max' "$TMP/batches") bytes the largest)"
is "$(jq -s 'map(.n_params) | add' "$TMP/batches")" 203 "all 203 params sent, in $(wc -l <"$TMP/batches") batches"

# retries: 503 then success; 429 twice; a timeout
mark
faults '{"rules": [{"path": "/api/2.0/mlflow/runs/log-batch", "status": 503, "times": 1}]}'
run "$D" drive "$U" retries 3
is "$rc" 0 "a 503 on log-batch, then success: exit 0 ($(cat "$TMP/err"))"
read -r rrun _ <"$TMP/out"
is "$(since | jq -r 'select(.path | endswith("log-batch")) | .status' | tr '\n' ' ')" "503 200 " "log-batch: 503, retried, 200"
is "$(api "/api/2.0/mlflow/metrics/get-history?run_id=$rrun&metric_key=inertia" | jq '.metrics | length')" 3 "  and the metrics are there once"
mark
faults '{"rules": [{"path": "/api/2.0/mlflow/runs/create", "status": 429, "times": 2, "error_code": "REQUEST_LIMIT_EXCEEDED"}]}'
run "$D" drive "$U" retries 1
is "$rc" 0 "429 twice on runs/create: exit 0"
is "$(since | jq -r 'select(.path | endswith("runs/create")) | .status' | tr '\n' ' ')" "429 429 200 " "runs/create: 429, 429, 200"
mark
faults '{"rules": [{"path": "/api/2.0/mlflow/runs/update", "sleep": 3, "times": 1}]}'
MLFLOW_HTTP_REQUEST_TIMEOUT=1 run "$D" drive "$U" retries 1
is "$rc" 0 "runs/update times out once, then answers: exit 0 ($(cat "$TMP/err"))"
is "$(since | jq -r 'select(.path | endswith("runs/update")) | .path' | wc -l)" 2 "runs/update sent twice"

# retries spent: 69, the status said
mark
faults '{"rules": [{"path": "/api/2.0/mlflow/runs/create", "status": 503, "times": 10}]}'
MLFLOW_HTTP_REQUEST_MAX_RETRIES=2 run "$D" drive "$U" retries 1
is "$rc" 69 "503 on every try: exit 69"
grep -q "runs/create: 503 TEMPORARILY_UNAVAILABLE" "$TMP/err" && ok "  reported with the status and error_code" || not_ok "  message: $(cat "$TMP/err")"
is "$(since | jq -r 'select(.path | endswith("runs/create")) | .status' | wc -l)" 3 "  after 3 tries (MLFLOW_HTTP_REQUEST_MAX_RETRIES=2)"
faults '{"rules": []}'

# a 4xx is not retried: reported with MLflow's code and message, the run FAILED
mark
faults '{"rules": [{"path": "/api/2.0/mlflow/runs/log-batch", "status": 400, "times": 1, "error_code": "INVALID_PARAMETER_VALUE", "message": "injected: bad batch"}]}'
run "$D" drive "$U" fourxx 2
is "$rc" 69 "a 400 on log-batch: exit 69"
grep -q "400 INVALID_PARAMETER_VALUE: injected: bad batch" "$TMP/err" && ok "  reported with MLflow's error_code and message" || not_ok "  message: $(cat "$TMP/err")"
since >"$TMP/reqs"
is "$(jq -r 'select(.path | endswith("log-batch")) | .status' "$TMP/reqs" | tr '\n' ' ')" "400 " "  not retried"
read -r frun _ <"$TMP/out"
is "$(api "/api/2.0/mlflow/runs/get?run_id=$frun" | jq -r .run.info.status)" FAILED "  and the run is stored FAILED (runs/update still sent)"

# no server: 69 after the retries
MLFLOW_HTTP_REQUEST_MAX_RETRIES=1 run "$D" drive "http://127.0.0.1:1" x 1
is "$rc" 69 "nothing listening: exit 69"
grep -q "after 2 tries" "$TMP/err" && ok "  after 2 tries, said ($(cat "$TMP/err"))" || not_ok "  message: $(cat "$TMP/err")"
MLFLOW_HTTP_REQUEST_MAX_RETRIES=0 run "$D" drive "http://gha:s3cret@127.0.0.1:1" x 1
is "$rc" 69 "a URL with a password, nothing listening: exit 69"
grep -q "s3cret" "$TMP/err" && not_ok "  the password is printed: $(cat "$TMP/err")" || ok "  the password is not printed ($(cat "$TMP/err"))"
done_testing
