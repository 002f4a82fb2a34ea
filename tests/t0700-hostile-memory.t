#!/usr/bin/env bash
# gha-bronze and gha-silver on hostile inputs, generated here, under a
# limit of 1 GiB of address space (ulimit -v): a 50 MB line, nesting a
# million deep, a million members in one event, 20,000 distinct event
# types, and a gzip bomb (1 GiB of zeros without a newline, in 1 MB).
# Each run ends with its documented exit status and a message naming
# the file and line, never a crash or an out-of-memory abort; the good
# records around the hostile one come through.
. "$(dirname "$0")/lib.sh"

LIMIT_KB=1048576
if grep -qa __asan_init "$BIN/gha-bronze"; then
	# ASan reserves terabytes of address space: ulimit -v cannot apply
	echo "ok 1 # SKIP a sanitizer build: ulimit -v breaks ASan"
	echo "1..1"
	exit 0
fi

zcat "$REAL/2015-01-01-15.first1024.json.gz" | head -n 6 >"$TMP/good"
python3 - "$TMP" <<'PY'
import json, sys, zlib
tmp = sys.argv[1]
six = open(tmp + '/good', 'rb').read().split(b'\n')
good, good2 = b'\n'.join(six[:3]) + b'\n', b'\n'.join(six[3:6]) + b'\n'
def put(name, line):	# 3 good events, the hostile line, 3 others
    with open(tmp + '/' + name, 'wb') as f:
        f.write(good + line + b'\n' + good2)
put('longline', b'{"junk":"' + b'x' * (50 << 20) + b'"}')
put('deep', b'[' * 10**6 + b']' * 10**6)
e = six[0]
ev = json.loads(e)
e = e.replace(b'"id":"' + ev['id'].encode() + b'"', b'"id":"77"', 1)	# not a duplicate
put('members', e[:-1] + b',' + b','.join(b'"m%d":0' % i for i in range(10**6)) + b'}')
lines = []
for i in range(20000):
    ev['type'] = 'T%05dEvent' % i
    ev['id'] = str(10**9 + i)
    lines.append(json.dumps(ev, separators=(',', ':')).encode())
put('types', b'\n'.join(lines))
# the bomb: 16 gzip members of 64 MiB of zeros each, then the good lines
z = zlib.compressobj(9, zlib.DEFLATED, 31)
member = z.compress(b'\0' * (64 << 20)) + z.flush()
with open(tmp + '/bomb.json.gz', 'wb') as f:
    f.write(member * 16)
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    f.write(z.compress(b'\n' + good + good2) + z.flush())
PY
t "the bomb is small: $(wc -c <"$TMP/bomb.json.gz") bytes" test "$(wc -c <"$TMP/bomb.json.gz")" -lt 2000000

# hostile TOOL CASE STATUS: run under the limit; stats, quarantine, stderr kept
hostile() {
	local tool=$1 c=$2 want=$3 out=/dev/null
	[ "$tool" = gha-silver ] && out="$TMP/$c.tsv"
	rc=0
	(ulimit -v "$LIMIT_KB" && exec "$BIN/$tool" -m 100% -s "$TMP/$c.$tool.stats" \
		-r "$TMP/$c.$tool.rej" -o "$out" "$TMP/$c") 2>"$TMP/$c.$tool.err" || rc=$?
	is "$rc" "$want" "$tool $c: exit $want under ulimit -v $LIMIT_KB"
	t "$tool $c: no out-of-memory abort" sh -c "! grep -q 'out of memory' '$TMP/$c.$tool.err'"
	is "$(jq '.records_in - .records_out - .rejected - .duplicates - .filtered' \
		"$TMP/$c.$tool.stats")" 0 "$tool $c: in = out + rejected + duplicates + filtered"
}
# rejected TOOL CASE CODE LINE: one record quarantined with CODE, the good kept
rejected() {
	local tool=$1 c=$2 code=$3 line=$4
	is "$(jq -r .code "$TMP/$c.$tool.rej" | tr '\n' ' ')" "$code " "$tool $c: quarantined as $code"
	is "$(jq .records_out "$TMP/$c.$tool.stats")" 6 "$tool $c: the 6 good records around it kept"
	t "$tool $c: the message names file and line" \
		grep -q "^$tool: $TMP/$c:$line: " "$TMP/$c.$tool.err"
}

for tool in gha-bronze gha-silver; do
	hostile "$tool" longline 0
	rejected "$tool" longline missing-field 4
	hostile "$tool" deep 0
	rejected "$tool" deep json 4
	hostile "$tool" members 0
	is "$(jq .records_out "$TMP/members.$tool.stats")" 7 "$tool members: all 7 events kept"
	hostile "$tool" types 0
	is "$(jq '.records_out' "$TMP/types.$tool.stats")" 20006 "$tool types: every event kept"
	hostile "$tool" bomb.json.gz 0
	rejected "$tool" bomb.json.gz too-long 1
	t "$tool bomb: the reason gives the whole size" \
		grep -q "record of 1073741824 bytes is over the limit" "$TMP/bomb.json.gz.$tool.err"
	is "$(jq -r '.raw | length' "$TMP/bomb.json.gz.$tool.rej")" 65536 \
		"$tool bomb: the quarantine keeps the first 64 KiB"
done
# the counter of types stays bounded (1000 names, then "(other)")
n=$(jq '.events_by_type | length' "$TMP/types.gha-bronze.stats")
t "gha-bronze types: events_by_type holds at most 1001 names ($n)" test "$n" -le 1001
done_testing
