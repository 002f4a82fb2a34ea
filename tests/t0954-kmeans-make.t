#!/usr/bin/env bash
# make kmeans: make gold, then gha-kmeans's three feature sets over a gold
# window (the real hours 2015-01-01-0 and -1); every output there, one
# assignment per repo of the window (counted by awk), nothing refitted on
# a second run, a refit when the window's table changes.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
D=$TMP/data
mkdir -p "$D/silver"
for h in 2015-01-01-0 2015-01-01-1; do
	"$BIN/gha-silver" -q "$REAL/$h.json.gz" | gzip -n >"$D/silver/$h.events.tsv.gz"
done
km() {
	make -s -C "$TOP" kmeans FROM=2015-01-01 DATA="$D" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" \
		KMEANS_WINDOW=1 KMEANS_K=2..4 "$@"
}
run km
is "$rc" 0 "make kmeans exits 0 ($(head -c 300 "$TMP/err"))"
K=$D/kmeans/1d-2015-01-01
for s in repos contributors profiles; do
	for f in clusters.tsv centroids.tsv metrics.json model; do
		t "$s.$f written" test -s "$K/$s.$f"
	done
done
W=$D/gold/window/1d-2015-01-01
is "$(($(wc -l <"$K/repos.clusters.tsv") - 1))" \
	"$(awk -F'\t' 'NR > 1 { if ($3 == "\\N") n++; else r[$3] } END { print n + length(r) }' "$W/repo_daily.tsv")" \
	"repos: one row per repo name of the window (NULL names apart)"
is "$(($(wc -l <"$K/contributors.clusters.tsv") - 1))" "$(($(wc -l <"$W/contributors.tsv") - 1))" \
	"contributors: one row per contributor"
is "$(jq -r '[.sweep[].k] | @csv' "$K/repos.metrics.json")" "2,3,4" "KMEANS_K=2..4: k = 2, 3, 4 fitted"
before=$(find "$K" -type f -printf '%p %T@\n' | sort)
run km
is "$rc" 0 "a second make kmeans exits 0"
is "$(find "$K" -type f -printf '%p %T@\n' | sort)" "$before" "a second make kmeans refits nothing"
touch "$W/contributors.tsv"
run km
is "$(find "$K" -newer "$W/contributors.tsv" -name '*.clusters.tsv' -printf '%f\n' | sort | tr '\n' ' ')" \
	"contributors.clusters.tsv " "a changed contributors table refits that set alone"
run make -s -C "$TOP" kmeans FROM=2015-01-01 DATA="$D" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN" KMEANS_WINDOW=5
is "$rc" 2 "KMEANS_WINDOW=5, not a gold window: make fails"
t "KMEANS_WINDOW=5: said why" grep -q "not one of make gold's windows" "$TMP/err"
done_testing
