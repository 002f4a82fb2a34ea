#!/usr/bin/env python3
"""gold_anomaly_ref.py SILVER.tsv...: the global rows of gha-gold's anomalies
table (metric events and bot_events, without reasons), computed apart from
gha-gold, for t0630. Present hours: hours with an event. The window of hour
t: the last 24 present hours before t that lie in the 168 hours before t;
scored with 6 or more. Hours without events inside the covered range are
listed only when scored."""
import csv
import datetime as dt
import statistics
import sys

csv.field_size_limit(1 << 30)
events, bots = {}, {}
for path in sys.argv[1:]:
    with open(path, newline="") as f:
        rd = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        head = next(rd)
        ci, bi = head.index("created_at"), head.index("is_bot")
        for r in rd:
            t = dt.datetime.strptime(r[ci], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
            h = int(t.timestamp()) // 3600 * 3600
            events[h] = events.get(h, 0) + 1
            bots[h] = bots.get(h, 0) + (r[bi] == "t")
present = sorted(events)


def window(t):
    w = [h for h in present if t - 168 * 3600 <= h < t]
    return w[-24:]


def stat(series, t, v):
    w = [series[h] for h in window(t)]
    if len(w) < 6:
        return None
    med = statistics.median(w)
    mad = statistics.median([abs(x - med) for x in w])
    return med, mad, (v - med) / (1.4826 * max(mad, 1))


def fmt(t, metric, v, s):
    ts = dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    tail = ["\\N"] * 3 if s is None else ["%.2f" % s[0], "%.2f" % s[1], "%.3f" % s[2]]
    print("\t".join([ts, "global", "\\N", "\\N", metric, str(v)] + tail))


t = present[0]
while t <= present[-1]:
    if t in events:
        fmt(t, "bot_events", bots[t], stat(bots, t, bots[t]))
        fmt(t, "events", events[t], stat(events, t, events[t]))
    else:
        s = stat(events, t, 0)
        if s is not None:
            fmt(t, "events", 0, s)
    t += 3600
