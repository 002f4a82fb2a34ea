/* gha-bronze: raw GH Archive events in, validated raw events out.
 * Each valid event is written byte for byte as it came; each bad one goes
 * to the quarantine with its reason; duplicates on (id, created_at) are
 * dropped. in = out + rejected + duplicates (+ filtered + filter errors). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "cli.h"
#include "counter.h"
#include "event.h"
#include "ingest.h"
#include "jqfilter.h"
#include "json.h"
#include "lineread.h"
#include "outfile.h"
#include "quarantine.h"
#include "timefmt.h"

#define OUTBUF (1 << 20)

static const char usage_text[] =
	"usage: gha-bronze [-Dq] [-f JQ [--explain-filter]] [-m RATE] [-o FILE] [-r FILE]\n"
	"                  [-s FILE] [FILE...]\n"
	"Validate raw GH Archive events (.json.gz or .json, or stdin) and write\n"
	"the valid ones, byte for byte, as NDJSON.\n"
	"\n"
	"  -D, --no-dedupe           keep duplicate (id, created_at) events\n"
	"  -f, --filter JQ           keep only events for which JQ is truthy\n"
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
};

static int
on_event(void *ctx, const struct line *ln, const char *p, size_t n, const struct event *ev)
{
	struct bronze *b = ctx;

	(void)ln;

	if (fwrite(p, 1, n, b->out) != n || putc('\n', b->out) == EOF)
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-dedupe", no_argument, NULL, 'D' },
		{ "explain-filter", no_argument, NULL, 'E' },
		{ "filter", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-reject-rate", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "stats", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct bronze b;
	struct jqfilter *filt = NULL;
	struct quarantine q;
	struct outfile out = { 0 }, rej = { 0 };
	struct gha_err err;
	const char *outpath = NULL, *rejpath = NULL, *statspath = NULL, *filter = NULL;
	double maxrate = 0.001;
	int c, i, dedupe = 1, quiet = 0, explain = 0, ret = GHA_OK;
	char *outbuf;

	gha_setprog(argv[0]);
	argv[0] = (char *)gha_progname;	/* getopt's messages: "gha-NAME: ..." */
	memset(&b, 0, sizeof(b));
	while ((c = getopt_long(argc, argv, "Df:hm:o:qr:s:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'D': dedupe = 0; break;
		case 'E': explain = 1; break;
		case 'f': filter = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'm':
			if (parse_rate(optarg, &maxrate)) {
				gha_warn("invalid --max-reject-rate '%s': want 0..1 or 0%%..100%%", optarg);
				return GHA_USAGE;
			}
			break;
		case 'o': outpath = optarg; break;
		case 'q': quiet = 1; break;
		case 'r': rejpath = optarg; break;
		case 's': statspath = optarg; break;
		case 'V': printf("gha-bronze %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	if (explain && !filter) {
		gha_warn("--explain-filter needs a filter (-f JQ)");
		return GHA_USAGE;
	}
	{
		/* an output that is an input would be lost: before any is opened */
		const char *outs[] = { outpath ? outpath : "-", rejpath, statspath };
		const char *in_stdin[] = { "-" };
		int nin = optind < argc ? argc - optind : 1;

		if (outfile_check(outs, 3, optind < argc ? (const char *const *)argv + optind
							 : in_stdin, nin, &err)) {
			gha_warn("%s", err.msg);
			return GHA_USAGE;
		}
	}
	if (filter && !(filt = jqfilter_new(filter, &err))) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	if (explain) {
		struct buf e;

		buf_init(&e);
		explain_filter(filt, NULL, 0, &e);
		printf("%s\n", e.p);
		buf_free(&e);
		jqfilter_free(filt);
		return fshut(stdout, "<stdout>");
	}
	b.out = stdout;
	if (outpath) {
		if (outfile_open_z(&out, outpath, &err)) {
			gha_warn("%s", err.msg);
			jqfilter_free(filt);
			return err.code;
		}
		b.out = out.fp;
	}
	if (rejpath && outfile_open_z(&rej, rejpath, &err)) {
		gha_warn("%s", err.msg);
		outfile_abort(&out);
		jqfilter_free(filt);
		return err.code;
	}
	/* glibc sizes a NULL buffer by st_blksize: 4 KiB, a syscall per event */
	outbuf = xmalloc(OUTBUF);
	setvbuf(b.out, outbuf, _IOFBF, OUTBUF);
	quarantine_init(&q, rejpath ? rej.fp : NULL);
	ingest_init(&b.g, &q, NULL, 0);
	b.g.dedupe = dedupe;
	b.g.quiet = quiet;
	ingest_set_filter(&b.g, filt);
	b.g.on_event = on_event;
	b.g.ctx = &b;
	counter_init(&b.types);
	buf_init(&b.tname);
	counter_init(&b.eras);

	if (optind == argc)
		ret = ingest_file(&b.g, NULL);
	for (i = optind; i < argc && !b.g.stop; i++)
		ret = gha_exit_worse(ret, ingest_file(&b.g, argv[i]));

	if (fflush(b.out) == EOF || ferror(b.out))
		b.outerr = 1;
	if (b.outerr) {
		gha_warn("write error on '%s':", outpath ? outpath : "<stdout>");
		ret = GHA_IOERR;
	}
	ret = finish_run(&b.g, maxrate, ret, quiet, rejpath);
	ret = gha_exit_worse(ret, commit_rejects(&b.g, &rej, rejpath));
	if (statspath)
		ret = gha_exit_worse(ret, write_stats(&b, statspath));
	if (outpath) {
		if (ret == GHA_OK || ret == GHA_PARTIAL) {
			if (outfile_commit(&out, &err)) {
				gha_warn("%s", err.msg);
				ret = GHA_IOERR;
			}
		} else {
			outfile_abort(&out);
		}
	}
	ingest_free(&b.g);
	quarantine_free(&q);
	counter_free(&b.types);
	buf_free(&b.tname);
	counter_free(&b.eras);
	jqfilter_free(filt);
	if (!outpath)
		ret = gha_exit_worse(ret, b.outerr ? (fclose(stdout), GHA_IOERR)
					       : fshut(stdout, "<stdout>"));
	free(outbuf);
	return ret;
}
