#!/usr/bin/env python3
"""gold_analytics_synth.py: synthetic silver events (the columns gha-gold reads) with
known answers, for the analytics tables' tests (t0630).

  gold_analytics_synth.py anomalies DIR   72 hours of steady traffic with planted
                                anomalies; DIR/planted.tsv lists them
  gold_analytics_synth.py regions DIR     actors with known UTC offsets over 14 days;
                                DIR/truth.tsv lists actor_id and offset

Writes DIR/DAY.tsv, one file per UTC day. Deterministic (seeded).
The regions generator does not use gha-gold's template: each actor has
its own wake-up time (06:30-08:30 local) and day length (15-17 h), and
works in sessions placed mostly in 09-17 local."""
import datetime as dt
import os
import random
import sys

COLS = ["created_at", "event_type", "actor_id", "actor_login", "is_bot", "repo_id",
        "repo_name", "org_id", "org_login", "action", "commit_count", "merged",
        "merged_at", "pr_created_at", "additions", "deletions", "language"]
N = "\\N"
T0 = dt.datetime(2020, 3, 2, tzinfo=dt.timezone.utc)


def row(t, typ, actor, repo, bot=False):
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ"), typ, str(actor), "user%d" % actor,
            "t" if bot else "f", str(repo), "owner/repo%d" % repo, N, N, N,
            "1" if typ == "PushEvent" else N, N, N, N, N, N, N]


def write(d, rows):
    byday = {}
    for r in rows:
        byday.setdefault(r[0][:10], []).append(r)
    for day, rs in byday.items():
        rs.sort(key=lambda r: r[0])
        with open(os.path.join(d, day + ".tsv"), "w") as f:
            f.write("\t".join(COLS) + "\n")
            for r in rs:
                f.write("\t".join(r) + "\n")


def anomalies(d):
    rnd = random.Random(8)
    rows, planted = [], []

    def at(h):
        return T0 + dt.timedelta(hours=h, seconds=rnd.randrange(3600))

    for h in range(72):
        if h == 60:
            continue  # an ingestion gap: no events at all
        n = 40 if h == 56 else 200 + rnd.randrange(-20, 21)
        for _ in range(n):
            rows.append(row(at(h), rnd.choice(["PushEvent", "IssueCommentEvent", "WatchEvent",
                                               "PullRequestEvent", "CreateEvent"]),
                            rnd.randrange(1, 101), rnd.randrange(1, 51)))
        bots = 400 if h == 52 else 10 + rnd.randrange(-3, 4)
        for i in range(bots):
            # 40 bot accounts on 40 repos: a surge of all, not a flood of one
            b = 5000 + (i % 40)
            rows.append(row(at(h), "PushEvent", b, 100 + (i % 40), bot=True))
    for i in range(30):  # a star burst: 30 distinct people star repo 9001
        rows.append(row(at(40), "WatchEvent", 2000 + i, 9001))
    for i in range(30):  # a bot star farm on repo 9004: never a star burst
        rows.append(row(at(42), "WatchEvent", 6000 + i, 9004, bot=True))
    for i in range(20):  # a fork burst on repo 9002
        rows.append(row(at(44), "ForkEvent", 3000 + i, 9002))
    for i in range(300):  # one actor floods one repo
        rows.append(row(at(48), "PushEvent", 777, 9003))
    hour = lambda h: (T0 + dt.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ")
    planted = [(hour(40), "repo", "9001", "stars", "30", "star_burst"),
               (hour(44), "repo", "9002", "forks", "20", "fork_burst"),
               (hour(48), "actor", "777", "events", "300", "event_flood"),
               (hour(48), "repo", "9003", "events", "300", "event_flood"),
               (hour(52), "global", N, "bot_events", "400", "bot_surge"),
               (hour(56), "global", N, "events", None, "volume_drop"),
               (hour(60), "global", N, "events", "0", "gap")]
    write(d, rows)
    with open(os.path.join(d, "planted.tsv"), "w") as f:
        for p in planted:
            f.write("\t".join(x if x is not None else "-" for x in p) + "\n")


def regions(d):
    rnd = random.Random(5)
    rows, truth = [], []
    for a in range(1, 301):
        off = rnd.randrange(-10, 14)
        wake, awake = rnd.uniform(6.5, 8.5), rnd.uniform(15, 17)
        share = rnd.uniform(0.3, 0.9)
        for day in range(14):
            if rnd.random() > share:
                continue
            for _ in range(rnd.randrange(1, 5)):
                if rnd.random() < 0.7:
                    start = rnd.uniform(9, 17)
                else:
                    start = wake + rnd.uniform(0, awake - 1)
                length = rnd.uniform(0.3, 3)
                for _ in range(rnd.randrange(1, 15)):
                    local = start + rnd.uniform(0, length)
                    t = T0 + dt.timedelta(days=day, hours=local - off)
                    t = t.replace(microsecond=0)
                    rows.append(row(t, "PushEvent", a, 1 + a % 37))
        truth.append((str(a), str(off)))
    # events with no actor at all (they count under unknown)
    for i in range(5):
        r = row(T0 + dt.timedelta(days=3, hours=i), "PushEvent", 0, 1)
        r[2] = r[3] = N
        rows.append(r)
    write(d, [r for r in rows if r[0] < "2020-03-16"])
    with open(os.path.join(d, "truth.tsv"), "w") as f:
        for t in truth:
            f.write("\t".join(t) + "\n")


if __name__ == "__main__":
    os.makedirs(sys.argv[2], exist_ok=True)
    {"anomalies": anomalies, "regions": regions}[sys.argv[1]](sys.argv[2])
