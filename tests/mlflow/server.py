#!/usr/bin/python3
"""server.py --port-file FILE [--artifacts DIR]

A loopback MLflow tracking server for the tests: the REST API that
lib/track_rest.c uses, enforced as MLflow's server enforces it (written
from mlflow/protos/service.proto, mlflow_artifacts.proto,
mlflow/server/handlers.py and mlflow/utils/validation.py, not from gha's
code), answering as MLflow does, errors included ({"error_code",
"message"} with the HTTP status MLflow maps each code to).

  GET  /api/2.0/mlflow/experiments/get-by-name?experiment_name=
  GET  /api/2.0/mlflow/experiments/get?experiment_id=
  POST /api/2.0/mlflow/experiments/create
  POST /api/2.0/mlflow/runs/create
  POST /api/2.0/mlflow/runs/update
  POST /api/2.0/mlflow/runs/log-batch
  GET  /api/2.0/mlflow/runs/get?run_id=
  GET  /api/2.0/mlflow/metrics/get-history?run_id=&metric_key=
  PUT  /api/2.0/mlflow-artifacts/artifacts/PATH   (GET downloads it)
  GET  /api/2.0/mlflow-artifacts/artifacts?path=   (lists)

Beyond MLflow, for the tests only (under /__test__/):
  POST /__test__/faults  {"rules": [{"method", "path" (a prefix), "status",
                          "times", "error_code", "sleep"}]}: the next
                          "times" matching requests get that answer (or
                          wait "sleep" seconds first)
  GET  /__test__/log     every request seen: method, path, status, and
                          what the protocol check found (unknown fields,
                          batch sizes, the body's size)
Unknown fields are ignored, as MLflow's parse_dict does, but logged."""
import json
import math
import os
import posixpath
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

HTTP = {"INVALID_PARAMETER_VALUE": 400, "RESOURCE_ALREADY_EXISTS": 400, "INVALID_STATE": 400,
        "BAD_REQUEST": 400, "MALFORMED_REQUEST": 400, "RESOURCE_DOES_NOT_EXIST": 404,
        "ENDPOINT_NOT_FOUND": 404, "INTERNAL_ERROR": 500, "TEMPORARILY_UNAVAILABLE": 503,
        "REQUEST_LIMIT_EXCEEDED": 429, "PERMISSION_DENIED": 403, "UNAUTHENTICATED": 401}
VALID_NAME = re.compile(r"^[/\w.\- ]*$")
RUN_ID = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")
STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]  # RunStatus 1..5
MAX_METRICS, MAX_PARAMS_TAGS, MAX_ENTITIES, MAX_REQUEST = 1000, 100, 1000, 1000000


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def missing(path):
    return ApiError("INVALID_PARAMETER_VALUE", f"Missing value for required parameter '{path}'. "
                    "See the API docs for more information about request parameters.")


def invalid(path, value):
    return ApiError("INVALID_PARAMETER_VALUE", f"Invalid value {json.dumps(value)} for parameter "
                    f"'{path}' supplied. See the API docs for more information about request "
                    "parameters.")


# proto3 JSON parsing of the scalar types the messages use
def p_string(path, v):
    if not isinstance(v, str):
        raise invalid(path, v)
    return v


def p_int64(path, v):
    if isinstance(v, bool):
        raise invalid(path, v)
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?[0-9]+", v):
        return int(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    raise invalid(path, v)


def p_double(path, v):
    if isinstance(v, bool):
        raise invalid(path, v)
    if isinstance(v, (int, float)):
        return float(v)
    if v in ("NaN", "Infinity", "-Infinity"):
        return float(v.replace("Infinity", "inf").replace("NaN", "nan"))
    raise invalid(path, v)


def p_status(path, v):
    if isinstance(v, str) and v in STATUSES:
        return v
    if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5:
        return STATUSES[v - 1]
    raise invalid(path, v)


KV = {"key": p_string, "value": p_string}
METRIC = {"key": p_string, "value": p_double, "timestamp": p_int64, "step": p_int64}


def message(body, fields, unknown, prefix=""):
    """fields: name -> parser, or ("repeated", subfields)"""
    if not isinstance(body, dict):
        raise ApiError("MALFORMED_REQUEST", f"Expected a JSON object at '{prefix or '.'}'")
    out = {}
    for k, v in body.items():
        f = fields.get(k)
        path = f"{prefix}{k}"
        if f is None:
            unknown.append(path)
            continue
        if isinstance(f, tuple):
            if not isinstance(v, list):
                raise invalid(path, v)
            out[k] = [message(x, f[1], unknown, f"{path}[{i}].") for i, x in enumerate(v)]
        else:
            out[k] = f(path, v)
    return out


def check_name(kind, name):
    if name is None:
        raise ApiError("INVALID_PARAMETER_VALUE", f"{kind} name cannot be None.")
    if not VALID_NAME.match(name):
        raise ApiError("INVALID_PARAMETER_VALUE", f"Invalid {kind.lower()} name: '{name}'. Names "
                       "may only contain alphanumerics, underscores (_), dashes (-), periods (.),"
                       " spaces ( ), and slashes (/).")
    norm = posixpath.normpath(name)
    if norm != name or norm == "." or norm.startswith("..") or norm.startswith("/"):
        raise ApiError("INVALID_PARAMETER_VALUE", f"Invalid {kind.lower()} name: '{name}'. Names "
                       "may be treated as files in certain cases, and must not resolve to other "
                       f"names when treated as such. This name would resolve to '{norm}'")
    if len(name) > 250:
        raise ApiError("INVALID_PARAMETER_VALUE", f"{kind} name '{name[:250]}' had length "
                       f"{len(name)}, which exceeded length limit of 250")


class Store:
    def __init__(self, artifacts):
        self.lock = threading.Lock()
        now = int(time.time() * 1000)
        self.exps = {"0": {"experiment_id": "0", "name": "Default",
                           "artifact_location": "mlflow-artifacts:/0", "lifecycle_stage": "active",
                           "creation_time": now, "last_update_time": now}}
        self.next_exp = 1
        self.runs = {}
        self.artifacts = artifacts
        self.faults = []
        self.log = []


def run_info(r):
    info = {k: r[k] for k in ("run_id", "run_uuid", "run_name", "experiment_id", "user_id",
                              "status", "start_time", "artifact_uri", "lifecycle_stage")}
    if r.get("end_time") is not None:
        info["end_time"] = r["end_time"]
    return info


def metric_json(m):
    v = m["value"]
    return {"key": m["key"], "timestamp": m["timestamp"], "step": m["step"],
            "value": v if math.isfinite(v) else ("NaN" if math.isnan(v) else
                                                 ("Infinity" if v > 0 else "-Infinity"))}


def run_json(r):
    latest = {}
    for m in r["metrics"]:
        cur = latest.get(m["key"])
        if cur is None or (m["step"], m["timestamp"], m["value"]) >= (cur["step"], cur["timestamp"], cur["value"]):
            latest[m["key"]] = m
    return {"info": run_info(r), "data": {
        "metrics": [metric_json(m) for m in latest.values()],
        "params": [{"key": k, "value": v} for k, v in sorted(r["params"].items())],
        "tags": [{"key": k, "value": v} for k, v in sorted(r["tags"].items())]},
        "inputs": {}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes
    store = None

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, obj=None, raw=None, ctype="application/json"):
        data = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.entry["status"] = status

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return data
        return self.rfile.read(n)

    def handle_any(self, method):
        st = self.store
        url = urlsplit(self.path)
        path = url.path
        self.entry = {"method": method, "path": path, "query": url.query}
        raw = self.body() if method in ("POST", "PUT") else b""
        self.entry["bytes"] = len(raw)
        with st.lock:
            st.log.append(self.entry)
        try:
            if path.startswith("/__test__/"):
                return self.test_api(method, path, raw)
            with st.lock:
                rule = None
                for f in st.faults:
                    if f["times"] > 0 and f.get("method", method) == method and path.startswith(f["path"]):
                        f["times"] -= 1
                        rule = dict(f)
                        break
            if rule:
                if rule.get("sleep"):
                    time.sleep(rule["sleep"])
                if rule.get("status"):
                    code = rule.get("error_code", "TEMPORARILY_UNAVAILABLE")
                    self.entry["fault"] = rule["status"]
                    return self.answer(rule["status"], {"error_code": code,
                                                        "message": rule.get("message", "injected fault")})
            if path.startswith("/api/2.0/mlflow-artifacts/artifacts"):
                return self.artifacts(method, path[len("/api/2.0/mlflow-artifacts/artifacts"):], raw, url.query)
            route = ROUTES.get(path)
            if route is None:
                return self.answer(404, raw=b"<!doctype html><title>404 Not Found</title>",
                                   ctype="text/html")
            if route[0] != method:
                return self.answer(405, raw=b"<!doctype html><title>405 Method Not Allowed</title>",
                                   ctype="text/html")
            unknown = []
            if method == "GET":
                q = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                req = message(q, route[1], unknown)
            else:
                ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                if ctype != "application/json":
                    return self.answer(400, {"error_code": "BAD_REQUEST", "message":
                                             "Bad Request. Content-Type must be one of "
                                             "['application/json']."})
                if path.endswith("/runs/log-batch") and len(raw) > MAX_REQUEST:
                    raise ApiError("INVALID_PARAMETER_VALUE", "Batched logging API requests must "
                                   f"be at most {MAX_REQUEST} bytes, got a request of size {len(raw)}.")
                try:
                    js = json.loads(raw.decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as e:
                    raise ApiError("MALFORMED_REQUEST", f"Malformed request body: {e}")
                req = message(js, route[1], unknown)
            self.entry["unknown_fields"] = unknown
            with st.lock:
                resp = route[2](st, req, self.entry)
            return self.answer(200, resp)
        except ApiError as e:
            return self.answer(HTTP.get(e.code, 500), {"error_code": e.code, "message": e.message})

    def test_api(self, method, path, raw):
        st = self.store
        if path == "/__test__/faults" and method == "POST":
            with st.lock:
                st.faults = json.loads(raw)["rules"]
            return self.answer(200, {})
        if path == "/__test__/log" and method == "GET":
            with st.lock:
                return self.answer(200, {"requests": [e for e in st.log
                                                      if not e["path"].startswith("/__test__/")]})
        return self.answer(404, {"error_code": "ENDPOINT_NOT_FOUND", "message": path})

    def artifacts(self, method, rest, raw, query):
        st = self.store
        rel = unquote(rest.lstrip("/"))
        if method == "GET" and rest == "":
            q = parse_qs(query)
            base = q.get("path", [""])[-1]
            d = os.path.join(st.artifacts, base)
            files = []
            if os.path.isdir(d):
                for n in sorted(os.listdir(d)):
                    p = os.path.join(d, n)
                    fi = {"path": posixpath.join(base, n) if base else n, "is_dir": os.path.isdir(p)}
                    if not fi["is_dir"]:
                        fi["file_size"] = os.path.getsize(p)
                    files.append(fi)
            return self.answer(200, {"files": files})
        # validate_path_is_safe
        if (not rel or rel.startswith("/") or "\\" in rel or ".." in rel.split("/") or
                posixpath.normpath(rel) != rel):
            raise ApiError("INVALID_PARAMETER_VALUE", f"Invalid path: {rel}")
        p = os.path.join(st.artifacts, rel)
        if method == "PUT":
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(raw)
            return self.answer(200, {})
        if method == "GET":
            if not os.path.isfile(p):
                raise ApiError("RESOURCE_DOES_NOT_EXIST", f"File {rel} not found")
            with open(p, "rb") as f:
                return self.answer(200, raw=f.read(), ctype="application/octet-stream")
        return self.answer(405, raw=b"<!doctype html><title>405 Method Not Allowed</title>",
                           ctype="text/html")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_PATCH(self):
        self.handle_any("PATCH")


def need(req, k):
    if k not in req or req[k] in ("", None):
        raise missing(k)
    return req[k]


def get_run(st, rid):
    if not RUN_ID.match(rid or ""):
        raise ApiError("INVALID_PARAMETER_VALUE", f"Invalid run ID: '{rid}'")
    r = st.runs.get(rid)
    if r is None:
        raise ApiError("RESOURCE_DOES_NOT_EXIST", f"Run with id={rid} not found")
    return r


def get_by_name(st, req, e):
    name = need(req, "experiment_name")
    for x in st.exps.values():
        if x["name"] == name:
            return {"experiment": dict(x, tags=[])}
    raise ApiError("RESOURCE_DOES_NOT_EXIST", f"Could not find experiment with name '{name}'")


def get_experiment(st, req, e):
    eid = need(req, "experiment_id")
    if eid not in st.exps:
        raise ApiError("RESOURCE_DOES_NOT_EXIST", f"No Experiment with id={eid} exists")
    return {"experiment": dict(st.exps[eid], tags=[])}


def create_experiment(st, req, e):
    name = need(req, "name")
    if len(name) > 500:
        raise ApiError("INVALID_PARAMETER_VALUE", "Experiment name exceeds the maximum length of 500 characters")
    for x in st.exps.values():
        if x["name"] == name:
            raise ApiError("RESOURCE_ALREADY_EXISTS", f"Experiment '{name}' already exists.")
    eid = str(st.next_exp)
    st.next_exp += 1
    now = int(time.time() * 1000)
    st.exps[eid] = {"experiment_id": eid, "name": name,
                    "artifact_location": req.get("artifact_location") or f"mlflow-artifacts:/{eid}",
                    "lifecycle_stage": "active", "creation_time": now, "last_update_time": now}
    return {"experiment_id": eid}


def create_run(st, req, e):
    eid = req.get("experiment_id") or "0"
    x = st.exps.get(eid)
    if x is None:
        raise ApiError("RESOURCE_DOES_NOT_EXIST", f"No Experiment with id={eid} exists")
    if x["lifecycle_stage"] != "active":
        raise ApiError("INVALID_STATE", f"The experiment {eid} must be in the 'active' state.")
    tags = {}
    for t in req.get("tags", []):
        check_name("Tag", t.get("key"))
        tags[t["key"]] = t.get("value", "")
    rn = req.get("run_name")
    if rn and tags.get("mlflow.runName", rn) != rn:
        raise ApiError("INVALID_PARAMETER_VALUE", "Both 'run_name' argument and 'mlflow.runName' "
                       "tag are specified, but with different values")
    rn = rn or tags.get("mlflow.runName") or "random-run-name"
    tags["mlflow.runName"] = rn
    rid = uuid.uuid4().hex
    r = {"run_id": rid, "run_uuid": rid, "run_name": rn, "experiment_id": eid,
         "user_id": req.get("user_id", ""), "status": "RUNNING",
         "start_time": req.get("start_time", int(time.time() * 1000)), "end_time": None,
         "artifact_uri": f"{x['artifact_location']}/{rid}/artifacts",
         "lifecycle_stage": "active", "params": {}, "tags": tags, "metrics": []}
    st.runs[rid] = r
    e["run_id"] = rid  # for the tests' log only
    return {"run": run_json(r)}


def update_run(st, req, e):
    rid = req.get("run_id") or req.get("run_uuid")
    if not rid:
        raise missing("run_id")
    r = get_run(st, rid)
    if r["lifecycle_stage"] != "active":
        raise ApiError("INVALID_STATE", f"The run {rid} must be in the 'active' state.")
    if "status" in req:
        r["status"] = req["status"]
    if "end_time" in req:
        r["end_time"] = req["end_time"]
    if req.get("run_name"):
        r["run_name"] = req["run_name"]
        r["tags"]["mlflow.runName"] = req["run_name"]
    return {"run_info": run_info(r)}


def log_batch(st, req, e):
    rid = need(req, "run_id")
    metrics, params, tags = req.get("metrics", []), req.get("params", []), req.get("tags", [])
    e.update(n_metrics=len(metrics), n_params=len(params), n_tags=len(tags))
    for i, m in enumerate(metrics):
        for k in ("key", "value", "timestamp"):
            if k not in m:
                raise missing(f"metrics[{i}].{k}")
    for kind, lst in (("params", params), ("tags", tags)):
        for i, p in enumerate(lst):
            if "key" not in p:
                raise missing(f"{kind}[{i}].key")
    for kind, n, lim in (("metrics", len(metrics), MAX_METRICS), ("params", len(params), MAX_PARAMS_TAGS),
                         ("tags", len(tags), MAX_PARAMS_TAGS),
                         ("metrics, params, and tags", len(metrics) + len(params) + len(tags), MAX_ENTITIES)):
        if n > lim:
            raise ApiError("INVALID_PARAMETER_VALUE", f"A batch logging request can contain at most "
                           f"{lim} {kind}. Got {n} {kind}. Please split up {kind} across multiple "
                           "requests and try again.")
    for m in metrics:
        check_name("Metric", m["key"])
        if m["timestamp"] < 0:
            raise ApiError("INVALID_PARAMETER_VALUE", f"Got invalid timestamp {m['timestamp']} for metric '{m['key']}'")
    for p in params:
        check_name("Param", p["key"])
        if len(p.get("value", "")) > 6000:
            p["value"] = p["value"][:6000]  # MLFLOW_TRUNCATE_LONG_VALUES, on by default
    for t in tags:
        check_name("Tag", t["key"])
        if len(t.get("value", "")) > 5000:
            t["value"] = t["value"][:5000]
    keys = [p["key"] for p in params]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ApiError("INVALID_PARAMETER_VALUE", f"Duplicate parameter keys have been submitted: {dupes}. "
                       "Please ensure the request contains only one param value per param key.")
    r = get_run(st, rid)
    if r["lifecycle_stage"] != "active":
        raise ApiError("INVALID_STATE", f"The run {rid} must be in the 'active' state.")
    for p in params:
        old = r["params"].get(p["key"])
        if old is not None and old != p.get("value", ""):
            raise ApiError("INVALID_PARAMETER_VALUE", f"Changing param values is not allowed. Param "
                           f"with key='{p['key']}' was already logged with value='{old}' for run "
                           f"ID='{rid}'. Attempted logging new value '{p.get('value', '')}'.")
    for p in params:
        r["params"][p["key"]] = p.get("value", "")
    for m in metrics:
        r["metrics"].append({"key": m["key"], "value": m["value"], "timestamp": m["timestamp"],
                             "step": m.get("step", 0)})
    for t in tags:
        r["tags"][t["key"]] = t.get("value", "")
        if t["key"] == "mlflow.runName":
            r["run_name"] = t.get("value", "")
    return {}


def runs_get(st, req, e):
    rid = req.get("run_id") or req.get("run_uuid")
    if not rid:
        raise missing("run_id")
    return {"run": run_json(get_run(st, rid))}


def get_history(st, req, e):
    rid = req.get("run_id") or req.get("run_uuid")
    if not rid:
        raise missing("run_id")
    key = need(req, "metric_key")
    r = get_run(st, rid)
    return {"metrics": [metric_json(m) for m in r["metrics"] if m["key"] == key]}


S = p_string
ROUTES = {
    "/api/2.0/mlflow/experiments/get-by-name": ("GET", {"experiment_name": S}, get_by_name),
    "/api/2.0/mlflow/experiments/get": ("GET", {"experiment_id": S}, get_experiment),
    "/api/2.0/mlflow/experiments/create": ("POST", {"name": S, "artifact_location": S,
                                                     "tags": ("repeated", KV)}, create_experiment),
    "/api/2.0/mlflow/runs/create": ("POST", {"experiment_id": S, "user_id": S, "run_name": S,
                                             "start_time": p_int64, "tags": ("repeated", KV)},
                                    create_run),
    "/api/2.0/mlflow/runs/update": ("POST", {"run_id": S, "run_uuid": S, "status": p_status,
                                             "end_time": p_int64, "run_name": S}, update_run),
    "/api/2.0/mlflow/runs/log-batch": ("POST", {"run_id": S, "metrics": ("repeated", METRIC),
                                                "params": ("repeated", KV),
                                                "tags": ("repeated", KV)}, log_batch),
    "/api/2.0/mlflow/runs/get": ("GET", {"run_id": S, "run_uuid": S}, runs_get),
    "/api/2.0/mlflow/metrics/get-history": ("GET", {"run_id": S, "run_uuid": S, "metric_key": S,
                                                    "page_token": S, "max_results": p_int64},
                                            get_history),
}


def main():
    args = sys.argv[1:]
    port_file = args[args.index("--port-file") + 1]
    art = args[args.index("--artifacts") + 1] if "--artifacts" in args else os.path.join(
        os.path.dirname(os.path.abspath(port_file)), "mlartifacts")
    os.makedirs(art, exist_ok=True)
    Handler.store = Store(art)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
