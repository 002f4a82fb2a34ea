# lib.sh: TAP helpers sourced by every tests/t*.t script.
# shellcheck shell=bash disable=SC2034
set -u
TESTDIR=$(cd "$(dirname "$0")" && pwd)
GHA_BUILD=${GHA_BUILD:-$TESTDIR/../build}
BIN=$GHA_BUILD/bin
DATA=$TESTDIR/data
REAL=$DATA/real
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gha-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C
tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}
not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}
# skip REASON: a test that cannot run here, said so (ok N # SKIP REASON)
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $*"
}
# t DESC CMD...: passes when CMD exits 0
t() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}
# run CMD...: stdout in $TMP/out, stderr in $TMP/err, status in $rc
run() {
	rc=0
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
}
# same_file A B DESC
same_file() {
	if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3"; diff "$1" "$2" | head -5 | sed 's/^/#   /'; fi
}
done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
