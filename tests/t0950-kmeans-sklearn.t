#!/usr/bin/env bash
# gha-kmeans against scikit-learn (Debian's python3-sklearn, run by
# /usr/bin/python3 in tests/kmeans_ref.py): on the same standardized
# data, k and restarts the inertia is within 0.1% of KMeans's (lower is
# fine); well-separated blobs are found exactly (ARI 1.0); silhouette,
# Davies-Bouldin and Calinski-Harabasz equal sklearn.metrics on the same
# labels. Centroids in original units are checked against awk's means.
. "$(dirname "$0")/lib.sh"
KM=$BIN/gha-kmeans
GEN=$TESTDIR/kmeans_gen.awk
PY=/usr/bin/python3

if ! [ -x "$PY" ] || ! "$PY" -c 'import sklearn' 2>/dev/null; then
	skip "no scikit-learn for /usr/bin/python3 (apt-get install python3-sklearn)"
	done_testing
	exit
fi

# well separated: 4 clusters in 3 dimensions; overlapping: 6 in 5
awk -v n=1500 -v k=4 -v d=3 -v sd=0.5 -v gap=20 -v seed=1 -f "$GEN" >"$TMP/blobs.tsv"
awk -v n=2000 -v k=6 -v d=5 -v sd=1 -v gap=10 -v seed=3 -f "$GEN" >"$TMP/mix.tsv"
F3=f0,f1,f2
F5=f0,f1,f2,f3,f4

run "$KM" fit -q -c $F3 --id id -k 4 -o "$TMP/blobs.a" -s "$TMP/blobs.json" -C "$TMP/blobs.c" \
	-m "$TMP/blobs.model" "$TMP/blobs.tsv"
is "$rc" 0 "fit blobs exits 0"
run "$KM" fit -q -c $F5 --id id -k 6 -o "$TMP/mix.a" -s "$TMP/mix.json" "$TMP/mix.tsv"
is "$rc" 0 "fit mix (k=6) exits 0"
for s in 0 1 2 3; do
	"$KM" fit -q -c $F5 --id id -k 8 --seed $s -o "$TMP/hard$s.a" -s "$TMP/hard$s.json" \
		"$TMP/mix.tsv" || not_ok "fit mix k=8 seed $s"
done
run "$KM" fit -q -c $F5 --id id -k 6 --silhouette-max 400 -o /dev/null -s "$TMP/sampled.json" \
	"$TMP/mix.tsv"
is "$rc" 0 "fit with --silhouette-max 400 exits 0"

cat >"$TMP/cases" <<END
blobs $TMP/blobs.tsv $F3 $TMP/blobs.a 4 10 truth
mix $TMP/mix.tsv $F5 $TMP/mix.a 6 10
skmean hard $TMP/mix.tsv $F5 8 10 4
END
# one thread for sklearn's OpenMP: the machine may be shared
OMP_NUM_THREADS=1 run "$PY" "$TESTDIR/kmeans_ref.py" "$TMP/cases"
is "$rc" 0 "kmeans_ref.py runs"
cp "$TMP/out" "$TMP/ref"
ref() { awk -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3 }' "$TMP/ref"; }
# close A B TOL: |A - B| <= TOL * max(1, |B|)
close() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
		if (m < 1) m = 1; exit !(a != "" && b != "" && d <= t * m) }'
}

for c in blobs mix; do
	ours=$(jq -r .inertia "$TMP/$c.json")
	sk=$(ref $c sk_inertia)
	t "$c: inertia $ours within 0.1% of sklearn's $sk (or lower)" \
		awk -v a="$ours" -v b="$sk" 'BEGIN { exit !(a != "" && b != "" && a <= b * 1.001) }'
	t "$c: inertia recomputed by sklearn from our labels matches ours" \
		close "$ours" "$(ref $c our_inertia)" 1e-4
	for m in silhouette davies_bouldin calinski_harabasz; do
		t "$c: $m $(jq -r .$m "$TMP/$c.json") equals sklearn.metrics' $(ref $c $m) within 1e-6" \
			close "$(jq -r .$m "$TMP/$c.json")" "$(ref $c $m)" 1e-6
	done
done
is "$(ref blobs ari)" 1 "blobs: adjusted Rand index 1.0 against the generating clusters"

# k=8 on 6 clusters has several local optima: the mean over 4 seeds,
# each the best of 10 restarts, against sklearn's over 4 random states
ours=$(for s in 0 1 2 3; do jq -r .inertia "$TMP/hard$s.json"; done | awk '{ s += $1 } END { printf "%.17g", s / NR }')
sk=$(ref hard sk_mean)
t "k=8 on overlapping data: mean inertia $ours within 0.1% of sklearn's $sk (or lower)" \
	awk -v a="$ours" -v b="$sk" 'BEGIN { exit !(a != "" && b != "" && a <= b * 1.001) }'

# sampled silhouette: the sample size is stated, the value near the exact one
is "$(jq -r '[.silhouette_rows, .silhouette_sampled] | @tsv' "$TMP/sampled.json")" "400	true" \
	"--silhouette-max 400: 400 rows, sampled"
is "$(jq -r '[.silhouette_rows, .silhouette_sampled] | @tsv' "$TMP/mix.json")" "2000	false" \
	"default: 2000 rows, exact"
t "sampled silhouette within 0.05 of the exact one" \
	close "$(jq -r .silhouette "$TMP/sampled.json")" "$(jq -r .silhouette "$TMP/mix.json")" 0.05

# centroids in original units = the per-cluster means of the raw columns
# (awk, from the data and our assignments)
awk -F'\t' 'FNR == 1 { next } NR == FNR { cl[$1] = $2; next }
	{ c = cl[$1]; n[c]++; for (j = 2; j <= 4; j++) s[c, j] += $j }
	END { for (c in n) { printf "%s\t%d", c, n[c]; for (j = 2; j <= 4; j++) printf "\t%.10g", s[c, j] / n[c]; print "" } }' \
	"$TMP/blobs.a" "$TMP/blobs.tsv" | sort -n >"$TMP/awk.c"
tail -n +2 "$TMP/blobs.c" | awk -F'\t' '{ printf "%s\t%s", $1, $2; for (j = 3; j <= 5; j++) printf "\t%.10g", $j; print "" }' |
	sort -n >"$TMP/our.c"
t "centroids (original units) = awk's per-cluster means of the raw columns" \
	awk 'NR == FNR { a[FNR] = $0; next } { split(a[FNR], x); for (j = 1; j <= NF; j++) {
		d = x[j] - $j; if (d < 0) d = -d; if (d > 1e-6 * (1 + ($j < 0 ? -$j : $j))) exit 1 } }
		END { exit !(NR == 2 * FNR && FNR == 4) }' "$TMP/awk.c" "$TMP/our.c"
is "$(head -n 1 "$TMP/blobs.c")" "$(printf 'cluster\tsize\tf0\tf1\tf2')" "centroids header"
# inertia = the sum of squared distances in the assignments
t "inertia = sum of the squared distance column" \
	close "$(awk -F'\t' 'NR > 1 { s += $3 * $3 } END { printf "%.17g", s }' "$TMP/blobs.a")" \
	"$(jq -r .inertia "$TMP/blobs.json")" 1e-9
# predict with the saved model gives the same clusters and distances
run "$KM" predict -q -m "$TMP/blobs.model" -o "$TMP/pred.a" "$TMP/blobs.tsv"
is "$rc" 0 "predict exits 0"
t "predict on the training data = fit's assignments" \
	awk -F'\t' 'NR == FNR { a[$1] = $2 "\t" $3; next } FNR > 1 && a[$1] != $2 "\t" $3 { bad = 1 }
		END { exit bad || NR != 2 * FNR }' "$TMP/blobs.a" "$TMP/pred.a"

# --k-range: every k fitted, the best silhouette chosen, the elbow shown
run "$KM" fit -q -c $F3 --k-range 2..6 -o /dev/null -s "$TMP/sweep.json" "$TMP/blobs.tsv"
is "$rc" 0 "--k-range 2..6 exits 0"
is "$(jq -c '[.sweep[].k]' "$TMP/sweep.json")" "[2,3,4,5,6]" "the sweep has k = 2..6"
is "$(jq -r '.chosen_k' "$TMP/sweep.json")" \
	"$(jq -r '.sweep | max_by(.silhouette) | .k' "$TMP/sweep.json")" "chosen k has the best silhouette"
is "$(jq -r '[.chosen_k, .k, .elbow_k] | @tsv' "$TMP/sweep.json")" "4	4	4" \
	"blobs of 4: silhouette picks 4, the elbow is at 4"
is "$(jq '[.sweep[].inertia] | . == sort_by(-.)' "$TMP/sweep.json")" true "inertia falls along the sweep"
done_testing
