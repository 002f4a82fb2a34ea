#!/usr/bin/env bash
# gha-load into a real PostgreSQL server (started here): exactly once per
# source, replaced on a rebuild, nothing half-loaded after a bad row or a
# kill -9, rows and aggregates equal to awk over the TSV.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

pg_need
ok "PostgreSQL server started on a private socket"
L=$BIN/gha-load

# silver of two real hours, named as make ingest names them
for h in 2015-01-01-0 2015-01-01-1; do
	"$BIN/gha-silver" -q -C "$TMP/$h.commits.tsv" "$REAL/$h.json.gz" | gzip -n >"$TMP/$h.events.tsv.gz"
done
E0=$TMP/2015-01-01-0.events.tsv.gz
E1=$TMP/2015-01-01-1.events.tsv.gz
rows0=$(($(zcat "$E0" | wc -l) - 1))
rows1=$(($(zcat "$E1" | wc -l) - 1))
count() { psql_q "select count(*) from gha_events${1:+ where $1}"; }

# ---- first load, with --create ----
run "$L" -t gha_events --create -s "$TMP/st.json" "$E0"
is "$rc" 0 "--create, first load: exit 0"
grep -q "$rows0 rows into public.gha_events as source 2015-01-01-0" "$TMP/out" &&
	ok "the line says how many rows went where" || not_ok "the line says how many rows went where: $(cat "$TMP/out")"
is "$(count)" "$rows0" "rows in the table equal the file's lines minus the header"
is "$(jq -c '[.loaded, .rows, .files[0].status]' "$TMP/st.json")" "[1,$rows0,\"loaded\"]" "--stats: one input loaded, its rows"
is "$(jq '.rows_per_s > 0' "$TMP/st.json")" true "--stats: rows_per_s is a positive number"
want=$(zcat "$E0" | sha256sum | cut -d' ' -f1)
is "$(psql_q "select sha256 || ' ' || rows from gha_loads where target_table = 'public.gha_events' and source = '2015-01-01-0'")" \
	"$want $rows0" "the manifest: sha256 of the uncompressed content (sha256sum) and the row count"
got=$(psql_q "select event_type || ' ' || count(*) from gha_events group by event_type order by 1")
want=$(zcat "$E0" | awk -F'\t' 'NR > 1 { n[$2]++ } END { for (t in n) print t, n[t] }' | sort)
is "$got" "$want" "count by event type: SQL equals awk over the TSV"
got=$(psql_q "select coalesce(sum(push_size), 0) || ' ' || count(distinct repo_name) from gha_events")
c19=$(zcat "$E0" | head -1 | tr '\t' '\n' | grep -nx push_size | cut -d: -f1)
want=$(zcat "$E0" | awk -F'\t' -v c="$c19" 'NR > 1 { if ($c != "\\N") s += $c; r[$10] = 1 }
	END { n = 0; for (k in r) if (k != "\\N") n++; print s + 0, n }')
is "$got" "$want" "sum of push_size and distinct repo names: SQL equals awk"

# ---- the same content again: nothing loaded ----
run "$L" -t gha_events "$E0"
is "$rc" 0 "the same file again: exit 0"
grep -q "already loaded" "$TMP/out" && ok "a line says it was already loaded" || not_ok "a line says it was already loaded: $(cat "$TMP/out")"
is "$(count)" "$rows0" "no duplicates after loading twice"
zcat "$E0" >"$TMP/2015-01-01-0.events.tsv"
run "$L" -t gha_events "$TMP/2015-01-01-0.events.tsv"
is "$rc:$(count)" "0:$rows0" "the same content uncompressed: the same sha256, nothing loaded"
run "$L" -t gha_events --source 2015-01-01-0 - <"$TMP/2015-01-01-0.events.tsv"
is "$rc:$(count)" "0:$rows0" "the same content on stdin: streamed, then rolled back, no duplicates"
grep -q "already loaded" "$TMP/out" && ok "stdin: a line says it was already loaded" || not_ok "stdin: already loaded line"

# ---- a second hour, then a rebuilt hour replaces its rows ----
run "$L" -t gha_events "$E1"
is "$rc:$(count)" "0:$((rows0 + rows1))" "a second hour adds its rows"
mkdir -p "$TMP/rebuilt" "$TMP/bad"
zcat "$E0" | head -n 1001 | gzip -n >"$TMP/rebuilt/2015-01-01-0.events.tsv.gz"
run "$L" -t gha_events "$TMP/rebuilt/2015-01-01-0.events.tsv.gz"
is "$rc" 0 "a rebuilt hour (new content, same source): exit 0"
grep -q "1000 rows .* $rows0 earlier rows replaced" "$TMP/out" && ok "the line says how many rows were replaced" ||
	not_ok "replaced line: $(cat "$TMP/out")"
is "$(count "_source = '2015-01-01-0'")" 1000 "the rebuilt hour's rows equal its file's lines"
is "$(count "_source = '2015-01-01-1'")" "$rows1" "the other hour is untouched"
is "$(psql_q "select rows from gha_loads where source = '2015-01-01-0' and target_table = 'public.gha_events'")" 1000 \
	"the manifest has the new row count"
run "$L" -t gha_events "$E0"
is "$rc:$(count "_source = '2015-01-01-0'")" "0:$rows0" "the original back: replaced again, counts equal the file"

# ---- a malformed row: position reported, nothing of it committed ----
zcat "$E0" | awk -F'\t' -v OFS='\t' 'NR == 4 { $1 = "12x" } { print }' >"$TMP/bad/2015-01-01-0.events.tsv"
sha_before=$(psql_q "select sha256 from gha_loads where source = '2015-01-01-0' and target_table = 'public.gha_events'")
run "$L" -t gha_events "$TMP/bad/2015-01-01-0.events.tsv"
is "$rc" 65 "a malformed row: exit 65"
grep -q "gha-load: $TMP/bad/2015-01-01-0.events.tsv:4: column event_id: invalid input syntax for type bigint: \"12x\"" "$TMP/err" &&
	ok "the error names FILE:LINE and the column" || not_ok "the error names FILE:LINE and the column: $(cat "$TMP/err")"
is "$(count "_source = '2015-01-01-0'")" "$rows0" "nothing committed: the earlier rows of the source are still there"
is "$(psql_q "select sha256 from gha_loads where source = '2015-01-01-0' and target_table = 'public.gha_events'")" \
	"$sha_before" "nothing committed: the manifest is unchanged"
# a short row (a field missing) at line 7, in a gzip stream
zcat "$E0" | awk -F'\t' -v OFS='\t' 'NR == 7 { NF = NF - 1 } { print }' | gzip -n >"$TMP/bad/x.events.tsv.gz"
run "$L" -t gha_events "$TMP/bad/x.events.tsv.gz"
is "$rc" 65 "a row with a field missing: exit 65"
grep -q "x.events.tsv.gz:7: " "$TMP/err" && ok "a short row: its line is reported" || not_ok "a short row: $(cat "$TMP/err")"
is "$(count "_source = 'x'")" 0 "a short row: nothing of its input loaded"
printf 'event_id\tevent_type\n1\tA\\.\n\\.\n2\tB\n' >"$TMP/bad/m.tsv"
run "$L" -t gha_events "$TMP/bad/m.tsv"
is "$rc" 65 "a line '\\.' (COPY's end marker, which would end the data silently): exit 65"
grep -q "m.tsv:3: " "$TMP/err" && ok "the end marker's line is reported" || not_ok "end marker: $(cat "$TMP/err")"

# ---- stdin, column subsets, another order, unknown columns ----
run "$L" -t gha_events - <"$TMP/2015-01-01-0.events.tsv"
is "$rc" 64 "stdin without --source: usage error"
run "$L" -t gha_events --source a "$E0" "$E1"
is "$rc" 64 "--source with two inputs: usage error"
zcat "$E1" | awk -F'\t' -v OFS='\t' '{ print $10, $4, $5, $3, $2, $1 }' >"$TMP/sub.tsv"
head -1 "$TMP/sub.tsv" | grep -qx $'repo_name\thour\tera\tcreated_at\tevent_type\tevent_id' &&
	ok "the subset's header is in another order" || not_ok "subset header: $(head -1 "$TMP/sub.tsv")"
run "$L" -t gha_events --source sub - <"$TMP/sub.tsv"
is "$rc" 0 "six columns in another order, on stdin with --source: exit 0"
is "$(count "_source = 'sub'")" "$rows1" "the subset's rows all loaded"
is "$(psql_q "select count(*) from gha_events a join gha_events b using (event_id)
	where a._source = 'sub' and b._source = '2015-01-01-1' and a.repo_name is not distinct from b.repo_name
	and a.created_at = b.created_at and a.event_type = b.event_type and a.hour = b.hour")" "$rows1" \
	"each subset row equals the full row of the same event in the columns it has"
is "$(psql_q "select count(*) from gha_events where _source = 'sub' and actor_login is not null")" 0 \
	"the columns the subset lacks are NULL"
printf 'event_id\tevent_type\tcolour\n' >"$TMP/unk.tsv"
run "$L" -t gha_events "$TMP/unk.tsv"
is "$rc" 65 "an unknown column: exit 65"
grep -q "unk.tsv:1: column 'colour' is not in table public.gha_events" "$TMP/err" &&
	ok "the unknown column is named" || not_ok "unknown column: $(cat "$TMP/err")"
printf 'event_id\t_source\n' >"$TMP/own.tsv"
run "$L" -t gha_events "$TMP/own.tsv"
is "$rc" 65 "the input may not set _source itself"
printf '' >"$TMP/empty.tsv"
run "$L" -t gha_events "$TMP/empty.tsv"
is "$rc" 65 "an empty input (no header): exit 65"
run "$L" -t no_such_table "$E0"
is "$rc" 65 "no such table and no --create: exit 65"
run "$L" -t no_such_table --create "$E0"
is "$rc" 65 "--create of a table no tool knows: exit 65"
grep -q "no DDL for a table named 'no_such_table'" "$TMP/err" && ok "it says there is no DDL for it" || not_ok "no DDL: $(cat "$TMP/err")"
run "$L" -t missing.txt "$REAL/SOURCES.md"
is "$rc" 65 "a table that does not exist: exit 65"
run "$L" -t gha_events "$TMP/nonexistent.tsv"
is "$rc" 66 "a missing input file: exit 66"

# ---- other tables, other schemas ----
run "$L" -t gha_commits --create "$TMP/2015-01-01-0.commits.tsv"
is "$rc" 0 "commits: --create, load"
is "$(psql_q "select count(*) || ' ' || count(distinct sha) from gha_commits")" \
	"$(tail -n +2 "$TMP/2015-01-01-0.commits.tsv" | awk -F'\t' '{ n++; s[$1] = 1 } END { print n, length(s) }')" \
	"commits: rows and distinct shas equal awk"
run "$L" -t lake.gha_events --create "$E1"
is "$rc" 0 "--create into a schema that does not exist yet"
is "$(psql_q "select count(*) from lake.gha_events")" "$rows1" "lake.gha_events: every row"
is "$(psql_q "select count(*) from lake.gha_loads")" 1 "the manifest is in the target's schema"
run "$L" -t lake.gha_events "$E1"
is "$rc:$(psql_q "select count(*) from lake.gha_events")" "0:$rows1" "lake.gha_events: again, nothing loaded"

# ---- a lost connection mid-COPY: exit 75, nothing loaded ----
mkfifo "$TMP/fifo"
"$L" -t gha_events --source cut - <"$TMP/fifo" >"$TMP/cut.out" 2>"$TMP/cut.err" &
lpid=$!
exec 3>"$TMP/fifo"
zcat "$E1" >&3
wait_copy() {	# until a COPY has taken rows (pg_stat_progress_copy), 20 s at most
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(psql_q "select count(*) from pg_stat_progress_copy where tuples_processed > 0")" -gt 0 ] && return 0
		sleep 0.1
	done
	return 1
}
t "the COPY is under way (rows sent, input still open)" wait_copy
psql_q "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'gha-load'" >/dev/null
exec 3>&-
rc=0
wait "$lpid" || rc=$?
is "$rc" 75 "the server ends the connection mid-COPY: exit 75"
grep -q "gha-load: " "$TMP/cut.err" && ok "with libpq's message: $(head -c 150 "$TMP/cut.err")" || not_ok "no message"
is "$(count "_source = 'cut'")" 0 "nothing of it loaded"

# ---- kill -9 mid-COPY: nothing half-loaded; a rerun converges ----
"$L" -t gha_events --source killed - <"$TMP/fifo" >/dev/null 2>&1 &
lpid=$!
exec 3>"$TMP/fifo"
zcat "$E1" >&3
t "the COPY is under way" wait_copy
kill -9 "$lpid"
wait "$lpid" 2>/dev/null || true
exec 3>&-
gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(psql_q "select count(*) from pg_stat_activity where application_name = 'gha-load'")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
t "the server ends the killed loader's session" gone
is "$(count "_source = 'killed'")" 0 "after kill -9: none of its rows"
is "$(psql_q "select count(*) from gha_loads where source = 'killed'")" 0 "after kill -9: no manifest row"
run "$L" -t gha_events --source killed - <"$TMP/2015-01-01-0.events.tsv"
is "$rc:$(count "_source = 'killed'")" "0:$rows0" "the rerun loads every row once"
is "$(psql_q "select rows from gha_loads where source = 'killed'")" "$rows0" "and the manifest agrees"

# ---- two loaders of one table take turns (advisory lock) ----
"$L" -t gha_events --source first - <"$TMP/fifo" >"$TMP/first.out" 2>&1 &
p1=$!
exec 3>"$TMP/fifo"
zcat "$E1" | head -n $((rows1 + 1 - 100)) >&3	# all but 100 lines: past the first MB sent
t "the first loader is copying" wait_copy
{ zcat "$E1" | head -n 3000 | "$L" -t gha_events --source second - >"$TMP/second.out" 2>&1; } 3>&- &
p2=$!
waiting() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(psql_q "select count(*) from pg_stat_activity where application_name = 'gha-load'
			and wait_event_type = 'Lock' and wait_event = 'advisory'")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
t "the second loader waits on the table's advisory lock" waiting
zcat "$E1" | tail -n 100 >&3
exec 3>&-
rc=0
wait "$p1" || rc=$?
rc2=0
wait "$p2" || rc2=$?
is "$rc:$rc2" "0:0" "both loaders finish"
is "$(count "_source = 'first'"):$(count "_source = 'second'")" "$rows1:2999" "each loaded all its rows"

# ---- kill -9 of the server process mid-COPY: crash recovery, nothing
# half-loaded, a rerun converges ----
"$L" -t gha_events --source crashed - <"$TMP/fifo" >"$TMP/crash.out" 2>"$TMP/crash.err" &
lpid=$!
exec 3>"$TMP/fifo"
zcat "$E1" >&3
t "the COPY is under way" wait_copy
bpid=$(psql_q "select pid from pg_stat_activity where application_name = 'gha-load'")
kill -9 "$bpid"
exec 3>&-
rc=0
wait "$lpid" || rc=$?
is "$rc" 75 "the server's backend killed mid-COPY: exit 75"
up() {	# the server restarts after its crash recovery
	local i
	for ((i = 0; i < 300; i++)); do
		psql_q "select 1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
t "the server is back after crash recovery" up
is "$(count "_source = 'crashed'")" 0 "after the crash: none of its rows"
run "$L" -t gha_events --source crashed - <"$TMP/2015-01-01-0.events.tsv"
is "$rc:$(count "_source = 'crashed'")" "0:$rows0" "the rerun loads every row once"

# ---- a line over the 64 MiB cap: an error, not a truncated row ----
psql_q "create table longl (name text, n integer, _source text)" >/dev/null
{
	printf 'name\tn\n'
	printf 'a\t1\n'
	head -c 70000000 /dev/zero | tr '\0' x
	printf '\t2\nc\t3\n'
} >"$TMP/long.tsv"
run "$L" -t longl --source long "$TMP/long.tsv"
is "$rc" 65 "a 70 MB line: exit 65"
grep -q "long.tsv:3: line too long (70000002 bytes" "$TMP/err" && ok "... FILE:LINE, too long" ||
	not_ok "... message: $(head -c 200 "$TMP/err")"
is "$(psql_q "select count(*) from longl")" 0 "... and no row of it loaded"

# ---- totals: the table is exactly the sum of the manifest ----
is "$(psql_q "select count(*) from gha_events")" \
	"$(psql_q "select sum(rows) from gha_loads where target_table = 'public.gha_events'")" \
	"the table's rows equal the manifest's sum"
is "$(psql_q "select count(*) from (select _source from gha_events except select source from gha_loads
	where target_table = 'public.gha_events') x")" 0 "every source in the table is in the manifest"
done_testing
