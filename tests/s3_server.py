#!/usr/bin/python3
"""s3_server.py: a loopback stand-in for S3's object API that checks AWS
Signature Version 4 the way S3 does, computed here independently of
gha-load's signer (from AWS's documentation; `selftest` checks it against
AWS's published GET Object example).

  s3_server.py serve DIR --access KEY --secret SECRET [--region R]
      Listens on 127.0.0.1 (port in DIR/port); objects under DIR/objects/
      BUCKET/KEY. Path-style requests. PUT stores an object when the
      signature, the credential scope (key, day, region, s3), the clock
      (x-amz-date within 15 minutes), the signed headers (host and every
      x-amz-* header) and the payload's SHA-256 (x-amz-content-sha256) are
      right; HEAD and GET read one. Errors are S3's XML (Code, Message).
      GET /_ctl?put503=N&put429=N: the next N PUTs fail so.
      DIR/requests.log: one line per request.
  s3_server.py selftest
      Prints AWS's example signature as computed here.
"""
import hashlib
import hmac
import http.server
import os
import re
import sys
import threading
import time
import urllib.parse


def sign(method, path, query, headers, signed, payload_hash, amzdate, region, secret, service="s3"):
    """headers: lower-case name -> value as received."""
    def enc(seg):
        return urllib.parse.quote(urllib.parse.unquote(seg), safe="-_.~")
    cpath = "/".join(enc(s) for s in path.split("/"))
    q = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    cquery = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~")) for k, v in q)
    chead = "".join("%s:%s\n" % (h, " ".join(headers[h].split())) for h in signed)
    creq = "\n".join([method, cpath, cquery, chead, ";".join(signed), payload_hash])
    day = amzdate[:8]
    scope = "%s/%s/%s/aws4_request" % (day, region, service)
    sts = "\n".join(["AWS4-HMAC-SHA256", amzdate, scope, hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()


def selftest():
    empty = hashlib.sha256(b"").hexdigest()
    h = {"host": "examplebucket.s3.amazonaws.com", "range": "bytes=0-9",
         "x-amz-content-sha256": empty, "x-amz-date": "20130524T000000Z"}
    print(sign("GET", "/test.txt", "", h, sorted(h), empty, "20130524T000000Z", "us-east-1",
               "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))


def serve(args):
    d = args[0]
    o = dict(zip(args[1::2], args[2::2]))
    access, secret, region = o["--access"], o["--secret"], o.get("--region", "us-east-1")
    root = os.path.join(d, "objects")
    os.makedirs(root, exist_ok=True)
    log = open(os.path.join(d, "requests.log"), "a", buffering=1)
    faults = {"put503": 0, "put429": 0}
    lock = threading.Lock()

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, code, body=b"", ctype="application/xml", length=None):
            log.write("%s %s %d\n" % (self.command, self.path, code))
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def error(self, code, s3code, msg):
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message>"
                    "<RequestId>0</RequestId></Error>" % (s3code, msg)).encode()
            self.reply(code, body)

        def auth(self, body):
            a = self.headers.get("Authorization", "")
            m = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
                             r"SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})", a)
            if not m:
                return self.error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
            key, day, reg, svc, signed, sig = m.groups()
            if key != access:
                return self.error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
            if reg != region or svc != "s3":
                return self.error(400, "AuthorizationHeaderMalformed", "the region '%s' is wrong; expecting '%s'" % (reg, region))
            amzdate = self.headers.get("x-amz-date", "")
            try:
                t = time.mktime(time.strptime(amzdate, "%Y%m%dT%H%M%SZ")) - time.mktime(time.gmtime(0))
            except ValueError:
                return self.error(403, "AccessDenied", "no valid x-amz-date")
            if abs(t - time.time()) > 900 or day != amzdate[:8]:
                return self.error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
            signed = signed.split(";")
            names = {k.lower() for k in self.headers.keys()}
            if signed != sorted(signed) or "host" not in signed or \
               any(n.startswith("x-amz-") and n not in signed for n in names):
                return self.error(403, "AccessDenied", "host and every x-amz-* header must be signed")
            if any(s not in names for s in signed):
                return self.error(403, "AccessDenied", "a signed header is missing")
            ph = self.headers.get("x-amz-content-sha256", "")
            if not re.fullmatch(r"[0-9a-f]{64}|UNSIGNED-PAYLOAD", ph):
                return self.error(400, "InvalidArgument", "x-amz-content-sha256 must be set")
            u = urllib.parse.urlsplit(self.path)
            hv = {k.lower(): v for k, v in self.headers.items()}
            want = sign(self.command, u.path, u.query, hv, signed, ph, amzdate, region, secret)
            if not hmac.compare_digest(want, sig):
                return self.error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
            if body is not None and ph != "UNSIGNED-PAYLOAD" and hashlib.sha256(body).hexdigest() != ph:
                return self.error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
            return True

        def obj(self):
            p = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            parts = p.lstrip("/").split("/", 1)
            if len(parts) != 2 or not parts[1] or ".." in p:
                return None
            return os.path.join(root, parts[0], parts[1])

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            if u.path == "/_ctl":
                for k, v in urllib.parse.parse_qsl(u.query):
                    faults[k] = int(v)
                return self.reply(200, b"ok", "text/plain")
            if self.auth(None) is not True:
                return
            f = self.obj()
            if not f or not os.path.isfile(f):
                return self.error(404, "NoSuchKey", "The specified key does not exist.")
            self.reply(200, open(f, "rb").read(), "application/octet-stream")

        def do_HEAD(self):
            if self.auth(None) is not True:
                return
            f = self.obj()
            if not f or not os.path.isfile(f):
                return self.reply(404)
            self.reply(200, b"", "application/octet-stream", os.path.getsize(f))

        def do_PUT(self):
            n = int(self.headers.get("Content-Length", "-1"))
            if n < 0:
                return self.error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
            body = self.rfile.read(n)
            with lock:
                for k, code, c in (("put503", 503, "SlowDown"), ("put429", 429, "TooManyRequests")):
                    if faults[k] > 0:
                        faults[k] -= 1
                        return self.error(code, c, "Please reduce your request rate.")
            if self.auth(body) is not True:
                return
            f = self.obj()
            if not f:
                return self.error(400, "InvalidRequest", "no bucket/key")
            os.makedirs(os.path.dirname(f), exist_ok=True)
            with open(f + ".tmp", "wb") as w:
                w.write(body)
            os.rename(f + ".tmp", f)
            self.reply(200, b"")

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass	# a client killed mid-request (the kill -9 tests)

    srv = Server(("127.0.0.1", 0), H)
    with open(os.path.join(d, "port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
    srv.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "selftest":
        selftest()
    else:
        serve(sys.argv[2:])
