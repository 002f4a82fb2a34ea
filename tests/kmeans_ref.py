#!/usr/bin/python3
"""kmeans_ref.py: scikit-learn's view of a gha-kmeans fit, for tests.

  kmeans_ref.py CASES

CASES: one case a line, "NAME DATA.tsv COLS ASSIGN.tsv K N_INIT [TRUTHCOL]"
(one Python start for all: importing sklearn takes seconds); or
"skmean NAME DATA.tsv COLS K N_INIT RUNS": the mean inertia of RUNS fits
of KMeans(K, n_init=N_INIT), random_state 0..RUNS-1 ("NAME sk_mean V").
DATA.tsv: COPY text with a header (no NULLs); COLS: comma-separated
feature columns; ASSIGN.tsv: gha-kmeans's assignments (id, cluster,
distance), in DATA's row order. Standardizes the features with
StandardScaler, as gha-kmeans --scale zscore does, and prints one
"CASE name value" line each:
  sk_inertia       KMeans(K, n_init=N_INIT, k-means++).fit's inertia_
  our_inertia      the inertia of gha-kmeans's labels (recomputed here)
  silhouette, davies_bouldin, calinski_harabasz: sklearn.metrics on
                   gha-kmeans's labels
  ari              adjusted Rand index of gha-kmeans's labels and TRUTHCOL
Run with Debian's /usr/bin/python3 (python3-sklearn)."""
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score,
                             davies_bouldin_score, silhouette_score)
from sklearn.preprocessing import StandardScaler


def table(path):
    with open(path) as f:
        head = f.readline().rstrip('\n').split('\t')
        rows = [line.rstrip('\n').split('\t') for line in f]
    return head, rows


def case(name, data, cols, assign, k, n_init, truth=None):
    def out(key, v):
        print("%s %s %.17g" % (name, key, v))
    head, rows = table(data)
    ix = [head.index(c) for c in cols.split(',')]
    X = np.array([[float(r[i]) for i in ix] for r in rows])
    Xs = StandardScaler().fit_transform(X)
    _, arows = table(assign)
    labels = np.array([int(r[1]) for r in arows])
    assert len(labels) == len(X), "assignments and data differ in length"
    km = KMeans(n_clusters=int(k), n_init=int(n_init), init='k-means++',
                random_state=0).fit(Xs)
    out("sk_inertia", km.inertia_)
    cen = np.array([Xs[labels == j].mean(axis=0) for j in np.unique(labels)])
    inv = {j: q for q, j in enumerate(np.unique(labels))}
    out("our_inertia", sum(((Xs[i] - cen[inv[labels[i]]]) ** 2).sum()
                           for i in range(len(Xs))))
    out("silhouette", silhouette_score(Xs, labels))
    out("davies_bouldin", davies_bouldin_score(Xs, labels))
    out("calinski_harabasz", calinski_harabasz_score(Xs, labels))
    if truth:
        t = head.index(truth)
        out("ari", adjusted_rand_score([r[t] for r in rows], labels))


def skmean(name, data, cols, k, n_init, runs):
    head, rows = table(data)
    ix = [head.index(c) for c in cols.split(',')]
    X = StandardScaler().fit_transform(np.array([[float(r[i]) for i in ix] for r in rows]))
    v = np.mean([KMeans(n_clusters=int(k), n_init=int(n_init), random_state=r).fit(X).inertia_
                 for r in range(int(runs))])
    print("%s sk_mean %.17g" % (name, v))


with open(sys.argv[1]) as f:
    for line in f:
        w = line.split()
        if w and w[0] == 'skmean':
            skmean(*w[1:])
        elif w:
            case(*w)
