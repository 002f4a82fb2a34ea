/* gha-fetch: download GH Archive hours with libcurl's multi interface:
 * parallel, resumable, verified before they get their final name. */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gha.h"
#include "fetch.h"
#include "mkdirs.h"
#include "outfile.h"
#include "timefmt.h"

#define MAX_JOBS 64	/* each transfer holds a socket, a file and a lock */

static const char usage_text[] =
	"usage: gha-fetch [-nqv] [-d DIR] [-j N] [-O FILE] [options] FROM [TO]\n"
	"Download GH Archive hours FROM..TO (YYYY-MM-DD-H, YYYY-MM-DDTHH or a day\n"
	"YYYY-MM-DD) into DIR/YYYY-MM-DD-H.json.gz, verified, and print their paths.\n"
	"\n"
	"      --base-url URL        where the hours are (default $GHA_BASE_URL or\n"
	"                            https://data.gharchive.org)\n"
	"      --cacert FILE         CA certificates for a private mirror\n"
	"      --connect-timeout S   seconds to connect (default 30)\n"
	"  -d, --dir DIR             directory for the hour files (default data/raw)\n"
	"  -j, --jobs N              transfers at once, 1 to 64 (default 4)\n"
	"  -n, --list                only print the hour names of the range\n"
	"  -O, --output FILE         write the one hour to FILE ('-': stdout)\n"
	"  -q, --quiet               no progress, no per-hour notes\n"
	"      --refresh             re-check present hours (conditional requests)\n"
	"      --retries N           retries per hour on temporary failures (default 5)\n"
	"      --stall-time S        abort a transfer slower than 1 KB/s for S\n"
	"                            seconds (default 60)\n"
	"      --timeout S           seconds for a whole transfer (default 0: none)\n"
	"  -v, --verbose             log every transfer\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

/* -O downloads into a private temporary directory, gone on any exit.
 * The paths are all made before the handlers are installed: the handler
 * only unlinks and removes, which is async-signal-safe. */
static char tmp_dir[4096], tmp_locks[4200], tmp_files[5][4200];

/* -O: the verified hour, already unlinked, into a file or stdout */
static int
copy_out(FILE *in, const char *to)
{
	FILE *out;
	struct outfile of;
	struct gha_err err;
	char buf[65536];
	size_t k;
	int ret = GHA_OK;

	if (!strcmp(to, "-")) {
		out = stdout;
	} else {
		if (outfile_open(&of, to, &err)) {
			gha_warn("%s", err.msg);
			fclose(in);
			return GHA_IOERR;
		}
		if (of.tmp)	/* a signal now removes it too */
			snprintf(tmp_files[4], sizeof(tmp_files[4]), "%s", of.tmp);
		out = of.fp;
	}
	while ((k = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, k, out) != k) {
			gha_warn("write error on '%s':", out == stdout ? "<stdout>" : to);
			ret = GHA_IOERR;
			break;
		}
	if (ferror(in)) {
		gha_warn("read error on the downloaded hour:");
		ret = GHA_IOERR;
	}
	fclose(in);
	if (out != stdout) {
		if (ret == GHA_OK && outfile_commit(&of, &err)) {
			gha_warn("%s", err.msg);
			ret = GHA_IOERR;
		} else if (ret != GHA_OK) {
			outfile_abort(&of);
		}
	}
	return ret;
}

static void
tmp_cleanup(void)
{
	int i;

	for (i = 0; i < 5; i++)
		if (tmp_files[i][0])
			unlink(tmp_files[i]);
	if (tmp_locks[0])
		rmdir(tmp_locks);
	if (tmp_dir[0])
		rmdir(tmp_dir);
}

static void
on_signal(int sig)
{
	tmp_cleanup();	/* unlink and rmdir only: async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* the local path of a file:// URL's rest: no "localhost", %XX decoded */
static void
file_path(const char *u, char *out, size_t n)
{
	size_t k = 0;

	if (!strncmp(u, "localhost/", 10))
		u += 9;
	for (; *u && k + 1 < n; u++) {
		unsigned x;

		if (u[0] == '%' && isxdigit((unsigned char)u[1]) && isxdigit((unsigned char)u[2]) &&
		    sscanf(u + 1, "%2x", &x) == 1) {
			out[k++] = (char)x;
			u += 2;
		} else {
			out[k++] = *u;
		}
	}
	out[k] = '\0';
}

/* strip trailing slashes (not the root's own) */
static char *
trimslash(const char *s)
{
	char *t = xstrdup(s);
	size_t n = strlen(t);

	while (n > 1 && t[n - 1] == '/')
		t[--n] = '\0';
	return t;
}

static int
parse_long(const char *s, long lo, long *v)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(s, &end, 10);
	if (errno || end == s || *end || x < lo)
		return -1;
	*v = x;
	return 0;
}

int
main(int argc, char **argv)
{
	struct fetch_opts o;
	const char *output = NULL;
	int list = 0;
	enum { OPT_BASE = 256, OPT_CACERT, OPT_CONNECT, OPT_REFRESH, OPT_RETRIES, OPT_STALL,
	       OPT_TIMEOUT };
	static const struct option longopts[] = {
		{ "base-url", required_argument, NULL, OPT_BASE },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'O' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "refresh", no_argument, NULL, OPT_REFRESH },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "stall-time", required_argument, NULL, OPT_STALL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t lo, hi, h, lo2, hi2;
	struct fetch_job *jobs;
	size_t n, i;
	int c, ret = GHA_OK, runret;
	char *dir = NULL, *base = NULL;
	struct gha_err err;
	char shown[2048];
	long *num;

	gha_setprog(argv[0]);
	argv[0] = (char *)gha_progname;	/* getopt's messages: "gha-NAME: ..." */
	memset(&o, 0, sizeof(o));
	o.dir = "data/raw";
	o.base = getenv("GHA_BASE_URL");
	if (!o.base || !*o.base)
		o.base = "https://data.gharchive.org";
	o.jobs = 4;
	o.retries = 5;
	o.connect_timeout = 30;
	o.timeout = 0;
	o.stall = 60;
	while ((c = getopt_long(argc, argv, "d:hj:nO:qvV", longopts, NULL)) != -1) {
		num = NULL;
		switch (c) {
		case OPT_BASE: o.base = optarg; break;
		case OPT_CACERT: o.cacert = optarg; break;
		case OPT_CONNECT: num = &o.connect_timeout; break;
		case 'd': o.dir = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'j': num = &o.jobs; break;
		case 'n': list = 1; break;
		case 'O': output = optarg; break;
		case 'q': o.quiet = 1; break;
		case OPT_REFRESH: o.refresh = 1; break;
		case OPT_RETRIES: num = &o.retries; break;
		case OPT_STALL: num = &o.stall; break;
		case OPT_TIMEOUT: num = &o.timeout; break;
		case 'v': o.verbose++; break;
		case 'V': printf("gha-fetch %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
		if (num && (parse_long(optarg, num == &o.jobs ? 1 : 0, num) ||
			    (num == &o.jobs && o.jobs > MAX_JOBS))) {
			const struct option *lo_ = longopts;

			while (lo_->name && lo_->val != c)
				lo_++;
			if (num == &o.jobs)
				gha_warn("invalid number '%s' for --jobs: 1 to %d", optarg, MAX_JOBS);
			else
				gha_warn("invalid number '%s' for --%s", optarg,
					 lo_->name ? lo_->name : "?");
			return GHA_USAGE;
		}
	}
	if (optind >= argc || argc - optind > 2) {
		fputs(usage_text, stderr);
		return GHA_USAGE;
	}
	if (hour_parse_range(argv[optind], &lo, &hi)) {
		gha_warn("invalid hour '%s': want YYYY-MM-DD-H, YYYY-MM-DDTHH or YYYY-MM-DD",
			 argv[optind]);
		return GHA_USAGE;
	}
	if (optind + 1 < argc) {
		if (hour_parse_range(argv[optind + 1], &lo2, &hi2)) {
			gha_warn("invalid hour '%s'", argv[optind + 1]);
			return GHA_USAGE;
		}
		hi = hi2;
	}
	if (hi < lo) {
		gha_warn("the range ends before it starts");
		return GHA_USAGE;
	}
	n = (size_t)((hi - lo) / HOUR_SECS + 1);
	if (list) {
		char name[32];

		for (h = lo; h <= hi; h += HOUR_SECS) {
			hour_format(h, name);
			puts(name);
		}
		return fshut(stdout, "<stdout>");
	}
	if (output && n != 1) {
		gha_warn("-O takes one hour, not %zu", n);
		return GHA_USAGE;
	}
	base = trimslash(o.base);
	o.base = base;
	if (strncasecmp(o.base, "http://", 7) && strncasecmp(o.base, "https://", 8) &&
	    strncasecmp(o.base, "file://", 7)) {
		redact(o.base, shown, sizeof(shown));
		gha_warn("--base-url '%s': want http://, https:// or file://", shown);
		free(base);
		return GHA_USAGE;
	}
	if (!strncmp(o.base, "file://", 7)) {
		/* a mistyped mirror is not 404 for every hour: say so, exit 69 */
		struct stat st;
		char path[4096];

		file_path(o.base + 7, path, sizeof(path));
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			gha_warn("mirror '%s' is not a directory", path);
			free(base);
			return GHA_UNAVAILABLE;
		}
	}
	if (output) {
		const char *t = getenv("TMPDIR");

		snprintf(tmp_dir, sizeof(tmp_dir), "%s/gha-fetch.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmp_dir)) {
			gha_warn("cannot make a temporary directory in '%s':", t && *t ? t : "/tmp");
			tmp_dir[0] = '\0';
			free(base);
			return GHA_IOERR;
		}
		snprintf(tmp_locks, sizeof(tmp_locks), "%s/.locks", tmp_dir);
		o.dir = tmp_dir;
	} else {
		dir = trimslash(o.dir);
		o.dir = dir;
		if (mkdirs(o.dir, &err)) {
			gha_warn("%s", err.msg);
			free(dir);
			free(base);
			return GHA_IOERR;
		}
	}
	{
		char *ld = joinpath(o.dir, ".locks", "");

		if (mkdir(ld, 0755) < 0 && errno != EEXIST) {
			gha_warn("cannot create '%s':", ld);
			free(ld);
			tmp_cleanup();
			free(dir);
			free(base);
			return GHA_IOERR;
		}
		free(ld);
	}
	redact(o.base, shown, sizeof(shown));
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		gha_warn("cannot initialise libcurl");
		tmp_cleanup();
		return GHA_UNAVAILABLE;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	jobs = xcalloc(n, sizeof(*jobs));
	for (i = 0, h = lo; i < n; i++, h += HOUR_SECS)
		fetch_job_init(&jobs[i], o.dir, h);
	if (output) {
		snprintf(tmp_files[0], sizeof(tmp_files[0]), "%s", jobs[0].final);
		snprintf(tmp_files[1], sizeof(tmp_files[1]), "%s", jobs[0].part);
		snprintf(tmp_files[2], sizeof(tmp_files[2]), "%s", jobs[0].meta);
		snprintf(tmp_files[3], sizeof(tmp_files[3]), "%s", jobs[0].lock);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		signal(SIGPIPE, on_signal);
	}
	o.no_ledger = output != NULL;
	if (o.verbose)
		gha_warn("%zu hours from %s into %s", n, shown, output ? output : o.dir);
	runret = fetch_run(&o, jobs, n);	/* 74 when the ledger could not be written */

	{
		/* missing upstream (66) < corrupt upstream (65) < temporary (75) < local (74) */
		int sev = 0;
		static const int code[] = { GHA_OK, GHA_NOINPUT, GHA_DATAERR, GHA_UNAVAILABLE,
					    GHA_TEMPFAIL, GHA_IOERR };

		for (i = 0; i < n; i++) {
			struct fetch_job *j = &jobs[i];
			int s = 0;

			switch (j->result) {
			case FETCH_OK: case FETCH_PRESENT: case FETCH_NOTMOD:
				if (!output)
					printf("%s\n", j->final);
				break;
			case FETCH_KNOWN:
				if (!o.quiet)
					gha_warn("%s: missing upstream, a known gap", j->name);
				s = 1;
				break;
			case FETCH_MISSING:
				gha_warn("%s: missing upstream (404)", j->name);
				s = 1;
				break;
			case FETCH_CORRUPT: s = 2; break;
			case FETCH_HTTP: s = 3; break;
			case FETCH_TEMP: s = 4; break;
			default: s = 5; break;
			}
			if (s > sev)
				sev = s;
		}
		ret = gha_exit_worse(code[sev], runret);
	}
	if (output) {
		/* open, then unlink: a reader that stops early (SIGPIPE) or a
		 * kill leaves nothing behind */
		FILE *in = jobs[0].result == FETCH_OK ? fopen(jobs[0].final, "rb") : NULL;

		if (jobs[0].result == FETCH_OK && !in) {
			gha_warn("cannot open '%s':", jobs[0].final);
			ret = GHA_IOERR;
		}
		tmp_cleanup();
		if (in)
			ret = copy_out(in, output);
	}
	for (i = 0; i < n; i++)
		fetch_job_free(&jobs[i]);
	free(jobs);
	curl_global_cleanup();
	free(dir);
	free(base);
	return gha_exit_worse(ret, fshut(stdout, "<stdout>"));
}
