#!/usr/bin/env bash
# dropraw.sh DATA HOUR...: make ingest KEEP_RAW=0. Remove each hour's raw
# file once its bronze is made and was read back whole: gha-silver's
# stats say it read the bronze file to its end, intact ("status":"ok":
# every gzip member's CRC and length checked), and took as many records
# and bytes as gha-bronze wrote. The hour is left as raw/HOUR.dropped,
# written first, so that gha-fetch does not fetch it again and make
# status still knows it. Hours not done yet (no silver stats) are left
# alone; a rerun after a kill finishes the job. One jq for all the hours.
set -eu -o pipefail
data=$1
shift
cd "$data"
for h in "$@"; do
	if [ -f "raw/$h.json.gz" ] && [ -f "bronze/$h.stats.json" ] && [ -f "silver/$h.stats.json" ]; then
		printf '%s\n' "$h"
	fi
done >"raw/.drop.list.tmp"
if [ ! -s raw/.drop.list.tmp ]; then
	rm -f raw/.drop.list.tmp
	exit 0
fi
# hour, events: the hours whose silver read back all of their bronze (in
# batches of whole pairs of stats files)
# shellcheck disable=SC2016
sed 's|.*|bronze/&.stats.json\nsilver/&.stats.json|' raw/.drop.list.tmp | xargs -r -d '\n' -n 1000 jq -r -n '
	[inputs | {f: (input_filename | sub(".*/"; "") | sub("\\.stats\\.json$"; "")), s: .}]
	| group_by(.f)[] | select(length == 2)
	| (map(select(.s.tool == "gha-bronze"))[0].s) as $b
	| (map(select(.s.tool == "gha-silver"))[0].s) as $s
	| select($b != null and $s != null and ($s.files | length) == 1 and $s.files[0].status == "ok"
		and $s.records_in == $b.records_out and $s.bytes_uncompressed == $b.bytes_out)
	| "\(.[0].f)\t\($b.records_out)"' >raw/.drop.ok.tmp
while IFS=$'\t' read -r h n; do
	printf 'raw/%s.json.gz removed (KEEP_RAW=0): bronze/%s.ndjson.gz holds its %s events, read back whole by gha-silver\n' \
		"$h" "$h" "$n" >"raw/$h.dropped.tmp"
	mv "raw/$h.dropped.tmp" "raw/$h.dropped"
	rm -f "raw/$h.json.gz"
done <raw/.drop.ok.tmp
rm -f raw/.drop.list.tmp raw/.drop.ok.tmp
