#!/usr/bin/python3
"""filestore_check.py DIR [--dump OUT.json] [--strict]

Checks DIR against the rules MLflow's FileStore reads a store by
(mlflow/store/tracking/file_store.py, mlflow/utils/validation.py), written
here from those rules, not from gha's code:
  - every experiment folder DIR/ID (not .trash, not models) holds a
    meta.yaml with exactly artifact_location, creation_time, experiment_id,
    last_update_time, lifecycle_stage, name, of the right types; the id
    matches the folder and MLflow's id pattern; the Default experiment 0
    exists; active names are unique;
  - every run folder DIR/ID/RUN holding a meta.yaml has exactly the fields
    FileStore writes (status an int of RunStatus, run_id == run_uuid ==
    the folder name, experiment_id == its experiment, tags == []);
    params/, tags/, metrics/ files are named by valid keys (the regex, the
    path rule, 250 characters), values within MLflow's lengths;
    metric lines are "timestamp value step" (int, float, int);
  - with --strict: each metric value is written as Python's repr() writes
    it (what FileStore itself appends), and no folder without meta.yaml
    lies among the runs (an unfinished or killed run).
Folders without meta.yaml are what FileStore skips: they are listed as
"hidden" and are an error only with --strict.
--dump writes what MLflow would read (experiments, runs, params, tags,
metric histories) as JSON, for round-trip comparisons.
Exit 0 when the store passes, 1 with one line per problem on stderr."""
import json
import math
import os
import posixpath
import re
import sys

import yaml

VALID_NAME = re.compile(r"^[/\w.\- ]*$")
RUN_ID = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")
EXP_ID = re.compile(r"^[a-zA-Z0-9][\w\-]{0,63}$")
EXP_FIELDS = {"artifact_location", "creation_time", "experiment_id", "last_update_time",
              "lifecycle_stage", "name"}
RUN_FIELDS = {"artifact_uri", "deleted_time", "end_time", "entry_point_name", "experiment_id",
              "lifecycle_stage", "run_id", "run_name", "run_uuid", "source_name", "source_type",
              "source_version", "start_time", "status", "tags", "user_id"}
STATUS = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}
RESERVED = {"tags", "datasets", "traces"}

problems = []
hidden = []


def bad(where, what):
    problems.append(f"{where}: {what}")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_key(where, kind, name):
    if not VALID_NAME.match(name):
        bad(where, f"{kind} name {name!r}: characters MLflow refuses")
    norm = posixpath.normpath(name)
    if norm != name or norm == "." or norm.startswith("..") or norm.startswith("/"):
        bad(where, f"{kind} name {name!r}: not its own normalized path")
    if len(name) > 250:
        bad(where, f"{kind} name {name!r}: over 250 characters")


def files_under(d):
    out = []
    if not os.path.isdir(d):
        return out
    for root, _, files in os.walk(d):
        for f in files:
            out.append(os.path.relpath(os.path.join(root, f), d))
    return sorted(out)


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    return data.decode("utf-8")


def check_values(where, run_dir, sub, kind, limit):
    out = {}
    for name in files_under(os.path.join(run_dir, sub)):
        check_key(where, kind, name)
        try:
            v = read_text(os.path.join(run_dir, sub, name))
        except UnicodeDecodeError:
            bad(where, f"{kind} {name!r}: not UTF-8")
            continue
        if len(v) > limit:
            bad(where, f"{kind} {name!r}: value over {limit} characters")
        out[name] = v
    return out


def check_metrics(where, run_dir, strict):
    out = {}
    for name in files_under(os.path.join(run_dir, "metrics")):
        check_key(where, "metric", name)
        hist = []
        lines = read_text(os.path.join(run_dir, "metrics", name)).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        else:
            bad(where, f"metric {name!r}: the last line has no newline")
        if not lines:
            bad(where, f"metric {name!r}: no data (FileStore calls this malformed)")
        for i, line in enumerate(lines, 1):
            parts = line.strip().split(" ")
            if len(parts) not in (2, 3):
                bad(where, f"metric {name!r} line {i}: {len(parts)} fields, not 2 or 3")
                continue
            try:
                ts, val = int(parts[0]), float(parts[1])
                step = int(parts[2]) if len(parts) == 3 else 0
            except ValueError as e:
                bad(where, f"metric {name!r} line {i}: {e}")
                continue
            if ts < 0:
                bad(where, f"metric {name!r} line {i}: a negative timestamp")
            if strict and parts[1] != repr(val):
                bad(where, f"metric {name!r} line {i}: value {parts[1]!r} is not written as "
                    f"Python writes it ({repr(val)!r})")
            if strict and len(parts) != 3:
                bad(where, f"metric {name!r} line {i}: no step")
            hist.append({"timestamp": ts, "step": step,
                         "value": val if math.isfinite(val) else repr(val)})
        out[name] = hist
    return out


def check_run(exp_id, exp_dir, run_name_dir, strict):
    run_dir = os.path.join(exp_dir, run_name_dir)
    where = f"{exp_id}/{run_name_dir}"
    meta_path = os.path.join(run_dir, "meta.yaml")
    if not os.path.exists(meta_path):
        hidden.append(where)
        if strict:
            bad(where, "a folder without meta.yaml among the runs (an unfinished run)")
        return None
    with open(meta_path) as f:
        meta = yaml.safe_load(f)
    if not isinstance(meta, dict):
        bad(where, "meta.yaml is not a mapping")
        return None
    if set(meta) != RUN_FIELDS:
        bad(where, f"meta.yaml fields: missing {sorted(RUN_FIELDS - set(meta))}, "
            f"unknown {sorted(set(meta) - RUN_FIELDS)}")
    rid = meta.get("run_id")
    if not isinstance(rid, str) or not RUN_ID.match(rid):
        bad(where, f"run_id {rid!r}: not a string MLflow accepts")
    if rid != run_name_dir or meta.get("run_uuid") != rid:
        bad(where, f"run_id {rid!r}, run_uuid {meta.get('run_uuid')!r}, folder {run_name_dir!r}")
    if meta.get("experiment_id") != exp_id:
        bad(where, f"experiment_id {meta.get('experiment_id')!r} is not its experiment's")
    st = meta.get("status")
    if not is_int(st) or st not in STATUS:
        bad(where, f"status {st!r}: not an int of RunStatus")
    for k in ("start_time",):
        if not is_int(meta.get(k)) or meta.get(k) < 0:
            bad(where, f"{k} {meta.get(k)!r}: not a nonnegative int")
    et = meta.get("end_time")
    if et is not None and (not is_int(et) or (is_int(meta.get("start_time")) and et < meta["start_time"])):
        bad(where, f"end_time {et!r}")
    if st in (3, 4, 5) and et is None:
        bad(where, "an ended run without end_time")
    if meta.get("deleted_time") is not None and not is_int(meta.get("deleted_time")):
        bad(where, "deleted_time")
    if meta.get("tags") != []:
        bad(where, f"tags {meta.get('tags')!r}: FileStore writes []")
    if meta.get("lifecycle_stage") not in ("active", "deleted"):
        bad(where, f"lifecycle_stage {meta.get('lifecycle_stage')!r}")
    for k in ("artifact_uri", "run_name", "user_id", "entry_point_name", "source_name",
              "source_version"):
        if not isinstance(meta.get(k), str):
            bad(where, f"{k} {meta.get(k)!r}: not a string")
    if not is_int(meta.get("source_type")):
        bad(where, "source_type: not an int")
    au = meta.get("artifact_uri", "")
    if isinstance(au, str) and not au.endswith(f"/{rid}/artifacts"):
        bad(where, f"artifact_uri {au!r} does not end in /RUN_ID/artifacts")
    params = check_values(where, run_dir, "params", "param", 6000)
    tags = check_values(where, run_dir, "tags", "tag", 5000)
    metrics = check_metrics(where, run_dir, strict)
    if tags.get("mlflow.runName", meta.get("run_name")) != meta.get("run_name"):
        bad(where, "tag mlflow.runName differs from run_name")
    artifacts = []
    if isinstance(au, str) and au.startswith("file://"):
        from urllib.parse import unquote
        adir = unquote(au[len("file://"):])
        if not os.path.isdir(adir):
            bad(where, f"artifact folder {adir} missing")
        artifacts = files_under(adir)
    return {"run_id": rid, "run_name": meta.get("run_name"), "experiment_id": exp_id,
            "status": STATUS.get(st), "start_time": meta.get("start_time"), "end_time": et,
            "user_id": meta.get("user_id"), "params": params, "tags": tags,
            "metrics": metrics, "artifacts": artifacts}


def main():
    args = sys.argv[1:]
    strict = "--strict" in args
    dump = None
    if "--dump" in args:
        dump = args[args.index("--dump") + 1]
        del args[args.index("--dump"):args.index("--dump") + 2]
    args = [a for a in args if a != "--strict"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = args[0]
    if not os.path.isdir(root):
        print(f"filestore_check: {root}: not a folder", file=sys.stderr)
        return 1
    exps = {}
    names = {}
    for d in sorted(os.listdir(root)):
        p = os.path.join(root, d)
        if not os.path.isdir(p) or d.endswith(".trash") or d == "models":
            continue
        if not EXP_ID.match(d):
            bad(d, "a folder FileStore would take for an experiment with an invalid id "
                "(search_experiments raises)")
            continue
        mp = os.path.join(p, "meta.yaml")
        if not os.path.exists(mp):
            bad(d, "an experiment folder without meta.yaml")
            continue
        with open(mp) as f:
            meta = yaml.safe_load(f)
        if not isinstance(meta, dict) or set(meta) != EXP_FIELDS:
            bad(d, f"experiment meta.yaml fields {sorted(meta) if isinstance(meta, dict) else meta!r}")
            continue
        if meta["experiment_id"] != d or not isinstance(meta["experiment_id"], str):
            bad(d, f"experiment_id {meta['experiment_id']!r} is not the folder's name as a string")
        for k in ("creation_time", "last_update_time"):
            if not is_int(meta[k]) or meta[k] < 0:
                bad(d, f"{k} {meta[k]!r}: not a nonnegative int")
        if meta["lifecycle_stage"] not in ("active", "deleted"):
            bad(d, f"lifecycle_stage {meta['lifecycle_stage']!r}")
        if not isinstance(meta["name"], str) or not meta["name"] or len(meta["name"]) > 500:
            bad(d, f"name {meta['name']!r}")
        if not isinstance(meta["artifact_location"], str):
            bad(d, "artifact_location: not a string")
        if meta["lifecycle_stage"] == "active":
            if meta["name"] in names:
                bad(d, f"name {meta['name']!r} also names experiment {names[meta['name']]}")
            names[meta["name"]] = d
        runs = {}
        for r in sorted(os.listdir(p)):
            if r in RESERVED or not os.path.isdir(os.path.join(p, r)):
                continue
            info = check_run(d, p, r, strict)
            if info:
                runs[r] = info
        exps[d] = {"name": meta["name"], "artifact_location": meta["artifact_location"],
                   "runs": runs}
    if "0" not in exps or exps["0"]["name"] != "Default":
        bad("0", "no Default experiment")
    for h in hidden:
        print(f"filestore_check: hidden (no meta.yaml, FileStore skips it): {h}", file=sys.stderr)
    for pr in problems:
        print(f"filestore_check: {pr}", file=sys.stderr)
    if dump:
        with open(dump, "w") as f:
            json.dump(exps, f, indent=1, sort_keys=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
