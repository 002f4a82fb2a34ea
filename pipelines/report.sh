#!/usr/bin/env bash
# report.sh DATA FROM TO OUT: one self-contained HTML page (inline SVG
# charts drawn by gnuplot's SVG terminal, inline CSS, no script, nothing
# fetched) from the gold tables make gold wrote, the bronze/silver stats
# and the .missing markers of the hours FROM..TO. Every figure on the page
# is copied from a file under DATA that the page names next to it; the few
# derived ones (shares, sums over a named file's rows) say how.
# Written to OUT.tmp.PID and renamed: no half page in place of a good one.
# Environment: GHA_FETCH (gha-fetch, to list the hours), GNUPLOT.
set -eu -o pipefail
if [ $# -ne 4 ]; then
	echo "usage: report.sh DATA FROM TO OUT" >&2
	exit 64
fi
data=$1 from=$2 to=$3 out=$4
fetch=${GHA_FETCH:-gha-fetch}
gnuplot=${GNUPLOT:-gnuplot}
# Debian names the binary gnuplot-nox until its alternative is set up
if ! command -v "$gnuplot" >/dev/null 2>&1 && command -v gnuplot-nox >/dev/null 2>&1; then
	gnuplot="gnuplot-nox"
fi
if [ ! -d "$data" ]; then
	echo "gha: report: no data directory '$data'" >&2
	exit 66
fi
command -v "$gnuplot" >/dev/null 2>&1 || {
	echo "gha: report: gnuplot not found (Debian: apt-get install gnuplot-nox)" >&2
	exit 69
}
command -v jq >/dev/null 2>&1 || {
	echo "gha: report: jq not found (Debian: apt-get install jq)" >&2
	exit 69
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gha-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
body=$tmp/body.html
gp=$tmp/plot.gp
: >"$body"

"$fetch" -n "$from" "$to" >"$tmp/hours"
cut -d- -f1-3 "$tmp/hours" | uniq >"$tmp/days"
last=$(tail -n 1 "$tmp/days")
G=gold
W7=$G/window/7d-$last
W30=$G/window/30d-$last
kdir=${KMEANS_DIR:-$data/kmeans}

# The awk helpers every section shares: esc() escapes text for HTML,
# val() decodes a COPY text field (\N is NULL, shown as an em dash).
# shellcheck disable=SC2016
lib='
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s); gsub(/\047/, "\\&#39;", s)
	return s
}
function unesc(s,   r, c, i) {
	if (index(s, "\\") == 0) return s
	r = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" && i < length(s)) {
			c = substr(s, ++i, 1)
			if (c == "t") c = "\t"; else if (c == "n") c = "\n"; else if (c == "r") c = "\r"
		}
		r = r c
	}
	return r
}
function val(s) { return s == "\\N" ? "&#8212;" : esc(unesc(s)) }
function td(s, cls) { return "<td" (cls != "" ? " class=\"" cls "\"" : "") ">" val(s) "</td>" }
function num(s) { return td(s, "n") }
'

say() { printf '%s\n' "$@" >>"$body"; }
src() {	# the files a section's figures come from
	local f s=""
	for f in "$@"; do s="$s <code>$(printf '%s' "$f" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')</code>"; done
	say "<p class=\"src\">Source:$s</p>"
}
have() { [ -s "$data/$1" ]; }
absent() { say "<p class=\"none\">No <code>$1</code> under the data directory: run <code>make gold FROM=$from TO=$to</code> (a window needs silver hours on $last).</p>"; }
chart() {	# NAME WIDTH HEIGHT: start a gnuplot chart; its commands follow on stdin
	{
		printf 'reset\nset terminal svg size %s,%s font "sans,11" noenhanced background "#ffffff"\n' "$2" "$3"
		printf 'set output "%s/%s.svg"\nset datafile separator "\\t"\nset datafile missing "\\\\N"\n' "$tmp" "$1"
		printf 'set border 3 lc "#555555"\nset tics nomirror\nset grid ytics lc "#dddddd"\nset key noautotitle\n'
		cat
		printf 'unset output\n'
	} >>"$gp"
	say "@@SVG $1@@"
}

# ---- the data: hours, eras, rejects, duplicates, missing hours ----
nh=$(wc -l <"$tmp/hours")
while read -r h; do
	if [ -f "$data/bronze/$h.stats.json" ]; then
		printf '%s\n' "$data/bronze/$h.stats.json" >>"$tmp/bstats"
		[ ! -f "$data/silver/$h.stats.json" ] || printf '%s\n' "$data/silver/$h.stats.json" >>"$tmp/sstats"
	elif [ -f "$data/raw/$h.missing" ]; then
		printf '%s\n' "$h" >>"$tmp/missing"
	else
		printf '%s\n' "$h" >>"$tmp/absent"
	fi
done <"$tmp/hours"
touch "$tmp/bstats" "$tmp/sstats" "$tmp/missing" "$tmp/absent"
# per hour: hour, in, out, rejected, duplicates (bronze), then eras
xargs -r -d '\n' jq -r '[(input_filename | sub(".*/"; "") | sub("\\.stats\\.json$"; "")),
	.records_in, .records_out, .rejected, .duplicates] | @tsv' <"$tmp/bstats" >"$tmp/bhours"
xargs -r -d '\n' jq -r '.events_by_era | to_entries[] | [.key, .value] | @tsv' <"$tmp/bstats" >"$tmp/eras"
xargs -r -d '\n' jq -r '[(input_filename | sub(".*/"; "") | sub("\\.stats\\.json$"; "")), .rejected] | @tsv' \
	<"$tmp/sstats" >"$tmp/shours"
say "<h2 id=\"data\">The data</h2>"
awk -F'\t' -v nh="$nh" -v nm="$(wc -l <"$tmp/missing")" -v na="$(wc -l <"$tmp/absent")" \
	-v sf="$tmp/shours" "$lib"'
	{ n++; in_ += $2; out += $3; rej += $4; dup += $5 }
	END {
		while ((getline l < sf) > 0) { split(l, a, "\t"); srej += a[2]; ns++ }
		print "<table class=\"kv\">"
		print "<tr><th>hours in the range</th><td class=\"n\" id=\"hours-range\">" nh "</td></tr>"
		print "<tr><th>hours ingested (bronze stats)</th><td class=\"n\" id=\"hours-ingested\">" n + 0 "</td></tr>"
		print "<tr><th>hours missing upstream (.missing)</th><td class=\"n\" id=\"hours-missing\">" nm "</td></tr>"
		print "<tr><th>hours not ingested</th><td class=\"n\">" na "</td></tr>"
		print "<tr><th>events read (bronze records_in)</th><td class=\"n\">" in_ + 0 "</td></tr>"
		print "<tr><th>events kept (bronze records_out)</th><td class=\"n\" id=\"events-kept\">" out + 0 "</td></tr>"
		print "<tr><th>rejected by bronze (quarantined)</th><td class=\"n\" id=\"bronze-rejected\">" rej + 0 "</td></tr>"
		print "<tr><th>duplicates dropped by bronze</th><td class=\"n\" id=\"bronze-duplicates\">" dup + 0 "</td></tr>"
		print "<tr><th>rejected by silver (" ns + 0 " hours)</th><td class=\"n\">" srej + 0 "</td></tr>"
		print "</table>"
	}' "$tmp/bhours" >>"$body"
src "bronze/HOUR.stats.json ($(wc -l <"$tmp/bstats") files)" "silver/HOUR.stats.json ($(wc -l <"$tmp/sstats") files)" \
	"raw/HOUR.missing ($(wc -l <"$tmp/missing") files)"
if [ -s "$tmp/eras" ]; then
	say "<h3>Events by era</h3>" "<p>The eras of GH Archive differ in what an event holds (see gha(7)).</p>"
	awk -F'\t' "$lib"'{ n[$1] += $2; if (!($1 in o)) o[$1] = ++k; e[k] = $1 }
		END { print "<table><tr><th>era</th><th>events</th></tr>"
			for (i = 1; i <= k; i++) print "<tr>" td(e[i]) num(n[e[i]]) "</tr>"
			print "</table>" }' "$tmp/eras" >>"$body"
fi
# the hours that are not clean, in order: missing, not ingested (runs of
# neighbouring hours in one row), with rejects or duplicates
awk -F'\t' 'FILENAME == ARGV[1] { if ($4 > 0 || $5 > 0) bad[$1] = $4 "\t" $5; ok[$1] = 1; next }
	FILENAME == ARGV[2] { miss[$1] = 1; next }
	{ st = ($1 in bad) ? "ingested" : ($1 in miss) ? "missing upstream" : ($1 in ok) ? "" : "not ingested"
	  if (st != prev || st == "ingested") { flush(); first = $1; n = 0 }
	  prev = st; lasth = $1; n++; if (st == "ingested") { flush(); prev = "" } }
	function flush() {
		if (prev == "" || !n) return
		print (n > 1 ? first " to " lasth " (" n " hours)" : first) "\t" prev "\t" \
			(prev == "ingested" ? bad[first] : "\\N\t\\N"); n = 0 }
	END { flush() }' "$tmp/bhours" "$tmp/missing" "$tmp/hours" >"$tmp/bad"
if [ -s "$tmp/bad" ]; then
	say "<h3>Hours that are not clean</h3>"
	awk -F'\t' "$lib"'NR <= 48 { r = r "<tr>" td($1) td($2) num($3) num($4) "</tr>\n" }
		END { print "<table id=\"unclean\"><tr><th>hours</th><th>state</th><th>rejected</th><th>duplicates</th></tr>"
			printf "%s", r; print "</table>"
			if (NR > 48) print "<p>and " NR - 48 " more rows.</p>" }' "$tmp/bad" >>"$body"
else
	say "<p>Every hour of the range is ingested, with no reject and no duplicate.</p>"
fi

# ---- activity by hour and event type, with the bot share ----
say "<h2 id=\"activity\">Activity by hour and event type</h2>"
: >"$tmp/activity"
n=0
while read -r d; do
	if have "$G/day/$d/activity.tsv"; then
		tail -n +2 "$data/$G/day/$d/activity.tsv" >>"$tmp/activity"
		n=$((n + 1))
	fi
done <"$tmp/days"
if [ "$n" = 0 ]; then
	absent "$G/day/DAY/activity.tsv"
else
	# a table of hour x type: the 7 busiest types, the rest summed as "other types"
	awk -F'\t' '{ t[$2] += $3 } END { for (k in t) print t[k] "\t" k }' "$tmp/activity" |
		sort -k1,1rn -k2 | cut -f2 >"$tmp/types"
	awk -F'\t' -v tf="$tmp/types" '
		BEGIN { while ((getline l < tf) > 0) { k++; if (k <= 7) { col[l] = k; name[k] = l } else { col[l] = 8; name[8] = "other types" } } }
		{ if (!($1 in seen)) { seen[$1] = 1; hs[++nh] = $1 }; v[$1, col[$2]] += $3; ev[$1] += $3; bot[$1] += $6 }
		END {
			printf "hour"; for (i = 1; i in name; i++) printf "\t%s", name[i]; printf "\tbot share %%\n"
			for (j = 1; j <= nh; j++) {
				h = hs[j]; lbl = substr(h, 6, 5) " " substr(h, 12, 2) "h"
				printf "%s", lbl; for (i = 1; i in name; i++) printf "\t%d", v[h, i]
				printf "\t%.2f\n", ev[h] ? 100 * bot[h] / ev[h] : 0
			}
		}' "$tmp/activity" | sort -s -t"$(printf '\t')" -k1,1 >"$tmp/act.dat.u"
	# header first (it sorts after digits), then the hours in order
	grep '^hour' "$tmp/act.dat.u" >"$tmp/act.dat"
	grep -v '^hour' "$tmp/act.dat.u" >>"$tmp/act.dat" || true
	nt=$(head -n 1 "$tmp/act.dat" | awk -F'\t' '{ print NF - 1 }')
	nr=$(($(wc -l <"$tmp/act.dat") - 1))
	every=$(((nr + 11) / 12))
	chart activity 900 360 <<EOF
set key autotitle columnhead
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top vertical Left reverse
set ylabel "events"
set y2label "bot share, % of events"
set y2tics
set yrange [0:*]
set y2range [0:*]
set xtics rotate by -45
plot for [i=2:$nt] "$tmp/act.dat" using i:xtic(int(\$0) % $every == 0 ? strcol(1) : ""), \
	"$tmp/act.dat" using 0:$((nt + 1)) axes x1y2 with linespoints lw 2 lc "black" pt 7 ps 0.5 title "bot share (right)"
EOF
	awk -F'\t' "$lib"'{ e += $3; b += $6 } END {
		printf "<p>%d events in %d hour rows, <span id=\"bot-events\">%d</span> of them by bots (%.2f%%): the sum of the events and bot_events columns.</p>\n", e, NR, b, e ? 100 * b / e : 0 }' \
		"$tmp/activity" >>"$body"
	src "$G/day/DAY/activity.tsv ($n days: $(head -n 1 "$tmp/days") to $last)"
fi

# ---- trending ----
trending_table() {	# FILE ID TOP: ranked rows (TOP), then the flagged ones
	awk -F'\t' -v id="$2" -v top="$3" "$lib"'NR == 1 { next }
		$1 != "\\N" && ++r <= top { ranked = ranked row() }
		$1 == "\\N" && ++f <= 20 { flagged = flagged row() }
		function row() {
			return "<tr" ($12 != "\\N" ? " class=\"flag\"" : "") ">" num($1) td($3) td($4) num($5) num($6) num($7) num($10) td($11, "list") \
				($12 != "\\N" ? "<td class=\"flag\">star farm: " val($12) "</td>" : "<td></td>") "</tr>\n"
		}
		END {
			print "<table id=\"" id "\"><tr><th>rank</th><th>repo</th><th>language</th><th>score</th><th>stars</th><th>forks</th><th>contributors</th><th>top contributors</th><th>flag</th></tr>"
			printf "%s%s", ranked, flagged; print "</table>"
			printf "<p>%d ranked rows, %d flagged as star farms (not ranked).</p>\n", r, f
		}' "$data/$1" >>"$body"
}
say "<h2 id=\"trending\">Trending repositories</h2>"
say "<p>Ranked by gha-gold's trending score (stars and forks weighted by recency, PR openers, pushers; bots never count). Repositories flagged as star farms are listed after the ranked ones, unranked.</p>"
if have "$W7/trending.tsv"; then
	say "<h3>7 days ending $last</h3>"
	awk -F'\t' 'NR > 1 && $1 != "\\N" && NR <= 11 { print $3 "\t" $5 }' "$data/$W7/trending.tsv" >"$tmp/trend.dat"
	if [ -s "$tmp/trend.dat" ]; then
		chart trending 900 300 <<EOF
set yrange [*:*] reverse
set xrange [0:*]
set style fill solid 0.85 border -1
set xlabel "score"
set grid xtics lc "#dddddd"
plot "$tmp/trend.dat" using (\$2/2):0:(0):2:(\$0-0.4):(\$0+0.4):ytic(1) with boxxyerror lc "#3b7dd8"
EOF
	fi
	trending_table "$W7/trending.tsv" trending-7d 20
	src "$W7/trending.tsv"
else
	absent "$W7/trending.tsv"
fi
if have "$W30/trending.tsv"; then
	say "<h3>30 days ending $last</h3>"
	trending_table "$W30/trending.tsv" trending-30d 10
	src "$W30/trending.tsv"
fi

# ---- languages over time ----
say "<h2 id=\"languages\">Languages</h2>"
: >"$tmp/langs"
n=0
while read -r d; do
	if have "$G/day/$d/languages.tsv"; then
		tail -n +2 "$data/$G/day/$d/languages.tsv" >>"$tmp/langs"
		n=$((n + 1))
	fi
done <"$tmp/days"
if [ "$n" = 0 ]; then
	absent "$G/day/DAY/languages.tsv"
else
	awk -F'\t' '$2 != "\\N" { t[$2] += $3 } END { for (k in t) print t[k] "\t" k }' "$tmp/langs" |
		sort -k1,1rn -k2 | sed -n 1,8p | cut -f2 >"$tmp/toplangs"
	if [ ! -s "$tmp/toplangs" ]; then
		say "<p class=\"none\">No event has a known language: nothing to chart.</p>"
	elif [ "$n" = 1 ]; then
		awk -F'\t' 'NR == FNR { top[$1] = 1; next } ($2 in top) { print $2 "\t" $3 }' "$tmp/toplangs" "$tmp/langs" |
			sort -t"$(printf '\t')" -k2,2rn >"$tmp/lang.dat"
		chart languages 900 300 <<EOF
set style fill solid 0.85 border -1
set boxwidth 0.7
set yrange [0:*]
set ylabel "events on $last"
plot "$tmp/lang.dat" using 0:2:xtic(1) with boxes lc "#3b7dd8"
EOF
	else
		awk -F'\t' -v tf="$tmp/toplangs" '
			BEGIN { while ((getline l < tf) > 0) name[++k] = l }
			{ if (!($1 in seen)) { seen[$1] = 1; ds[++nd] = $1 }; v[$1, $2] = $3 }
			END { printf "day"; for (i = 1; i <= k; i++) printf "\t%s", name[i]; printf "\n"
				for (j = 1; j <= nd; j++) { printf "%s", ds[j]; for (i = 1; i <= k; i++) printf "\t%d", v[ds[j], name[i]]; printf "\n" } }' \
			"$tmp/langs" >"$tmp/lang.dat"
		nl=$(head -n 1 "$tmp/lang.dat" | awk -F'\t' '{ print NF }')
		chart languages 900 320 <<EOF
set xdata time
set timefmt "%Y-%m-%d"
set format x "%m-%d"
set yrange [0:*]
set ylabel "events a day"
set key outside right top vertical Left reverse
plot for [i=2:$nl] "$tmp/lang.dat" using 1:i with linespoints lw 2 pt 7 ps 0.5 title columnheader(i)
EOF
	fi
	say "<h3>On $last</h3>"
	if have "$G/day/$last/languages.tsv"; then
		awk -F'\t' "$lib"'NR > 1 { print $3 "\t" $0 }' "$data/$G/day/$last/languages.tsv" | sort -t"$(printf '\t')" -k1,1rn -k3 |
			cut -f2- | awk -F'\t' "$lib"'NR <= 15 { r = r "<tr>" ($2 == "\\N" ? "<td class=\"none\">no known language</td>" : td($2)) num($3) num($4) num($5) num($6) num($7) num($8) "</tr>\n" }
			END { print "<table id=\"languages-last\"><tr><th>language</th><th>events</th><th>repos</th><th>actors</th><th>pushes</th><th>PRs opened</th><th>stars</th></tr>"
				printf "%s", r; print "</table>" }' >>"$body"
	fi
	src "$G/day/DAY/languages.tsv ($n days)"
fi

# ---- regions ----
say "<h2 id=\"regions\">Regions</h2>"
if have "$W30/regions.tsv" && have "$W30/actor_profiles.tsv"; then
	say "<p>An actor's region is inferred from the hours of day it is active in (gha-gold(1), actor_profiles): a fit of a generic human day to its active hours over the 30-day window; actors with too little activity, a flat profile or a confidence under 0.5 are <em>unknown</em>.</p>"
	awk -F'\t' "$lib"'NR > 1 { n++; if ($10 != "unknown") { p++; c += $9; if ($9 >= 0.9) hi++ } }
		END { printf "<p>Coverage: <span id=\"regions-placed\">%d</span> of <span id=\"regions-actors\">%d</span> actors placed (%.1f%%)", p, n, n ? 100 * p / n : 0
			if (p) printf "; their mean confidence %.3f, %d of them at 0.9 or more", c / p, hi
			print ". (Counts of the rows of actor_profiles.tsv by region and confidence.)</p>" }' \
		"$data/$W30/actor_profiles.tsv" >>"$body"
	awk -F'\t' "$lib"'NR > 1 { r = r "<tr>" td($1) td($2) num($3) num($4) "</tr>\n" }
		END { print "<table id=\"regions\"><tr><th>day</th><th>region</th><th>actors</th><th>events</th></tr>"; printf "%s", r; print "</table>" }' \
		"$data/$W30/regions.tsv" >>"$body"
	# the 24-hour profiles: events by UTC hour of day, summed over each region's actors
	awk -F'\t' 'NR > 1 { split($6, e, ","); for (h = 1; h <= 24; h++) v[$10, h - 1] += e[h]; reg[$10] = 1 }
		END { k = 0; for (r in reg) name[++k] = r
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (name[j] < name[i]) { t = name[i]; name[i] = name[j]; name[j] = t }
			printf "hour"; for (i = 1; i <= k; i++) printf "\t%s", name[i]; printf "\n"
			for (h = 0; h < 24; h++) { printf "%d", h; for (i = 1; i <= k; i++) printf "\t%d", v[name[i], h]; printf "\n" } }' \
		"$data/$W30/actor_profiles.tsv" >"$tmp/prof.dat"
	nc=$(head -n 1 "$tmp/prof.dat" | awk -F'\t' '{ print NF }')
	say "<h3>24-hour profiles by region</h3>" "<p>Events by UTC hour of day: the sum of <code>events_by_hour</code> over the actors of each region.</p>"
	chart regions 900 300 <<EOF
set xrange [0:23]
set xtics 0,2,23
set xlabel "UTC hour of day"
set ylabel "events"
set yrange [0:*]
set key outside right top vertical Left reverse
plot for [i=2:$nc] "$tmp/prof.dat" using 1:i with linespoints lw 2 pt 7 ps 0.5 title columnheader(i)
EOF
	src "$W30/regions.tsv" "$W30/actor_profiles.tsv"
else
	absent "$W30/regions.tsv"
fi

# ---- anomalies ----
say "<h2 id=\"anomalies\">Anomalies</h2>"
if have "$W7/anomalies.tsv"; then
	f=$data/$W7/anomalies.tsv
	awk -F'\t' 'NR > 1 && $2 == "global" && $5 == "events" { print $1 "\t" $6 "\t" ($10 != "\\N" ? $6 : "NaN") }' "$f" >"$tmp/anom.dat"
	awk -F'\t' 'NR > 1 && $2 == "global" && $5 == "bot_events" { print $1 "\t" $6 }' "$f" >"$tmp/anomb.dat"
	if [ -s "$tmp/anom.dat" ]; then
		say "<p>The global series of the window: events and bot events by hour, flagged hours marked in red (gap, volume_drop).</p>"
		chart anomalies 900 300 <<EOF
set xdata time
set timefmt "%Y-%m-%dT%H:%M:%SZ"
set format x "%m-%d %Hh"
set xtics rotate by -45
set ylabel "events an hour"
set yrange [0:*]
set key outside right top vertical Left reverse
plot "$tmp/anom.dat" using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc "#3b7dd8" title "events", \
	"$tmp/anomb.dat" using 1:2 with lines lw 1 lc "#888888" title "bot events", \
	"$tmp/anom.dat" using 1:3 with points pt 9 ps 1.6 lc "#d62728" title "flagged"
EOF
	fi
	say "<h3>Flagged</h3>" "<p>Every flagged row (reason not NULL), highest score first, at most 30. Repo and actor series are in the table only at their flagged hours (gha-gold(1)), so only the global series is drawn.</p>"
	awk -F'\t' 'NR > 1 && $10 != "\\N" { s = $9 == "\\N" ? 0 : $9; print (s < 0 ? -s : s) "\t" $0 }' "$f" |
		sort -t"$(printf '\t')" -k1,1gr -k2 | cut -f2- |
		awk -F'\t' "$lib"'NR <= 30 { r = r "<tr>" td($1) td($2) td($4 != "\\N" ? $4 : $3) td($5) num($6) num($7) num($9) td($10, "flag") "</tr>\n" }
			END { if (NR == 0) { print "<p id=\"anomalies-none\">No flagged row in this window.</p>"; exit }
				print "<table id=\"anomalies\"><tr><th>hour</th><th>scope</th><th>name</th><th>metric</th><th>value</th><th>baseline</th><th>score</th><th>reason</th></tr>"
				printf "%s", r; print "</table>"; if (NR > 30) print "<p>and " NR - 30 " more.</p>" }' >>"$body"
	src "$W7/anomalies.tsv"
else
	absent "$W7/anomalies.tsv"
fi

# ---- pull requests ----
say "<h2 id=\"prs\">Pull requests</h2>"
if have "$W7/prs.tsv"; then
	f=$data/$W7/prs.tsv
	awk -F'\t' "$lib"'NR > 1 && $2 == "all" {
		printf "<p>Merged over the 7 days ending '"$last"': <span id=\"prs-merged\">%s</span>, of which %s with both times known; merge time median %s s, 90th percentile %s s.</p>\n", val($5), val($6), val($7), val($8)
		print "size\tPRs" > "'"$tmp"'/size.dat"
		split("under 10 lines,10-99,100-499,500-999,1000 or more,unknown", n, ",")
		for (i = 1; i <= 6; i++) print n[i] "\t" $(8 + i) > "'"$tmp"'/size.dat" }' "$f" >>"$body"
	if [ -s "$tmp/size.dat" ]; then
		say "<h3>Sizes of merged PRs (additions + deletions)</h3>"
		chart prsizes 600 260 <<EOF
set style fill solid 0.85 border -1
set boxwidth 0.7
set yrange [0:*]
set ylabel "merged PRs"
plot "$tmp/size.dat" using 0:2:xtic(1) every ::1 with boxes lc "#2ca02c"
EOF
	fi
	say "<h3>Merge times by day</h3>"
	awk -F'\t' "$lib"'NR > 1 && $2 == "day" { r = r "<tr>" td($1) num($5) num($6) num($7) num($8) "</tr>\n" }
		END { print "<table id=\"prs-days\"><tr><th>day</th><th>merged</th><th>timed</th><th>median, s</th><th>90th percentile, s</th></tr>"; printf "%s", r; print "</table>" }' "$f" >>"$body"
	say "<h3>Repositories with the most merged PRs</h3>"
	awk -F'\t' 'NR > 1 && $2 == "repo" { m[$4] += $5 } END { for (k in m) print m[k] "\t" k }' "$f" |
		sort -t"$(printf '\t')" -k1,1rn -k2 | sed -n 1,10p |
		awk -F'\t' "$lib"'{ r = r "<tr>" td($2) num($1) "</tr>\n" } END { print "<table><tr><th>repo</th><th>merged (sum of its day rows)</th></tr>"; printf "%s", r; print "</table>" }' >>"$body"
	src "$W7/prs.tsv"
else
	absent "$W7/prs.tsv"
fi

# ---- contributors ----
say "<h2 id=\"contributors\">Contributors</h2>"
if have "$W7/contributors.tsv"; then
	f=$data/$W7/contributors.tsv
	awk -F'\t' 'NR > 1 { n++; if ($15 == "t") b++ } END {
		printf "<p><span id=\"contributors-n\">%d</span> actors over the 7 days ending '"$last"', %d of them bots (rows of contributors.tsv). The busiest people (bots left out):</p>\n", n, b }' "$f" >>"$body"
	awk -F'\t' 'NR > 1 && $15 != "t" { print $3 "\t" $0 }' "$f" | sort -t"$(printf '\t')" -k1,1rn -k3 | cut -f2- |
		awk -F'\t' "$lib"'NR <= 15 { r = r "<tr>" td($2) num($3) num($4) num($5) num($6) num($7) num($8) num($10) num($11) num($12) "</tr>\n" }
			END { print "<table id=\"contributors\"><tr><th>login</th><th>events</th><th>pushes</th><th>commits</th><th>PRs opened</th><th>PRs merged</th><th>reviews</th><th>comments</th><th>repos</th><th>active days</th></tr>"
				printf "%s", r; print "</table>" }' >>"$body"
	src "$W7/contributors.tsv"
else
	absent "$W7/contributors.tsv"
fi

# ---- clusters (gha-kmeans) ----
# the fits of make kmeans (pipelines/kmeans.mk) over the windows ending at
# TO's day: DATA/kmeans/Nd-DAY/SET.centroids.tsv and SET.metrics.json
say "<h2 id=\"clusters\">Clusters</h2>"
nk=0
for kc in "$kdir"/*-"$last"/*.centroids.tsv; do
	kd=${kc%.centroids.tsv}
	if [ ! -s "$kc" ] || [ ! -s "$kd.metrics.json" ]; then continue; fi
	nk=$((nk + 1))
	kn="$(basename "$kd") over the $(basename "$(dirname "$kd")" | sed 's/d-.*//')-day window ending $last"
	rel=${kd#"$data"/}
	say "<h3>$(printf '%s' "$kn" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')</h3>"
	jq -r '[.input, .rows, .rows_dropped, .k, .scale, (.features | join(", ")), .inertia, .silhouette,
		.davies_bouldin, .calinski_harabasz, .iterations, .converged, (.run_id // .mlflow_run_id)]
		| map(if . == null then "" else tostring end) | @tsv' "$kd.metrics.json" >"$tmp/kmetrics"
	# the MLflow run id: in metrics.json, in SET.run_id, or the run of an
	# MLflow file store (REPORT_MLRUNS, DATA/mlruns, DATA/kmeans/mlruns)
	# whose input_sha256 and k params are this fit's (the newest such run)
	run=$(awk -F'\t' '{ print $13 }' "$tmp/kmetrics")
	if [ -z "$run" ] && [ -s "$kd.run_id" ]; then run=$(head -n 1 "$kd.run_id"); fi
	sha=$(jq -r '.input_sha256 // empty' "$kd.metrics.json")
	if [ -z "$run" ] && [ -n "$sha" ]; then
		for m in ${REPORT_MLRUNS:+"$REPORT_MLRUNS"} "$data/mlruns" "$kdir/mlruns"; do
			[ -d "$m" ] || continue
			# the newest run with this input and this k
			kk=$(jq -r .k "$kd.metrics.json")
			hit=$(grep -lsx -- "$sha" "$m"/*/*/params/input_sha256 |
				while read -r p; do grep -qsx -- "$kk" "${p%/input_sha256}/k" && printf '%s\n' "${p%/params/input_sha256}"; done |
				xargs -r -d '\n' ls -dt | head -n 1) || true
			if [ -n "$hit" ]; then run=$(basename "$hit"); break; fi
		done
	fi
	awk -F'\t' -v OFS='\t' -v r="$run" '{ $13 = r; print }' "$tmp/kmetrics" >"$tmp/kmetrics2"
	mv "$tmp/kmetrics2" "$tmp/kmetrics"
	awk -F'\t' -v n="$nk" "$lib"'{
		print "<table class=\"kv\" id=\"kmeans-metrics-" n "\">"
		split("input,rows clustered,rows dropped,k,scaling,features,inertia,silhouette,Davies-Bouldin,Calinski-Harabasz,iterations,converged,MLflow run id", h, ",")
		for (i = 1; i <= 13; i++) {
			if (i == 13) c = $i == "" ? "<td class=\"none\">not tracked (no run id found)</td>" : td($i)
			else c = (i == 1 || i == 5 || i == 6 || i == 12) ? td($i) : num($i)
			print "<tr><th>" h[i] "</th>" c "</tr>"
		}
		print "</table>" }' "$tmp/kmetrics" >>"$body"
	# sizes (a bar chart) and the centroids: a heatmap of each feature's
	# centroid as a share of that feature's largest one, the values printed
	awk -F'\t' 'NR > 1 { print "cluster " $1 "\t" $2 }' "$kc" >"$tmp/ksize$nk.dat"
	chart "ksizes$nk" 500 240 <<EOF
set style fill solid 0.85 border -1
set boxwidth 0.7
set yrange [0:*]
set ylabel "rows"
plot "$tmp/ksize$nk.dat" using 0:2:xtic(1) with boxes lc "#9467bd"
EOF
	awk -F'\t' 'NR == 1 { nf = NF; next }
		{ nc++; for (j = 3; j <= nf; j++) { v[nc, j] = $j + 0; a = $j < 0 ? -$j : $j; if (a > mx[j]) mx[j] = a } }
		END { for (c = 1; c <= nc; c++) for (j = 3; j <= nf; j++)
			printf "%d\t%d\t%.4f\t%.3g\n", j - 3, c - 1, mx[j] ? v[c, j] / mx[j] : 0, v[c, j] }' \
		"$kc" >"$tmp/kheat$nk.dat"
	head -n 1 "$kc" | tr '\t' '\n' | tail -n +3 |
		awk '{ gsub(/"/, ""); printf "%s\"%s\" %d", (NR > 1 ? ", " : ""), $0, NR - 1 }' >"$tmp/kfeat$nk"
	nkc=$(($(wc -l <"$kc") - 1))
	say "<p>Centroids in the features' original units (printed when there are at most 12 features); the colour is each value as a share of that feature's largest centroid, so a column's darkest cell is the cluster highest in it.</p>"
	chart "kheat$nk" 900 $((140 + 36 * nkc)) <<EOF
set xtics ($(cat "$tmp/kfeat$nk")) rotate by -30
set ytics 1
set yrange [$nkc - 0.5:-0.5]
set xrange [-0.5:*]
set ylabel "cluster"
set palette defined (-1 "#b2182b", 0 "#ffffff", 1 "#2166ac")
set cbrange [-1:1]
set grid noytics
unset border
plot "$tmp/kheat$nk.dat" using 1:2:3 with image pixels$(if [ "$(wc -l <"$tmp/kheat$nk.dat")" -le $((12 * nkc)) ]; then
	echo ', "" using 1:2:4 with labels font "sans,9"'; fi)
EOF
	say "<h4>What distinguishes each cluster</h4>"
	awk -F'\t' -v n="$nk" "$lib"'NR == 1 { nf = NF; for (j = 3; j <= NF; j++) f[j] = $j; next }
		{ nc++; id[nc] = $1; sz[nc] = $2; for (j = 3; j <= nf; j++) v[nc, j] = $j + 0 }
		END { for (j = 3; j <= nf; j++) {
				b = 1; tie = 0
				for (c = 2; c <= nc; c++) if (v[c, j] > v[b, j]) { b = c; tie = 0 } else if (v[c, j] == v[b, j]) tie = 1
				if (!tie) hi[b] = hi[b] (hi[b] != "" ? ", " : "") f[j] }
			print "<table id=\"kmeans-clusters-" n "\"><tr><th>cluster</th><th>size</th><th>the highest centroid of all clusters in</th></tr>"
			for (c = 1; c <= nc; c++) print "<tr>" num(id[c]) num(sz[c]) td(hi[c] != "" ? hi[c] : "(no feature)") "</tr>"
			print "</table>" }' "$kc" >>"$body"
	src "$rel.centroids.tsv" "$rel.metrics.json"
done
if [ "$nk" = 0 ]; then
	say "<p class=\"none\" id=\"clusters-none\">No clustering output was found: no gha-kmeans fit under <code>${kdir#"$data"/}/Nd-$last/</code> (SET.centroids.tsv and SET.metrics.json; <code>make kmeans</code> makes them).</p>"
fi

# ---- the charts, then the page ----
if [ -s "$gp" ]; then
	"$gnuplot" "$gp" 2>"$tmp/gnuplot.err" || { cat "$tmp/gnuplot.err" >&2; echo "gha: report: gnuplot failed" >&2; exit 65; }
fi
title="gha report, $from to $to"
{
	cat <<EOF
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 15px/1.45 system-ui, sans-serif; max-width: 980px; margin: 1em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #3b7dd8; padding-bottom: 2px; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 13px; }
td.list { overflow-wrap: anywhere; max-width: 22em; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f2f5fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.flag td, td.flag { background: #fff0f0; color: #a00; }
.src { font-size: 12px; color: #666; }
.none { color: #a60; }
figure { margin: 0.5em 0; }
svg { max-width: 100%; height: auto; }
nav a { margin-right: 0.8em; }
</style>
</head>
<body>
<h1>$title</h1>
<p>Data directory <code>$(printf '%s' "$data" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')</code>; hours $from to $to (UTC). File names below are relative to it. Made by <code>make report</code> from the gold tables of <code>make gold</code>.</p>
<nav><a href="#data">data</a><a href="#activity">activity</a><a href="#trending">trending</a><a href="#languages">languages</a><a href="#regions">regions</a><a href="#anomalies">anomalies</a><a href="#prs">pull requests</a><a href="#contributors">contributors</a><a href="#clusters">clusters</a></nav>
EOF
	# each @@SVG name@@ line becomes that chart, its ids made unique to it
	awk -v dir="$tmp" '
		/^@@SVG [a-z0-9]+@@$/ {
			name = substr($2, 1, length($2) - 2); f = dir "/" name ".svg"; body = 0
			print "<figure class=\"chart\" id=\"chart-" name "\">"
			while ((getline l < f) > 0) {
				if (l ~ /^<svg/) body = 1
				if (!body) continue
				gsub(/id=\047gp/, "id=\047" name "-gp", l); gsub(/id="gp/, "id=\"" name "-gp", l)
				gsub(/#gp/, "#" name "-gp", l)
				print l
			}
			close(f); print "</figure>"; next
		}
		{ print }' "$body"
	echo "</body>"
	echo "</html>"
} >"$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
