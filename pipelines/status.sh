#!/usr/bin/env bash
# status.sh DATA HOUR...: one line per hour: which layers exist, the
# bronze reject and event counts, and hours recorded as missing upstream.
set -eu -o pipefail
data=$1
shift
printf '%-14s %-8s %-7s %9s %9s %-7s\n' hour raw bronze events rejected silver
for h in "$@"; do
	raw=-
	[ -f "$data/raw/$h.missing" ] && raw=missing
	[ -f "$data/raw/$h.json.gz.part" ] && raw=partial
	[ -f "$data/raw/$h.json.gz" ] && raw=yes
	bronze=- events=- rejected=- silver=-
	if [ -f "$data/bronze/$h.ndjson.gz" ]; then
		bronze=yes
		if [ -f "$data/bronze/$h.stats.json" ]; then
			events=$(jq -r .records_out "$data/bronze/$h.stats.json")
			rejected=$(jq -r .rejected "$data/bronze/$h.stats.json")
		fi
	fi
	[ -f "$data/silver/$h.events.tsv.gz" ] && silver=yes
	printf '%-14s %-8s %-7s %9s %9s %-7s\n' "$h" "$raw" "$bronze" "$events" "$rejected" "$silver"
done
