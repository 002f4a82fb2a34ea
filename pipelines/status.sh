#!/usr/bin/env bash
# status.sh DATA FROM [TO]: one line per hour: which layers exist, the
# bronze event and reject counts, and a note saying why an hour is not
# done (the fetch ledger, the .missing marker, the quarantine of a hour
# whose reject rate was too high) or what looks wrong in its stats.
# A few processes whatever the range (no process per hour): the hour
# names, one listing of the layers, jq over the stats files in batches,
# and awk to join them.
set -eu -o pipefail
if [ $# -lt 2 ]; then
	echo "usage: status.sh DATA FROM [TO]" >&2
	exit 64
fi
data=$1 from=$2 to=${3:-$2}
fetch=${GHA_FETCH:-gha-fetch}
if [ ! -d "$data" ]; then
	echo "gha: no data directory '$data'" >&2
	exit 66
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gha-status.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$fetch" -n "$from" "$to" >"$tmp/hours"
# every file of the layers, as "layer<TAB>name"
for l in raw bronze silver; do
	if [ -d "$data/$l" ]; then
		find "$data/$l/" -maxdepth 1 -type f -printf "$l\t%f\n"
	fi
done >"$tmp/files"
# the stats and quarantines of the hours in the range
awk -F'\t' -v d="$data" 'NR == FNR { want[$1] = 1; next }
	$1 == "bronze" && match($2, /\.stats\.json$/) && (substr($2, 1, RSTART - 1) in want) {
		print d "/bronze/" $2 }
	$1 == "bronze" && match($2, /\.rejects\.failed\.ndjson$/) && (substr($2, 1, RSTART - 1) in want) {
		print d "/bronze/" $2 > "/dev/stderr" }' \
	"$tmp/hours" "$tmp/files" >"$tmp/statfiles" 2>"$tmp/failedfiles"
# stats: hour, events, rejects, the commonest reject code, and how many
# events belong to another hour ("all": gha-bronze found the file
# mislabeled), when the stats say (hour_mismatch, mislabeled_hours)
xargs -r -d '\n' jq -r '[(input_filename | sub(".*/"; "") | sub("\\.stats\\.json$"; "")),
	.records_out, .rejected,
	((.rejected_by_reason // {}) | to_entries | max_by(.value) | .key // "-"),
	(if ((.mislabeled_hours // []) | length) > 0 or ([.files[]?.hour_mislabeled] | any)
	 then "all" else ((.hour_mismatch // .events_other_hour // "-") | tostring) end)] | @tsv' \
	<"$tmp/statfiles" >"$tmp/stats"
# the quarantines of hours that failed: hour, code
xargs -r -d '\n' jq -r '[(input_filename | sub(".*/"; "") | sub("\\.rejects\\.failed\\.ndjson$"; "")),
	(.code // "?")] | @tsv' <"$tmp/failedfiles" >"$tmp/failed"
ledger=$data/raw/.gha-fetch.log
[ -f "$ledger" ] || ledger=/dev/null

awk -F'\t' '
FILENAME == ARGV[1] { hours[++n] = $1; want[$1] = 1; next }
FILENAME == ARGV[2] {	# layer, file name
	f = $2
	if ($1 == "raw") {
		if (sub(/\.json\.gz$/, "", f)) raw[f] = "yes"	# over a stale .dropped
		else if (sub(/\.json\.gz\.part$/, "", f)) { if (!(f in raw)) raw[f] = "partial" }
		else if (sub(/\.missing$/, "", f)) mark[f] = 1
		else if (sub(/\.dropped$/, "", f)) { if (!(f in raw)) raw[f] = "dropped" }
	} else if ($1 == "bronze") {
		if (sub(/\.ndjson\.gz$/, "", f)) bronze[f] = 1
	} else if ($1 == "silver") {
		if (sub(/\.events\.tsv\.gz$/, "", f)) silver[f] = 1
	}
	next
}
FILENAME == ARGV[3] { ev[$1] = $2; rej[$1] = $3; top[$1] = $4; other[$1] = $5; next }
FILENAME == ARGV[4] { nfail[$1]++; c[$1 SUBSEP $2]++; next }
FILENAME == ARGV[5] {	# the ledger: the last attempt of each hour
	if ($1 in want) { lst[$1] = $3; lhttp[$1] = $4; ldet[$1] = $10 }
	next
}
function failtop(h,   k, best, bn, parts) {
	best = "?"; bn = 0
	for (k in c) {
		split(k, parts, SUBSEP)
		if (parts[1] == h && c[k] > bn) { bn = c[k]; best = parts[2] }
	}
	return best
}
function fetchnote(h,   s) {
	s = lst[h]
	if (s == "") return ""
	if (s == "missing" || s == "known-missing")
		return (s == "known-missing" ? "a known gap upstream" : "404 upstream") " (not recorded: a wrong base URL?)"
	return "fetch " s (lhttp[h] != "" && lhttp[h] != "0" ? " (HTTP " lhttp[h] ")" : "") \
		(ldet[h] != "" && ldet[h] != "-" ? ": " ldet[h] : "")
}
END {
	printf "%-14s %-8s %-7s %9s %9s %-7s %s\n", "hour", "raw", "bronze", "events", "rejected", "silver", "note"
	for (i = 1; i <= n; i++) {
		h = hours[i]
		r = (h in raw) ? raw[h] : ((h in mark) ? "missing" : "-")
		b = (h in bronze) ? "yes" : "-"
		e = (h in bronze && h in ev) ? ev[h] : "-"
		x = (h in bronze && h in rej) ? rej[h] : "-"
		s = (h in silver) ? "yes" : "-"
		note = ""
		if (r == "missing")
			note = (lst[h] == "known-missing") ? "a known gap upstream" : "missing upstream"
		else if (r == "-" || r == "partial") {
			note = fetchnote(h)
			if (r == "partial") note = "fetch interrupted" (note != "" ? "; last: " note : "")
		} else if (b == "-" && r == "dropped") {
			note = "raw removed (KEEP_RAW=0) and bronze lost: remove raw/" h ".dropped to fetch it again"
		} else if (b == "-") {
			if (h in nfail) note = "bronze: reject rate too high: " nfail[h] " rejects, mostly " failtop(h)
			else note = "bronze not built"
		} else if (s == "-")
			note = "silver not built"
		# since 2025-05 an hour holds some of its neighbours: a count, not a warning
		if (b == "yes" && other[h] != "" && other[h] != "-" && other[h] != "0") {
			w = (other[h] == "all" || other[h] == ev[h]) ? "warning: every event belongs to another hour (a mislabeled file?)" \
				: other[h] " events of another hour"
			note = (note != "" ? note "; " : "") w
		}
		if (note == "" && x != "-" && x + 0 > 0 && top[h] != "-")
			note = "rejects mostly " top[h]
		line = sprintf("%-14s %-8s %-7s %9s %9s ", h, r, b, e, x)
		print (note != "" ? line sprintf("%-7s %s", s, note) : line s)
	}
}' "$tmp/hours" "$tmp/files" "$tmp/stats" "$tmp/failed" "$ledger"
