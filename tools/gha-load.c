/* gha-load: silver and gold TSV (COPY text with a header line) into
 * PostgreSQL, exactly once per source: one transaction per input, the
 * source's earlier rows replaced, a manifest of what was loaded. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gha.h"
#include "jsonout.h"
#include "loadddl.h"
#include "outfile.h"
#include "pgload.h"
#include "pgviews.h"
#include "sfexec.h"
#include "sfplan.h"

static const char usage_text[] =
	"usage: gha-load [-q] [-d CONNINFO] -t TABLE [--create] [--source NAME] [-s FILE]\n"
	"                [FILE|-]...\n"
	"       gha-load --target snowflake --plan DIR -t TABLE [--create] [--source NAME]\n"
	"                [--chunk-size MB] [-q] [-s FILE] [FILE|-]...\n"
	"       gha-load --views [-q] [-d CONNINFO]\n"
	"       gha-load --target snowflake --exec --stage STAGE --s3 s3://BUCKET[/PREFIX]\n"
	"                -t TABLE [--plan DIR] [--create] [--source NAME] [--chunk-size MB]\n"
	"                [-q] [-s FILE] [FILE|-]...\n"
	"Load COPY text with a header line (gha-silver, gha-gold; gzip or plain,\n"
	"files or stdin) into a PostgreSQL table, exactly once per source.\n"
	"\n"
	"  -d, --dbname CONNINFO     a conninfo string or URI (default: libpq's\n"
	"                            PG* variables, service file, .pgpass)\n"
	"  -t, --table TABLE         the target, TABLE or SCHEMA.TABLE\n"
	"      --create              make the schema, the table (from the schema\n"
	"                            registry), its _source column and index if absent\n"
	"      --source NAME         the source of the one input (needed for stdin;\n"
	"                            default: the file's name up to its first '.')\n"
	"      --target NAME         postgres (default) or snowflake\n"
	"      --plan DIR            snowflake: write gzip CSV chunks and load.sql\n"
	"                            to DIR (offline), to run with snow sql -f\n"
	"      --chunk-size MB       snowflake: CSV megabytes per chunk (default 256)\n"
	"      --exec                snowflake: upload the chunks to S3 and run the\n"
	"                            load through the SQL API (settings from the\n"
	"                            environment: see gha-load(1))\n"
	"      --stage STAGE         snowflake --exec: the external stage over --s3\n"
	"      --s3 URL              snowflake --exec: s3://BUCKET[/PREFIX] of the stage\n"
	"  -q, --quiet               no line per input, no progress\n"
	"      --views               create the views over the gold tables (and\n"
	"                            those tables when absent) for BI tools\n"
	"  -s, --stats FILE          write a JSON summary to FILE\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

struct file_stat {
	const char *file;
	char *source;
	struct pgload_result res;
	double secs;
	int code;
};

struct progress {
	double start, last;
	int shown;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A progress line on a terminal, for inputs that take more than 2 s. */
static void
on_progress(void *ctx, const char *file, uint64_t rows, uint64_t bytes)
{
	struct progress *p = ctx;
	double t = now();

	if (t - p->start < 2 || t - p->last < 1)
		return;
	p->last = t;
	p->shown = 1;
	fprintf(stderr, "\r%s: %s: %llu rows, %.1f MB, %.0f rows/s ", gha_progname, file,
		(unsigned long long)rows, (double)bytes / 1e6, (double)rows / (t - p->start));
}

static int
write_stats(const char *path, const char *table, const struct file_stat *fs, int n, double secs)
{
	struct buf b;
	struct gha_err err;
	uint64_t rows = 0, replaced = 0, bytes = 0, loaded = 0, unchanged = 0, failed = 0;
	int ret = GHA_OK;

	for (int i = 0; i < n; i++) {
		if (fs[i].code) {
			failed++;
			continue;
		}
		if (fs[i].res.status == PGLOAD_UNCHANGED) {
			unchanged++;
			continue;
		}
		loaded++;
		rows += fs[i].res.rows;
		replaced += fs[i].res.replaced;
		bytes += fs[i].res.bytes;
	}
	buf_init(&b);
	buf_adds(&b, "{\"table\":");
	json_addstr_lossy(&b, table, strlen(table));
	buf_printf(&b, ",\"inputs\":%d,\"loaded\":%llu,\"unchanged\":%llu,\"failed\":%llu,"
		   "\"rows\":%llu,\"rows_replaced\":%llu,\"bytes\":%llu,\"seconds\":%.3f,"
		   "\"rows_per_s\":%.0f,\"files\":[", n, (unsigned long long)loaded,
		   (unsigned long long)unchanged, (unsigned long long)failed,
		   (unsigned long long)rows, (unsigned long long)replaced,
		   (unsigned long long)bytes, secs, secs > 0 ? (double)rows / secs : 0.0);
	for (int i = 0; i < n; i++) {
		const struct file_stat *f = &fs[i];

		buf_adds(&b, i ? ",{\"file\":" : "{\"file\":");
		json_addstr_lossy(&b, f->file, strlen(f->file));
		buf_adds(&b, ",\"source\":");
		if (f->source)
			json_addstr_lossy(&b, f->source, strlen(f->source));
		else
			buf_adds(&b, "null");
		buf_printf(&b, ",\"status\":\"%s\",\"exit\":%d,\"sha256\":",
			   f->code ? "failed" : f->res.status == PGLOAD_UNCHANGED ? "unchanged" : "loaded",
			   f->code);
		if (f->res.sha256[0])
			buf_printf(&b, "\"%s\"", f->res.sha256);
		else
			buf_adds(&b, "null");
		buf_printf(&b, ",\"rows\":%llu,\"rows_replaced\":%llu,\"seconds\":%.3f}",
			   (unsigned long long)f->res.rows, (unsigned long long)f->res.replaced, f->secs);
	}
	buf_adds(&b, "]}\n");
	if (write_atomic(path, b.p, b.len, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
	}
	buf_free(&b);
	return ret;
}

static int
is_regular(const char *path)
{
	struct stat st;

	return path && strcmp(path, "-") && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* One input: returns its exit code. */
static int
load_one(struct pgload *L, struct file_stat *f, int quiet)
{
	struct gha_err err;
	char presha[65];
	const char *name = strcmp(f->file, "-") ? f->file : "<stdin>";
	uint64_t bytes;
	double t0 = now();
	struct progress *p = L->progress_ctx;

	p->start = p->last = t0;
	p->shown = 0;
	/* a file can be read twice: hash first, and an input already loaded
	 * costs one manifest lookup; stdin is hashed as it streams */
	if (is_regular(f->file) && content_sha256(f->file, presha, &bytes, &err)) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	if (pgload_file(L, f->file, f->source, is_regular(f->file) ? presha : NULL, &f->res, &err)) {
		if (p->shown)
			fputc('\n', stderr);
		gha_warn("%s", err.msg);
		return err.code;
	}
	f->secs = now() - t0;
	if (p->shown)
		fputc('\n', stderr);
	if (quiet)
		return GHA_OK;
	if (f->res.status == PGLOAD_UNCHANGED)
		printf("%s: already loaded into %s as source %s (sha256 %.12s): nothing to do\n", name,
		       L->target, f->source, f->res.sha256);
	else
		printf("%s: %llu rows into %s as source %s, %llu earlier rows replaced, %.0f rows/s\n",
		       name, (unsigned long long)f->res.rows, L->target, f->source,
		       (unsigned long long)f->res.replaced,
		       f->secs > 0 ? (double)f->res.rows / f->secs : 0.0);
	return GHA_OK;
}

/* --target snowflake: the offline plan */
static int
plan(const char *dir, const char *table, uint64_t chunk, int create, struct file_stat *fs, int n,
     int quiet)
{
	struct sfplan p = { 0 };
	struct sfplan_result r;
	struct gha_err err;
	int ret = GHA_OK;

	if (sfplan_init(&p, dir, table, NULL, chunk, create, &err)) {
		gha_warn("%s", err.msg);
		for (int i = 0; i < n; i++)
			fs[i].code = err.code;
		return err.code;
	}
	for (int i = 0; i < n; i++) {
		double t0 = now();
		const char *name = strcmp(fs[i].file, "-") ? fs[i].file : "<stdin>";

		if (sfplan_file(&p, fs[i].file, fs[i].source, &r, &err)) {
			gha_warn("%s", err.msg);
			fs[i].code = err.code;
			ret = gha_exit_worse(ret, err.code);
			continue;
		}
		fs[i].secs = now() - t0;
		fs[i].res.rows = r.rows;
		fs[i].res.bytes = r.bytes;
		memcpy(fs[i].res.sha256, r.sha256, sizeof(r.sha256));
		if (!quiet)
			printf("%s: %llu rows in %d chunk(s) for %s as source %s, in %s\n", name,
			       (unsigned long long)r.rows, r.chunks, table, fs[i].source, dir);
	}
	/* load.sql only when every input went in: a plan missing one would
	 * look complete */
	if (ret == GHA_OK && sfplan_finish(&p, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
	}
	sfplan_free(&p);
	return ret;
}

/* --views: the views over the gold tables (lib/pgviews.c) */
static int
make_views(const char *conninfo, int quiet, int other)
{
	struct pgload L;
	struct gha_err err;
	int ret = GHA_OK;

	if (other) {
		gha_warn("--views takes only -d and -q");
		return GHA_USAGE;
	}
	if (pgload_connect(&L, conninfo, &err) || pgviews_create(&L, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
	} else if (!quiet) {
		for (int i = 0; pgviews_names[i]; i++)
			printf("%s%s", i ? " " : "views: ", pgviews_names[i]);
		printf("\n");
	}
	pgload_free(&L);
	return gha_exit_worse(ret, fshut(stdout, "<stdout>"));
}

/* --target snowflake --exec: the plan (in dir, or a temporary one)
 * carried out through S3 and the SQL API */
static int
execute(const char *dir, const char *stage, const char *s3url, const char *table, uint64_t chunk,
	int create, struct file_stat *fs, int n, int quiet)
{
	struct sfplan p = { 0 };
	struct sfexec x;
	struct sfplan_result r;
	struct gha_err err;
	char tmpl[4096];
	int ret = GHA_OK, *which = xcalloc((size_t)n, sizeof(int)), k = 0;

	if (!dir) {
		const char *t = getenv("TMPDIR");

		snprintf(tmpl, sizeof(tmpl), "%s/gha-load-sf.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpl)) {
			gha_warn("%s:", tmpl);
			free(which);
			return GHA_IOERR;
		}
	}
	if (sfexec_open(&x, s3url, &err) || sfplan_init(&p, dir ? dir : tmpl, table, stage, chunk, create, &err)) {
		gha_warn("%s", err.msg);
		for (int i = 0; i < n; i++)
			fs[i].code = err.code;
		ret = err.code;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (sfplan_file(&p, fs[i].file, fs[i].source, &r, &err)) {
			gha_warn("%s", err.msg);
			fs[i].code = err.code;
			ret = gha_exit_worse(ret, err.code);
			continue;
		}
		fs[i].res.bytes = r.bytes;
		memcpy(fs[i].res.sha256, r.sha256, sizeof(r.sha256));
		which[k++] = i;
	}
	if (sfplan_finish(&p, &err) || sfexec_prepare(&x, &p, &err)) {
		gha_warn("%s", err.msg);
		for (int i = 0; i < k; i++)
			fs[which[i]].code = err.code;
		ret = gha_exit_worse(ret, err.code);
		goto out;
	}
	for (int i = 0; i < k; i++) {
		struct file_stat *f = &fs[which[i]];
		const char *name = strcmp(f->file, "-") ? f->file : "<stdin>";
		double t0 = now();
		int loaded, up;

		if (sfexec_input(&x, &p, i, &loaded, &f->res.rows, &up, &err)) {
			gha_warn("%s: %s", name, err.msg);
			f->code = err.code;
			ret = gha_exit_worse(ret, err.code);
			continue;
		}
		f->secs = now() - t0;
		f->res.status = loaded ? PGLOAD_LOADED : PGLOAD_UNCHANGED;
		if (quiet)
			continue;
		if (loaded)
			printf("%s: %llu rows into %s as source %s, %d of %d chunk(s) uploaded\n", name,
			       (unsigned long long)f->res.rows, table, f->source, up, p.in[i].nchunks);
		else
			printf("%s: already loaded into %s as source %s (sha256 %.12s): nothing to do\n", name,
			       table, f->source, f->res.sha256);
	}
out:
	if (!dir) {
		for (int i = 0; i < p.nchunk; i++) {
			snprintf(tmpl + strlen(tmpl), sizeof(tmpl) - strlen(tmpl), "/%s", p.chunk[i]);
			unlink(tmpl);
			*strrchr(tmpl, '/') = 0;
		}
		snprintf(tmpl + strlen(tmpl), sizeof(tmpl) - strlen(tmpl), "/load.sql");
		unlink(tmpl);
		*strrchr(tmpl, '/') = 0;
		rmdir(tmpl);
	}
	sfplan_free(&p);
	sfexec_close(&x);
	free(which);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "chunk-size", required_argument, NULL, 'K' },
		{ "create", no_argument, NULL, 'C' },
		{ "dbname", required_argument, NULL, 'd' },
		{ "exec", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "plan", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "s3", required_argument, NULL, '3' },
		{ "source", required_argument, NULL, 'S' },
		{ "stage", required_argument, NULL, 'G' },
		{ "stats", required_argument, NULL, 's' },
		{ "table", required_argument, NULL, 't' },
		{ "target", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ "views", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conninfo = NULL, *table = NULL, *source = NULL, *statspath = NULL;
	const char *target = "postgres", *plandir = NULL, *stage = NULL, *s3url = NULL;
	uint64_t chunk = 256;
	char *end;
	const char *stdin_only[] = { "-" };
	const char *const *inputs;
	int c, n, create = 0, quiet = 0, views = 0, ret = GHA_OK, exec = 0;
	struct file_stat *fs;
	struct pgload L;
	struct progress prog = { 0 };
	struct gha_err err;
	double t0 = now();

	gha_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hqs:t:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': create = 1; break;
		case 'E': exec = 1; break;
		case 'G': stage = optarg; break;
		case '3': s3url = optarg; break;
		case 'd': conninfo = optarg; break;
		case 'K':
			chunk = strtoull(optarg, &end, 10);
			if (*end || !*optarg || chunk == 0 || chunk > 100000 || optarg[0] == '-') {
				gha_warn("--chunk-size: a number of megabytes from 1 to 100000, not '%s'", optarg);
				return GHA_USAGE;
			}
			break;
		case 'P': plandir = optarg; break;
		case 'T': target = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'q': quiet = 1; break;
		case 'S': source = optarg; break;
		case 's': statspath = optarg; break;
		case 't': table = optarg; break;
		case 'V': printf("gha-load %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		case 'W': views = 1; break;
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	if (views)
		return make_views(conninfo, quiet, table || source || statspath || plandir ||
				  create || exec || stage || s3url || optind < argc || strcmp(target, "postgres"));
	if (!table) {
		gha_warn("-t TABLE is required");
		fputs(usage_text, stderr);
		return GHA_USAGE;
	}
	if (strcmp(target, "postgres") && strcmp(target, "snowflake")) {
		gha_warn("--target: postgres or snowflake, not '%s'", target);
		return GHA_USAGE;
	}
	if (!strcmp(target, "snowflake") ? !(plandir || exec) || conninfo
	    : plandir || exec || stage || s3url) {
		gha_warn("--target snowflake needs --plan DIR or --exec (and takes no -d); "
			 "--plan, --exec, --stage and --s3 are for it only");
		return GHA_USAGE;
	}
	if (exec ? !stage || !s3url : stage || s3url) {
		gha_warn("--exec needs --stage STAGE and --s3 s3://BUCKET[/PREFIX], which are for it only");
		return GHA_USAGE;
	}
	n = argc - optind;
	inputs = n ? (const char *const *)argv + optind : stdin_only;
	if (!n)
		n = 1;
	if (source && !*source) {
		gha_warn("--source may not be empty");
		return GHA_USAGE;
	}
	if (source && n > 1) {
		gha_warn("--source names the source of one input, not %d", n);
		return GHA_USAGE;
	}
	fs = xcalloc((size_t)n, sizeof(*fs));
	for (int i = 0; i < n; i++) {
		fs[i].file = inputs[i];
		if (source)
			fs[i].source = xstrdup(source);
		else if (!strcmp(inputs[i], "-"))
			ret = GHA_USAGE;
		else if (!(fs[i].source = source_of(inputs[i])))
			ret = GHA_USAGE;
		if (ret) {
			gha_warn("%s: no source name in the file name: give --source NAME", inputs[i]);
			goto out;
		}
		for (int k = 0; k < i; k++) {
			if (!strcmp(fs[k].source, fs[i].source)) {
				gha_warn("%s and %s are both source %s: one would replace the other",
					 fs[k].file, fs[i].file, fs[i].source);
				ret = GHA_USAGE;
				goto out;
			}
		}
	}
	if (statspath && strcmp(statspath, "-") == 0) {
		gha_warn("--stats needs a file name");
		ret = GHA_USAGE;
		goto out;
	}

	if (exec) {
		ret = execute(plandir, stage, s3url, table, chunk << 20, create, fs, n, quiet);
		goto stats;
	}
	if (plandir) {
		ret = plan(plandir, table, chunk << 20, create, fs, n, quiet);
		goto stats;
	}
	if (pgload_connect(&L, conninfo, &err) ||
	    pgload_target(&L, table, create, create ? load_ddl : NULL, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
		pgload_free(&L);
		for (int i = 0; i < n; i++)
			fs[i].code = ret;
		goto stats;
	}
	if (isatty(2) && !quiet) {
		L.progress = on_progress;
	}
	L.progress_ctx = &prog;
	for (int i = 0; i < n; i++) {
		fs[i].code = load_one(&L, &fs[i], quiet);
		ret = gha_exit_worse(ret, fs[i].code);
	}
	pgload_free(&L);
stats:
	if (statspath)
		ret = gha_exit_worse(ret, write_stats(statspath, table, fs, n, now() - t0));
out:
	for (int i = 0; i < n; i++)
		free(fs[i].source);
	free(fs);
	return gha_exit_worse(ret, fshut(stdout, "<stdout>"));
}
