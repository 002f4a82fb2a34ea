#!/usr/bin/env bash
# gha-kmeans on bad input and bad command lines: each error names what is
# wrong (FILE:LINE and the column for a bad field), exits with its
# documented code, and leaves no output behind.
. "$(dirname "$0")/lib.sh"
KM=$BIN/gha-kmeans
T=$(printf '\t')

printf 'id\ta\tb\n' >"$TMP/head.tsv"
{ cat "$TMP/head.tsv"; printf 'x%d\t%d\t%d\n' 1 1 2 2 5 1 3 9 9 4 8 8 5 1 1; } >"$TMP/ok.tsv"

# ---- empty and near-empty input: 65 ----
: >"$TMP/empty.tsv"
run "$KM" fit -c a,b -k 2 -o "$TMP/o.tsv" "$TMP/empty.tsv"
is "$rc" 65 "empty file: exit 65"
t "empty file: said so" grep -q "empty.tsv: empty" "$TMP/err"
t "empty file: no output left" test ! -e "$TMP/o.tsv"
run "$KM" fit -c a,b -k 2 "$TMP/head.tsv"
is "$rc" 65 "header only: exit 65"
t "header only: no rows to cluster" grep -q "no rows to cluster" "$TMP/err"
run "$KM" fit -c a,b -k 2 </dev/null
is "$rc" 65 "empty stdin: exit 65"

# ---- bad fields: FILE:LINE and the column ----
for bad in abc '' NaN nan inf -inf 1e999 '1 ' ' 1' 0x; do
	{ cat "$TMP/ok.tsv"; printf 'y\t3\t%s\n' "$bad"; } >"$TMP/bad.tsv"
	run "$KM" fit -c a,b -k 2 -o "$TMP/o.tsv" "$TMP/bad.tsv"
	is "$rc" 65 "field '$bad': exit 65"
	t "field '$bad': names bad.tsv:7 and column b" grep -q "bad.tsv:7: column 'b': not a finite number" "$TMP/err"
done
t "no assignments written after a bad field" test ! -e "$TMP/o.tsv"
{ cat "$TMP/ok.tsv"; printf 'y\t3\n'; } >"$TMP/short.tsv"
run "$KM" fit -c a,b -k 2 "$TMP/short.tsv"
is "$rc:$(cat "$TMP/err")" "65:gha-kmeans: $TMP/short.tsv:7: fewer fields than the header has" "a short row: 65 with its line"
{ cat "$TMP/ok.tsv"; printf 'y\t3\t1\\q\n'; } >"$TMP/esc.tsv"
run "$KM" fit -c a,b -k 2 "$TMP/esc.tsv"
is "$rc" 65 "a bad escape: 65"
t "a bad escape: its line" grep -q "esc.tsv:7: bad escape" "$TMP/err"
run "$KM" fit -c a,nope -k 2 "$TMP/ok.tsv"
is "$rc" 65 "a missing column: 65"
t "a missing column is named" grep -q "nope" "$TMP/err"
run "$KM" fit -c a,b --id nope -k 2 "$TMP/ok.tsv"
is "$rc" 65 "a missing id column: 65"
{ cat "$TMP/ok.tsv"; printf 'y\t-1\t1\n'; } >"$TMP/neg.tsv"
run "$KM" fit -c a,b -k 2 --scale log1p "$TMP/neg.tsv"
is "$rc" 65 "log1p of -1: 65"
t "log1p of -1: line and column" grep -q "neg.tsv:7: column 'a'" "$TMP/err"

# ---- fewer distinct rows than k ----
run "$KM" fit -c a,b -k 6 "$TMP/ok.tsv"
is "$rc" 65 "5 distinct rows, k=6: 65"
t "5 distinct rows, k=6: said so" grep -q "5 distinct rows, fewer than k=6" "$TMP/err"
{ cat "$TMP/head.tsv"; for i in 1 2 3 4 5 6; do printf 'x\t1\t1\n'; done; printf 'y\t2\t2\n'; } >"$TMP/dup.tsv"
run "$KM" fit -c a,b -k 3 "$TMP/dup.tsv"
is "$rc" 65 "7 rows but 2 distinct, k=3: 65"
run "$KM" fit -q -c a,b -k 2 -o "$TMP/o.tsv" "$TMP/dup.tsv"
is "$rc" 0 "2 distinct rows, k=2: fits"
is "$(tail -n +2 "$TMP/o.tsv" | cut -f2 | sort | uniq -c | awk '{ print $1 }' | sort -n | tr '\n' ' ')" "1 6 " \
	"2 distinct rows, k=2: the duplicates together"

# ---- NULLs: drop, zero, mean ----
{ cat "$TMP/head.tsv"; printf 'p\t1\t\\N\nq\t3\t4\nr\t5\t8\ns\t\\N\t\\N\nt\t9\t0\n'; } >"$TMP/null.tsv"
run "$KM" fit -q -c a,b --id id -k 2 -s "$TMP/m.json" -o "$TMP/o.tsv" "$TMP/null.tsv"
is "$rc" 0 "--missing drop (default) exits 0"
is "$(jq -r '[.rows_in, .rows, .rows_dropped, .nulls_filled] | @tsv' "$TMP/m.json")" "5${T}3${T}2${T}0" \
	"drop: 5 read = 3 clustered + 2 dropped"
is "$(tail -n +2 "$TMP/o.tsv" | cut -f1 | tr '\n' ' ')" "q r t " "drop: the rows with a NULL are not assigned"
run "$KM" fit -q -c a,b --id id -k 2 --missing zero -s "$TMP/m.json" -m "$TMP/zero.model" -o /dev/null "$TMP/null.tsv"
is "$(jq -r '[.rows, .rows_dropped, .nulls_filled] | @tsv' "$TMP/m.json")" "5${T}0${T}3" "zero: 5 rows, 3 NULLs filled"
t "zero: fill 0 in the model" awk -F'\t' '$1 == "feature" && $3 != 0 { exit 1 }' "$TMP/zero.model"
run "$KM" fit -q -c a,b --id id -k 2 --missing mean --scale none -m "$TMP/mean.model" -C "$TMP/c.tsv" -o /dev/null "$TMP/null.tsv"
is "$rc" 0 "--missing mean exits 0"
# awk: the means of the non-NULL values
want=$(awk -F'\t' 'NR > 1 { if ($2 != "\\N") { a += $2; na++ } if ($3 != "\\N") { b += $3; nb++ } }
	END { printf "%.6f %.6f", a / na, b / nb }' "$TMP/null.tsv")
is "$(awk -F'\t' '$1 == "feature" { printf "%s%.6f", sep, $3; sep = " " }' "$TMP/mean.model")" "$want" \
	"mean: the fills are the means of the other values (awk: $want)"
# the centroids' sizes add up to the rows clustered
is "$(tail -n +2 "$TMP/c.tsv" | awk -F'\t' '{ s += $2 } END { print s }')" 5 "centroid sizes add up to the rows"

# ---- bad command lines: 64 ----
for args in "fit" "fit -c a,b" "fit -k 2" "fit -c a,b -k 0" "fit -c a,b -k x" "fit -c a,b -k 2 --k-range 2..3" \
	"fit -c a,b --k-range 3..2" "fit -c a,b -k 2 --scale bad" "fit -c a,b -k 2 --missing bad" \
	"fit -c a,b -f repos -k 2" "fit -f nope -k 2" "fit -c a,,b -k 2" "fit -c a,a -k 2" "fit -c a[1] -k 2" \
	"fit -c a,b -k 2 --tol -1" "fit -c a,b -k 2 --n-init 0" "fit -c a,b -k 2 --sum-by-id" \
	"predict" "predict -m x -k 2" "cluster" "" "fit -c a,b -k 2 a.tsv b.tsv"; do
	# shellcheck disable=SC2086
	run "$KM" $args
	is "$rc" 64 "'gha-kmeans $args': exit 64"
done
run "$KM" fit -c a,b -k 2 -o "$TMP/ok.tsv" "$TMP/ok.tsv"
is "$rc" 64 "output = input: 64"
run "$KM" fit -c a,b -k 2 -o "$TMP/x" -m "$TMP/x" "$TMP/ok.tsv"
is "$rc" 64 "two outputs on one file: 64"

# ---- files ----
run "$KM" fit -c a,b -k 2 "$TMP/nonexistent.tsv"
is "$rc" 66 "a missing input: 66"
run "$KM" predict -m "$TMP/nonexistent.model" "$TMP/ok.tsv"
is "$rc" 66 "a missing model: 66"
run "$KM" fit -c a,b -k 2 -o /dev/full "$TMP/ok.tsv"
is "$rc" 74 "assignments to /dev/full: 74"
run "$KM" fit -q -c a,b -k 2 -o /dev/null -s "$TMP/nodir/m.json" "$TMP/ok.tsv"
is "$rc" 74 "metrics into a missing directory: 74"
gzip -c "$TMP/ok.tsv" >"$TMP/ok.tsv.gz"
"$KM" fit -q -c a,b -k 2 -o "$TMP/plain.a" "$TMP/ok.tsv"
run "$KM" fit -q -c a,b -k 2 -o "$TMP/gz.a" "$TMP/ok.tsv.gz"
is "$rc" 0 "gzip input: 0"
same_file "$TMP/plain.a" "$TMP/gz.a" "gzip and plain input: the same assignments"
head -c 40 "$TMP/ok.tsv.gz" >"$TMP/cut.gz"
run "$KM" fit -q -c a,b -k 2 "$TMP/cut.gz"
t "a truncated gzip: 65 or 74, not 0 (got $rc)" test "$rc" = 65 -o "$rc" = 74

# ---- model files ----
"$KM" fit -q -c a,b -k 2 -m "$TMP/good.model" -o /dev/null "$TMP/ok.tsv"
sed 's/^gha-kmeans model 1$/gha-kmeans model 2/' "$TMP/good.model" >"$TMP/v2.model"
run "$KM" predict -m "$TMP/v2.model" "$TMP/ok.tsv"
is "$rc" 65 "model version 2: 65"
t "model version 2: said so, with its line" grep -q "v2.model:1: model version not supported" "$TMP/err"
head -n 9 "$TMP/good.model" >"$TMP/cut.model"
run "$KM" predict -m "$TMP/cut.model" "$TMP/ok.tsv"
is "$rc" 65 "a cut model: 65"
t "a cut model: names its line" grep -q "cut.model:10:" "$TMP/err"
sed '$d' "$TMP/good.model" >"$TMP/noend.model"
run "$KM" predict -m "$TMP/noend.model" "$TMP/ok.tsv"
is "$rc" 65 "a model without 'end': 65"
awk -F'\t' -v OFS='\t' '$1 == "centroid" && $2 == 1 { $3 = "x" } { print }' "$TMP/good.model" >"$TMP/badnum.model"
run "$KM" predict -m "$TMP/badnum.model" "$TMP/ok.tsv"
is "$rc" 65 "a model with a bad number: 65"
printf 'id\ta\tc\nx\t1\t2\n' >"$TMP/other.tsv"
run "$KM" predict -m "$TMP/good.model" "$TMP/other.tsv"
is "$rc" 65 "predict on a table without the model's columns: 65"
t "predict: the missing column is named" grep -q "'b'" "$TMP/err"
done_testing
