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
#include "gz.h"
#include "mkdirs.h"
#include "outfile.h"
#include "tempfile.h"
#include "timefmt.h"
#include "marker.h"

#define MAX_JOBS 64	/* each transfer holds a socket, a file and a lock */
#define FIRST_HOUR "2011-02-12-0"	/* GH Archive's first hour */

static const char usage_text[] =
	"usage: gha-fetch [-nqv] [-d DIR] [-j N] [-o FILE] [options] FROM [TO]\n"
	"Download GH Archive hours FROM..TO (YYYY-MM-DD-H, YYYY-MM-DDTHH or a day\n"
	"YYYY-MM-DD) into DIR/YYYY-MM-DD-H.json.gz, verified, and print their paths.\n"
	"\n"
	"      --base-url URL        where the hours are (default $GHA_BASE_URL or\n"
	"                            https://data.gharchive.org)\n"
	"      --cacert FILE         CA certificates for a private mirror\n"
	"      --connect-timeout S   seconds to connect (default 30)\n"
	"  -d, --dir DIR             directory for the hour files (default data/raw)\n"
	"  -j, --jobs N              transfers at once, 1 to 64 (default 4)\n"
	"      --mark-missing        record hours missing upstream in DIR/HOUR.missing\n"
	"                            and do not ask again at the same base URL\n"
	"  -n, --list                only print the hour names of the range\n"
	"  -o, --output FILE         write the one hour to FILE ('-': stdout)\n"
	"  -O FILE                   the same as -o (its older name)\n"
	"  -q, --quiet               no progress, no per-hour notes\n"
	"      --refresh             re-check present hours (conditional requests)\n"
	"      --retries N           retries per hour on temporary failures (default 5)\n"
	"      --stall-time S        abort a transfer slower than 1 KB/s for S\n"
	"                            seconds (default 60)\n"
	"      --timeout S           seconds for a whole transfer (default 0: none)\n"
	"  -v, --verbose             log every transfer\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

/* -O downloads into a private temporary directory, gone on any exit or
 * fatal signal: its files and it are in lib/tempfile.c's registry. */
static char tmp_dir[4096], tmp_locks[4200];
static char *out_final, *out_part, *out_meta, *out_lock;	/* -o: the hour's private files */

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
	tempfile_remove_all();
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

/* Every hour of the range got a 404, and none is a known gap: the base
 * URL is wrong far more likely than GH Archive lost them all. An hour in
 * place, or recorded missing at this URL by a run that found others, says
 * the range is not all gone. */
static int
nothing_there(const struct fetch_hour *hours, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hours[i].result != FETCH_MISSING)
			return 0;
	return n > 0;
}

/* The hours in place on stdout, the others on stderr, the .missing
 * markers (--mark-missing); the exit status */
static int
report(const struct fetch_opts *o, const struct fetch_hour *hours, size_t n, int output,
       const char *shown)
{
	/* missing upstream (66) < corrupt upstream (65) < unavailable (69) <
	 * temporary (75) < local (74) */
	static const int code[] = { GHA_OK, GHA_NOINPUT, GHA_DATAERR, GHA_UNAVAILABLE,
				    GHA_TEMPFAIL, GHA_IOERR };
	int sev = 0, ret = GHA_OK;
	size_t i;
	char name[32], last[32];
	struct gha_err err;

	if (nothing_there(hours, n)) {
		hour_format(hours[0].hour, name);
		hour_format(hours[n - 1].hour, last);
		gha_warn("no hour of %s..%s at %s: is the base URL right?", name, last, shown);
		return GHA_UNAVAILABLE;	/* and no marker: a rerun asks again */
	}
	for (i = 0; i < n; i++) {
		const struct fetch_hour *h = &hours[i];
		char *path = NULL, *mark = NULL;
		int s = 0;

		hour_format(h->hour, name);
		if (o->mark_missing)
			mark = joinpath(o->dir, name, ".missing");
		switch (h->result) {
		case FETCH_OK: case FETCH_PRESENT: case FETCH_NOTMOD:
			if (mark && unlink(mark) < 0 && errno != ENOENT) {
				gha_warn("cannot remove '%s':", mark);
				ret = GHA_IOERR;
			}
			if (!output) {
				path = joinpath(o->dir, name, ".json.gz");
				printf("%s\n", path);
			}
			break;
		case FETCH_KNOWN:
		case FETCH_MISSING:
			if (h->result == FETCH_MISSING)
				gha_warn("%s: missing upstream (404)", name);
			else if (!o->quiet)
				gha_warn("%s: missing upstream, a known gap", name);
			if (mark && marker_write(mark, shown, &err)) {
				gha_warn("%s", err.msg);
				ret = GHA_IOERR;
			}
			s = 1;
			break;
		case FETCH_MARKED:
			if (!o->quiet)
				gha_warn("%s: missing upstream (recorded in %s)", name, mark);
			s = 1;
			break;
		case FETCH_CORRUPT: s = 2; break;
		case FETCH_HTTP: case FETCH_LIBCURL: s = 3; break;
		case FETCH_TEMP: s = 4; break;
		default: s = 5; break;
		}
		free(path);
		free(mark);
		if (s > sev)
			sev = s;
	}
	return gha_exit_worse(code[sev], ret);
}

/* YYYY-MM-DD, optionally followed by -H or THH: the shape of an hour,
 * whether or not the date exists */
static int
hour_shaped(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i, k;

	for (i = 0; i < 10; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return 0;
	if (!s[10])
		return 1;
	if (s[10] != '-' && s[10] != 'T')
		return 0;
	k = strspn(s + 11, "0123456789");
	if (k < 1 || k > 2 || s[11 + k])
		return 0;
	return (k == 2 ? (s[11] - '0') * 10 + (s[12] - '0') : s[11] - '0') <= 23;
}

/* an hour or a day of the command line, within GH Archive's life */
static int
parse_arg(const char *s, int64_t *lo, int64_t *hi)
{
	int64_t first, last = hour_of((int64_t)time(NULL));
	char name[32];

	if (hour_parse_range(s, lo, hi)) {
		if (hour_shaped(s))
			gha_warn("no such date '%s'", s);
		else
			gha_warn("invalid hour '%s': want YYYY-MM-DD-H, YYYY-MM-DDTHH or YYYY-MM-DD", s);
		return -1;
	}
	hour_parse(FIRST_HOUR, &first);
	if (*hi < first) {
		gha_warn("'%s' is before GH Archive's first hour, %s", s, FIRST_HOUR);
		return -1;
	}
	if (*lo > last) {
		hour_format(last, name);
		gha_warn("'%s' is after the current hour, %s", s, name);
		return -1;
	}
	/* a day that starts before the first hour or is today */
	if (*lo < first)
		*lo = first;
	if (*hi > last)
		*hi = last;
	return 0;
}

/* What the command line asks for, and what main frees at the end. */
struct cli {
	struct fetch_opts o;
	const char *output;	/* -o FILE, or NULL */
	int list;		/* -n */
	int64_t lo, hi;		/* the range, as hour starts */
	size_t n;		/* hours in it */
	char *dir, *base;	/* o.dir and o.base, trimmed (ours to free) */
	char shown[2048];	/* the base URL as messages show it */
};

/* Options into c; -1 to go on, or the exit status (after --help, -V or a
 * usage error). */
static int
parse_options(struct cli *c, int argc, char **argv)
{
	enum { OPT_BASE = 256, OPT_CACERT, OPT_CONNECT, OPT_MARK, OPT_REFRESH, OPT_RETRIES,
	       OPT_STALL, OPT_TIMEOUT };
	static const struct option longopts[] = {
		{ "base-url", required_argument, NULL, OPT_BASE },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'n' },
		{ "mark-missing", no_argument, NULL, OPT_MARK },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "refresh", no_argument, NULL, OPT_REFRESH },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "stall-time", required_argument, NULL, OPT_STALL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct fetch_opts *o = &c->o;
	int ch;
	long *num;

	o->dir = "data/raw";
	o->base = getenv("GHA_BASE_URL");
	if (!o->base || !*o->base)
		o->base = "https://data.gharchive.org";
	o->jobs = 4;
	o->retries = 5;
	o->connect_timeout = 30;
	o->timeout = 0;
	o->stall = 60;
	while ((ch = getopt_long(argc, argv, "d:hj:nO:o:qvV", longopts, NULL)) != -1) {
		num = NULL;
		switch (ch) {
		case OPT_BASE: o->base = optarg; break;
		case OPT_CACERT: o->cacert = optarg; break;
		case OPT_CONNECT: num = &o->connect_timeout; break;
		case 'd': o->dir = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'j': num = &o->jobs; break;
		case OPT_MARK: o->mark_missing = 1; break;
		case 'n': c->list = 1; break;
		case 'O': /* FALLTHROUGH */
		case 'o': c->output = optarg; break;
		case 'q': o->quiet = 1; break;
		case OPT_REFRESH: o->refresh = 1; break;
		case OPT_RETRIES: num = &o->retries; break;
		case OPT_STALL: num = &o->stall; break;
		case OPT_TIMEOUT: num = &o->timeout; break;
		case 'v': o->verbose++; break;
		case 'V': printf("gha-fetch %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
		if (num && (parse_long(optarg, num == &o->jobs ? 1 : 0, num) ||
			    (num == &o->jobs && o->jobs > MAX_JOBS))) {
			const struct option *lo_ = longopts;

			while (lo_->name && lo_->val != ch)
				lo_++;
			if (num == &o->jobs)
				gha_warn("invalid number '%s' for --jobs: 1 to %d", optarg, MAX_JOBS);
			else
				gha_warn("invalid number '%s' for --%s", optarg,
					 lo_->name ? lo_->name : "?");
			return GHA_USAGE;
		}
	}
	return -1;
}

/* The range and what goes with it; -1 to go on, or the exit status. */
static int
parse_range(struct cli *c, int argc, char **argv)
{
	int64_t lo2, hi2;

	if (optind >= argc || argc - optind > 2) {
		fputs(usage_text, stderr);
		return GHA_USAGE;
	}
	if (parse_arg(argv[optind], &c->lo, &c->hi))
		return GHA_USAGE;
	if (optind + 1 < argc) {
		if (parse_arg(argv[optind + 1], &lo2, &hi2))
			return GHA_USAGE;
		c->hi = hi2;
	}
	if (c->hi < c->lo) {
		gha_warn("the range ends before it starts");
		return GHA_USAGE;
	}
	c->n = (size_t)((c->hi - c->lo) / HOUR_SECS + 1);
	if (c->list)
		return -1;	/* -n only names the hours: the rest does not apply */
	if (c->output && c->n != 1) {
		gha_warn("-o takes one hour, not %zu", c->n);
		return GHA_USAGE;
	}
	if (c->output && c->o.mark_missing) {
		gha_warn("--mark-missing records hours in a directory: not with -o");
		return GHA_USAGE;
	}
	if (c->output && !strcmp(c->output, "-") && isatty(1)) {
		gha_warn("will not write gzip data to a terminal: redirect standard output "
			 "or use -o FILE");
		return GHA_USAGE;
	}
	return -1;
}

/* -n: the hour names, one a line */
static int
list_hours(const struct cli *c)
{
	char name[32];
	int64_t h;

	for (h = c->lo; h <= c->hi; h += HOUR_SECS) {
		hour_format(h, name);
		puts(name);
	}
	return fshut(stdout, "<stdout>");
}

/* The base URL: a scheme we speak, and a file:// mirror that exists (a
 * mistyped mirror is not 404 for every hour: exit 69). -1 to go on. */
static int
check_base(struct cli *c)
{
	c->base = trimslash(c->o.base);
	c->o.base = c->base;
	redact(c->o.base, c->shown, sizeof(c->shown));
	if (strncasecmp(c->o.base, "http://", 7) && strncasecmp(c->o.base, "https://", 8) &&
	    strncasecmp(c->o.base, "file://", 7)) {
		gha_warn("--base-url '%s': want http://, https:// or file://", c->shown);
		return GHA_USAGE;
	}
	if (!strncmp(c->o.base, "file://", 7)) {
		struct stat st;
		char path[4096];

		file_path(c->o.base + 7, path, sizeof(path));
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			gha_warn("mirror '%s' is not a directory", path);
			return GHA_UNAVAILABLE;
		}
	}
	return -1;
}

/* The directory the hours go to (-o: a private temporary one), with its
 * .locks; -1 to go on, or the exit status. */
static int
prepare_dir(struct cli *c)
{
	struct gha_err err;
	char *ld;

	if (c->output) {
		const char *t = getenv("TMPDIR");

		snprintf(tmp_dir, sizeof(tmp_dir), "%s/gha-fetch.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmp_dir)) {
			gha_warn("cannot make a temporary directory in '%s':", t && *t ? t : "/tmp");
			tmp_dir[0] = '\0';
			return GHA_IOERR;
		}
		snprintf(tmp_locks, sizeof(tmp_locks), "%s/.locks", tmp_dir);
		tempfile_register(tmp_dir, 1);
		tempfile_register(tmp_locks, 1);	/* inner: removed first */
		c->o.dir = tmp_dir;
	} else {
		c->dir = trimslash(c->o.dir);
		c->o.dir = c->dir;
		if (mkdirs(c->o.dir, &err)) {
			gha_warn("%s", err.msg);
			return GHA_IOERR;
		}
	}
	ld = joinpath(c->o.dir, ".locks", "");
	if (mkdir(ld, 0755) < 0 && errno != EEXIST) {
		gha_warn("cannot create '%s':", ld);
		free(ld);
		tmp_cleanup();
		return GHA_IOERR;
	}
	free(ld);
	return -1;
}

/* -o: the one hour's private files, in the registry so that any exit or
 * fatal signal removes them */
static void
register_output_files(const struct cli *c)
{
	char name[32];

	hour_format(c->lo, name);
	out_final = joinpath(c->o.dir, name, ".json.gz");
	out_part = joinpath(c->o.dir, name, ".json.gz.part");
	out_meta = joinpath(c->o.dir, name, ".json.gz.part.meta");
	out_lock = joinpath(c->o.dir, ".locks/", name);
	tempfile_register(out_final, 0);
	tempfile_register(out_part, 0);
	tempfile_register(out_meta, 0);
	tempfile_register(out_lock, 0);
}

/* Download the range, report, and with -o copy the hour out. */
static int
run(struct cli *c)
{
	struct fetch_hour *hours;
	int ret, runret;

	{
		/* libcrypto's first digest (the hour's SHA-256) sets up its
		 * library context: before libcurl initialises OpenSSL, as when
		 * every hour's check was made up front, so that an allocation
		 * failing in there is reported, not a crash later */
		struct gzcheck warm;

		gzcheck_init(&warm);
		gzcheck_free(&warm);
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		gha_warn("cannot initialise libcurl");
		tmp_cleanup();
		return GHA_UNAVAILABLE;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	hours = xcalloc(c->n, sizeof(*hours));
	fetch_hours_init(hours, c->n, c->lo);
	if (c->output)
		register_output_files(c);
	c->o.no_ledger = c->output != NULL;
	if (c->o.verbose)
		gha_warn("%zu hours from %s into %s", c->n, c->shown,
			 c->output ? c->output : c->o.dir);
	runret = fetch_run(&c->o, hours, c->n);	/* 74 when the ledger could not be written */
	if (runret < 0)
		ret = GHA_UNAVAILABLE;
	else
		ret = gha_exit_worse(report(&c->o, hours, c->n, c->output != NULL, c->shown),
				     runret);
	if (c->output) {
		/* open, then unlink: a reader that stops early (SIGPIPE) or a
		 * kill leaves nothing behind */
		FILE *in = hours[0].result == FETCH_OK ? fopen(out_final, "rb") : NULL;

		if (hours[0].result == FETCH_OK && !in) {
			gha_warn("cannot open '%s':", out_final);
			ret = GHA_IOERR;
		}
		tmp_cleanup();
		if (in)
			ret = copy_out(in, c->output);
	}
	fetch_hours_free(hours, c->n);
	free(hours);
	curl_global_cleanup();
	return ret;
}

int
main(int argc, char **argv)
{
	struct cli c;
	int ret;

	gha_setprog(argv[0]);
	argv[0] = (char *)gha_progname;	/* getopt's messages: "gha-NAME: ..." */
	memset(&c, 0, sizeof(c));
	if ((ret = parse_options(&c, argc, argv)) >= 0 || (ret = parse_range(&c, argc, argv)) >= 0)
		return ret;
	if (c.list)
		return list_hours(&c);
	if ((ret = check_base(&c)) < 0 && (ret = prepare_dir(&c)) < 0)
		ret = run(&c);
	free(c.dir);
	free(c.base);
	free(out_final);
	free(out_part);
	free(out_meta);
	free(out_lock);
	return gha_exit_worse(ret, fshut(stdout, "<stdout>"));
}
