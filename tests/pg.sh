# pg.sh: a throwaway PostgreSQL server for tests: initdb in $TMP, a unix
# socket only, stopped and removed at exit. Source after lib.sh.
# shellcheck shell=bash disable=SC2012

pg_start() {
	PGBIN=$(pg_config --bindir 2>/dev/null || true)
	[ -x "$PGBIN/initdb" ] || PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ ! -x "$PGBIN/initdb" ]; then
		echo "# no PostgreSQL server binaries (initdb); apt-get install postgresql" >&2
		return 1
	fi
	PGROOT=$TMP/pg
	mkdir -p "$PGROOT/sock"
	# the server refuses to run as root: run it as the postgres user
	PGRUN=()
	if [ "$(id -u)" = 0 ]; then
		chmod 755 "$TMP"
		chown -R postgres "$PGROOT"
		PGRUN=(env -C / runuser -u postgres --)
	fi
	"${PGRUN[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -A trust -U gha -E UTF8 --locale=C \
		>"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log" >&2; return 1; }
	"${PGRUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
		-o "-c listen_addresses='' -k $PGROOT/sock -c fsync=off" start >/dev/null ||
		{ cat "$PGROOT/server.log" >&2; return 1; }
	trap 'pg_stop; rm -rf "$TMP"' EXIT
	export PGHOST=$PGROOT/sock PGUSER=gha PGDATABASE=postgres
}

# pg_need: pg_start, or end the test with that one failure (for tests
# that are about PostgreSQL and mean nothing without it)
pg_need() {
	pg_start && return 0
	not_ok "start a PostgreSQL server"
	done_testing
	exit 1
}

pg_stop() {
	[ -n "${PGROOT:-}" ] && [ -d "$PGROOT/data" ] &&
		"${PGRUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1
	return 0
}

# psql_q SQL: one value, unaligned
psql_q() {
	psql -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"
}
