#!/usr/bin/env bash
# gha-kmeans is deterministic for a seed, whatever the thread count (fixed
# chunks, reduced in order); predict agrees with fit; the ready-made
# feature sets read gold's tables; --sum-by-id and NAME[N] profiles are
# checked against awk.
. "$(dirname "$0")/lib.sh"
KM=$BIN/gha-kmeans
GEN=$TESTDIR/kmeans_gen.awk

# 7000 rows: 4 chunks of 2048, so threads share the work
awk -v n=7000 -v k=5 -v d=4 -v sd=1.5 -v gap=10 -v seed=7 -f "$GEN" >"$TMP/d.tsv"
for th in 1 2 3; do
	run "$KM" fit -q -c f0,f1,f2,f3 --id id -k 5 --n-init 4 --seed 11 --threads $th \
		-o "$TMP/a$th" -C "$TMP/c$th" -s "$TMP/m$th" -m "$TMP/model$th" "$TMP/d.tsv"
	is "$rc" 0 "fit with --threads $th exits 0"
done
for th in 2 3; do
	for f in a c m model; do
		same_file "$TMP/${f}1" "$TMP/$f$th" "--threads $th: $f the same bytes as with 1 thread"
	done
done
"$KM" fit -q -c f0,f1,f2,f3 --id id -k 5 --n-init 4 --seed 11 -o "$TMP/again" "$TMP/d.tsv"
same_file "$TMP/a1" "$TMP/again" "the same seed again: the same assignments"
"$KM" fit -q -c f0,f1,f2,f3 --id id -k 5 --n-init 1 --seed 12 -m "$TMP/other.model" -o /dev/null "$TMP/d.tsv"
"$KM" fit -q -c f0,f1,f2,f3 --id id -k 5 --n-init 1 --seed 13 -m "$TMP/other2.model" -o /dev/null "$TMP/d.tsv"
t "seeds 12 and 13 (one restart each) do not both give seed 11's model" \
	test "$(cat "$TMP/model1")" != "$(cat "$TMP/other.model")" -o "$(cat "$TMP/model1")" != "$(cat "$TMP/other2.model")"

# predict: the same clusters and distances as fit, from stdin and gzip too
run "$KM" predict -q -m "$TMP/model1" --threads 2 "$TMP/d.tsv"
is "$rc" 0 "predict exits 0"
same_file "$TMP/a1" "$TMP/out" "predict = fit's assignments, byte for byte"
gzip -c "$TMP/d.tsv" | "$KM" predict -q -m "$TMP/model1" -o "$TMP/p.gz.tsv" -
same_file "$TMP/a1" "$TMP/p.gz.tsv" "predict from gzip on stdin: the same"
# the bounds saved work: most rows were settled without a full scan
is "$(jq '.bound_skips > .full_scans' "$TMP/m1")" true "Hamerly's bounds skipped most full scans"

# ---- --sum-by-id: the days of a window become one row per id ----
printf 'day\trepo_name\tstars\tforks\n2015-01-01\ta/x\t1\t0\n2015-01-02\ta/x\t2\t1\n2015-01-01\tb/y\t5\t5\n2015-01-01\tc/z\t0\t3\n2015-01-03\tc/z\t1\t\\N\n' >"$TMP/rd.tsv"
run "$KM" fit -q -c stars,forks --id repo_name --sum-by-id --missing zero --scale none -k 3 \
	-C "$TMP/sum.c" -m "$TMP/sum.model" -o "$TMP/sum.a" "$TMP/rd.tsv"
is "$rc" 0 "--sum-by-id exits 0"
run "$KM" predict -q -m "$TMP/sum.model" "$TMP/rd.tsv"
same_file "$TMP/sum.a" "$TMP/out" "predict with a --sum-by-id model sums by id too"
is "$(tail -n +2 "$TMP/sum.a" | cut -f1 | tr '\n' ' ')" "a/x b/y c/z " "--sum-by-id: one row per repo"
# with k = 3 rows each centroid is a row: awk's sums (NULL as 0)
is "$(tail -n +2 "$TMP/sum.c" | cut -f3,4 | awk '{ printf "%g,%g ", $1, $2 }' | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"$(awk -F'\t' 'NR > 1 { s[$2] += $3; f[$2] += ($4 == "\\N" ? 0 : $4) } END { for (r in s) print s[r] "," f[r] }' "$TMP/rd.tsv" | sort | tr '\n' ' ')" \
	"--sum-by-id: the centroids are awk's per-repo sums"

# ---- NAME[N]: a list of N numbers, as shares ----
printf 'who\th\n' >"$TMP/prof.tsv"
for i in 1 2 3; do printf 'm%d\t%d,%d,0,0\n' "$i" $((9 + i)) "$i"; done >>"$TMP/prof.tsv"
for i in 1 2 3; do printf 'n%d\t0,0,%d,%d\n' "$i" "$i" $((9 + i)); done >>"$TMP/prof.tsv"
run "$KM" fit -q -c 'h[4]' --id who --scale none -k 2 -C "$TMP/prof.c" -o "$TMP/prof.a" "$TMP/prof.tsv"
is "$rc" 0 "NAME[4] profile exits 0"
is "$(head -n 1 "$TMP/prof.c")" "$(printf 'cluster\tsize\th.0\th.1\th.2\th.3')" "profile features are named h.0 .. h.3"
is "$(tail -n +2 "$TMP/prof.a" | awk '{ print substr($1, 1, 1) $2 }' | sort -u | wc -l)" 2 \
	"morning and evening profiles fall in two clusters"
t "profile centroid shares sum to 1" awk -F'\t' 'NR > 1 { s = $3 + $4 + $5 + $6; if (s < 0.999999 || s > 1.000001) exit 1 }' "$TMP/prof.c"
printf 'who\th\nx\t1,2,3\n' >"$TMP/prof3.tsv"
run "$KM" fit -q -c 'h[4]' -k 1 "$TMP/prof3.tsv"
is "$rc" 65 "a list of 3 for h[4]: 65"
t "a list of 3 for h[4]: line and column" grep -q "prof3.tsv:2: column 'h'" "$TMP/err"

# ---- the ready-made sets on gold's columns ----
{
	printf 'day\trepo_id\trepo_name\tevents\tstars\tforks\tpushes\tcommits\tpushes_without_count\tprs_opened\tprs_merged\tprs_closed\tissues_opened\tissues_closed\tcomments\treviews\treleases\tcontributors\n'
	for i in $(seq 1 40); do
		printf '2015-01-01\t%d\to/r%d\t%d\t%d\t%d\t%d\t0\t0\t%d\t0\t0\t%d\t0\t%d\t0\t0\t%d\n' \
			"$i" "$i" $((i % 7 + 1)) $((i % 3)) $((i % 2)) $((i % 5)) $((i % 4)) $((i % 6)) $((i % 3)) $((i % 2 + 1))
	done
} >"$TMP/repo_daily.tsv"
run "$KM" fit -q -f repos -k 3 -s "$TMP/repos.json" -o "$TMP/repos.a" "$TMP/repo_daily.tsv"
is "$rc" 0 "-f repos on a repo_daily table exits 0"
is "$(jq -r '[.scale, .columns] | @tsv' "$TMP/repos.json")" \
	"$(printf 'log1p\tevents,stars,forks,pushes,prs_opened,issues_opened,comments,contributors')" "-f repos: its columns, log1p"
is "$(head -n 1 "$TMP/repos.a" | cut -f1)" repo_name "-f repos: rows named by repo_name"
run "$KM" fit -q -f profiles -k 2 "$TMP/repo_daily.tsv"
is "$rc" 65 "-f profiles on repo_daily: 65 (no events_by_hour column)"
done_testing
