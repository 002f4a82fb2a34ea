#!/usr/bin/env bash
# gha-load --target snowflake --exec against loopback stand-ins that
# enforce the real protocols (no Snowflake account, no AWS):
#   tests/s3_server.py  recomputes every request's SigV4 signature on its
#                       own (checked against AWS's published example) and
#                       the payload's SHA-256, stores the objects;
#   tests/sf_server.py  verifies the key-pair JWT (RS256 with the public
#                       key, iss/sub/fingerprint, iat/exp), answers 202
#                       then 200/422, keeps requestIds, and runs what
#                       gha-load sends: COPY INTO reads the stored chunks
#                       by the file format's options into a SQLite table.
# The rows are then compared with the input (decoded independently).
. "$(dirname "$0")/lib.sh"
L=$BIN/gha-load
PY=/usr/bin/python3

if ! $PY -c 'import cryptography' 2>/dev/null; then
	skip "Debian's python3-cryptography is not installed (.ci/deps.sh check installs it)"
	done_testing
	exit
fi
is "$($PY "$TESTDIR/s3_server.py" selftest)" f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41 \
	"the S3 stand-in's own SigV4 gives AWS's published signature (GET Object example)"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/key.pem" 2>/dev/null
openssl pkey -in "$TMP/key.pem" -pubout -out "$TMP/pub.pem" 2>/dev/null
mkdir -p "$TMP/s3" "$TMP/sf"
printf 'CREATE TABLE IF NOT EXISTS mine (event_id BIGINT NOT NULL, title TEXT, "REF" TEXT, number INTEGER, _source TEXT NOT NULL);\nCREATE TABLE IF NOT EXISTS rsv (event_id BIGINT, "ORDER" TEXT, _source TEXT NOT NULL)' >"$TMP/init.sql"
$PY "$TESTDIR/s3_server.py" serve "$TMP/s3" --access AKIDTEST --secret 'sec/ret+KEY' --region eu-west-1 &
s3pid=$!
start_sf() {
	rm -f "$TMP/sf/port"
	$PY "$TESTDIR/sf_server.py" serve "$TMP/sf" --pubkey "$TMP/pub.pem" --account myorg-acct1 --user loader \
		--stage gha_stage="$TMP/s3/objects/bkt/gha/in" --warehouse WH --database GHA --init "$TMP/init.sql" "$@" &
	sfpid=$!
}
start_sf
trap 'kill $s3pid $sfpid 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/s3/port" ] && [ -s "$TMP/sf/port" ] && break; sleep 0.1; done
export SNOWFLAKE_ACCOUNT=myorg-acct1 SNOWFLAKE_USER=loader SNOWFLAKE_PRIVATE_KEY_FILE=$TMP/key.pem \
	SNOWFLAKE_WAREHOUSE=wh SNOWFLAKE_DATABASE=gha GHA_SNOWFLAKE_URL=http://127.0.0.1:$(cat "$TMP/sf/port") \
	AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY='sec/ret+KEY' AWS_REGION=eu-west-1 \
	AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$TMP/s3/port")
sfctl() { curl -s "$GHA_SNOWFLAKE_URL/_ctl?$1" >/dev/null; }
s3ctl() { curl -s "$AWS_ENDPOINT_URL/_ctl?$1" >/dev/null; }
X=(--target snowflake --exec --stage gha_stage --s3 s3://bkt/gha/in/)
check() { $PY "$TESTDIR/sf_server.py" check "$TMP/sf" "$@"; }
manifest() { $PY "$TESTDIR/sf_server.py" dump "$TMP/sf" lake.gha_loads | jq -r '[.SOURCE, .ROWS, .SHA256] | @tsv' | sort; }

for h in 2015-01-01-0 2015-01-01-1; do
	# (3000 rows each: the stand-in's COPY is Python)
	"$BIN/gha-silver" -q "$REAL/$h.json.gz" | head -3001 | gzip -n >"$TMP/$h.events.tsv.gz"
done
A=$TMP/2015-01-01-0.events.tsv.gz B=$TMP/2015-01-01-1.events.tsv.gz
na=$(($(zcat "$A" | wc -l) - 1)) nb=$(($(zcat "$B" | wc -l) - 1))

run "$L" "${X[@]}" -t lake.gha_events --create --chunk-size 1 -s "$TMP/st.json" "$A" "$B"
is "$rc" 0 "two real hours (3000 rows each, 1 MB chunks): exit 0 ($(cat "$TMP/err"))"
is "$(check lake.gha_events 2015-01-01-0 "$A")" "$na rows equal" "hour 0: the table holds exactly its $na rows, values equal"
is "$(check lake.gha_events 2015-01-01-1 "$B")" "$nb rows equal" "hour 1: exactly its $nb rows"
is "$(manifest | cut -f1,2 | tr '\t\n' ': ')" "2015-01-01-0:$na 2015-01-01-1:$nb " "the manifest: one row per source, its row count"
is "$(manifest | cut -f3 | head -1)" "$(zcat "$A" | sha256sum | cut -d' ' -f1)" "the manifest's sha256 is the content's (sha256sum)"
is "$(jq '[.rows, .loaded]' -c "$TMP/st.json")" "[$((na + nb)),2]" "--stats: rows in = rows loaded"
nobj=$(find "$TMP/s3/objects/bkt/gha/in" -name 'part-*.csv.gz' | wc -l)
[ "$nobj" -ge 2 ] && ok "$nobj chunks in the bucket under the prefix" || not_ok "objects: $nobj"
grep -q "chunk(s) uploaded" "$TMP/out" && ok "a line per input" || not_ok "output: $(cat "$TMP/out")"
is "$(grep -c '^POST.* 202 333334' "$TMP/sf/requests.log")" "$(grep -c '^POST' "$TMP/sf/requests.log")" "every statement answered 202 first, then polled"
is "$(grep -c '^GET /api/v2/statements/.* 200 090001' "$TMP/sf/requests.log")" "$(grep -c '^POST' "$TMP/sf/requests.log")" "and each ended 200"
t "no temporary plan left" test -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'gha-load-sf.*' -newer "$TMP/key.pem" 2>/dev/null)"

# the token, checked by openssl: signature and fingerprint
tok=$(tail -1 "$TMP/sf/jwt.log")
b64d() { local s=${1//-/+}; s=${s//_//}; while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done; printf '%s' "$s" | base64 -d; }
printf '%s' "${tok%.*}" >"$TMP/signed"
b64d "${tok##*.}" >"$TMP/sig"
t "the JWT's RS256 signature verifies with openssl dgst -verify" openssl dgst -sha256 -verify "$TMP/pub.pem" -signature "$TMP/sig" "$TMP/signed"
fp=$(openssl pkey -pubin -in "$TMP/pub.pem" -outform DER | openssl dgst -sha256 -binary | base64)
claims=$(b64d "$(cut -d. -f2 <<<"$tok")")
is "$(jq -r .iss <<<"$claims")" "MYORG-ACCT1.LOADER.SHA256:$fp" "iss: ACCOUNT.USER.SHA256:<openssl's fingerprint of the public key>"
is "$(jq -r .sub <<<"$claims")" "MYORG-ACCT1.LOADER" "sub: ACCOUNT.USER"
is "$(jq '.exp - .iat' <<<"$claims")" 3540 "exp - iat: under Snowflake's hour"
! grep -rq -- "sec/ret+KEY\|BEGIN PRIVATE" "$TMP/out" "$TMP/err" && ok "no secret in the output" || not_ok "a secret was printed"

# exactly once: a rerun loads nothing, uploads nothing
n0=$(grep -c '^PUT' "$TMP/s3/requests.log")
run "$L" "${X[@]}" -t lake.gha_events --create --chunk-size 1 "$A" "$B"
is "$rc:$(grep -c 'already loaded' "$TMP/out")" "0:2" "a rerun: exit 0, both already loaded"
is "$(grep -c '^PUT' "$TMP/s3/requests.log")" "$n0" "and no chunk uploaded again (HEAD found them)"
is "$(check lake.gha_events 2015-01-01-0 "$A")" "$na rows equal" "still exactly the hour's rows"

# a rebuilt hour replaces its rows: hour 0's source now with hour 1's content less 100 rows
zcat "$B" | head -n -100 | gzip -n >"$TMP/re.tsv.gz"
run "$L" "${X[@]}" -t lake.gha_events --source 2015-01-01-0 "$TMP/re.tsv.gz"
is "$rc" 0 "a changed source: exit 0 ($(cat "$TMP/err"))"
is "$(check lake.gha_events 2015-01-01-0 "$TMP/re.tsv.gz")" "$((nb - 100)) rows equal" "its rows replaced, not added"
is "$(check lake.gha_events 2015-01-01-1 "$B")" "$nb rows equal" "the other source untouched"

# the golden: TAB, LF, CR, backslash, quotes, empty vs NULL, UTF-8, through a
# table of the user's (a quoted upper-case "REF" column: Snowflake folds ref to REF)
run "$L" "${X[@]}" -t mine --source g1 "$DATA/load/sf.tsv"
is "$rc" 0 "the golden into a table of one's own ($(cat "$TMP/err"))"
is "$(check mine g1 "$DATA/load/sf.tsv")" "$(($(wc -l <"$DATA/load/sf.tsv") - 1)) rows equal" "the golden's hard values arrive as they were"

# a reserved word as a column: Snowflake resolves the unquoted name order
# to ORDER, so it must be quoted as "ORDER" ("order" is another column)
printf 'event_id\torder\n1\tfirst\n2\t\\N\n' >"$TMP/rsv.tsv"
run "$L" "${X[@]}" -t rsv --source r1 "$TMP/rsv.tsv"
is "$rc" 0 "a column named by a reserved word (order): exit 0 ($(cat "$TMP/err"))"
is "$(check rsv r1 "$TMP/rsv.tsv")" "2 rows equal" "its values in the table's ORDER column"

# faults: 503 and 429 retried, an expired token renewed, a lost answer not run twice
sfctl "post503=2&post429=1&expire=1"
s3ctl "put503=2&put429=1"
zcat "$A" | head -500 | gzip -n >"$TMP/f.tsv.gz"
run "$L" "${X[@]}" -t lake.gha_events --source f1 "$TMP/f.tsv.gz"
is "$rc" 0 "503, 429 and an expired token on both sides: retried, exit 0 ($(cat "$TMP/err"))"
is "$(check lake.gha_events f1 "$TMP/f.tsv.gz")" "499 rows equal" "loaded once"
is "$(grep -c '^PUT .* 503$' "$TMP/s3/requests.log"):$(grep -c '^POST .* 503 000503' "$TMP/sf/requests.log")" 2:2 "the stand-ins did answer those 503s"
sfctl "after503=1"
zcat "$A" | head -300 | gzip -n >"$TMP/g.tsv.gz"
run "$L" "${X[@]}" -t lake.gha_events --source f2 "$TMP/g.tsv.gz"
is "$rc" 0 "a 503 after the statement ran: exit 0"
grep -q 'retry=true.* 200 090001\|retry=true.* 202' "$TMP/sf/requests.log" && ok "the retry reused its requestId with retry=true" || not_ok "no retry=true"
is "$(check lake.gha_events f2 "$TMP/g.tsv.gz")" "299 rows equal" "loaded once"
# a 429 with Retry-After: 2 is retried after 2 s, not after the first
# backoff (0.25 s): the stand-in logs each POST's time (a lower bound on
# the wait, which a slow machine can only lengthen)
sfctl "post429=1&retryafter=2"
: >"$TMP/sf/posts.log"
zcat "$A" | head -50 | gzip -n >"$TMP/ra.tsv.gz"
run "$L" "${X[@]}" -t lake.gha_events --source ra1 "$TMP/ra.tsv.gz"
is "$rc" 0 "a 429 with Retry-After: retried, exit 0"
gap=$(awk 'NR == 1 { a = $1 } NR == 2 { printf "%.0f", ($1 - a) * 1000 }' "$TMP/sf/posts.log")
[ "${gap:-0}" -ge 1950 ] && ok "the retry waited as Retry-After asked (${gap} ms)" || not_ok "the retry came after ${gap:-?} ms, not 2 s"
sfctl "retryafter=0"
sfctl "post503=9"
run "$L" "${X[@]}" -t lake.gha_events --source f3 "$TMP/g.tsv.gz"
is "$rc" 75 "503 past the retries: exit 75"
grep -q "HTTP 503, code 000503" "$TMP/err" && ok "Snowflake's code in the message" || not_ok "message: $(cat "$TMP/err")"
sfctl "post503=0"

# Snowflake refuses: its code and message, nothing loaded
printf 'event_id\ttitle\n12x\tt\n' >"$TMP/bad.tsv"
run "$L" "${X[@]}" -t mine --source b1 "$TMP/bad.tsv"
is "$rc" 65 "a value Snowflake refuses: exit 65"
grep -q "code 100038.*Numeric value '12x' is not recognized" "$TMP/err" && ok "with Snowflake's code and message" || not_ok "message: $(cat "$TMP/err")"
is "$($PY "$TESTDIR/sf_server.py" dump "$TMP/sf" mine | grep -c '"b1"')" 0 "nothing of it committed"
printf 'event_id\tnope\n1\tt\n' >"$TMP/bad2.tsv"
run "$L" "${X[@]}" -t mine --source b2 "$TMP/bad2.tsv"
is "$rc" 65 "a column the table lacks: exit 65"
grep -q "invalid identifier 'NOPE'" "$TMP/err" && ok "named" || not_ok "message: $(cat "$TMP/err")"

# authentication: another key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/other.pem" 2>/dev/null
SNOWFLAKE_PRIVATE_KEY_FILE=$TMP/other.pem run "$L" "${X[@]}" -t mine --source a1 "$DATA/load/sf.tsv"
is "$rc" 69 "a key Snowflake does not know: exit 69"
grep -q "HTTP 401, code 390144" "$TMP/err" && ok "the 401 reported with its code" || not_ok "message: $(cat "$TMP/err")"
AWS_SECRET_ACCESS_KEY=wrong run "$L" "${X[@]}" -t mine --source a2 "$DATA/load/sf.tsv"
is "$rc" 69 "a wrong AWS secret: exit 69"
grep -q "HTTP 403 SignatureDoesNotMatch" "$TMP/err" && ok "S3's error code in the message" || not_ok "message: $(cat "$TMP/err")"
! grep -q "wrong" "$TMP/err" && ok "the secret is not printed" || not_ok "secret printed"
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:s3cret -in "$TMP/key.pem" -out "$TMP/enc.pem" 2>/dev/null
SNOWFLAKE_PRIVATE_KEY_FILE=$TMP/enc.pem SNOWFLAKE_PRIVATE_KEY_PASSPHRASE=s3cret run "$L" "${X[@]}" -t mine --source e1 "$DATA/load/sf.tsv"
is "$rc" 0 "an encrypted key with SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: exit 0 ($(cat "$TMP/err"))"
SNOWFLAKE_PRIVATE_KEY_FILE=$TMP/enc.pem SNOWFLAKE_PRIVATE_KEY_PASSPHRASE=nope run "$L" "${X[@]}" -t mine --source e2 "$DATA/load/sf.tsv"
is "$rc" 65 "a wrong passphrase: exit 65"
grep -q "not a PEM private key (or a wrong passphrase)" "$TMP/err" && ! grep -q nope "$TMP/err" && ok "said, without the passphrase" || not_ok "message: $(cat "$TMP/err")"
SNOWFLAKE_USER= run "$L" "${X[@]}" -t mine --source a3 "$DATA/load/sf.tsv"
is "$rc" 64 "no SNOWFLAKE_USER: exit 64"

# kill -9 mid-load, then a rerun converges
kill $sfpid; wait $sfpid 2>/dev/null
start_sf --delay 0.4
for _ in $(seq 100); do [ -s "$TMP/sf/port" ] && break; sleep 0.1; done
export GHA_SNOWFLAKE_URL=http://127.0.0.1:$(cat "$TMP/sf/port")
for i in 1 2 3 4; do zcat "$B" | sed -n "1p;$((i * 50)),$((i * 50 + 400))p" | gzip -n >"$TMP/k$i.events.tsv.gz"; done
"$L" -q "${X[@]}" -t lake.gha_events "$TMP"/k?.events.tsv.gz 2>/dev/null &
lp=$!
for _ in $(seq 200); do [ "$($PY "$TESTDIR/sf_server.py" dump "$TMP/sf" lake.gha_loads | grep -c '"k')" -ge 1 ] && break; sleep 0.05; done
kill -9 $lp; wait $lp 2>/dev/null
got=$($PY "$TESTDIR/sf_server.py" dump "$TMP/sf" lake.gha_loads | grep -c '"k')
[ "$got" -ge 1 ] && [ "$got" -lt 4 ] && ok "killed with $got of 4 sources loaded" || not_ok "killed at $got of 4"
run "$L" "${X[@]}" -t lake.gha_events "$TMP"/k?.events.tsv.gz
is "$rc" 0 "the rerun: exit 0"
bad=0
for i in 1 2 3 4; do
	[ "$(check lake.gha_events k$i "$TMP/k$i.events.tsv.gz")" = "401 rows equal" ] || bad=$((bad + 1))
done
is "$bad" 0 "every source exactly once after kill -9 and a rerun"
is "$(grep -c 'already loaded' "$TMP/out")" "$got" "the rerun skipped the $got that had committed"

# usage
for args in "--target snowflake --exec -t t" "--target snowflake --exec --stage s -t t" \
	"--exec --stage s --s3 s3://b -t t" "--target snowflake --plan $TMP/x --stage s -t t" \
	"--target snowflake --exec --stage a-b --s3 s3://b -t t" "--target snowflake --exec --stage s --s3 http://b -t t"; do
	# shellcheck disable=SC2086
	run "$L" $args "$DATA/load/sf.tsv"
	is "$rc" 64 "usage error: $args"
done
done_testing
