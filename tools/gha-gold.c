/* gha-gold: silver events in, gold tables out (trending, activity,
 * languages, contributors, PRs, orgs ...), through a mergeable set of
 * facts: --partial writes the facts, --merge adds partials up. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "gha.h"
#include "copyin.h"
#include "gold/gold.h"
#include "cli.h"
#include "mkdirs.h"
#include "outfile.h"
#include "timefmt.h"

#define OUTBUF (1 << 20)
#define MAXT 32

static const char usage_text[] =
	"usage: gha-gold [-q] [-t TABLES] [-o FILE | -d DIR] [-b FILE] [-R FILE] [-m RATE]\n"
	"                [-n N] [-r FILE] [-s FILE] [-u DAY] [-w WINDOW] [FILE...]\n"
	"       gha-gold -P [-q] [-o FILE] [-b FILE] [-m RATE] [-r FILE] [-s FILE] [FILE...]\n"
	"       gha-gold -M [-t TABLES] [-o FILE | -d DIR] [-R FILE] [-n N] [-u DAY] [-w WINDOW]\n"
	"                PARTIAL...\n"
	"       gha-gold --list | --ddl [-t TABLES] | --sql TABLE [-D DIALECT] [-b FILE] [-n N]\n"
	"                [-u DAY] [-w WINDOW]\n"
	"Compute gold tables from silver events tables (COPY text with a header,\n"
	"gzip or plain), directly or through partials that merge exactly.\n"
	"\n"
	"  -b, --bots FILE           more bot login patterns (globs), one a line\n"
	"  -D, --dialect NAME        --sql for postgres (default), snowflake or duckdb\n"
	"  -d, --dir DIR             write each table to DIR/TABLE.tsv\n"
	"      --ddl                 print CREATE TABLE statements and exit\n"
	"  -h, --help                show this help\n"
	"      --list                name the tables, one a line, and exit\n"
	"  -M, --merge               inputs are partials: merge them into tables\n"
	"  -m, --max-reject-rate R   exit 1 when more than R of rows are rejected\n"
	"                            (0.001 or 0.1%; default 0.1%)\n"
	"  -n, --top N               trending: at most N rows (default 100; 0: all)\n"
	"  -o, --output FILE         write the one table (or the partial) to FILE\n"
	"  -P, --partial             write a partial (the facts) instead of tables\n"
	"  -q, --quiet               no warnings about rejected rows\n"
	"  -R, --repos FILE          repos table (gha-silver -R, merged) for languages\n"
	"  -r, --rejects FILE        write rejected rows to FILE (NDJSON)\n"
	"  -s, --stats FILE          write a JSON summary to FILE\n"
	"      --sql TABLE           print a query over gha_events giving TABLE, and exit\n"
	"  -t, --tables LIST         tables to compute, comma-separated (see --list)\n"
	"  -u, --until DAY           trending: the window's last day (default: the last\n"
	"                            day of the input)\n"
	"  -V, --version             show the version\n"
	"  -w, --window W            trending: 1d, 7d or 30d (default 7d)\n";

struct opts {
	const struct gold_table *t[MAXT];
	int nt;
	const char *out, *dir, *rejects, *stats, *botsfile, *sqltable;
	int partial, merge, quiet, list, ddl;
	enum gold_dialect dialect;
	double maxrate;
	struct gold_opts g;
};

struct counts {
	uint64_t files, rows, used, rejected;
};

static int
parse_tables(struct opts *o, const char *list)
{
	const char *p = list;

	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const struct gold_table *t = gold_table(p, len);
		int k;

		if (!t) {
			gha_warn("unknown table '%.*s'; gha-gold --list names them", (int)len, p);
			return -1;
		}
		for (k = 0; k < o->nt; k++) {
			if (o->t[k] == t) {
				gha_warn("table '%s' named twice", t->name);
				return -1;
			}
		}
		o->t[o->nt++] = t;
		if (!e)
			return 0;
		p = e + 1;
	}
}

static int
parse_day(const char *s, int64_t *t)
{
	int64_t lo, hi;

	if (strlen(s) != 10 || hour_parse_range(s, &lo, &hi))
		return -1;
	*t = lo;
	return 0;
}

/* One silver file into the facts. Returns an exit code. */
static int
read_silver(struct gold_facts *f, const char *path, unsigned needs, const struct botlist *bots,
	    struct quarantine *q, struct counts *n, int *qerr)
{
	unsigned char req[GI_N];
	struct copyin c;
	struct gha_err err;
	int i, k, ret = GHA_OK;

	for (i = 0; i < GI_N; i++)
		req[i] = (needs >> i) & 1;
	copyin_init(&c, q);
	if (copyin_open(&c, path, &err) || copyin_bind(&c, gold_in_cols, GI_N, req, &err)) {
		gha_warn("%s", err.msg);
		copyin_free(&c);
		return err.code;
	}
	if ((k = gold_feed(f, &c, bots, &n->used, &err)) < 0) {
		gha_warn("%s", err.msg);
		ret = err.code;
	}
	n->files++;
	n->rows += c.rows;
	n->rejected += c.rejected;
	*qerr |= c.qerr;
	copyin_free(&c);
	return ret;
}

static int
write_stats(const char *path, const struct counts *n, const struct gold_facts *f,
	    const struct opts *o, const uint64_t *tablerows)
{
	struct buf b;
	struct gha_err err;
	int i, ret = GHA_OK;

	buf_init(&b);
	buf_printf(&b, "{\"tool\":\"gha-gold\",\"version\":\"%s\",\"files\":%llu,", GHA_VERSION,
		   (unsigned long long)n->files);
	if (!o->merge)
		buf_printf(&b, "\"rows_in\":%llu,\"rows_used\":%llu,\"rows_rejected\":%llu,",
			   (unsigned long long)n->rows, (unsigned long long)n->used,
			   (unsigned long long)n->rejected);
	buf_printf(&b, "\"facts\":%zu,\"symbols\":%zu", f->n, f->sy.n - 1);
	if (!o->partial) {
		buf_adds(&b, ",\"table_rows\":{");
		for (i = 0; i < o->nt; i++)
			buf_printf(&b, "%s\"%s\":%llu", i ? "," : "", o->t[i]->name,
				   (unsigned long long)tablerows[i]);
		buf_addc(&b, '}');
	}
	buf_adds(&b, "}\n");
	if (write_atomic(path, b.p, b.len, &err)) {
		gha_warn("%s", err.msg);
		ret = GHA_IOERR;
	}
	buf_free(&b);
	return ret;
}

/* Table t into of (opened, not committed: the caller commits every
 * table or none), or stdout when of is NULL. */
static int
write_table(struct gold_run *r, const struct gold_table *t, struct outfile *of, uint64_t *rows)
{
	struct gold_out o;
	struct gha_err err;
	FILE *fp = of ? of->fp : stdout;
	int ret = GHA_OK;

	gold_out_init(&o, fp, t);
	if (t->emit(r, &o, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
	}
	*rows = o.rows;
	if (fflush(fp) == EOF || ferror(fp))
		o.err = 1;
	if (o.err && ret == GHA_OK) {
		gha_warn("write error on '%s':", of ? of->path : "<stdout>");
		ret = GHA_IOERR;
	}
	gold_out_free(&o);
	return ret;
}

static int
check_window(const struct opts *o, const struct gold_facts *f)
{
	int i, trending = 0;
	char a[32], b[32], u[32];

	for (i = 0; i < o->nt; i++)
		trending |= !strcmp(o->t[i]->name, "trending");
	if (!trending)
		return GHA_OK;
	if (f->hmin > f->hmax) {
		gha_warn("no events in the input: no window to rank");
		return GHA_DATAERR;
	}
	if (o->g.until >= 0 && (o->g.until < gold_day(f->hmin) || o->g.until > gold_day(f->hmax))) {
		ts_format(gold_day(f->hmin), a);
		ts_format(gold_day(f->hmax), b);
		ts_format(o->g.until, u);
		gha_warn("--until %.10s is outside the input, which covers %.10s to %.10s", u, a, b);
		return GHA_DATAERR;
	}
	{
		int64_t until = o->g.until >= 0 ? o->g.until : gold_day(f->hmax);
		int64_t start = until - (int64_t)(o->g.window - 1) * DAY_SECS;

		if (start < gold_day(f->hmin) && !o->quiet) {
			ts_format(start, a);
			ts_format(gold_day(f->hmin), b);
			gha_warn("the %dd window starts %.10s, before the input's first day %.10s: "
				 "trending covers only the days there are", o->g.window, a, b);
		}
	}
	return GHA_OK;
}

static int
run_tables(struct opts *o, struct gold_facts *f, uint64_t *tablerows)
{
	struct gold_run r;
	struct gha_err err;
	struct outfile *of;
	int i, ret, opened = 0;

	if ((ret = check_window(o, f)) != GHA_OK)
		return ret;
	gold_run_init(&r, f, &o->g);
	if (gold_load_repos(&r, &err)) {
		gha_warn("%s", err.msg);
		gold_run_free(&r);
		return err.code;
	}
	/* -d: every table to a temporary, renamed into place once all are
	 * written, so a failure leaves the directory as it was */
	of = xcalloc((size_t)o->nt, sizeof(*of));
	for (i = 0; i < o->nt && ret == GHA_OK; i++) {
		const char *path = o->out;
		char *p = NULL;

		if (o->dir) {
			size_t n = strlen(o->dir) + strlen(o->t[i]->name) + 6;

			p = xmalloc(n);
			snprintf(p, n, "%s/%s.tsv", o->dir, o->t[i]->name);
			path = p;
		}
		if (path && outfile_open(&of[i], path, &err)) {
			gha_warn("%s", err.msg);
			ret = err.code;
		} else {
			opened = i + 1;
			ret = write_table(&r, o->t[i], path ? &of[i] : NULL, &tablerows[i]);
		}
		free(p);
	}
	for (i = 0; i < opened; i++) {
		if (!of[i].fp)
			continue;
		if (ret != GHA_OK)
			outfile_abort(&of[i]);
		else if (outfile_commit(&of[i], &err)) {
			gha_warn("%s", err.msg);
			ret = GHA_IOERR;
		}
	}
	free(of);
	gold_run_free(&r);
	return ret;
}

static int
write_partial(struct gold_facts *f, const char *path)
{
	struct outfile of = { 0 };
	struct gha_err err;
	FILE *fp = stdout;

	if (path) {
		if (outfile_open(&of, path, &err)) {
			gha_warn("%s", err.msg);
			return err.code;
		}
		fp = of.fp;
	}
	if (gfacts_write(f, fp) || fflush(fp) == EOF || ferror(fp)) {
		gha_warn("write error on '%s':", path ? path : "<stdout>");
		if (path)
			outfile_abort(&of);
		return GHA_IOERR;
	}
	if (path && outfile_commit(&of, &err)) {
		gha_warn("%s", err.msg);
		return GHA_IOERR;
	}
	return GHA_OK;
}

static int
info(struct opts *o)
{
	struct buf b;
	int i;

	buf_init(&b);
	if (o->list) {
		for (i = 0; gold_tables[i]; i++)
			buf_printf(&b, "%-14s %s\n", gold_tables[i]->name, gold_tables[i]->schema->desc);
	} else if (o->ddl) {
		if (!o->nt)
			for (i = 0; gold_tables[i]; i++)
				o->t[o->nt++] = gold_tables[i];
		for (i = 0; i < o->nt; i++)
			gold_ddl(&b, o->t[i], o->dialect);
	} else {
		const struct gold_table *t = gold_table(o->sqltable, strlen(o->sqltable));
		struct gold_run r;

		if (!t) {
			gha_warn("unknown table '%s'; gha-gold --list names them", o->sqltable);
			buf_free(&b);
			return GHA_USAGE;
		}
		if (!t->sql) {
			gha_warn("table '%s' has no SQL form", t->name);
			buf_free(&b);
			return GHA_USAGE;
		}
		gold_run_init(&r, NULL, &o->g);
		t->sql(&b, &r, o->dialect);
		buf_adds(&b, ";\n");
		gold_run_free(&r);
	}
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
	return fshut(stdout, "<stdout>");
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "bots", required_argument, NULL, 'b' },
		{ "dialect", required_argument, NULL, 'D' },
		{ "dir", required_argument, NULL, 'd' },
		{ "ddl", no_argument, NULL, 1 },
		{ "help", no_argument, NULL, 'h' },
		{ "list", no_argument, NULL, 2 },
		{ "merge", no_argument, NULL, 'M' },
		{ "max-reject-rate", required_argument, NULL, 'm' },
		{ "top", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "partial", no_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "repos", required_argument, NULL, 'R' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "stats", required_argument, NULL, 's' },
		{ "sql", required_argument, NULL, 3 },
		{ "tables", required_argument, NULL, 't' },
		{ "until", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ "window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int c, dialect_set = 0, trend_set = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "b:D:d:hMm:n:o:PqR:r:s:t:u:Vw:", longopts, NULL)) != -1) {
		switch (c) {
		case 1: o->ddl = 1; break;
		case 2: o->list = 1; break;
		case 3: o->sqltable = optarg; break;
		case 'b': o->botsfile = optarg; break;
		case 'D':
			dialect_set = 1;
			if (!strcmp(optarg, "postgres"))
				o->dialect = GD_POSTGRES;
			else if (!strcmp(optarg, "snowflake"))
				o->dialect = GD_SNOWFLAKE;
			else if (!strcmp(optarg, "duckdb"))
				o->dialect = GD_DUCKDB;
			else {
				gha_warn("unknown dialect '%s': want postgres, snowflake or duckdb", optarg);
				return GHA_USAGE;
			}
			break;
		case 'd': o->dir = optarg; break;
		case 'h': fputs(usage_text, stdout); return -1;
		case 'M': o->merge = 1; break;
		case 'm':
			if (parse_rate(optarg, &o->maxrate)) {
				gha_warn("invalid --max-reject-rate '%s': want 0..1 or 0%%..100%%", optarg);
				return GHA_USAGE;
			}
			break;
		case 'n':
			trend_set = 1;
			o->g.top = strtol(optarg, &end, 10);
			if (!*optarg || *end || o->g.top < 0) {
				gha_warn("invalid --top '%s': want a count, 0 for all", optarg);
				return GHA_USAGE;
			}
			break;
		case 'o': o->out = optarg; break;
		case 'P': o->partial = 1; break;
		case 'q': o->quiet = 1; break;
		case 'R': o->g.repos_path = optarg; break;
		case 'r': o->rejects = optarg; break;
		case 's': o->stats = optarg; break;
		case 't':
			if (parse_tables(o, optarg))
				return GHA_USAGE;
			break;
		case 'u':
			trend_set = 1;
			if (parse_day(optarg, &o->g.until)) {
				gha_warn("invalid --until '%s': want a day, YYYY-MM-DD", optarg);
				return GHA_USAGE;
			}
			break;
		case 'V': printf("gha-gold %s\n", GHA_VERSION); return -1;
		case 'w':
			trend_set = 1;
			if (!strcmp(optarg, "1d"))
				o->g.window = 1;
			else if (!strcmp(optarg, "7d"))
				o->g.window = 7;
			else if (!strcmp(optarg, "30d"))
				o->g.window = 30;
			else {
				gha_warn("invalid --window '%s': want 1d, 7d or 30d", optarg);
				return GHA_USAGE;
			}
			break;
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	/* --merge --partial merges partials into one */
	if (o->list + o->ddl + (o->sqltable != NULL) + (o->partial || o->merge) > 1) {
		gha_warn("--list, --ddl, --sql and --partial or --merge exclude each other");
		return GHA_USAGE;
	}
	if (dialect_set && !o->sqltable && !o->ddl) {
		gha_warn("--dialect goes with --sql or --ddl");
		return GHA_USAGE;
	}
	if ((o->list || o->ddl || o->sqltable) && optind < argc) {
		gha_warn("--%s reads no input files", o->list ? "list" : o->ddl ? "ddl" : "sql");
		return GHA_USAGE;
	}
	if (o->out && o->dir) {
		gha_warn("-o and -d exclude each other");
		return GHA_USAGE;
	}
	if (o->partial && (o->nt || o->dir || o->g.repos_path)) {
		gha_warn("--partial keeps every table's facts: no -t, -d or -R");
		return GHA_USAGE;
	}
	if (o->merge && optind == argc) {
		gha_warn("--merge needs the partials to merge");
		return GHA_USAGE;
	}
	if (o->merge && (o->botsfile || o->rejects)) {
		gha_warn("--merge reads partials: -b and -r apply when they are made");
		return GHA_USAGE;
	}
	if (!o->list && !o->ddl && !o->sqltable && !o->partial) {
		if (!o->nt && o->dir) {
			for (int i = 0; gold_tables[i]; i++)
				o->t[o->nt++] = gold_tables[i];
		}
		if (!o->nt) {
			gha_warn("choose tables with -t (gha-gold --list names them), or -d DIR for all");
			return GHA_USAGE;
		}
		if (o->nt > 1 && !o->dir) {
			gha_warn("%d tables need -d DIR (one file each)", o->nt);
			return GHA_USAGE;
		}
	}
	if (trend_set) {
		int k, trending = o->sqltable && !strcmp(o->sqltable, "trending");

		for (k = 0; k < o->nt; k++)
			trending |= !strcmp(o->t[k]->name, "trending");
		if (!trending || o->partial) {
			gha_warn("--window, --until and --top go with the trending table");
			return GHA_USAGE;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct opts o;
	static struct gold_facts f;
	struct counts n = { 0, 0, 0, 0 };
	uint64_t tablerows[MAXT] = { 0 };
	struct botlist bots;
	struct quarantine q;
	struct outfile rej = { 0 };
	struct gha_err err;
	unsigned needs = 0;
	int i, ret = GHA_OK, qerr = 0;
	char *outbuf;

	gha_setprog(argv[0]);
	argv[0] = (char *)gha_progname;
#ifdef __GLIBC__
	/* The fact, symbol and group tables grow by doubling. As separate
	 * mmaps each growth was fresh pages, and page faults were a sixth
	 * of an hour's run; from the heap, freed tables are reused. Above
	 * 64 MB (a day's tables) mmap again: realloc moves those with
	 * mremap, where the heap would hold old and new copies at once. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
	o.maxrate = 0.001;
	o.g.window = 7;
	o.g.until = -1;
	o.g.top = 100;
	if ((ret = parse_args(argc, argv, &o)))
		return ret < 0 ? fshut(stdout, "<stdout>") : ret;
	if (o.botsfile) {
		botlist_init(&bots);
		if (botlist_load(&bots, o.botsfile, &err)) {
			gha_warn("%s", err.msg);
			botlist_free(&bots);
			return err.code;
		}
		o.g.bots = &bots;
	}
	if (o.list || o.ddl || o.sqltable) {
		ret = info(&o);
		if (o.g.bots)
			botlist_free(&bots);
		return ret;
	}
	{
		const char *outs[3] = { o.out, o.rejects, o.stats };

		if (outfile_distinct(outs, 3, &err)) {
			gha_warn("%s", err.msg);
			return GHA_USAGE;
		}
	}
	if (o.dir && mkdirs(o.dir, &err)) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	if (o.rejects && outfile_open(&rej, o.rejects, &err)) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	outbuf = xmalloc(OUTBUF);
	setvbuf(stdout, outbuf, _IOFBF, OUTBUF);
	quarantine_init(&q, o.rejects ? rej.fp : NULL);
	gfacts_init(&f);
	if (o.partial)
		needs = GI_ALL;
	for (i = 0; i < o.nt; i++)
		needs |= o.t[i]->needs;
	ret = GHA_OK;
	if (o.merge) {
		for (i = optind; i < argc; i++) {
			if (gfacts_read(&f, argv[i], &err)) {
				gha_warn("%s", err.msg);
				ret = gha_exit_worse(ret, err.code);
			}
			n.files++;
		}
	} else if (optind == argc) {
		ret = read_silver(&f, NULL, needs, o.g.bots, &q, &n, &qerr);
	} else {
		for (i = optind; i < argc; i++)
			ret = gha_exit_worse(ret, read_silver(&f, argv[i], needs, o.g.bots, &q, &n, &qerr));
	}
	if (!o.merge) {
		if (n.rejected && !o.quiet)
			gha_warn("%llu of %llu rows rejected%s%s", (unsigned long long)n.rejected,
				 (unsigned long long)n.rows, o.rejects ? "; see " : "",
				 o.rejects ? o.rejects : "");
		if (n.rows && (double)n.rejected > o.maxrate * (double)n.rows && ret == GHA_OK) {
			gha_warn("reject rate %.4f%% is over --max-reject-rate %.4f%%",
				 100.0 * (double)n.rejected / (double)n.rows, 100.0 * o.maxrate);
			ret = GHA_PARTIAL;
		}
	}
	/* no table from input that failed to read: a missing file would
	 * give plausible, wrong figures */
	if (ret == GHA_OK || ret == GHA_PARTIAL) {
		int r2 = o.partial ? write_partial(&f, o.out) : run_tables(&o, &f, tablerows);

		ret = gha_exit_worse(ret, r2);
	}
	if (o.rejects) {
		if (qerr || fflush(rej.fp) == EOF || ferror(rej.fp)) {
			gha_warn("write error on '%s':", o.rejects);
			outfile_abort(&rej);
			ret = gha_exit_worse(ret, GHA_IOERR);
		} else if (outfile_commit(&rej, &err)) {
			gha_warn("%s", err.msg);
			ret = gha_exit_worse(ret, GHA_IOERR);
		}
	}
	if (o.stats && (ret == GHA_OK || ret == GHA_PARTIAL))
		ret = gha_exit_worse(ret, write_stats(o.stats, &n, &f, &o, tablerows));
	gfacts_free(&f);
	quarantine_free(&q);
	if (o.g.bots)
		botlist_free(&bots);
	ret = gha_exit_worse(ret, fshut(stdout, "<stdout>"));
	free(outbuf);
	return ret;
}
