#!/usr/bin/env bash
# gha-load --exec against a live Snowflake account and S3 bucket: runs only
# when SNOWFLAKE_ACCOUNT is set (with SNOWFLAKE_USER,
# SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_DATABASE, the
# AWS_* keys, GHA_SF_STAGE: an external stage over GHA_SF_S3). Loads the
# encoder's golden into GHA_SF_TABLE (default gha_load_live.golden) under a
# fresh source, then again: the second run must load nothing.
. "$(dirname "$0")/lib.sh"
if [ -z "${SNOWFLAKE_ACCOUNT:-}" ] || [ -z "${GHA_SF_STAGE:-}" ] || [ -z "${GHA_SF_S3:-}" ]; then
	skip "no live Snowflake account (SNOWFLAKE_ACCOUNT, GHA_SF_STAGE and GHA_SF_S3 unset): t0850 covers --exec against stand-ins"
	done_testing
	exit
fi
T=${GHA_SF_TABLE:-gha_load_live.golden}
src=live-$(date -u +%Y%m%d%H%M%S)-$$
printf 'CREATE TABLE IF NOT EXISTS %s (event_id BIGINT NOT NULL, title TEXT, ref TEXT, number INTEGER, _source TEXT NOT NULL)\n' "$T" >"$TMP/ddl"
run "$BIN/gha-load" --target snowflake --exec --stage "$GHA_SF_STAGE" --s3 "$GHA_SF_S3" -t "$T" --source "$src" "$DATA/load/sf.tsv"
is "$rc" 0 "a live load: exit 0 ($(cat "$TMP/err"); the table must exist: $(cat "$TMP/ddl"))"
grep -q "10 rows into $T as source $src" "$TMP/out" && ok "10 rows loaded, counted by Snowflake in the transaction" || not_ok "output: $(cat "$TMP/out")"
run "$BIN/gha-load" --target snowflake --exec --stage "$GHA_SF_STAGE" --s3 "$GHA_SF_S3" -t "$T" --source "$src" "$DATA/load/sf.tsv"
is "$rc:$(grep -c 'already loaded' "$TMP/out")" "0:1" "again: nothing loaded"
done_testing
