#!/usr/bin/env bash
# Only make deps, make check and make demo install packages (as root);
# make, make install and make bench only say what to install.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTDIR/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL

# a system where every pkg-config module is missing, we are root, and
# apt-get only logs that it ran
F=$TMP/fake
mkdir -p "$F"
printf '#!/bin/sh\nexit 1\n' >"$F/pkg-config"
printf '#!/bin/sh\necho 0\n' >"$F/id"
printf '#!/bin/sh\necho "apt-get $*" >>"%s/apt.log"\n' "$TMP" >"$F/apt-get"
chmod +x "$F"/*
for mode in build bench; do
	: >"$TMP/apt.log"
	run env PATH="$F:$PATH" sh "$TOP/.ci/deps.sh" "$mode"
	is "$rc" 1 "deps.sh $mode, packages missing: exit 1"
	is "$(wc -c <"$TMP/apt.log" | tr -d ' ')" 0 "deps.sh $mode as root: apt-get not run"
	t "deps.sh $mode: prints the apt-get line" grep -q "^  apt-get install -y .*libcurl4-openssl-dev" "$TMP/err"
done
for mode in all check demo; do
	: >"$TMP/apt.log"
	run env PATH="$F:$PATH" sh "$TOP/.ci/deps.sh" "$mode"
	t "deps.sh $mode as root: apt-get installs" grep -q "^apt-get install -y -q .*libcurl4-openssl-dev" "$TMP/apt.log"
done

# through make: a fresh build directory runs the check, never apt-get
for goal in all install; do
	: >"$TMP/apt.log"
	run env PATH="$F:$PATH" make -s -C "$TOP" BUILD="$TMP/b-$goal" DESTDIR="$TMP/dest" PREFIX=/p "$goal"
	t "make $goal, packages missing: fails" test "$rc" -ne 0
	is "$(wc -c <"$TMP/apt.log" | tr -d ' ')" 0 "make $goal as root: apt-get not run"
	t "make $goal: says what to install first" grep -q "^gha: missing packages for 'make'" <(head -n 1 "$TMP/err")
	t "make $goal: nothing installed" test ! -e "$TMP/dest"
done

done_testing
