#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 server for the gha-fetch tests (stdlib only).

    fetch_server.py --root DIR --port-file FILE --log FILE [--faults FILE]

Listens on 127.0.0.1 on an ephemeral port, writes the port to FILE (via a
rename, once listening) and serves GET/HEAD /NAME from DIR/NAME with a
strong ETag, Last-Modified, Content-Length, Range (bytes=N- and N-M, with
If-Range), If-None-Match and If-Modified-Since (304), until SIGTERM.

The faults file is re-read on every request; lines "NAME FAULT [ARG]"
(GETs are counted per NAME from the moment its faults last changed):
  fail500 K        the first K GETs of NAME get 500
  retry503 SECS    the first GET gets 503 with Retry-After: SECS
  tooMany K        the first K GETs get 429 with Retry-After: 1
  reset BYTES      the first GET sends BYTES of the body, then a TCP reset
  short BYTES[:K]  GETs (the first K) send BYTES of the body, then close
  stall BYTES SECS the first GET sends BYTES, sleeps SECS, sends the rest
  missing          404
  corrupt [K]      200 with bytes in the middle flipped (the first K GETs)
  norange          no Accept-Ranges; Range is ignored (always 200)
  slow BPS         the body at about BPS bytes a second
  overlong         after the body, junk past Content-Length, and the
                   connection kept open (the next response reads it)
Every request is logged to the --log file as one JSON line: t, method,
path, status, range, if_range, if_none_match, if_modified_since,
bytes_sent, fault.
"""
import argparse
import email.utils
import hashlib
import http.server
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

counts = {}
lock = threading.Lock()


def load_faults(path):
    faults = {}
    if not path or not os.path.exists(path):
        return faults
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) >= 2:
                faults.setdefault(line[0], []).append(line[1:])
    return faults


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log(self, status, sent, fault):
        # t0: when the request arrived; a transfer cut off by a killed client
        # is logged only when the server notices, possibly much later
        rec = {"t": time.time(), "t0": self.t0, "method": self.command, "path": self.path,
               "status": status, "range": self.headers.get("Range"),
               "if_range": self.headers.get("If-Range"),
               "if_none_match": self.headers.get("If-None-Match"),
               "if_modified_since": self.headers.get("If-Modified-Since"),
               "bytes_sent": sent, "fault": fault}
        with lock:
            with open(self.server.logpath, "a") as f:
                f.write(json.dumps(rec) + "\n")

    def simple(self, status, body=b"", headers=(), fault=None):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.log(status, len(body), fault)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self.t0 = time.time()
        name = self.path.lstrip("/").split("?", 1)[0]
        if ".." in name:
            return self.simple(400, b"bad path\n")
        if "/" in name:     # no subdirectories here: a mistyped base URL
            return self.simple(404, b"not found\n")
        faults = load_faults(self.server.faultpath).get(name, [])
        # GETs are counted per name and fault set: a new fault starts at 0
        key = (name, tuple(tuple(f) for f in faults))
        with lock:
            n = counts.get(key, 0) + (self.command == "GET")
            counts[key] = n
        kinds = {f[0]: f[1:] for f in faults}

        if "missing" in kinds:
            return self.simple(404, b"missing\n", fault="missing")
        if "fail500" in kinds and n <= int(kinds["fail500"][0]):
            return self.simple(500, b"fail\n", fault="fail500")
        if "retry503" in kinds and n <= 1:
            return self.simple(503, b"busy\n", [("Retry-After", kinds["retry503"][0])], "retry503")
        if "tooMany" in kinds and n <= int(kinds["tooMany"][0]):
            return self.simple(429, b"slow down\n", [("Retry-After", "1")], "tooMany")
        path = os.path.join(self.server.root, name)
        if not name or not os.path.isfile(path):
            return self.simple(404, b"not found\n")
        with open(path, "rb") as f:
            data = f.read()
        st = os.stat(path)
        etag = '"%s"' % hashlib.sha1(data).hexdigest()
        lastmod = email.utils.formatdate(st.st_mtime, usegmt=True)
        norange = "norange" in kinds
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm == etag or (inm is None and ims and self._not_newer(st.st_mtime, ims)):
            return self.simple(304, b"", [("ETag", etag)])
        fault = None
        if "corrupt" in kinds and (not kinds["corrupt"] or n <= int(kinds["corrupt"][0])):
            data = bytearray(data)
            mid = len(data) // 2
            for i in range(mid, min(mid + 64, len(data))):
                data[i] ^= 0x5A
            data = bytes(data)
            fault = "corrupt"
        total = len(data)
        start, end, status = 0, total - 1, 200
        rng = self.headers.get("Range")
        if rng and not norange and self._if_range_ok(etag, lastmod):
            try:
                unit, spec = rng.split("=", 1)
                a, b = spec.split("-", 1)
                start = int(a)
                end = int(b) if b else total - 1
                if unit != "bytes" or start >= total or end < start:
                    raise ValueError
                end = min(end, total - 1)
                status = 206
            except ValueError:
                return self.simple(416, b"", [("Content-Range", "bytes */%d" % total)])
        body = data[start:end + 1]
        self.send_response(status)
        self.send_header("Content-Type", "application/gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lastmod)
        if not norange:
            self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, total))
        self.end_headers()
        if self.command == "HEAD":
            return self.log(status, 0, fault)
        self._send_body(body, kinds, n, status, fault)

    def _send_body(self, body, kinds, n, status, fault):
        sock = self.connection
        if "reset" in kinds and n <= 1:
            cut = int(kinds["reset"][0])
            self.wfile.write(body[:cut])
            self.wfile.flush()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.log(status, min(cut, len(body)), "reset")
            sock.close()
            return
        if "short" in kinds:
            arg = kinds["short"][0]
            cut, _, k = arg.partition(":")
            if not k or n <= int(k):
                self.wfile.write(body[:int(cut)])
                self.wfile.flush()
                self.close_connection = True
                self.log(status, min(int(cut), len(body)), "short")
                sock.shutdown(socket.SHUT_RDWR)
                return
        if "stall" in kinds and n <= 1:
            cut, secs = int(kinds["stall"][0]), float(kinds["stall"][1])
            try:
                self.wfile.write(body[:cut])
                self.wfile.flush()
                time.sleep(secs)
                self.wfile.write(body[cut:])
            except OSError:
                pass
            self.log(status, len(body), "stall")
            return
        if "slow" in kinds:
            bps = max(1, int(kinds["slow"][0]))
            step = max(1, bps // 20)
            sent = 0
            try:
                for i in range(0, len(body), step):
                    self.wfile.write(body[i:i + step])
                    self.wfile.flush()
                    sent += len(body[i:i + step])
                    time.sleep(step / bps)
            except OSError:
                self.close_connection = True
            self.log(status, sent, "slow")
            return
        try:
            self.wfile.write(body)
            if "overlong" in kinds:
                self.wfile.write(b"JUNK JUNK JUNK\r\n\r\n")
                fault = "overlong"
        except OSError:
            self.close_connection = True
        self.log(status, len(body), fault)

    def _if_range_ok(self, etag, lastmod):
        ir = self.headers.get("If-Range")
        return ir is None or ir == etag or ir == lastmod

    @staticmethod
    def _not_newer(mtime, ims):
        try:
            t = email.utils.parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            return False
        return int(mtime) <= t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--faults")
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root, srv.logpath, srv.faultpath = a.root, a.log, a.faults
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        srv.serve_forever()
    except SystemExit:
        pass


if __name__ == "__main__":
    main()
