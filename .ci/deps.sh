#!/bin/sh
# deps.sh MODE: check that what MODE (build, check, demo, bench, fuzz,
# all) needs is installed. For make deps (all), make check and make demo,
# run as root, apt-get installs what is missing; otherwise (and always for
# make, make install, make bench and make fuzz) print the one apt-get line
# to run, and fail: building never changes the system.
set -eu
mode=${1:-build}
missing=""

need_pc() {	# pkg-config module, Debian package
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {	# command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_hdr() {	# header, Debian package
	printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd "${CC:-cc}" gcc
need_cmd make make
need_cmd pkg-config pkg-config
if command -v pkg-config >/dev/null 2>&1; then
	need_pc zlib zlib1g-dev
	need_pc libcurl libcurl4-openssl-dev
	need_pc libpq libpq-dev
	need_pc libisal libisal-dev
	need_pc libcrypto libssl-dev
else
	missing="$missing zlib1g-dev libcurl4-openssl-dev libpq-dev libisal-dev libssl-dev"
fi
need_hdr jq.h libjq-dev
# clang links a libFuzzer target (its runtime is a package of its own)
need_fuzzer() {
	if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
		missing="$missing clang libclang-rt-dev"
		return
	fi
	t=$(mktemp -d)
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (int)(d && n) * 0; }\n' >"$t/f.c"
	"${FUZZ_CC:-clang}" -fsanitize=fuzzer,address,undefined -o "$t/f" "$t/f.c" >/dev/null 2>&1 ||
		missing="$missing libclang-rt-dev"
	rm -rf "$t"
}

case $mode in
check|all)
	need_cmd prove perl
	need_cmd mandoc mandoc
	need_cmd jq jq
	need_cmd gzip gzip
	need_cmd python3 python3
	need_cmd shellcheck shellcheck
	need_cmd strace strace	# t0230: fsync before rename, seen from outside
	need_cmd gnuplot gnuplot-nox	# make report's charts
	need_cmd chromium chromium	# the report, rendered in a real browser
	need_cmd chromedriver chromium-driver
	# t0950: scikit-learn is gha-kmeans's reference (Debian's python, not pyenv's)
	/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing="$missing python3-sklearn"
	# tests/mlflow/: MLflow's FileStore checker reads meta.yaml with PyYAML
	/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing="$missing python3-yaml"
	need_cmd curl curl	# t0910, t0920: reading runs back from the MLflow test server
	# t0850: the S3 and Snowflake stand-ins verify SigV4 and the JWT
	/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing="$missing python3-cryptography"
	need_cmd openssl openssl
	pgbin=$(pg_config --bindir 2>/dev/null || true)
	[ -x "$pgbin/initdb" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
	need_cmd psql postgresql-client
	# t0450: a one-node Slurm cluster, which only root can start here
	if [ "$(id -u)" = 0 ]; then
		need_cmd slurmctld slurm-wlm
		need_cmd munged munge
	fi
	;;
esac
case $mode in
fuzz|all)
	need_fuzzer
	;;
demo|bench)
	need_cmd jq jq
	need_cmd gzip gzip
	[ "$mode" != demo ] || need_cmd gnuplot gnuplot-nox	# make report
	[ "$mode" != bench ] || need_cmd curl curl	# the baseline of the fetch bench
	# the baseline of the kmeans bench
	[ "$mode" != bench ] || /usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 ||
		missing="$missing python3-sklearn"
	;;
esac

[ -z "$missing" ] && exit 0
# one package may be named twice (pkg-config missing); split on purpose
# shellcheck disable=SC2086
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ' | sed 's/ $//')
case $mode in all|check|demo) may_install=1 ;; *) may_install=0 ;; esac
if [ "$may_install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "gha: installing missing packages: $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get install -y -q $missing >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q $missing >&2; }
	exit 0
fi
case $mode in build) what="make" ;; all) what="make deps" ;; *) what="make $mode" ;; esac
if [ "$may_install" = 1 ]; then
	echo "gha: missing packages for '$what'; run as root:" >&2
else
	echo "gha: missing packages for '$what'; run 'make deps' as root, or:" >&2
fi
echo "  apt-get install -y $missing" >&2
exit 1
