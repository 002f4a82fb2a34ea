/* gha-bronze: raw GH Archive events in, validated raw events out.
 * Each valid event is written byte for byte as it came; each bad one goes
 * to the quarantine with its reason; duplicates on (id, created_at) are
 * dropped. in = out + rejected + duplicates (+ filtered + filter errors). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gha.h"
#include "cli.h"
#include "counter.h"
#include "event.h"
#include "ingest.h"
#include "jqfilter.h"
#include "json.h"
#include "lineread.h"
#include "gzout.h"
#include "outfile.h"
#include "quarantine.h"
#include "timefmt.h"

#define OUTBUF (1 << 20)

static const char usage_text[] =
	"usage: gha-bronze [-DLq] [-f JQ [--explain-filter]] [-m RATE] [-o FILE] [-r FILE]\n"
	"                  [-s FILE] [FILE...]\n"
	"Validate raw GH Archive events (.json.gz or .json, or stdin) and write\n"
	"the valid ones, byte for byte, as NDJSON.\n"
	"\n"
	"  -D, --no-dedupe           keep duplicate (id, created_at) events\n"
	"  -f, --filter JQ           keep only events for which JQ is truthy\n"
	"  -L, --link                with -o FILE.gz and one gzip input: when every\n"
	"                            record is kept as it came, FILE is a hard link\n"
	"                            to the input (the same bytes), not a copy\n"
	"      --explain-filter      say whether JQ runs on the fast path or\n"
	"                            in libjq, and why; then exit\n"
	"  -m, --max-reject-rate R   exit 1 when more than R of records are\n"
	"                            rejected (0.001 or 0.1%; default 0.1%)\n"
	"  -o, --output FILE         write events to FILE (atomically) not stdout\n"
	"  -q, --quiet               no warnings about rejected records\n"
	"  -r, --rejects FILE        write rejected records to FILE (NDJSON)\n"
	"  -s, --stats FILE          write a JSON summary to FILE\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

struct bronze {
	struct ingest g;
	FILE *out;
	struct counter types, eras;
	struct buf tname;	/* an escaped type, decoded */
	uint64_t bytes_out;
	int64_t first, last;
	int outerr;
	/* -L: nothing written while every event so far is the input's
	 * bytes from its start, line for line */
	int lazy;
	const char *inpath;
};

/* The output so far is the input's first bytes_out bytes, as lines (the
 * events before were all kept as they came, contiguous from byte 0):
 * write them now, read again from the input. */
static void
catch_up(struct bronze *b)
{
	struct gha_err err = { 0, "" };
	struct lineread *lr;
	struct line ln;
	uint64_t done = 0;
	int r = 1;

	b->lazy = 0;
	if (!b->bytes_out)
		return;
	lr = lr_open(b->inpath, &err);
	while (lr && done < b->bytes_out && (r = lr_next(lr, &ln, &err)) > 0) {
		if (fwrite(ln.p, 1, ln.len, b->out) != ln.len || putc('\n', b->out) == EOF)
			break;
		done += ln.len + 1;
	}
	if (!lr || r < 0)
		gha_warn("%s", err.msg);
	if (done != b->bytes_out)
		b->outerr = b->g.stop = 1;
	lr_close(lr);
}

/* Are OUT and IN two names (not one name) of one regular file? */
static int
linked_before(const char *out, const char *in)
{
	struct stat so, si;
	char *ro, *ri;
	int yes;

	if (lstat(out, &so) || lstat(in, &si) || !S_ISREG(so.st_mode) || !S_ISREG(si.st_mode) ||
	    so.st_dev != si.st_dev || so.st_ino != si.st_ino)
		return 0;
	ro = realpath(out, NULL);
	ri = realpath(in, NULL);
	yes = ro && ri && strcmp(ro, ri);
	free(ro);
	free(ri);
	return yes;
}

/* Does PATH begin with gzip's magic bytes? */
static int
is_gzip(const char *path)
{
	unsigned char m[2];
	FILE *f = fopen(path, "rb");
	int yes = f && fread(m, 1, 2, f) == 2 && m[0] == 0x1f && m[1] == 0x8b;

	if (f)
		fclose(f);
	return yes;
}

static int
on_event(void *ctx, const struct line *ln, const char *p, size_t n, const struct event *ev)
{
	struct bronze *b = ctx;

	/* -L: is this event the input's next bytes, as they came? */
	if (b->lazy && (p != ln->p || n != ln->len || ln->crlf || ln->partial || ln->overlong ||
			ln->offset != b->bytes_out))
		catch_up(b);
	if (!b->lazy && (fwrite(p, 1, n, b->out) != n || putc('\n', b->out) == EOF))
		b->outerr = b->g.stop = 1;
	b->bytes_out += n + 1;
	if (memchr(ev->type.p + 1, '\\', ev->type.len - 2)) {	/* counted decoded */
		b->tname.len = 0;
		json_unescape(&ev->type, &b->tname);
		counter_add(&b->types, b->tname.p, b->tname.len, 1);
	} else {
		counter_add(&b->types, ev->type.p + 1, ev->type.len - 2, 1);
	}
	counter_add(&b->eras, era_names[ev->era], strlen(era_names[ev->era]), 1);
	if (b->g.out == 0 || ev->created < b->first)
		b->first = ev->created;
	if (b->g.out == 0 || ev->created > b->last)
		b->last = ev->created;
	return 1;
}

static int
write_stats(struct bronze *b, const char *path)
{
	struct buf s;
	struct gha_err err;
	char t0[32], t1[32];

	buf_init(&s);
	buf_printf(&s, "{\"tool\":\"gha-bronze\",\"version\":\"%s\",", GHA_VERSION);
	ingest_stats_json(&b->g, &s);
	buf_printf(&s, "\"bytes_out\":%llu,\n", (unsigned long long)b->bytes_out);
	if (b->g.out) {
		ts_format(b->first, t0);
		ts_format(b->last, t1);
		buf_printf(&s, "\"first_created_at\":\"%s\",\"last_created_at\":\"%s\",\n", t0, t1);
	} else {
		buf_adds(&s, "\"first_created_at\":null,\"last_created_at\":null,\n");
	}
	buf_adds(&s, "\"events_by_type\":");
	counter_json(&b->types, &s);
	buf_adds(&s, ",\n\"events_by_era\":");
	counter_json(&b->eras, &s);
	buf_adds(&s, "}\n");
	if (write_atomic(path, s.p, s.len, &err)) {
		gha_warn("%s", err.msg);
		buf_free(&s);
		return GHA_IOERR;
	}
	buf_free(&s);
	return GHA_OK;
}

/* what the command line asks for */
struct opts {
	const char *out, *rej, *stats, *filter;
	double maxrate;
	int dedupe, quiet, explain, link;
	int nin;
	char **in;		/* the input files (none: stdin) */
};

/* -1: go on; else the exit code (--help, --version, a usage error) */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "no-dedupe", no_argument, NULL, 'D' },
		{ "explain-filter", no_argument, NULL, 'E' },
		{ "filter", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "link", no_argument, NULL, 'L' },
		{ "max-reject-rate", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "stats", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->maxrate = 0.001;
	o->dedupe = 1;
	while ((c = getopt_long(argc, argv, "Df:hLm:o:qr:s:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'D': o->dedupe = 0; break;
		case 'E': o->explain = 1; break;
		case 'f': o->filter = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'L': o->link = 1; break;
		case 'm':
			if (parse_rate(optarg, &o->maxrate)) {
				gha_warn("invalid --max-reject-rate '%s': want 0..1 or 0%%..100%%", optarg);
				return GHA_USAGE;
			}
			break;
		case 'o': o->out = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'r': o->rej = optarg; break;
		case 's': o->stats = optarg; break;
		case 'V': printf("gha-bronze %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	o->nin = argc - optind;
	o->in = argv + optind;
	if (o->explain && !o->filter) {
		gha_warn("--explain-filter needs a filter (-f JQ)");
		return GHA_USAGE;
	}
	return -1;
}

/* An output that is an input would be lost: checked before any is opened. */
static int
check_paths(const struct opts *o)
{
	const char *outs[] = { o->out ? o->out : "-", o->rej, o->stats };
	const char *in_stdin[] = { "-" };
	struct gha_err err;

	/* -L made FILE a link to the input before: replacing that name
	 * (a temporary renamed over it) leaves the input as it is */
	if (o->link && o->out && o->nin == 1 && linked_before(o->out, o->in[0]))
		outs[0] = NULL;
	if (outfile_check(outs, 3, o->nin ? (const char *const *)o->in : in_stdin, o->nin ? o->nin : 1,
			  &err)) {
		gha_warn("%s", err.msg);
		return GHA_USAGE;
	}
	return GHA_OK;
}

/* The output committed: linked to the input (-L, every byte kept as it
 * came), else written; or dropped when the run failed. */
static int
commit_out(struct bronze *b, const struct opts *o, struct outfile *out, int can_link, int ret)
{
	struct gha_err err;
	int linked = 0;

	if (can_link && ret == GHA_OK) {
		int r = outfile_commit_link(out, b->inpath, &err);

		if (r < 0) {
			gha_warn("%s", err.msg);
			ret = GHA_IOERR;
		} else if (r > 0) {	/* no link here: the bytes after all */
			catch_up(b);
			if (b->outerr || fflush(b->out) == EOF || ferror(b->out)) {
				gha_warn("write error on '%s':", o->out);
				ret = GHA_IOERR;
			}
		}
		if (r <= 0)
			linked = 1;
	}
	if (linked)
		return ret;
	if (ret == GHA_OK || ret == GHA_PARTIAL) {
		if (outfile_commit(out, &err)) {
			gha_warn("%s", err.msg);
			ret = GHA_IOERR;
		}
	} else {
		outfile_abort(out);
	}
	return ret;
}

/* the inputs validated into the output, the rejects and the summary */
static int
run(struct bronze *b, const struct opts *o, struct jqfilter *filt)
{
	struct quarantine q;
	struct outfile out = { 0 }, rej = { 0 };
	struct gha_err err;
	int can_link, ret = GHA_OK;
	char *outbuf;

	b->out = stdout;
	if (o->out) {
		if (outfile_open_z(&out, o->out, &err)) {
			gha_warn("%s", err.msg);
			return err.code;
		}
		b->out = out.fp;
		/* -L: one gzip file in, FILE.gz out, a regular file */
		if (o->link && o->nin == 1 && strcmp(o->in[0], "-") && !out.direct &&
		    gzout_wanted(o->out) && is_gzip(o->in[0])) {
			b->lazy = 1;
			b->inpath = o->in[0];
		}
	}
	if (o->rej && outfile_open_z(&rej, o->rej, &err)) {
		gha_warn("%s", err.msg);
		outfile_abort(&out);
		return err.code;
	}
	/* glibc sizes a NULL buffer by st_blksize: 4 KiB, a syscall per event */
	outbuf = xmalloc(OUTBUF);
	setvbuf(b->out, outbuf, _IOFBF, OUTBUF);
	quarantine_init(&q, o->rej ? rej.fp : NULL);
	ingest_init(&b->g, &q, NULL, 0);
	b->g.dedupe = o->dedupe;
	b->g.quiet = o->quiet;
	ingest_set_filter(&b->g, filt);
	b->g.on_event = on_event;
	b->g.ctx = b;
	counter_init(&b->types);
	buf_init(&b->tname);
	counter_init(&b->eras);

	if (!o->nin)
		ret = ingest_file(&b->g, NULL);
	for (int i = 0; i < o->nin && !b->g.stop; i++)
		ret = gha_exit_worse(ret, ingest_file(&b->g, o->in[i]));

	/* -L: every byte of the input an event kept as it came? Then FILE
	 * is linked when committed; else what was held back is written */
	can_link = b->lazy && !b->outerr && ret == GHA_OK && b->g.bytes_raw == b->bytes_out &&
		   b->g.out == b->g.in;
	if (b->lazy && !can_link)
		catch_up(b);
	if (fflush(b->out) == EOF || ferror(b->out))
		b->outerr = 1;
	if (b->outerr) {
		gha_warn("write error on '%s':", o->out ? o->out : "<stdout>");
		ret = GHA_IOERR;
	}
	ret = finish_run(&b->g, o->maxrate, ret, o->quiet, o->rej);
	ret = gha_exit_worse(ret, commit_rejects(&b->g, &rej, o->rej));
	if (o->stats)
		ret = gha_exit_worse(ret, write_stats(b, o->stats));
	if (o->out)
		ret = commit_out(b, o, &out, can_link, ret);
	ingest_free(&b->g);
	quarantine_free(&q);
	counter_free(&b->types);
	buf_free(&b->tname);
	counter_free(&b->eras);
	if (!o->out)
		ret = gha_exit_worse(ret, b->outerr ? (fclose(stdout), GHA_IOERR)
						: fshut(stdout, "<stdout>"));
	free(outbuf);
	return ret;
}

int
main(int argc, char **argv)
{
	struct bronze b;
	struct jqfilter *filt = NULL;
	struct opts o;
	struct gha_err err;
	int ret;

	gha_setprog(argv[0]);
	argv[0] = (char *)gha_progname;	/* getopt's messages: "gha-NAME: ..." */
	memset(&b, 0, sizeof(b));
	if ((ret = parse_opts(argc, argv, &o)) >= 0)
		return ret;
	if ((ret = check_paths(&o)) != GHA_OK)
		return ret;
	if (o.filter && !(filt = jqfilter_new(o.filter, &err))) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	if (o.explain) {
		struct buf e;

		buf_init(&e);
		explain_filter(filt, NULL, 0, &e);
		printf("%s\n", e.p);
		buf_free(&e);
		ret = fshut(stdout, "<stdout>");
	} else {
		ret = run(&b, &o, filt);
	}
	jqfilter_free(filt);
	return ret;
}
