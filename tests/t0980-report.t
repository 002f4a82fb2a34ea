#!/usr/bin/env bash
# make report: the page from gold, rendered in headless Chromium (no
# console errors, every chart a real SVG of a sane size), its figures
# checked against the gold TSVs and stats with awk and jq, HTML escaping of
# names from the data, and incremental rebuilds.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
PY=/usr/bin/python3

if ! command -v gnuplot >/dev/null 2>&1 && ! command -v gnuplot-nox >/dev/null 2>&1; then
	skip "gnuplot not installed (apt-get install gnuplot-nox; make check installs it)"
	done_testing
	exit
fi
browser=1
for c in /usr/bin/chromium /usr/bin/chromedriver; do [ -x "$c" ] || browser=0; done

# data: two real hours of 2015-01-01 ingested from a file:// mirror (hour
# 2 is not there: a .missing marker), and three synthetic days with
# planted anomalies (silver made by gold_analytics_synth.py)
D=$TMP/data
mkdir -p "$TMP/mirror" "$D/silver"
cp "$REAL/2015-01-01-0.json.gz" "$REAL/2015-01-01-1.json.gz" "$TMP/mirror/"
mk() { make -s -C "$TOP" "$@" DATA="$D" BUILD="$(basename "$GHA_BUILD")" GHA_BIN="$BIN"; }
run mk ingest FROM=2015-01-01-0 TO=2015-01-01-2 GHA_BASE_URL="file://$TMP/mirror"
is "$rc" 0 "make ingest of the real hours"
python3 "$TESTDIR/gold_analytics_synth.py" anomalies "$TMP/syn"
for d in 02 03 04; do gzip -nc "$TMP/syn/2020-03-$d.tsv" >"$D/silver/2020-03-$d-0.events.tsv.gz"; done

run mk report
t "make report without FROM: the usage line, and it fails" bash -c "[ $rc != 0 ] && grep -q '^usage: make report FROM=' '$TMP/err'"
run mk report FROM=2015-01-01-0 TO=2015-01-01-2
is "$rc" 0 "make report FROM=2015-01-01-0 TO=2015-01-01-2: exit 0"
P=$D/report/index.html
t "it writes DATA/report/index.html" test -s "$P"
t "make report ran make gold first" test -s "$D/gold/window/7d-2015-01-01/trending.tsv"
t "self-contained: no script, no external resource" \
	bash -c "! grep -Eiq '<script|<link|<img|<iframe|src=|@import|url\\(http|href=\"http' '$P'"
t "every chart inlined (6 svg)" test "$(grep -c '^<svg' "$P")" = 6
t "no leftover placeholder" bash -c "! grep -q '@@SVG' '$P'"

W=$D/gold/window/7d-2015-01-01
# figures on the page, read back as the browser shows them (or from the
# HTML when there is no browser), against independent sums
if [ "$browser" = 1 ]; then
	run "$PY" "$TESTDIR/report_browser.py" "$P" "$TMP/shot.png"
	is "$rc" 0 "Chromium renders the page (chromedriver)"
	cp "$TMP/out" "$TMP/b.json"
	is "$(jq '[.log[] | select(.level == "SEVERE" or .level == "WARNING")] | length' "$TMP/b.json")" 0 \
		"no console error or warning"
	jq -r '.log[] | "#   " + .level + " " + .message' "$TMP/b.json"
	is "$(jq '.charts | length' "$TMP/b.json")" 6 "6 charts in the page"
	is "$(jq '[.charts[] | select(.svg and .width >= 300 and .width <= 1200 and .height >= 150 and .height <= 800 and .paths >= 10)] | length' "$TMP/b.json")" 6 \
		"every chart is an SVG of 300-1200 x 150-800 px with at least 10 paths"
	jq -c '.charts[]' "$TMP/b.json" | sed 's/^/#   /'
	t "a PNG screenshot" bash -c "head -c 8 '$TMP/shot.png' | od -An -c | grep -q 'P   N   G'"
	id() { jq -r --arg k "$1" '.ids[$k]' "$TMP/b.json"; }
	cell() { jq -r --arg k "$1" --argjson r "$2" --argjson c "$3" '.tables[$k][$r][$c]' "$TMP/b.json"; }
else
	skip "chromium or chromedriver not installed (apt-get install chromium chromium-driver)"
	id() { sed -n "s/.*id=\"$1\">\\([^<]*\\)<.*/\\1/p" "$P"; }
	cell() { awk -v id="$1" -v r="$2" -v c="$3" 'index($0, "<table id=\"" id "\"") { on = 1; n = 0 }
		on && /<tr>/ { if (n == r) { gsub(/<\/td>/, ""); k = split($0, a, /<t[dh][^>]*>/); print a[c + 2]; exit } n++ }' "$P"; }
fi
is "$(id events-kept)" "$(jq -s 'map(.records_out) | add' "$D"/bronze/2015-01-01-*.stats.json)" \
	"events kept = the sum of records_out over the bronze stats (jq)"
is "$(id hours-missing)" "$(find "$D/raw" -name '2015-01-01-*.missing' | wc -l)" "hours missing = the .missing markers"
is "$(id hours-range)" 3 "hours in the range: 3"
is "$(id bot-events)" "$(awk -F'\t' 'NR > 1 { s += $6 } END { print s }' "$D/gold/day/2015-01-01/activity.tsv")" \
	"bot events = the sum of activity.tsv's bot_events (awk)"
is "$(cell trending-7d 1 1) $(cell trending-7d 1 3)" "$(awk -F'\t' '$1 == "1" { print $3, $5 }' "$W/trending.tsv")" \
	"trending 7d, rank 1: repo and score as in trending.tsv"
is "$(cell trending-7d 5 1) $(cell trending-7d 5 4)" "$(awk -F'\t' '$1 == "5" { print $3, $6 }' "$W/trending.tsv")" \
	"trending 7d, rank 5: repo and stars as in trending.tsv"
is "$(cell languages-last 2 0) $(cell languages-last 2 1)" \
	"$(awk -F'\t' 'NR > 1 && $2 != "\\N" { print $3, $2 }' "$D/gold/day/2015-01-01/languages.tsv" | sort -k1,1rn | head -n 1 | awk '{ print $2, $1 }')" \
	"languages: the busiest known language and its events as in languages.tsv"
is "$(id prs-merged)" "$(awk -F'\t' '$2 == "all" { print $5 }' "$W/prs.tsv")" "merged PRs = prs.tsv's scope=all row"
is "$(id contributors-n)" "$(($(wc -l <"$W/contributors.tsv") - 1))" "contributors = the rows of contributors.tsv"
is "$(id regions-actors)" "$(($(wc -l <"$D/gold/window/30d-2015-01-01/actor_profiles.tsv") - 1))" \
	"regions: actors = the rows of actor_profiles.tsv"
t "the page names its gold files" grep -q 'gold/window/7d-2015-01-01/trending.tsv' "$P"
t "the clusters section says plainly that there is no output" grep -q 'id="clusters-none"' "$P"

# incremental: nothing changed, nothing done; a touched gold file remakes it
m1=$(stat -c %Y.%y "$P")
sleep 1
run mk report FROM=2015-01-01-0 TO=2015-01-01-2
is "$rc:$(stat -c %Y.%y "$P")" "0:$m1" "a second make report leaves the page alone"
touch "$W/prs.tsv"
run mk report FROM=2015-01-01-0 TO=2015-01-01-2
t "a newer gold file remakes the page" test "$(stat -c %Y.%y "$P")" != "$m1"

# clusters: a gha-kmeans fit where make kmeans puts it
# (DATA/kmeans/Nd-DAY/SET.*) remakes the page with its sizes, centroids
# heatmap and metrics
K=$D/kmeans/7d-2015-01-01/contributors
mkdir -p "$(dirname "$K")"
run "$BIN/gha-kmeans" fit -f contributors -k 3 --no-track -q -m "$K.model" -C "$K.centroids.tsv" \
	-s "$K.metrics.json" -o "$K.clusters.tsv" "$W/contributors.tsv"
is "$rc" 0 "gha-kmeans fit over the window's contributors"
run mk report FROM=2015-01-01-0 TO=2015-01-01-2
is "$rc" 0 "make report after the fit"
t "the clusters section is there, no 'none' message" bash -c "grep -q 'id=\"kmeans-metrics-1\"' '$P' && ! grep -q clusters-none '$P'"
t "two more charts: sizes and centroids" test "$(grep -c '^<svg' "$P")" = 8
t "the page names the kmeans files" grep -q 'kmeans/7d-2015-01-01/contributors.centroids.tsv' "$P"
if [ "$browser" = 1 ]; then
	run "$PY" "$TESTDIR/report_browser.py" "$P"
	cp "$TMP/out" "$TMP/k.json"
	is "$(jq '[.charts[] | select(.svg and .width >= 300 and .height >= 150 and .paths >= 10)] | length' "$TMP/k.json"):$(jq '.log | length' "$TMP/k.json")" \
		"8:0" "in Chromium: 8 charts of a sane size, no console message"
	is "$(jq -r '.tables["kmeans-clusters-1"][1:] | map(.[0] + ":" + .[1]) | join(" ")' "$TMP/k.json")" \
		"$(awk -F'\t' 'NR > 1 { printf "%s%s:%s", (NR > 2 ? " " : ""), $1, $2 }' "$K.centroids.tsv")" \
		"cluster sizes as in centroids.tsv (awk)"
	is "$(jq -r '.tables["kmeans-metrics-1"] | map(select(.[0] == "k" or .[0] == "rows clustered") | .[1]) | join(" ")' "$TMP/k.json")" \
		"$(jq -r '"\(.rows) \(.k)"' "$K.metrics.json")" "rows and k as in metrics.json (jq)"
fi
# the sizes add up to the rows clustered, and those to the window's contributors
is "$(awk -F'\t' 'NR > 1 { s += $2 } END { print s }' "$K.centroids.tsv")" "$(($(wc -l <"$W/contributors.tsv") - 1))" \
	"cluster sizes add up to the rows of contributors.tsv"

# several days: language and anomaly series, flagged rows listed
run mk report FROM=2020-03-02 TO=2020-03-04
is "$rc" 0 "make report over three synthetic days"
P3=$D/report/index.html
flagged=$(awk -F'\t' 'NR > 1 && $10 != "\\N"' "$D/gold/window/7d-2020-03-04/anomalies.tsv" | wc -l)
t "the planted anomalies are flagged in gold ($flagged rows)" test "$flagged" -gt 0
is "$(sed -n '/<table id="anomalies">/,/<\/table>/p' "$P3" | grep -c '<td class="flag">')" "$((flagged < 30 ? flagged : 30))" \
	"every flagged row (at most 30) is listed"
t "the top-scored flagged row first" grep -q "<tr><td>$(awk -F'\t' 'NR > 1 && $10 != "\\N" { s = $9 < 0 ? -$9 : $9; print s "\t" $1 }' \
	"$D/gold/window/7d-2020-03-04/anomalies.tsv" | sort -k1,1gr | head -n 1 | cut -f2)</td>" "$P3"
t "the data section: silver made without bronze stats is 72 hours not ingested" \
	grep -q '<td>2020-03-02-0 to 2020-03-04-23 (72 hours)</td><td>not ingested</td>' "$P3"

# names from the data are escaped: a gold directory with hostile names
H=$TMP/hostile
mkdir -p "$H"
cp -r "$D/gold" "$H/"
awk -F'\t' -v OFS='\t' 'NR == 2 { $3 = "<img src=x onerror=alert(1)>&amp;\"q'"'"'"; $4 = "<b>C</b>"; $11 = "<script>x</script>" } { print }' \
	"$W/trending.tsv" >"$H/gold/window/7d-2015-01-01/trending.tsv"
run env GHA_FETCH="$BIN/gha-fetch" bash "$TOP/pipelines/report.sh" "$H" 2015-01-01-0 2015-01-01-2 "$H/index.html"
is "$rc" 0 "report.sh over hostile names: exit 0"
t "hostile names are escaped" grep -q '&lt;img src=x onerror=alert(1)&gt;&amp;amp;&quot;q&#39;' "$H/index.html"
t "no markup from the data survives" bash -c "! grep -Eq '<img|<b>C|<script' '$H/index.html'"
if [ "$browser" = 1 ]; then
	run "$PY" "$TESTDIR/report_browser.py" "$H/index.html"
	is "$(jq -c '[.img, .script, .tables["trending-7d"][1][1]]' "$TMP/out")" \
		'[0,0,"<img src=x onerror=alert(1)>&amp;\"q'"'"'"]' "in Chromium: no img or script element, the name shown as text"
fi

# no gold, no stats: every section says what is missing, nothing made up
E=$TMP/empty
mkdir -p "$E"
run env GHA_FETCH="$BIN/gha-fetch" bash "$TOP/pipelines/report.sh" "$E" 2016-05-01 2016-05-01 "$E/index.html"
is "$rc" 0 "report.sh over an empty data directory: exit 0"
is "$(grep -c 'class="none">No <code>gold/' "$E/index.html")" 7 "each gold section says its file is missing"
t "no chart from nothing" bash -c "! grep -q '<svg' '$E/index.html'"
run env GHA_FETCH="$BIN/gha-fetch" bash "$TOP/pipelines/report.sh" "$TMP/nope" 2016-05-01 2016-05-01 "$E/x.html"
is "$rc" 66 "report.sh: no data directory is exit 66"

done_testing
