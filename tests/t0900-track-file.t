#!/usr/bin/env bash
# lib/track.h, file store: runs written by the library (through the
# test_track driver) pass tests/mlflow/filestore_check.py, a checker of
# MLflow's FileStore rules written from MLflow's sources, and read back
# (as FileStore would read them) to exactly what was logged. A killed run
# leaves no run: MLflow sees a run only once its meta.yaml exists, and that
# is written last, by rename.
. "$(dirname "$0")/lib.sh"
D=$GHA_BUILD/tests/test_track
CHECK=$TESTDIR/mlflow/filestore_check.py
PY=/usr/bin/python3
if ! "$PY" -c 'import yaml' 2>/dev/null; then
	skip "python3-yaml is not installed for /usr/bin/python3 (.ci/deps.sh check installs it)"
	done_testing
	exit
fi

printf 'c1\t1.5\nc2\t-3\n' >"$TMP/centroids.tsv"
run "$D" drive "$TMP/mlruns" "kmeans repos" 25 "$TMP/centroids.tsv"
is "$rc" 0 "a run with params, tags, 25-step metrics and an artifact: exit 0 ($(cat "$TMP/err"))"
read -r run exp <"$TMP/out"
run "$D" drive "$TMP/mlruns" "kmeans repos" 3
is "$rc" 0 "a second run in the same experiment"
read -r run2 exp2 <"$TMP/out"
is "$exp2" "$exp" "the experiment is found by name, not made twice"
run "$PY" "$CHECK" --strict --dump "$TMP/dump.json" "$TMP/mlruns"
is "$rc" 0 "the store passes MLflow's FileStore rules, strictly ($(head -3 "$TMP/err"))"

# what was logged, read back from the dump (FileStore's view of the store)
q() { jq -r --arg e "$exp" --arg r "$run" "$1" "$TMP/dump.json"; }
is "$(q '.[$e].name')" "kmeans repos" "the experiment's name"
is "$(q '.[$e].runs | length')" 2 "two runs in it"
is "$(q '.[$e].runs[$r].status')" FINISHED "status FINISHED"
is "$(q '.[$e].runs[$r].run_name')" drive-run "run_name"
is "$(q '.[$e].runs[$r].params | to_entries | map("\(.key)=\(.value)") | join(",")')" \
	"input/file=gold/repo_daily.tsv,k=8,scale=zscore" "params, a '/' key included"
is "$(q '.[$e].runs[$r].tags.note')" "quotes ' \" and unicode é" "a tag value with quotes and UTF-8"
is "$(q '.[$e].runs[$r].tags["mlflow.runName"]')" drive-run "tag mlflow.runName"
is "$(q '.[$e].runs[$r].tags["mlflow.source.type"]')" LOCAL "tag mlflow.source.type"
is "$(q '.[$e].runs[$r].tags["mlflow.user"] | length > 0')" true "tag mlflow.user"
# the metric history, computed apart with awk: 1000/(i+1) and 0.5+i/1000
awk 'BEGIN { for (i = 0; i < 25; i++) printf "%d %d %.9f\n", i, 1700000000000 + i, 1000 / (i + 1) }' >"$TMP/want"
q '.[$e].runs[$r].metrics.inertia[] | "\(.step) \(.timestamp) \(.value)"' |
	awk '{ printf "%d %d %.9f\n", $1, $2, $3 }' >"$TMP/got"
same_file "$TMP/got" "$TMP/want" "metric inertia: 25 steps, values and timestamps as logged"
is "$(q '.[$e].runs[$r].metrics["k_sweep/silhouette"][24].value')" 0.524 "metric k_sweep/silhouette at step 24"
is "$(q '.[$e].runs[$r].metrics.odd | map(.value) | join(",")')" "nan,inf,-inf" "NaN and infinities as Python writes them"
is "$(q '.[$e].runs[$r].artifacts | join(",")')" model/centroids.tsv "the artifact is listed"
same_file "$TMP/mlruns/$exp/$run/artifacts/model/centroids.tsv" "$TMP/centroids.tsv" "the artifact's bytes"
is "$(q '.["0"].name')" Default "the Default experiment 0"

# the checker itself catches what it is for (it must be able to fail)
cp -r "$TMP/mlruns" "$TMP/bad1"
sed -i 's/^status: 3$/status: FINISHED/' "$TMP/bad1/$exp/$run/meta.yaml"
run "$PY" "$CHECK" "$TMP/bad1"
t "checker: a status written as a name fails" test "$rc" = 1 -a -n "$(grep -l 'status' "$TMP/err")"
cp -r "$TMP/mlruns" "$TMP/bad2"
echo "1700000000000 0.1" >>"$TMP/bad2/$exp/$run/metrics/inertia"
printf '1700000000000 1.0 0 9\n' >>"$TMP/bad2/$exp/$run/metrics/inertia"
run "$PY" "$CHECK" "$TMP/bad2"
grep -q "4 fields" "$TMP/err" && ok "checker: a 4-field metric line fails" || not_ok "checker: 4 fields ($(cat "$TMP/err"))"
cp -r "$TMP/mlruns" "$TMP/bad3"
mkdir -p "$TMP/bad3/$exp/$run/params/a..b" && echo x >"$TMP/bad3/$exp/$run/params/bad:key"
run "$PY" "$CHECK" "$TMP/bad3"
grep -q "bad:key" "$TMP/err" && ok "checker: a key MLflow refuses fails" || not_ok "checker: bad key"
cp -r "$TMP/mlruns" "$TMP/bad4"
sed -i "s/^experiment_id: .*/experiment_id: 12/" "$TMP/bad4/$exp/meta.yaml"
run "$PY" "$CHECK" "$TMP/bad4"
grep -q "experiment_id 12" "$TMP/err" && ok "checker: an int experiment_id not the folder's fails" || not_ok "checker: experiment id"
cp -r "$TMP/mlruns" "$TMP/bad5"
sed -i 's/^\(1700000000000\) 1000.0 0$/\1 1000.00 0/' "$TMP/bad5/$exp/$run/metrics/inertia"
run "$PY" "$CHECK" --strict "$TMP/bad5"
grep -q "not written as Python writes it" "$TMP/err" && ok "checker --strict: a value not in repr() form fails" || not_ok "checker: repr"

# kill -9 mid-run: no run is visible; the hidden folder is what FileStore skips
"$D" hang "$TMP/mlruns" "kmeans repos" >"$TMP/hang.out" 2>"$TMP/hang.err" &
pid=$!
for _ in $(seq 100); do grep -q started "$TMP/hang.out" && break; sleep 0.1; done
hrun=$(awk '{print $2}' "$TMP/hang.out")
kill -9 "$pid"; wait "$pid" 2>/dev/null
t "kill -9 mid-run: no run folder $hrun" test ! -e "$TMP/mlruns/$exp/$hrun"
stale=$TMP/mlruns/$exp/.tmp.$hrun.$(hostname).$pid
t "kill -9 mid-run: the temporary folder stays, without meta.yaml" test ! -e "$stale/meta.yaml" -a -d "$stale"
run "$PY" "$CHECK" --dump "$TMP/dump2.json" "$TMP/mlruns"
is "$rc" 0 "the store still passes (the killed run is hidden: $(head -1 "$TMP/err"))"
is "$(jq --arg e "$exp" '.[$e].runs | length' "$TMP/dump2.json")" 2 "MLflow still reads 2 runs"
run "$D" drive "$TMP/mlruns" "kmeans repos" 1
t "the next run in the experiment removes the dead process's folder" test "$rc" = 0 -a ! -e "$stale"
read -r run3 _ <"$TMP/out"
# a live process's folder stays
"$D" hang "$TMP/mlruns" "kmeans repos" >"$TMP/hang.out" 2>"$TMP/hang.err" &
pid=$!
for _ in $(seq 100); do grep -q started "$TMP/hang.out" && break; sleep 0.1; done
hrun=$(awk '{print $2}' "$TMP/hang.out")
run "$D" drive "$TMP/mlruns" "kmeans repos" 1
t "a running process's folder is left alone" test -d "$TMP/mlruns/$exp/.tmp.$hrun.$(hostname).$pid"
kill -9 "$pid"; wait "$pid" 2>/dev/null
rm -rf "$TMP/mlruns/$exp/.tmp.$hrun.$(hostname).$pid"
# SIGTERM: the temporaries go too
"$D" hang "$TMP/mlruns" "kmeans repos" >"$TMP/hang.out" 2>"$TMP/hang.err" &
pid=$!
for _ in $(seq 100); do grep -q started "$TMP/hang.out" && break; sleep 0.1; done
hrun=$(awk '{print $2}' "$TMP/hang.out")
kill -TERM "$pid"; wait "$pid" 2>/dev/null
t "SIGTERM mid-run: neither the run nor its temporary folder remain" test ! -e "$TMP/mlruns/$exp/$hrun" -a ! -e "$TMP/mlruns/$exp/.tmp.$hrun.$(hostname).$pid"

# a store MLflow made: experiment names PyYAML folded, artifacts elsewhere
mkdir -p "$TMP/m2/0" "$TMP/m2/7" "$TMP/elsewhere"
"$PY" - "$TMP/m2" "$TMP/elsewhere" <<'PYEOF'
import sys, yaml
root, art = sys.argv[1], sys.argv[2]
for d, name, loc in (("0", "Default", "file://" + root + "/0"),
                     ("7", "an experiment name long enough that PyYAML folds it over more than one line of its meta.yaml, as MLflow itself writes it with safe_dump", "file://" + art)):
    with open(f"{root}/{d}/meta.yaml", "w") as f:
        yaml.safe_dump({"artifact_location": loc, "creation_time": 1, "experiment_id": d,
                        "last_update_time": 1, "lifecycle_stage": "active", "name": name}, f,
                       default_flow_style=False)
PYEOF
grep -q "^  " "$TMP/m2/7/meta.yaml" && ok "PyYAML folded the long name" || skip "PyYAML did not fold the name"
run "$D" drive "$TMP/m2" "an experiment name long enough that PyYAML folds it over more than one line of its meta.yaml, as MLflow itself writes it with safe_dump" 2 "$TMP/centroids.tsv"
read -r run3 exp3 <"$TMP/out"
is "$rc:$exp3" "0:7" "a store MLflow wrote: the experiment is found by its folded name"
t "its artifacts go to the experiment's artifact_location" cmp -s "$TMP/elsewhere/$run3/artifacts/model/centroids.tsv" "$TMP/centroids.tsv"
run "$PY" "$CHECK" --strict "$TMP/m2"
is "$rc" 0 "and that store passes too"

# two processes creating the same new experiment at once, 5 times over
for i in 1 2 3 4 5; do
	"$D" drive "$TMP/race" "race $i" 1 >"$TMP/r$i.a" 2>&1 &
	"$D" drive "$TMP/race" "race $i" 1 >"$TMP/r$i.b" 2>&1 &
done
wait
same=0
for i in 1 2 3 4 5; do
	[ "$(awk '{print $2}' "$TMP/r$i.a")" = "$(awk '{print $2}' "$TMP/r$i.b")" ] && same=$((same + 1))
done
is "$same" 5 "two processes asking for a new experiment get the same one (5 races)"
run "$PY" "$CHECK" --strict --dump "$TMP/race.json" "$TMP/race"
is "$rc" 0 "the raced store passes (names unique)"
is "$(jq '[.[] | .runs | length] | add' "$TMP/race.json")" 10 "and holds the 10 runs"

# errors: the store cannot be written
mkdir -p "$TMP/ro" && chmod 500 "$TMP/ro"
if [ "$(id -u)" = 0 ]; then
	skip "a read-only store: root writes anyway"
else
	run "$D" drive "$TMP/ro/mlruns" x 1
	is "$rc" 74 "a store that cannot be made: 74"
fi
chmod 700 "$TMP/ro"
done_testing
