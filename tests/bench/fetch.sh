#!/usr/bin/env bash
# fetch.sh: gha-fetch against the local test server: 24 hour files with
# -j 4 and -j 1, next to curl in a shell loop, measured in the same run,
# with gha-fetch's CPU time per MB.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GHA_BUILD:-$top/build}/bin
work=$(mktemp -d "${TMPDIR:-/tmp}/gha-bench-fetch.XXXXXX")
srv=""
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/mirror"
for h in $(seq 0 23); do
	cp "$top/tests/data/real/2015-01-01-$((h % 2)).json.gz" "$work/mirror/2015-01-01-$h.json.gz"
done
mb=$(du -cb "$work"/mirror/*.json.gz | tail -n 1 | awk '{ printf "%.1f", $1 / 1e6 }')
python3 "$top/tests/fetch_server.py" --root "$work/mirror" --port-file "$work/port" \
	--log /dev/null 2>/dev/null &
srv=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
base=http://127.0.0.1:$(cat "$work/port")

# "wall-seconds cpu-seconds" (user+sys of the command and its children)
measure() {
	local TIMEFORMAT='%R %U %S' out
	out=$({ time "$@" >/dev/null 2>&1; } 2>&1)
	echo "$out" | awk '{ printf "%.3f %.3f", $1, $2 + $3 }'
}
curl_loop() {
	local h
	for h in $(seq 0 23); do
		curl -sS -o "$1/2015-01-01-$h.json.gz" "$base/2015-01-01-$h.json.gz"
	done
}

echo "gha-fetch: 24 hours ($mb MB) from a local HTTP server (python, threaded)"
printf '%-28s %8s %9s %10s\n' command seconds MB/s "CPU ms/MB"
row() {
	local name=$1 secs cpu
	shift
	rm -rf "$work/out"
	mkdir -p "$work/out"
	read -r secs cpu <<<"$(measure "$@")"
	set -- "$secs" "$cpu"
	printf '%-28s %8.3f %9.1f %10.2f\n' "$name" "$1" "$(echo "$mb $1" | awk '{ print $1 / $2 }')" \
		"$(echo "$2 $mb" | awk '{ print 1000 * $1 / $2 }')"
}
row "gha-fetch -j 4" "$bin/gha-fetch" -q -j 4 -d "$work/out" --base-url "$base" 2015-01-01
row "gha-fetch -j 1" "$bin/gha-fetch" -q -j 1 -d "$work/out" --base-url "$base" 2015-01-01
if command -v curl >/dev/null; then
	row "curl in a shell loop" curl_loop "$work/out"
fi
echo "gha-fetch's CPU is mostly verification: it inflates every byte to check each gzip"
echo "member's CRC and size, and hashes the file (SHA-256); curl checks neither."
