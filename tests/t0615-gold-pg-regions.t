#!/usr/bin/env bash
# gha-gold --sql regions: the region fit (region.c: active hours by hour
# of day, the template's 24 shifts, posterior band share, gain over a flat
# profile) written as SQL gives, in a real PostgreSQL server, byte for
# byte the regions table gha-gold writes: on synthetic actors with known
# offsets (14 days, so most are fitted) and on the real samples (mostly
# unknown: one hour holds too few active days).
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

pg_need
ok "PostgreSQL server started on a private socket"
G=$BIN/gha-gold
run psql -X -q -v ON_ERROR_STOP=1 -c "$("$BIN/gha-silver" --ddl)"
is "$rc" 0 "the silver DDL runs"
# the synthetic days hold only the columns gold reads (as gha-silver -c)
run psql -X -q -v ON_ERROR_STOP=1 -c "alter table gha_events alter column event_id drop not null,
	alter column hour drop not null, alter column era drop not null"
is "$rc" 0 "gha_events takes rows of a column subset"

python3 "$TESTDIR/gold_analytics_synth.py" regions "$TMP/rg" >/dev/null
is "$?" 0 "synthetic actors with known offsets made"
mkdir -p "$TMP/s"
bad=0
for f in "$REAL"/*.json.gz; do
	"$BIN/gha-silver" -q -o "$TMP/s/$(basename "$f" .json.gz).tsv" "$f" || bad=1
done
is "$bad" 0 "gha-silver turns every real sample into silver"

load() {	# load FILE...: each with its own header's columns
	local f
	for f in "$@"; do
		psql -X -q -v ON_ERROR_STOP=1 -c "\\copy gha_events ($(head -n 1 "$f" | tr '\t' ',')) from '$f' (format text, header true)" ||
			return 1
	done
}
# same DESC FILE...: gha-gold -t regions equals the query's COPY output
same() {
	local desc=$1
	shift
	psql -X -q -c 'truncate gha_events' || return 1
	load "$@" || { not_ok "$desc: load"; return; }
	run "$G" -t regions "$@"
	cp "$TMP/out" "$TMP/gold.tsv"
	[ "$rc" = 0 ] || { not_ok "$desc: gha-gold exits $rc"; return; }
	q=$("$G" --sql regions | sed '$ s/;$//')
	run psql -X -q -v ON_ERROR_STOP=1 -c "copy ($q) to stdout (format text, header true)"
	[ "$rc" = 0 ] || { not_ok "$desc: the query fails: $(head -c 300 "$TMP/err")"; return; }
	same_file "$TMP/gold.tsv" "$TMP/out" "$desc: $(($(wc -l <"$TMP/gold.tsv") - 1)) rows, SQL equals gha-gold byte for byte"
}
same "synthetic regions, 14 days" "$TMP"/rg/2020-*.tsv
# the comparison must see fitted regions, not only unknown
fitted=$(awk -F'\t' 'NR > 1 && $2 != "unknown" { a += $3 } END { print a + 0 }' "$TMP/gold.tsv")
t "the synthetic days hold fitted actors ($fitted actor-days outside unknown)" test "$fitted" -gt 1000
for b in americas europe_africa asia_pacific; do
	t "band $b is reached" grep -q "	$b	" "$TMP/gold.tsv"
done
same "real samples" "$TMP"/s/*.tsv
same "real samples and synthetic days together" "$TMP"/s/*.tsv "$TMP"/rg/2020-*.tsv
done_testing
