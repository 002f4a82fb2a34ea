# server.sh: the local fault-injecting HTTP server (tests/fetch_server.py)
# on 127.0.0.1, stopped at exit. Source after lib.sh.
# shellcheck shell=bash disable=SC2034

# server_start ROOT: serve ROOT; sets BASE, SRVLOG, FAULTS
server_start() {
	SRVDIR=$TMP/srv.$RANDOM
	mkdir -p "$SRVDIR"
	SRVLOG=$SRVDIR/log.ndjson
	FAULTS=$SRVDIR/faults
	: >"$FAULTS"
	: >"$SRVLOG"
	python3 "$TESTDIR/fetch_server.py" --root "$1" --port-file "$SRVDIR/port" \
		--log "$SRVLOG" --faults "$FAULTS" 2>"$SRVDIR/stderr" &
	SRVPID=$!
	SRVPIDS="${SRVPIDS:-} $SRVPID"
	trap 'server_stop; rm -rf "$TMP"' EXIT
	local _
	for _ in $(seq 100); do
		[ -s "$SRVDIR/port" ] && break
		sleep 0.05
	done
	if [ ! -s "$SRVDIR/port" ]; then
		cat "$SRVDIR/stderr" >&2
		return 1
	fi
	BASE=http://127.0.0.1:$(cat "$SRVDIR/port")
}

server_stop() {
	local p
	for p in ${SRVPIDS:-}; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	SRVPIDS=""
	return 0
}

# mark: a time stamp for requests_since
mark() {
	date +%s.%N
}

# requests_since MARK [PATH]: how many requests (for PATH) arrived after
# MARK. By arrival, not by log order: a transfer whose client was killed is
# logged whenever the server notices, which can be during a later test.
requests_since() {
	jq -c --argjson m "$1" --arg p "${2:-}" \
		'select(.t0 >= $m and ($p == "" or .path == $p))' "$SRVLOG" | wc -l | tr -d ' '
}
