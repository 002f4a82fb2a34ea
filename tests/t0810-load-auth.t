#!/usr/bin/env bash
# gha-load's connection the libpq way (conninfo, URI, PG* variables,
# .pgpass, service file) against a user with a SCRAM password, and a wrong
# password: a clear error, exit 69, the password nowhere in the output.
. "$(dirname "$0")/lib.sh"
. "$TESTDIR/pg.sh"

pg_need
ok "PostgreSQL server started on a private socket"
L=$BIN/gha-load
PW='s3cret-Pass_9'
BAD='Wr0ng-Secret_7'

# a password user: scram-sha-256 for it, trust for the rest (pg.sh's gha)
psql_q "set password_encryption = 'scram-sha-256'; create role loader login password '$PW';
	create schema lake authorization loader" >/dev/null
hba=$PGROOT/data/pg_hba.conf
{ echo "local all loader scram-sha-256"; cat "$hba"; } >"$TMP/hba"
cat "$TMP/hba" >"$hba"	# in place: the file keeps its owner
psql_q "select pg_reload_conf()" >/dev/null
sleep 0.5

"$BIN/gha-silver" -q "$REAL/2015-01-01-1.json.gz" >"$TMP/2015-01-01-1.events.tsv"
rows=$(($(wc -l <"$TMP/2015-01-01-1.events.tsv") - 1))

nopw() {	# neither password in stdout nor stderr
	! grep -qF -e "$PW" -e "$BAD" "$TMP/out" "$TMP/err"
}

run "$L" -d "user=loader password=$BAD dbname=postgres" -t lake.gha_events --create "$TMP/2015-01-01-1.events.tsv"
is "$rc" 69 "a wrong password in a conninfo string: exit 69"
grep -q 'gha-load: cannot connect: .*password authentication failed for user "loader"' "$TMP/err" &&
	ok "the error says the password was refused" || not_ok "error: $(cat "$TMP/err")"
t "and shows no password" nopw
run "$L" -d "postgresql://loader:$BAD@/postgres?host=$PGHOST" -t lake.gha_events "$TMP/2015-01-01-1.events.tsv"
is "$rc" 69 "a wrong password in a URI: exit 69"
t "no password shown (URI)" nopw
PGPASSWORD=$BAD PGUSER=loader run "$L" -t lake.gha_events "$TMP/2015-01-01-1.events.tsv"
is "$rc" 69 "a wrong PGPASSWORD: exit 69"
t "no password shown (PGPASSWORD)" nopw
# libpq echoes parts of a malformed conninfo: the password is hidden there too
run "$L" -d "user=loader password=$BAD dbname" -t x "$TMP/2015-01-01-1.events.tsv"
is "$rc" 69 "a malformed conninfo: exit 69"
t "no password shown (malformed conninfo)" nopw

run "$L" -d "user=loader password=$PW dbname=postgres" -t lake.gha_events --create "$TMP/2015-01-01-1.events.tsv"
is "$rc" 0 "the right password in a conninfo string: loads"
t "no password shown on success" nopw
is "$(psql_q "select count(*) from lake.gha_events")" "$rows" "every row loaded"
is "$(psql_q "select tableowner from pg_tables where schemaname = 'lake' and tablename = 'gha_events'")" loader \
	"--create made the table as the connecting user"

# .pgpass (PGPASSFILE) and a service file (PGSERVICEFILE)
printf '*:*:*:loader:%s\n' "$PW" >"$TMP/pgpass"
chmod 600 "$TMP/pgpass"
printf '[gha]\nhost=%s\nuser=loader\ndbname=postgres\n' "$PGHOST" >"$TMP/services"
PGPASSFILE=$TMP/pgpass PGSERVICEFILE=$TMP/services run "$L" -d service=gha -t lake.gha_events \
	"$TMP/2015-01-01-1.events.tsv"
is "$rc" 0 "a service file and .pgpass: connects (already loaded: exit 0)"
grep -q "already loaded" "$TMP/out" && ok "it found the manifest" || not_ok "service: $(cat "$TMP/out" "$TMP/err")"
PGPASSFILE=$TMP/pgpass PGUSER=loader run "$L" -t lake.gha_events --source again - <"$TMP/2015-01-01-1.events.tsv"
is "$rc" 0 "PG* variables and .pgpass: loads"
is "$(psql_q "select count(*) from lake.gha_events")" "$((2 * rows))" "a second source added its rows"

# no server there: exit 69 with libpq's message
run "$L" -d "host=$TMP/nowhere" -t gha_events "$TMP/2015-01-01-1.events.tsv"
is "$rc" 69 "no server: exit 69"
grep -q "gha-load: cannot connect: .*No such file or directory" "$TMP/err" && ok "libpq's reason" || not_ok "no server: $(cat "$TMP/err")"
done_testing
