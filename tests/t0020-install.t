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

# not root and a -dev package missing: the one apt-get line, and a failure
mkdir -p "$TMP/fakebin"
printf '#!/bin/sh\necho 1000\n' >"$TMP/fakebin/id"
chmod +x "$TMP/fakebin/id"
run env PATH="$TMP/fakebin:$PATH" PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH=/nonexistent \
	sh "$TOP/.ci/deps.sh" check
is "$rc" 1 "deps.sh as a user with packages missing: exit 1"
t "deps.sh prints the apt-get line to run" grep -q "^  apt-get install -y .*libisal-dev.*zlib1g-dev" "$TMP/err"
run sh "$TOP/.ci/deps.sh" check
is "$rc" 0 "deps.sh with everything installed: exit 0, silently"
done_testing
