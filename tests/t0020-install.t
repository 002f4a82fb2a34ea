#!/usr/bin/env bash
# make install PREFIX=... DESTDIR=... puts every tool and man page in place,
# and the installed tools run.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

run make -s -C "$TOP" install BUILD="$(basename "$GHA_BUILD")" PREFIX=/opt/gha DESTDIR="$TMP/dest"
is "$rc" 0 "make install: exit 0"
for src in "$TOP"/tools/gha-*.c; do
	tool=$(basename "$src" .c)
	t "$tool installed and executable" test -x "$TMP/dest/opt/gha/bin/$tool"
	run "$TMP/dest/opt/gha/bin/$tool" --version
	is "$rc" 0 "installed $tool --version runs"
	t "$tool.1 installed" test -f "$TMP/dest/opt/gha/share/man/man1/$tool.1"
done
t "gha.7 installed" test -f "$TMP/dest/opt/gha/share/man/man7/gha.7"
run make -s -C "$TOP" install BUILD="$(basename "$GHA_BUILD")" PREFIX=/usr DESTDIR="$TMP/dest2" MANDIR=/usr/man
t "MANDIR is honoured" test -f "$TMP/dest2/usr/man/man7/gha.7"
done_testing
