#!/usr/bin/env bash
# gha-load --target snowflake --plan: the chunks decode (by an independent
# Python reader, tests/sf_decode.py) to exactly the COPY text's rows, are
# named by their content, cut at the chunk size; load.sql names them all.
# No Snowflake account is used: what the SQL does there is not verified.
. "$(dirname "$0")/lib.sh"
L=$BIN/gha-load
G=$DATA/load

run "$L" --target snowflake --plan "$TMP/p" -t gha_events --source s1 "$G/sf.tsv"
is "$rc" 0 "the golden input: exit 0 ($(head -c 600 "$TMP/err"))"
set -- "$TMP"/p/part-*.csv.gz
is "$#" 1 "one chunk"
zcat "$1" >"$TMP/chunk.csv"
same_file "$TMP/chunk.csv" "$G/sf.expected.csv" "the chunk equals the golden CSV byte for byte"
run python3 "$TESTDIR/sf_decode.py" "$G/sf.tsv" s1 "$1"
is "$rc:$(cat "$TMP/out")" "0:10 rows equal" "the Python decoder reads the TSV's rows (TAB, LF, CR, backslash, quotes plain and escaped, empty vs NULL, UTF-8, octal/hex)"
run python3 "$TESTDIR/sf_decode.py" "$G/sf.tsv" s1 <(gzip -c "$G/sf.expected.csv")
is "$rc" 0 "the golden itself decodes to the TSV's rows"
is "$(basename "$1")" "part-$(sha256sum <"$TMP/chunk.csv" | cut -d' ' -f1).csv.gz" "the chunk is named by the SHA-256 of its content"
t "the chunk is intact gzip" gzip -t "$1"
grep -q "FIELD_DELIMITER = '\\\\t'.*" "$TMP/p/load.sql" && grep -q "FIELD_OPTIONALLY_ENCLOSED_BY = '\"' ESCAPE = NONE ESCAPE_UNENCLOSED_FIELD = NONE" "$TMP/p/load.sql" &&
	grep -q "EMPTY_FIELD_AS_NULL = TRUE NULL_IF = ()" "$TMP/p/load.sql" && ok "load.sql declares that dialect" || not_ok "the file format"
grep -q "COPY INTO gha_events (event_id, title, ref, number, _source) FROM @%gha_events" "$TMP/p/load.sql" &&
	ok "COPY INTO names the header's columns and _source" || not_ok "COPY INTO: $(grep COPY "$TMP/p/load.sql")"
want=$(sha256sum <"$G/sf.tsv" | cut -d' ' -f1)
grep -q "AND sha256 = '$want'" "$TMP/p/load.sql" && ok "the manifest check uses the content's sha256 (sha256sum)" || not_ok "manifest sha"
! grep -q "CREATE TABLE IF NOT EXISTS gha_events" "$TMP/p/load.sql" && ok "no CREATE TABLE without --create" || not_ok "CREATE TABLE without --create"

# a real hour, small chunks
"$BIN/gha-silver" -q "$REAL/2015-01-01-0.json.gz" | gzip -n >"$TMP/h.events.tsv.gz"
run "$L" --target snowflake --plan "$TMP/q" -t lake.gha_events --create --chunk-size 1 -s "$TMP/st.json" "$TMP/h.events.tsv.gz"
is "$rc" 0 "a real hour in 1 MB chunks: exit 0"
n=$(ls "$TMP"/q/part-*.csv.gz | wc -l)
[ "$n" -ge 2 ] && ok "$n chunks" || not_ok "chunks: $n"
mapfile -t files < <(grep -o "FILES = (.*)" "$TMP/q/load.sql" | grep -o "part-[0-9a-f]*\.csv\.gz")
is "${#files[@]}" "$n" "COPY INTO lists every chunk"
is "$(grep -c "^PUT 'file://$TMP/q/part-" "$TMP/q/load.sql")" "$n" "a PUT (absolute path) per chunk, to @lake.%gha_events" 
run python3 "$TESTDIR/sf_decode.py" "$TMP/h.events.tsv.gz" h "${files[@]/#/$TMP/q/}"
is "$rc" 0 "the chunks, in load.sql's order, decode to the hour's rows ($(cat "$TMP/out" "$TMP/err"))"
bad=0
for f in "$TMP"/q/part-*.csv.gz; do
	[ "$(basename "$f")" = "part-$(zcat "$f" | sha256sum | cut -d' ' -f1).csv.gz" ] || bad=$((bad + 1))
	[ "$(zcat "$f" | wc -c)" -le $((1048576 + 65536)) ] || bad=$((bad + 1))
done
is "$bad" 0 "each chunk: named by its content, at most the chunk size plus one row"
grep -q "CREATE TABLE IF NOT EXISTS lake.gha_events (" "$TMP/q/load.sql" && grep -q "_source              TEXT NOT NULL" "$TMP/q/load.sql" &&
	ok "--create: the table from the registry's Snowflake DDL, with _source" || not_ok "--create DDL"
grep -q "CREATE TABLE IF NOT EXISTS lake.gha_loads" "$TMP/q/load.sql" && ok "the manifest in the table's schema" || not_ok "manifest schema"
is "$(jq -r '.files[0].sha256' "$TMP/st.json")" "$(zcat "$TMP/h.events.tsv.gz" | sha256sum | cut -d' ' -f1)" "--stats: the content's sha256"
cp "$TMP/q/load.sql" "$TMP/load1.sql"
run "$L" -q --target snowflake --plan "$TMP/q" -t lake.gha_events --create --chunk-size 1 "$TMP/h.events.tsv.gz"
same_file "$TMP/q/load.sql" "$TMP/load1.sql" "a rerun writes the same plan (the same chunk names: Snowflake skips them)"
is "$(ls "$TMP"/q/part-*.csv.gz | wc -l)" "$n" "and no new chunk"

# two inputs, two transactions; stdin needs --source
run "$L" -q --target snowflake --plan "$TMP/r" -t t "$G/sf.tsv" "$TMP/h.events.tsv.gz"
is "$rc:$(grep -c "^EXECUTE IMMEDIATE" "$TMP/r/load.sql")" "0:2" "two inputs: one guarded transaction each"
run "$L" -q --target snowflake --plan "$TMP/r" -t t - <"$G/sf.tsv"
is "$rc" 64 "stdin without --source: exit 64"

# bad input: nothing planned
printf 'a\tb\n1\tx\\\n' >"$TMP/bad.tsv"
run "$L" --target snowflake --plan "$TMP/b" -t t "$TMP/bad.tsv"
is "$rc" 65 "a lone backslash at a field's end: exit 65"
grep -q "bad.tsv:2: field 2: a bad COPY escape" "$TMP/err" && ok "FILE:LINE and field named" || not_ok "bad escape: $(cat "$TMP/err")"
t "no load.sql for a failed plan" test ! -e "$TMP/b/load.sql"
is "$(find "$TMP/b" -name '*.tmp' | wc -l)" 0 "no chunk left half-written"
printf 'a b\n' >"$TMP/badh.tsv"
run "$L" --target snowflake --plan "$TMP/b" -t t "$TMP/badh.tsv"
is "$rc" 65 "a header field that is not a plain column name: exit 65"

# usage
for args in "--target snowflake -t t" "--target snowflake --plan $TMP/x -d dbname=x -t t" \
	"--plan $TMP/x -t t" "--target oracle -t t" "--target snowflake --plan $TMP/x -t a-b" \
	"--target snowflake --plan $TMP/x -t t --chunk-size 0"; do
	# shellcheck disable=SC2086
	run "$L" $args "$G/sf.tsv"
	is "$rc" 64 "usage error: $args"
done
done_testing
