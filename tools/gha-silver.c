/* gha-silver: events of any era in, one typed TSV table out (PostgreSQL
 * COPY text format), with the actors, repos, orgs and commits resolved
 * from the same single pass. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "bots.h"
#include "cli.h"
#include "entity.h"
#include "event.h"
#include "ingest.h"
#include "jqfilter.h"
#include "json.h"
#include "lineread.h"
#include "outfile.h"
#include "quarantine.h"
#include "schema.h"
#include "silver.h"
#include "tsv.h"

#define OUTBUF (1 << 20)

static const char usage_text[] =
	"usage: gha-silver [-Dq] [-a FILE] [-b FILE] [-C FILE] [-c COLS] [-f JQ] [-g FILE]\n"
	"                  [--explain-filter] [-m RATE] [-o FILE] [-R FILE] [-r FILE] [-s FILE] [FILE...]\n"
	"       gha-silver --ddl [-c COLS]\n"
	"       gha-silver --merge-entities [-o FILE] FILE...\n"
	"Turn GH Archive events (bronze NDJSON or raw .json.gz) into a typed TSV\n"
	"events table in PostgreSQL COPY text format, with a header line.\n"
	"\n"
	"  -a, --actors FILE         also write the actors table to FILE\n"
	"  -b, --bots FILE           more bot login patterns (globs), one a line\n"
	"  -C, --commits FILE        also write the commits table to FILE\n"
	"  -c, --columns LIST        events columns to write, comma-separated\n"
	"  -D, --no-dedupe           keep duplicate (id, created_at) events\n"
	"      --ddl                 print CREATE TABLE statements and exit\n"
	"  -f, --filter JQ           keep only events for which JQ is truthy\n"
	"                            (-w, --where: the same)\n"
	"      --explain-filter      say whether JQ runs on the fast path or\n"
	"                            in libjq, and why; then exit\n"
	"  -g, --orgs FILE           also write the orgs table to FILE\n"
	"  -M, --merge-entities      merge actors, repos or orgs tables of many hours\n"
	"  -m, --max-reject-rate R   exit 1 when more than R of records are\n"
	"                            rejected (0.001 or 0.1%; default 0.1%)\n"
	"  -o, --output FILE         write the events (or merged) table to FILE\n"
	"  -q, --quiet               no warnings about rejected records\n"
	"  -R, --repos FILE          also write the repos table to FILE\n"
	"  -r, --rejects FILE        write rejected records to FILE (NDJSON)\n"
	"  -s, --stats FILE          write a JSON summary to FILE\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

/* the outputs; also bits of silver.outerr */
enum { O_EVENTS, O_ACTORS, O_REPOS, O_ORGS, O_COMMITS, O_REJECTS, O_N };

struct silver {
	struct ingest g;
	struct jqfilter *where;
	struct botlist bots;
	struct silver_row *row;
	struct tsv events, commits;
	int cols[COL_N], ncols;
	struct entset *ent[3];		/* actors, repos, orgs; NULL when not asked */
	struct buf tmp[3];
	uint64_t commit_rows;
	int outerr;
};

static const char *
decode(const struct silver_row *r, int col, struct buf *b)
{
	size_t n;
	const char *p;

	if (silver_cell_kind(r, col) == CELL_NULL)
		return NULL;
	p = silver_cell(r, col, &n);
	b->len = 0;
	/* \u0000 would cut the entity keys (C strings): U+FFFD, as the TSV
	 * writer gives it in the events table */
	if (silver_cell_kind(r, col) == CELL_JSTR)
		json_unescape_text(p, n, b);
	else
		buf_add(b, p, n);
	buf_addc(b, '\0');
	b->len--;
	return b->p;
}

static int
cell_int64(const struct silver_row *r, int col, int64_t *v)
{
	size_t n;
	const char *p;
	char tmp[32];

	if (silver_cell_kind(r, col) != CELL_RAW)
		return 0;
	p = silver_cell(r, col, &n);
	if (n >= sizeof(tmp))
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	*v = strtoll(tmp, NULL, 10);
	return 1;
}

static void
observe(struct silver *s, const struct event *ev)
{
	const struct silver_row *r = s->row;
	struct ent_obs o;

	if (s->ent[ENT_ACTORS]) {
		memset(&o, 0, sizeof(o));
		o.has_id = cell_int64(r, COL_ACTOR_ID, &o.id);
		if ((o.name = decode(r, COL_ACTOR_LOGIN, &s->tmp[0]))) {
			o.namelen = s->tmp[0].len;
			o.first = o.last = ev->created;
			o.events = 1;
			o.is_bot = botlist_match(&s->bots, o.name, o.namelen);
			entset_add(s->ent[ENT_ACTORS], &o);
		}
	}
	if (s->ent[ENT_REPOS]) {
		memset(&o, 0, sizeof(o));
		o.has_id = cell_int64(r, COL_REPO_ID, &o.id);
		if ((o.name = decode(r, COL_REPO_NAME, &s->tmp[0]))) {
			o.namelen = s->tmp[0].len;
			if ((o.owner = decode(r, COL_REPO_OWNER, &s->tmp[1])))
				o.ownerlen = s->tmp[1].len;
			if ((o.language = decode(r, COL_LANGUAGE, &s->tmp[2]))) {
				o.langlen = s->tmp[2].len;
				o.lang_at = ev->created;
			}
			o.first = o.last = ev->created;
			o.events = 1;
			entset_add(s->ent[ENT_REPOS], &o);
		}
	}
	if (s->ent[ENT_ORGS]) {
		memset(&o, 0, sizeof(o));
		o.has_id = cell_int64(r, COL_ORG_ID, &o.id);
		if ((o.name = decode(r, COL_ORG_LOGIN, &s->tmp[0]))) {
			o.namelen = s->tmp[0].len;
			o.first = o.last = ev->created;
			o.events = 1;
			entset_add(s->ent[ENT_ORGS], &o);
		}
	}
}

static void
str_member(struct tsv *t, const struct jspan *obj, const char *key)
{
	struct jspan v;

	if (json_member(obj, key, &v) && v.type == J_STRING)
		tsv_jstr(t, v.p + 1, v.len - 2);
	else
		tsv_null(t);
}

static void
jstr_or_null(struct tsv *t, const struct jspan *v)
{
	if (v && v->type == J_STRING)
		tsv_jstr(t, v->p + 1, v->len - 2);
	else
		tsv_null(t);
}

static void
bool_or_null(struct tsv *t, const struct jspan *v)
{
	if (v && (v->type == J_TRUE || v->type == J_FALSE))
		tsv_bool(t, v->type == J_TRUE);
	else
		tsv_null(t);
}

/* payload.commits (objects) or, before 2015, payload.shas
 * ([sha, email, message, name, distinct]) */
static void
write_commits(struct silver *s, const struct jspan *list)
{
	struct tsv *t = &s->commits;
	const char *cur = NULL;
	struct jspan c;
	size_t n;
	const char *repo = silver_cell(s->row, COL_REPO_ID, &n);
	int has_repo = silver_cell_kind(s->row, COL_REPO_ID) != CELL_NULL;

	while (json_array_next(list, &cur, &c)) {
		struct jspan sha = { J_NONE, NULL, 0, 0 }, v[5];

		if (c.type == J_OBJECT) {
			json_member(&c, "sha", &sha);
		} else if (c.type == J_ARRAY) {
			const char *ac = NULL;
			int k = 0;

			memset(v, 0, sizeof(v));
			while (k < 5 && json_array_next(&c, &ac, &v[k]))
				k++;
			sha = v[0];
		}
		if (sha.type != J_STRING)
			continue;
		tsv_jstr(t, sha.p + 1, sha.len - 2);
		tsv_int(t, silver_row_id(s->row));
		if (has_repo)
			tsv_raw(t, repo, n);
		else
			tsv_null(t);
		if (c.type == J_OBJECT) {
			struct jspan author, m, d;

			if (json_member(&c, "author", &author) && author.type == J_OBJECT) {
				str_member(t, &author, "name");
				str_member(t, &author, "email");
			} else {
				tsv_null(t);
				tsv_null(t);
			}
			jstr_or_null(t, json_member(&c, "message", &m) ? &m : NULL);
			bool_or_null(t, json_member(&c, "distinct", &d) ? &d : NULL);
		} else {
			jstr_or_null(t, &v[3]);
			jstr_or_null(t, &v[1]);
			jstr_or_null(t, &v[2]);
			bool_or_null(t, &v[4]);
		}
		if (tsv_end(t)) {
			s->outerr |= 1 << O_COMMITS;
			s->g.stop = 1;
		}
		s->commit_rows++;
	}
}

static int
on_event(void *ctx, const struct line *ln, const char *p, size_t n, const struct event *ev)
{
	struct silver *s = ctx;
	const struct jspan *list;

	(void)ln;
	(void)p;
	(void)n;

	silver_build(s->row, &s->g.js, ev, &s->bots);
	if (silver_write(&s->events, s->row, s->cols, s->ncols)) {
		s->outerr |= 1 << O_EVENTS;
		s->g.stop = 1;
	}
	observe(s, ev);
	if (s->commits.fp && json_streq(&ev->type, "PushEvent") && (list = silver_commits(&s->g.js)))
		write_commits(s, list);
	return 1;
}

/* The tables' DDL, from the schema registry: events (its -c columns),
 * actors, repos, orgs, commits. */
static void
print_ddl(const int *cols, int ncols)
{
	const struct schema_table *const order[] = { &schema_actors, &schema_repos, &schema_orgs,
						     &schema_commits };
	struct buf b;
	size_t i;

	buf_init(&b);
	schema_ddl_cols(&schema_events, SQL_POSTGRES, NULL, cols, ncols, &b);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		schema_ddl(order[i], SQL_POSTGRES, NULL, &b);
	fwrite(b.p, 1, b.len, stdout);	/* errors: main's fshut */
	buf_free(&b);
}

static int
parse_columns(const char *list, int *cols, int *ncols)
{
	const char *p = list;

	*ncols = 0;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int c = silver_column(p, len);

		if (c < 0) {
			gha_warn("unknown column '%.*s'; see gha-silver(1) for the list", (int)len, p);
			return -1;
		}
		for (int k = 0; k < *ncols; k++) {
			if (cols[k] == c) {
				gha_warn("column '%.*s' named twice", (int)len, p);
				return -1;
			}
		}
		if (*ncols == COL_N) {
			gha_warn("too many columns in '%s'", list);
			return -1;
		}
		cols[(*ncols)++] = c;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int
merge(int argc, char **argv, const char *outpath)
{
	struct entset s;
	struct outfile out = { 0 };
	struct gha_err err;
	FILE *fp = stdout;
	int i, kind_set = 0, ret = GHA_OK;

	if (argc == 0) {
		gha_warn("--merge-entities needs the tables to merge");
		return GHA_USAGE;
	}
	{
		const char *outs[] = { outpath ? outpath : "-" };

		if (outfile_check(outs, 1, (const char *const *)argv, argc, &err)) {
			gha_warn("%s", err.msg);
			return GHA_USAGE;
		}
	}
	entset_init(&s, ENT_ACTORS);
	for (i = 0; i < argc; i++)
		ret = gha_exit_worse(ret, entset_merge_file(&s, &kind_set, argv[i]));
	if (ret != GHA_OK) {
		entset_free(&s);
		return ret;
	}
	if (outpath) {
		if (outfile_open_z(&out, outpath, &err)) {
			gha_warn("%s", err.msg);
			entset_free(&s);
			return err.code;
		}
		fp = out.fp;
	}
	if (entset_write(&s, fp))
		ret = GHA_IOERR;
	entset_free(&s);
	if (outpath) {
		if (ret == GHA_OK && outfile_commit(&out, &err)) {
			gha_warn("%s", err.msg);
			ret = GHA_IOERR;
		} else if (ret != GHA_OK) {
			gha_warn("write error on '%s':", outpath);
			outfile_abort(&out);
		}
		return ret;
	}
	return gha_exit_worse(ret, fshut(stdout, "<stdout>"));
}

static int
write_stats(struct silver *s, const char *path)
{
	struct buf b;
	struct gha_err err;
	int ret = GHA_OK;

	buf_init(&b);
	buf_printf(&b, "{\"tool\":\"gha-silver\",\"version\":\"%s\",", GHA_VERSION);
	ingest_stats_json(&s->g, &b);
	buf_printf(&b, "\"event_rows\":%llu,\"commit_rows\":%llu", (unsigned long long)s->g.out,
		   (unsigned long long)s->commit_rows);
	if (s->ent[ENT_ACTORS])
		buf_printf(&b, ",\"actor_rows\":%zu", s->ent[ENT_ACTORS]->n);
	if (s->ent[ENT_REPOS])
		buf_printf(&b, ",\"repo_rows\":%zu", s->ent[ENT_REPOS]->n);
	if (s->ent[ENT_ORGS])
		buf_printf(&b, ",\"org_rows\":%zu", s->ent[ENT_ORGS]->n);
	buf_adds(&b, "}\n");
	if (write_atomic(path, b.p, b.len, &err)) {
		gha_warn("%s", err.msg);
		ret = GHA_IOERR;
	}
	buf_free(&b);
	return ret;
}

/* what the command line asks for */
struct opts {
	const char *path[O_N], *stats, *where, *bots, *cols;
	double maxrate;
	int ddl, merge, explain, dedupe, quiet;
	int nin;
	char **in;		/* the input files (none: stdin) */
};

/* -1: go on; else the exit code (--help, --version, a usage error) */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "actors", required_argument, NULL, 'a' },
		{ "bots", required_argument, NULL, 'b' },
		{ "commits", required_argument, NULL, 'C' },
		{ "columns", required_argument, NULL, 'c' },
		{ "no-dedupe", no_argument, NULL, 'D' },
		{ "ddl", no_argument, NULL, 'd' },
		{ "explain-filter", no_argument, NULL, 'E' },
		{ "filter", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "merge-entities", no_argument, NULL, 'M' },
		{ "max-reject-rate", required_argument, NULL, 'm' },
		{ "orgs", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "repos", required_argument, NULL, 'R' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "stats", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "where", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->maxrate = 0.001;
	o->dedupe = 1;
	while ((c = getopt_long(argc, argv, "a:b:C:c:Df:g:hMm:o:qR:r:s:Vw:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': o->path[O_ACTORS] = optarg; break;
		case 'b': o->bots = optarg; break;
		case 'C': o->path[O_COMMITS] = optarg; break;
		case 'c': o->cols = optarg; break;
		case 'D': o->dedupe = 0; break;
		case 'd': o->ddl = 1; break;
		case 'E': o->explain = 1; break;
		case 'f': case 'w': o->where = optarg; break;
		case 'g': o->path[O_ORGS] = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'M': o->merge = 1; break;
		case 'm':
			if (parse_rate(optarg, &o->maxrate)) {
				gha_warn("invalid --max-reject-rate '%s': want 0..1 or 0%%..100%%", optarg);
				return GHA_USAGE;
			}
			break;
		case 'o': o->path[O_EVENTS] = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'R': o->path[O_REPOS] = optarg; break;
		case 'r': o->path[O_REJECTS] = optarg; break;
		case 's': o->stats = optarg; break;
		case 'V': printf("gha-silver %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	o->nin = argc - optind;
	o->in = argv + optind;
	if (o->explain && !o->where) {
		gha_warn("--explain-filter needs a filter (-f JQ)");
		return GHA_USAGE;
	}
	if (o->ddl || o->merge) {
		/* options that would be silently ignored are a mistake */
		int extra = o->where || o->explain || o->stats || o->bots || o->path[O_ACTORS] ||
			    o->path[O_REPOS] || o->path[O_ORGS] || o->path[O_COMMITS] ||
			    o->path[O_REJECTS] || (o->ddl && o->merge);

		if (o->ddl)
			extra = extra || o->nin || o->path[O_EVENTS];
		else
			extra = extra || o->cols;
		if (extra) {
			gha_warn("--%s takes %s", o->ddl ? "ddl" : "merge-entities",
				 o->ddl ? "only -c" : "only -o and table files");
			return GHA_USAGE;
		}
	}
	return -1;
}

/* An output that is an input would be lost: checked before any is opened. */
static int
check_paths(const struct opts *o)
{
	const char *outs[O_N + 1];
	const char **ins = xcalloc((size_t)o->nin + 2, sizeof(*ins));
	struct gha_err err;
	int nin = 0, bad;

	for (int i = 0; i < O_N; i++)
		outs[i] = o->path[i];
	if (!outs[O_EVENTS])
		outs[O_EVENTS] = "-";
	outs[O_N] = o->stats;
	for (int i = 0; i < o->nin; i++)
		ins[nin++] = o->in[i];
	if (!o->nin)
		ins[nin++] = "-";
	ins[nin++] = o->bots;
	bad = outfile_check(outs, O_N + 1, ins, nin, &err);
	free(ins);
	if (bad)
		gha_warn("%s", err.msg);
	return bad ? GHA_USAGE : GHA_OK;
}

/* The outputs' headers, after the ingest state and the entity sets. */
static void
start(struct silver *s, const struct opts *o, struct outfile *of, struct quarantine *q,
      struct entset *ents)
{
	const char **paths, *names[COL_N];
	int npaths;

	quarantine_init(q, o->path[O_REJECTS] ? of[O_REJECTS].fp : NULL);
	silver_paths(&paths, &npaths);
	ingest_init(&s->g, q, paths, npaths);
	s->g.dedupe = o->dedupe;
	s->g.quiet = o->quiet;
	ingest_set_filter(&s->g, s->where);
	s->g.on_event = on_event;
	s->g.ctx = s;
	s->row = silver_row_new();
	for (int i = 0; i < 3; i++) {
		buf_init(&s->tmp[i]);
		if (o->path[O_ACTORS + i]) {
			entset_init(&ents[i], (enum ent_kind)i);
			s->ent[i] = &ents[i];
		}
	}
	tsv_init(&s->events, o->path[O_EVENTS] ? of[O_EVENTS].fp : stdout, s->ncols);
	for (int i = 0; i < s->ncols; i++)
		names[i] = silver_columns[s->cols[i]].name;
	if (tsv_header(&s->events, names))
		s->outerr |= 1 << O_EVENTS;
	tsv_init(&s->commits, o->path[O_COMMITS] ? of[O_COMMITS].fp : NULL, 7);
	if (s->commits.fp && tsv_header(&s->commits, schema_names(&schema_commits)))
		s->outerr |= 1 << O_COMMITS;
}

/* The inputs through, the entity tables written, every output checked;
 * the tables renamed into place only when the run is good. */
static int
finish(struct silver *s, const struct opts *o, struct outfile *of, int ret)
{
	struct gha_err err;

	for (int i = 0; i < 3; i++)
		if (s->ent[i] && entset_write(s->ent[i], of[O_ACTORS + i].fp))
			s->outerr |= 1 << (O_ACTORS + i);
	if (fflush(s->events.fp) == EOF || ferror(s->events.fp))
		s->outerr |= 1 << O_EVENTS;
	if (s->commits.fp && (fflush(s->commits.fp) == EOF || ferror(s->commits.fp)))
		s->outerr |= 1 << O_COMMITS;
	for (int i = O_EVENTS; i <= O_COMMITS; i++) {
		if (s->outerr & (1 << i)) {
			gha_warn("write error on '%s':", o->path[i] ? o->path[i] : "<stdout>");
			ret = GHA_IOERR;
		}
	}
	ret = finish_run(&s->g, o->maxrate, ret, s->g.quiet, o->path[O_REJECTS]);
	ret = gha_exit_worse(ret, commit_rejects(&s->g, &of[O_REJECTS], o->path[O_REJECTS]));
	if (o->stats)
		ret = gha_exit_worse(ret, write_stats(s, o->stats));
	for (int i = O_EVENTS; i <= O_COMMITS; i++) {
		if (!o->path[i])
			continue;
		if (ret != GHA_OK && ret != GHA_PARTIAL) {
			outfile_abort(&of[i]);
		} else if (outfile_commit(&of[i], &err)) {
			gha_warn("%s", err.msg);
			ret = GHA_IOERR;
		}
	}
	return ret;
}

static void
release(struct silver *s, struct quarantine *q)
{
	for (int i = 0; i < 3; i++) {
		buf_free(&s->tmp[i]);
		if (s->ent[i])
			entset_free(s->ent[i]);
	}
	tsv_free(&s->events);
	tsv_free(&s->commits);
	silver_row_free(s->row);
	ingest_free(&s->g);
	quarantine_free(q);
}

/* the events (and the tables asked for) from the inputs */
static int
run(struct silver *s, const struct opts *o)
{
	struct quarantine q;
	struct outfile of[O_N];
	struct entset ents[3];
	struct gha_err err;
	char *outbuf;
	int ret = GHA_OK;

	memset(of, 0, sizeof(of));
	for (int i = 0; i < O_N; i++) {
		if (o->path[i] && outfile_open_z(&of[i], o->path[i], &err)) {
			gha_warn("%s", err.msg);
			while (i-- > 0)
				outfile_abort(&of[i]);
			return err.code;
		}
	}
	outbuf = xmalloc(OUTBUF);
	setvbuf(o->path[O_EVENTS] ? of[O_EVENTS].fp : stdout, outbuf, _IOFBF, OUTBUF);
	start(s, o, of, &q, ents);
	if (!o->nin)
		ret = ingest_file(&s->g, NULL);
	for (int i = 0; i < o->nin && !s->g.stop; i++)
		ret = gha_exit_worse(ret, ingest_file(&s->g, o->in[i]));
	ret = finish(s, o, of, ret);
	release(s, &q);
	if (!o->path[O_EVENTS])
		ret = gha_exit_worse(ret, s->outerr & (1 << O_EVENTS) ? (fclose(stdout), GHA_IOERR)
						 : fshut(stdout, "<stdout>"));
	free(outbuf);
	return ret;
}

/* --explain-filter: which path the filter takes, and why */
static int
explain(const struct silver *s)
{
	const char **paths;
	int npaths;
	struct buf e;

	buf_init(&e);
	silver_paths(&paths, &npaths);
	explain_filter(s->where, paths, npaths, &e);
	printf("%s\n", e.p);
	buf_free(&e);
	return fshut(stdout, "<stdout>");
}

int
main(int argc, char **argv)
{
	static struct silver s;
	struct opts o;
	struct gha_err err;
	int ret;

	gha_setprog(argv[0]);
	argv[0] = (char *)gha_progname;	/* getopt's messages: "gha-NAME: ..." */
	if ((ret = parse_opts(argc, argv, &o)) >= 0)
		return ret;
	if (!o.cols) {
		for (int i = 0; i < COL_N; i++)
			s.cols[i] = i;
		s.ncols = COL_N;
	} else if (parse_columns(o.cols, s.cols, &s.ncols)) {
		return GHA_USAGE;
	}
	if (o.ddl) {
		print_ddl(s.cols, s.ncols);
		return fshut(stdout, "<stdout>");
	}
	if (o.merge)
		return merge(o.nin, o.in, o.path[O_EVENTS]);
	if ((ret = check_paths(&o)) != GHA_OK)
		return ret;
	botlist_init(&s.bots);
	if (o.bots && botlist_load(&s.bots, o.bots, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
	} else if (o.where && !(s.where = jqfilter_new(o.where, &err))) {
		gha_warn("%s", err.msg);
		ret = err.code;
	} else {
		ret = o.explain ? explain(&s) : run(&s, &o);
	}
	botlist_free(&s.bots);
	jqfilter_free(s.where);
	return ret;
}
