#!/usr/bin/env bash
# gha-kmeans fit --track: the run as MLflow sees it, through lib/track.h.
# File store: checked by tests/mlflow/filestore_check.py (MLflow's
# FileStore rules) and read back from its dump; REST: against the
# loopback MLflow server (tests/mlflow/server.py). The values are checked
# against the tool's own outputs and, for the input's hash, sha256sum.
. "$(dirname "$0")/lib.sh"
KM=$BIN/gha-kmeans
PY=/usr/bin/python3
CHECK=$TESTDIR/mlflow/filestore_check.py
if ! "$PY" -c 'import yaml' 2>/dev/null; then
	skip "python3-yaml is not installed for /usr/bin/python3 (.ci/deps.sh check installs it)"
	done_testing
	exit
fi
awk -v n=600 -v k=3 -v d=3 -v sd=0.5 -v gap=20 -v seed=5 -f "$TESTDIR/kmeans_gen.awk" >"$TMP/d.tsv"

run env -u MLFLOW_TRACKING_URI "$KM" fit -q -c f0,f1,f2 --id id --k-range 2..4 --track "$TMP/mlruns" \
	--experiment "blobs test" --run-name first -m "$TMP/model" -s "$TMP/m.json" -o /dev/null "$TMP/d.tsv"
is "$rc" 0 "fit --track DIR exits 0 ($(cat "$TMP/err"))"
run "$PY" "$CHECK" --strict --dump "$TMP/dump.json" "$TMP/mlruns"
is "$rc" 0 "the store passes MLflow's FileStore rules ($(head -3 "$TMP/err"))"
q() { jq -r "[.[] | select(.name == \"blobs test\") | .runs[]][0] | $1" "$TMP/dump.json"; }
is "$(jq '[.[] | select(.name == "blobs test") | .runs | length] | add' "$TMP/dump.json")" 1 "one run in experiment 'blobs test'"
is "$(q .status)" FINISHED "status FINISHED"
is "$(q .run_name)" first "run name"
is "$(q '.params | [.k, .k_range, .columns, .id, .scale, .missing, .n_init, .seed, .rows] | @tsv')" \
	"$(printf '3\t2..4\tf0,f1,f2\tid\tzscore\tdrop\t10\t0\t600')" "params: k, k_range, columns, id, scale, missing, n_init, seed, rows"
is "$(q .params.input_sha256)" "$(sha256sum <"$TMP/d.tsv" | cut -d' ' -f1)" "param input_sha256 = sha256sum of the input"
is "$(q '.metrics.inertia[0].value')" "$(jq .inertia "$TMP/m.json")" "metric inertia = the metrics JSON's"
is "$(q '.metrics.silhouette[0].value')" "$(jq .silhouette "$TMP/m.json")" "metric silhouette = the metrics JSON's"
is "$(q '[.metrics.sweep_silhouette[] | .step] | sort | @csv')" "2,3,4" "sweep_silhouette at steps k = 2, 3, 4"
is "$(q '[.metrics.sweep_inertia[] | .value] | @csv')" "$(jq -r '[.sweep[].inertia] | @csv' "$TMP/m.json")" \
	"sweep_inertia = the sweep's inertia per k"
is "$(q '.artifacts | sort | @csv')" '"centroids.tsv","metrics.json","model.txt"' "artifacts: centroids, metrics, model"
art=$(find "$TMP/mlruns" -path '*/artifacts/model.txt')
same_file "$TMP/model" "$art" "the model artifact is the model written by -m"
art=$(find "$TMP/mlruns" -path '*/artifacts/metrics.json')
same_file "$TMP/m.json" "$art" "the metrics artifact is the metrics written by -s"

# MLFLOW_TRACKING_URI names the store; --no-track overrides it
run env MLFLOW_TRACKING_URI="$TMP/env-store" "$KM" fit -q -c f0,f1,f2 -k 3 -o /dev/null "$TMP/d.tsv"
is "$rc" 0 "MLFLOW_TRACKING_URI=DIR: exit 0"
t "MLFLOW_TRACKING_URI=DIR: a run there" test -n "$(find "$TMP/env-store" -name meta.yaml -path '*/*/*')"
run env MLFLOW_TRACKING_URI="$TMP/none-store" "$KM" fit -q --no-track -c f0,f1,f2 -k 3 -o /dev/null "$TMP/d.tsv"
is "$rc" 0 "--no-track: exit 0"
t "--no-track: nothing written" test ! -e "$TMP/none-store"
mkdir "$TMP/cwd"
(cd "$TMP/cwd" && env -u MLFLOW_TRACKING_URI "$KM" fit -q -c f0,f1,f2 -k 3 -o /dev/null "$TMP/d.tsv") ||
	not_ok "a fit without tracking"
t "no --track, no MLFLOW_TRACKING_URI: no ./mlruns" test ! -e "$TMP/cwd/mlruns"
# a store that cannot be written: the outputs are there, the exit is 74
: >"$TMP/file"
run env -u MLFLOW_TRACKING_URI "$KM" fit -q -c f0,f1,f2 -k 3 -o "$TMP/a.tsv" --track "$TMP/file/x" "$TMP/d.tsv"
is "$rc" 74 "--track into a file's path: 74"
t "the assignments were written before tracking failed" test -s "$TMP/a.tsv"

# REST: the loopback MLflow server
"$PY" "$TESTDIR/mlflow/server.py" --port-file "$TMP/port" >"$TMP/server.log" 2>&1 &
spid=$!
for _ in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
if [ ! -s "$TMP/port" ]; then
	not_ok "the loopback MLflow server started"
else
	url=http://127.0.0.1:$(cat "$TMP/port")
	run env MLFLOW_TRACKING_URI="$url" "$KM" fit -q -c f0,f1,f2 -k 3 -s "$TMP/r.json" -o /dev/null "$TMP/d.tsv"
	is "$rc" 0 "MLFLOW_TRACKING_URI=http://...: exit 0 ($(cat "$TMP/err"))"
	curl -sf "$url/api/2.0/mlflow/experiments/get-by-name?experiment_name=gha-kmeans" >"$TMP/exp.json"
	eid=$(jq -r .experiment.experiment_id "$TMP/exp.json")
	t "REST: experiment gha-kmeans exists" test -n "$eid" -a "$eid" != null
	curl -sf "$url/__test__/log" >"$TMP/log.json"
	is "$(jq -r '[.requests[].path | select(startswith("/api/2.0/mlflow/runs/"))] | unique | join(" ")' "$TMP/log.json")" \
		"/api/2.0/mlflow/runs/create /api/2.0/mlflow/runs/log-batch /api/2.0/mlflow/runs/update" \
		"REST: runs/create, log-batch, update"
	is "$(jq '[.requests[] | select((.unknown_fields // []) != [] or (.status >= 400 and
		.path != "/api/2.0/mlflow/experiments/get-by-name"))] | length' "$TMP/log.json")" 0 \
		"REST: no unknown field, no error but the first get-by-name's 404"
	run_id=$(jq -r '[.requests[] | select(.method == "PUT") | .path | split("/")[6]] | first // empty' "$TMP/log.json")
	if [ -n "$run_id" ]; then
		curl -sf "$url/api/2.0/mlflow/runs/get?run_id=$run_id" >"$TMP/run.json"
		is "$(jq -r '.run.info.status' "$TMP/run.json")" FINISHED "REST: the run is FINISHED"
		is "$(jq -r '.run.data.params[] | select(.key == "k") | .value' "$TMP/run.json")" 3 "REST: param k"
		is "$(jq -r '.run.data.metrics[] | select(.key == "inertia") | .value' "$TMP/run.json")" \
			"$(jq .inertia "$TMP/r.json")" "REST: metric inertia = the metrics JSON's"
	else
		not_ok "REST: the run id is in the server's log"
	fi
fi
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
done_testing
