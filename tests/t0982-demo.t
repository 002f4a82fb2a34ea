#!/usr/bin/env bash
# make demo's script end to end, no network: fetch from a file:// mirror,
# bronze, silver, gold, gha-kmeans, the report, and (PostgreSQL being a
# dependency of make check) the load with the BI views. Its outputs and
# the figures it prints are checked against the files, independently.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

if ! command -v gnuplot >/dev/null 2>&1 && ! command -v gnuplot-nox >/dev/null 2>&1; then
	skip "gnuplot not installed (apt-get install gnuplot-nox; make check installs it)"
	done_testing
	exit
fi
O=$TMP/demo
run env DEMO_OUT="$O" GHA_BUILD="$GHA_BUILD" bash "$TOP/pipelines/demo.sh"
is "$rc" 0 "demo.sh: exit 0"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/err" | tail -n 20
cp "$TMP/out" "$TMP/demo.out"
D=$O/data
P=$D/report/index.html
t "the report is written" test -s "$P"
t "it says where the report is" grep -qF "report: $P" "$TMP/demo.out"
t "the report has its 12 charts (6 from gold, 2 for each of 3 clusterings)" test "$(grep -c '^<svg' "$P")" = 12
t "no section says its gold file is missing" bash -c "! grep -q 'class=\"none\">No <code>gold/' '$P'"
t "the fetch went through the file:// mirror" grep -q "from file://$O/mirror" "$TMP/demo.out"
is "$(find "$D/raw" -name '*.missing' | wc -l)" 1 "one hour missing upstream (2015-01-01-2)"
K=$D/kmeans/1d-2015-01-01/contributors
t "make kmeans wrote centroids, metrics, model and assignments" \
	test -s "$K.centroids.tsv" -a -s "$K.metrics.json" -a -s "$K.model" -a -s "$K.clusters.tsv"
is "$(jq '.sizes | add' "$K.metrics.json")" "$(($(wc -l <"$D/gold/window/1d-2015-01-01/contributors.tsv") - 1))" \
	"the clusters hold every contributor of the window"
is "$(sed -n '/<h3>contributors over the 1-day window/,/<\/table>/p' "$P" | sed -n 's/.*<th>k<\/th><td class="n">\([0-9]*\)<.*/\1/p')" \
	"$(jq .k "$K.metrics.json")" "the report's k for contributors = metrics.json's"
# the MLflow run id the report shows for each set is the run, in the
# demo's file store, that holds the set's input and k
for s in repos contributors profiles; do
	r=$(sed -n "/<h3>$s over the 1-day window/,/<\/table>/p" "$P" | sed -n 's/.*MLflow run id<\/th><td>\([0-9a-f]*\)<.*/\1/p')
	d=$(find "$O/mlruns" -mindepth 2 -maxdepth 2 -type d -name "${r:-none}" | head -n 1)
	is "$(cat "$d/params/input_sha256" 2>/dev/null) $(cat "$d/params/k" 2>/dev/null)" \
		"$(jq -r '"\(.input_sha256) \(.k)"' "$D/kmeans/1d-2015-01-01/$s.metrics.json")" \
		"$s: the report's MLflow run id ($r) is the run of this fit (input sha256 and k)"
done
is "$(sed -n 's/.*events: \([0-9]*\) in \([0-9]*\) hours.*/\1 \2/p' "$TMP/demo.out")" \
	"$(jq -s 'map(.records_out) | add' "$D"/bronze/*.stats.json) $(find "$D/bronze" -name '*.stats.json' | wc -l)" \
	"the summary's events and hours = the bronze stats (jq)"
is "$(sed -n 's/.*gold: \([0-9]*\) tables.*/\1/p' "$TMP/demo.out")" "$(find "$D/gold" -name '*.tsv' | wc -l)" \
	"the summary's gold tables = the files"
if grep -q "== load:" "$TMP/demo.out" && ! grep -q "skipped: no PostgreSQL" "$TMP/demo.out"; then
	t "the views were made" grep -q "views: gha_v_trending_7d" "$TMP/demo.out"
	sed -n '/from gha_v_trending_7d where rank <= 5/,/^$/p' "$TMP/demo.out" | sed -n '2,6p' | sed 's/^ *//' >"$TMP/view"
	awk -F'\t' 'NR > 1 && $1 != "\\N" && $1 <= 5 { print $1, $3, $5, $6 }' "$D/gold/window/7d-2015-01-01/trending.tsv" >"$TMP/file"
	same_file "$TMP/view" "$TMP/file" "the view's top 5 (printed by the demo) = trending.tsv's (awk)"
else
	skip "no PostgreSQL server here: the demo skipped its load"
fi

done_testing
