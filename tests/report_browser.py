#!/usr/bin/python3
"""report_browser.py PAGE [PNG]: open PAGE (a file) in headless Chromium
through chromedriver's WebDriver HTTP API (standard library only) and
print, as JSON: the browser's console log, every chart's SVG (size and
element count), the text of every element with an id, the rows of every
table with an id, and how many img/script elements the page has. With
PNG, save a screenshot of the whole page there.
Environment: CHROMEDRIVER (default /usr/bin/chromedriver), CHROMIUM
(default /usr/bin/chromium)."""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]


COLLECT = r"""
const out = {charts: [], ids: {}, tables: {}};
for (const f of document.querySelectorAll('figure.chart')) {
  const svg = f.querySelector('svg');
  const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  out.charts.push({id: f.id, svg: !!svg, width: r.width, height: r.height,
                   elements: svg ? svg.querySelectorAll('*').length : 0,
                   paths: svg ? svg.querySelectorAll('path').length : 0});
}
for (const e of document.querySelectorAll('[id]')) {
  if (e.tagName === 'TABLE') {
    out.tables[e.id] = Array.from(e.rows).map(r => Array.from(r.cells).map(c => c.innerText));
  } else if (!e.closest('svg')) {
    out.ids[e.id] = e.innerText;
  }
}
out.img = document.querySelectorAll('img').length;
out.script = document.querySelectorAll('script').length;
out.title = document.title;
return out;
"""


def main():
    if len(sys.argv) not in (2, 3):
        print("usage: report_browser.py PAGE [PNG]", file=sys.stderr)
        return 64
    page = os.path.abspath(sys.argv[1])
    port = free_port()
    drv = subprocess.Popen([os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"),
                            "--port=%d" % port],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    sid = None
    try:
        for _ in range(100):
            try:
                call(base, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                "args": ["--headless", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1000,1300",
                         "--hide-scrollbars"]}}}}
        sid = call(base, "POST", "/session", caps)["sessionId"]
        s = "/session/" + sid
        call(base, "POST", s + "/url", {"url": "file://" + page})
        res = call(base, "POST", s + "/execute/sync", {"script": COLLECT, "args": []})
        res["log"] = call(base, "POST", s + "/se/log", {"type": "browser"})
        if len(sys.argv) == 3:
            png = call(base, "GET", s + "/screenshot")
            with open(sys.argv[2], "wb") as f:
                f.write(base64.b64decode(png))
        json.dump(res, sys.stdout)
        print()
        return 0
    finally:
        if sid:
            try:
                call(base, "DELETE", "/session/" + sid)
            except OSError:
                pass
        drv.terminate()
        drv.wait()


if __name__ == "__main__":
    sys.exit(main())
