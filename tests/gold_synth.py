#!/usr/bin/env python3
"""gold_synth.py HEADER_FILE OUTDIR [SEED]: synthetic silver events hours
for the gold tests, one TSV (COPY text with the header of HEADER_FILE) per
hour. Written to reach what the real samples do not: star farms (a burst
in one hour, one actor starring again and again), repos and actors known
by name only, bot patterns, pushes without a commit count, merged PRs with
and without sizes, renamed repos, names that need COPY escapes, and three
days so that trending windows matter. Deterministic for a seed."""
import os
import random
import sys

header = open(sys.argv[1]).readline().rstrip("\n").split("\t")
outdir = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 8)
os.makedirs(outdir, exist_ok=True)

BASE = 1709251200  # 2024-03-01T00:00:00Z
hours = {}
next_id = [1]


def esc(v):
    if v is None:
        return "\\N"
    v = str(v)
    return (v.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def ts(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def ev(t, etype, actor, repo, **kw):
    aid, alogin = actor
    rid, rname = repo
    row = {c: None for c in header}
    row.update(event_id=next_id[0], event_type=etype, created_at=ts(t),
               era="events", actor_id=aid, actor_login=alogin,
               is_bot="t" if alogin and alogin.endswith("[bot]") else "f",
               repo_id=rid, repo_name=rname, public="t")
    h = t - t % 3600
    row["hour"] = "%s-%d" % (ts(h)[:10], int(ts(h)[11:13]))
    for k, v in kw.items():
        row[k] = v
    next_id[0] += 1
    hours.setdefault(h, []).append(row)


def actor(i):
    return (100 + i, "user%d" % i)


# star_burst: 30 distinct stargazers in one hour on day 3
farm = (1001, "farm/burst")
for i in range(30):
    ev(BASE + 2 * 86400 + 5 * 3600 + i * 60, "WatchEvent", actor(i), farm, action="started")
# repeated_stars: 4 actors, 12 star events
rep = (1002, "farm/repeat")
for i in range(12):
    ev(BASE + 2 * 86400 + i * 3600 + 7, "WatchEvent", actor(40 + i % 4), rep, action="started")
# a repo known by name only, pushes without a commit count, a login-only actor
# whose login needs an escape
nameonly = (None, "nameonly/repo")
odd = (None, "odd\\login\twith tab")
for i in range(5):
    ev(BASE + 86400 + i * 600, "PushEvent", odd, nameonly, commit_count=None)
    ev(BASE + 86400 + i * 600 + 1, "PushEvent", actor(3), nameonly, commit_count=i + 1)
ev(BASE + 86400 + 50, "WatchEvent", odd, nameonly, action="started")
# a repo renamed during a day, and two names at the same second
ev(BASE + 3600, "IssuesEvent", actor(5), (1003, "old/name"), action="opened")
ev(BASE + 7200, "IssuesEvent", actor(6), (1003, "new/name"), action="closed")
ev(BASE + 3700, "IssuesEvent", (105, "user5-renamed"), (1003, "new/name"), action="opened")
ev(BASE + 7300, "IssueCommentEvent", actor(7), (1004, "tie/aaa"), action="created")
ev(BASE + 7300, "IssueCommentEvent", actor(8), (1004, "tie/bbb"), action="created")
# bots: by silver's is_bot and by a -b pattern ("ci-*")
for i in range(6):
    ev(BASE + 86400 * (i % 3) + 100 * i, "PushEvent", (900, "dependabot[bot]"), (1005, "lib/core"),
       commit_count=1)
    ev(BASE + 86400 * (i % 3) + 100 * i + 1, "WatchEvent", (901, "ci-runner"), (1005, "lib/core"),
       action="started")
    ev(BASE + 86400 * (i % 3) + 100 * i + 2, "WatchEvent", (902, "stars[bot]"), (1005, "lib/core"),
       action="started")
    ev(BASE + 86400 * (i % 3) + 100 * i + 3, "ForkEvent", (902, "stars[bot]"), (1005, "lib/core"))
# orgs, with id and by login only
for i in range(8):
    ev(BASE + i * 5000, "CreateEvent", actor(10 + i), (1006, "acme/tool"), org_id=77,
       org_login="acme", ref_type="branch")
    ev(BASE + i * 5000 + 3, "ForkEvent", actor(20 + i), (1006, "acme/tool"), org_id=None,
       org_login="loginonly-org")
# merged PRs: times and sizes, some unknown (trimmed payloads)
for i in range(40):
    created = BASE + i * 1800 - rng.randint(60, 400000)
    merged = BASE + i * 1800
    size = rng.choice([None, 3, 9, 10, 50, 99, 100, 420, 500, 999, 1000, 5000])
    ev(merged, "PullRequestEvent", actor(30 + i % 7), (1007 + i % 3, "pr/repo%d" % (i % 3)),
       action="closed", merged="t", merged_at=ts(merged),
       pr_created_at=ts(created) if i % 9 else None,
       additions=None if size is None else size // 2,
       deletions=None if size is None else size - size // 2,
       language="Go" if i % 2 else "Rust")
    ev(merged + 5, "PullRequestEvent", actor(31), (1010, "pr/unmerged"), action="closed",
       merged="f" if i % 2 else None, language=None)
# a random mix over three days
types = ["PushEvent", "WatchEvent", "ForkEvent", "IssuesEvent", "IssueCommentEvent",
         "PullRequestEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent",
         "CommitCommentEvent", "ReleaseEvent", "CreateEvent", "DeleteEvent"]
langs = ["C", "Python", "JavaScript", None]
for i in range(3000):
    t = BASE + rng.randrange(3 * 86400)
    et = rng.choice(types)
    r = rng.randrange(60)
    repo = (2000 + r, "r%d/p%d" % (r % 7, r)) if r % 13 else (None, "noid/p%d" % r)
    a = rng.randrange(150)
    act = (300 + a, "dev%d" % a) if a % 17 else (None, "anon%d" % a)
    kw = {}
    if et == "PushEvent":
        kw["commit_count"] = rng.choice([None, 0, 1, 2, 5, 20])
    elif et in ("IssuesEvent", "PullRequestEvent"):
        kw["action"] = rng.choice(["opened", "closed", "reopened"])
        if et == "PullRequestEvent":
            kw["language"] = langs[r % 4]
            if kw["action"] == "closed":
                kw["merged"] = rng.choice(["t", "f"])
                if kw["merged"] == "t":
                    kw["merged_at"] = ts(t)
                    kw["pr_created_at"] = ts(t - rng.randrange(1, 90000))
                    kw["additions"] = rng.randrange(0, 800)
                    kw["deletions"] = rng.randrange(0, 800)
    elif et == "WatchEvent":
        kw["action"] = "started"
    if r % 5 == 0:
        kw["org_id"] = 500 + r % 3
        kw["org_login"] = "org%d" % (r % 3)
    ev(t, et, act, repo, **kw)

for h, rows in sorted(hours.items()):
    name = "%s-%d.tsv" % (ts(h)[:10], int(ts(h)[11:13]))
    with open(os.path.join(outdir, name), "w") as f:
        f.write("\t".join(header) + "\n")
        rng.shuffle(rows)
        for row in rows:
            f.write("\t".join(esc(row[c]) for c in header) + "\n")
