/* gha-bronze: raw GH Archive events in, validated raw events out.
 * Each valid event is written byte for byte as it came; each bad one goes
 * to the quarantine with its reason; duplicates on (id, created_at) are
 * dropped. in = out + rejected + duplicates (+ filtered). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"

#define MAX_WARN 10
#define OUTBUF (1 << 20)

static const char usage_text[] =
	"usage: gha-bronze [-Dq] [-f JQ] [-m RATE] [-o FILE] [-r FILE] [-s FILE] [FILE...]\n"
	"Validate raw GH Archive events (.json.gz or .json, or stdin) and write\n"
	"the valid ones, byte for byte, as NDJSON.\n"
	"\n"
	"  -D, --no-dedupe           keep duplicate (id, created_at) events\n"
	"  -f, --filter JQ           keep only events for which JQ is truthy\n"
	"  -m, --max-reject-rate R   exit 1 when more than R of records are\n"
	"                            rejected (0.001 or 0.1%%; default 0.1%%)\n"
	"  -o, --output FILE         write events to FILE (atomically) not stdout\n"
	"  -q, --quiet               no warnings about rejected records\n"
	"  -r, --rejects FILE        write rejected records to FILE (NDJSON)\n"
	"  -s, --stats FILE          write a JSON summary to FILE\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

struct bronze {
	/* options */
	int dedupe, quiet;
	double maxrate;
	struct jqfilter *filter;
	/* state */
	FILE *out;
	struct jscan js;
	struct dedupe seen;
	struct quarantine q;
	struct counter types, eras;
	struct buf files;	/* per-file stats, JSON array members */
	uint64_t in, nout, dups, filtered, filter_errors, blank, bytes_out;
	uint64_t bytes_in, bytes_raw;
	int64_t first, last;
	int warned, outerr, quarantine_err;
	/* the file being read */
	const char *name;
	uint64_t f_in, f_out, f_rej;
};

static void
reject(struct bronze *b, const struct line *ln, size_t at, const char *code, const char *why,
       const char *raw, size_t len)
{
	b->in++;
	b->f_in++;
	b->f_rej++;
	if (b->warned < MAX_WARN && !b->quiet)
		gha_warn("%s:%llu: %s", b->name, (unsigned long long)ln->lineno, why);
	b->warned++;
	if (quarantine_add(&b->q, b->name, ln->lineno, ln->offset + at, code, why, raw, len))
		b->quarantine_err = 1;
}

/* One JSON value that parsed; js holds its top-level members. */
static void
value(struct bronze *b, const struct line *ln, size_t at, const char *p, size_t n)
{
	struct event ev;
	const char *code, *why;
	struct gha_err err;

	if (p[0] != '{') {
		reject(b, ln, at, "not-object",
		       p[0] == '[' ? "JSON text is an array, not an event object"
				   : "JSON text is a scalar, not an event object",
		       p, n);
		return;
	}
	if (event_check(&b->js, p, n, &ev, &code, &why)) {
		reject(b, ln, at, code, why, p, n);
		return;
	}
	b->in++;
	b->f_in++;
	if (b->dedupe && !dedupe_add(&b->seen, ev.key)) {
		b->dups++;
		return;
	}
	if (b->filter) {
		int r = jqfilter_match(b->filter, p, n, &err);

		if (r < 0) {
			if (b->filter_errors++ == 0 && !b->quiet)
				gha_warn("%s:%llu: %s", b->name, (unsigned long long)ln->lineno,
					 err.msg);
		}
		if (r <= 0) {
			b->filtered++;
			return;
		}
	}
	if (fwrite(p, 1, n, b->out) != n || putc('\n', b->out) == EOF)
		b->outerr = 1;
	b->nout++;
	b->f_out++;
	b->bytes_out += n + 1;
	counter_add(&b->types, ev.type.p + 1, ev.type.len - 2, 1);
	counter_add(&b->eras, era_names[ev.era], strlen(era_names[ev.era]), 1);
	if (b->nout == 1 || ev.created < b->first)
		b->first = ev.created;
	if (b->nout == 1 || ev.created > b->last)
		b->last = ev.created;
}

static const char *
json_code(const char *msg)
{
	if (strstr(msg, "UTF-8"))
		return "utf8";
	if (strstr(msg, "NUL"))
		return "nul";
	return "json";
}

static void
do_line(struct bronze *b, const struct line *ln)
{
	const char *p = ln->p;
	size_t n = ln->len, off = 0, i;
	char why[160];

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			break;
	if (i == n && !ln->partial) {
		b->blank++;
		return;
	}
	if (ln->partial) {
		reject(b, ln, 0, "truncated", "line cut short where the gzip stream is damaged", p, n);
		return;
	}
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		reject(b, ln, 0, "bom", "UTF-8 byte order mark before the JSON text", p, n);
		return;
	}
	for (;;) {
		size_t vs, ve;
		long r = json_scan(&b->js, p + off, n - off, 1, &vs, &ve);

		if (r < 0) {
			snprintf(why, sizeof(why), "invalid JSON at column %zu: %s",
				 off + b->js.errpos + 1, b->js.errmsg);
			reject(b, ln, off, json_code(b->js.errmsg), why, p + off, n - off);
			return;
		}
		if ((size_t)r == n - off) {
			value(b, ln, off + vs, p + off + vs, ve - vs);
			return;
		}
		/* old files hold records run together as }{ on one line */
		if (p[off + vs] != '{' || p[off + (size_t)r] != '{') {
			snprintf(why, sizeof(why), "trailing characters after JSON value at column %zu",
				 off + (size_t)r + 1);
			reject(b, ln, off, "json", why, p + off, n - off);
			return;
		}
		value(b, ln, off + vs, p + off + vs, ve - vs);
		off += (size_t)r;
	}
}

static void
file_stats(struct bronze *b, const char *status, const struct lineread *lr)
{
	if (b->files.len)
		buf_addc(&b->files, ',');
	buf_adds(&b->files, "{\"name\":");
	json_addstr(&b->files, b->name, strlen(b->name));
	buf_printf(&b->files,
		   ",\"gzip\":%s,\"bytes_in\":%llu,\"bytes_uncompressed\":%llu,"
		   "\"records_in\":%llu,\"records_out\":%llu,\"rejected\":%llu,\"status\":",
		   lr && lr_is_gzip(lr) ? "true" : "false",
		   (unsigned long long)(lr ? lr_bytes_in(lr) : 0),
		   (unsigned long long)(lr ? lr_bytes_out(lr) : 0), (unsigned long long)b->f_in,
		   (unsigned long long)b->f_out, (unsigned long long)b->f_rej);
	json_addstr(&b->files, status, strlen(status));
	buf_addc(&b->files, '}');
}

static int
do_file(struct bronze *b, const char *path)
{
	struct gha_err err = { 0, "" };
	struct lineread *lr;
	struct line ln;
	int r, ret = GHA_OK;

	b->name = path && strcmp(path, "-") ? path : "<stdin>";
	b->f_in = b->f_out = b->f_rej = 0;
	lr = lr_open(path, &err);
	if (!lr) {
		gha_warn("%s", err.msg);
		file_stats(b, err.msg, NULL);
		return err.code;
	}
	while ((r = lr_next(lr, &ln, &err)) > 0 && !b->outerr)
		do_line(b, &ln);
	if (r < 0) {
		gha_warn("%s", err.msg);
		ret = err.code;
	} else if (b->f_in > 0 && b->f_rej == b->f_in) {
		gha_warn("%s: no valid event in %llu records: not GH Archive JSON", b->name,
			 (unsigned long long)b->f_in);
		snprintf(err.msg, sizeof(err.msg), "no valid event: not GH Archive JSON");
		ret = GHA_DATAERR;
	}
	b->bytes_in += lr_bytes_in(lr);
	b->bytes_raw += lr_bytes_out(lr);
	file_stats(b, ret ? err.msg : "ok", lr);
	lr_close(lr);
	return ret;
}

static int
write_stats(struct bronze *b, const char *path)
{
	struct buf s;
	struct outfile o;
	struct gha_err err;
	char t0[32], t1[32];

	buf_init(&s);
	buf_printf(&s, "{\"tool\":\"gha-bronze\",\"version\":\"%s\",\"files\":[", GHA_VERSION);
	buf_add(&s, b->files.p ? b->files.p : "", b->files.len);
	buf_printf(&s,
		   "],\n\"records_in\":%llu,\"records_out\":%llu,\"rejected\":%llu,"
		   "\"duplicates\":%llu,\"filtered\":%llu,\"filter_errors\":%llu,"
		   "\"blank_lines\":%llu,\n\"bytes_in\":%llu,\"bytes_uncompressed\":%llu,"
		   "\"bytes_out\":%llu,\n",
		   (unsigned long long)b->in, (unsigned long long)b->nout,
		   (unsigned long long)b->q.n, (unsigned long long)b->dups,
		   (unsigned long long)b->filtered, (unsigned long long)b->filter_errors,
		   (unsigned long long)b->blank, (unsigned long long)b->bytes_in,
		   (unsigned long long)b->bytes_raw, (unsigned long long)b->bytes_out);
	if (b->nout) {
		ts_format(b->first, t0);
		ts_format(b->last, t1);
		buf_printf(&s, "\"first_created_at\":\"%s\",\"last_created_at\":\"%s\",\n", t0, t1);
	} else {
		buf_adds(&s, "\"first_created_at\":null,\"last_created_at\":null,\n");
	}
	buf_adds(&s, "\"rejected_by_reason\":");
	counter_json(&b->q.bycode, &s);
	buf_adds(&s, ",\n\"events_by_type\":");
	counter_json(&b->types, &s);
	buf_adds(&s, ",\n\"events_by_era\":");
	counter_json(&b->eras, &s);
	buf_adds(&s, "}\n");
	if (outfile_open(&o, path, &err)) {
		gha_warn("%s", err.msg);
		buf_free(&s);
		return GHA_IOERR;
	}
	fwrite(s.p, 1, s.len, o.fp);
	buf_free(&s);
	if (outfile_commit(&o, &err)) {
		gha_warn("%s", err.msg);
		return GHA_IOERR;
	}
	return GHA_OK;
}

static int
parse_rate(const char *s, double *rate)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || v < 0 || v > 1)
		return -1;
	*rate = v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-dedupe", no_argument, NULL, 'D' },
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
	struct outfile out = { 0 }, rej = { 0 };
	struct gha_err err;
	const char *outpath = NULL, *rejpath = NULL, *statspath = NULL, *filter = NULL;
	char *outbuf;
	int c, i, ret = GHA_OK;

	gha_setprog(argv[0]);
	memset(&b, 0, sizeof(b));
	b.dedupe = 1;
	b.maxrate = 0.001;
	while ((c = getopt_long(argc, argv, "Df:hm:o:qr:s:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'D': b.dedupe = 0; break;
		case 'f': filter = optarg; break;
		case 'h': fputs(usage_text, stdout); return fshut(stdout, "<stdout>");
		case 'm':
			if (parse_rate(optarg, &b.maxrate)) {
				gha_warn("invalid --max-reject-rate '%s': want 0..1 or 0%%..100%%", optarg);
				return GHA_USAGE;
			}
			break;
		case 'o': outpath = optarg; break;
		case 'q': b.quiet = 1; break;
		case 'r': rejpath = optarg; break;
		case 's': statspath = optarg; break;
		case 'V': printf("gha-bronze %s\n", GHA_VERSION); return fshut(stdout, "<stdout>");
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	if (filter && !(b.filter = jqfilter_new(filter, &err))) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	b.out = stdout;
	if (outpath) {
		if (outfile_open(&out, outpath, &err)) {
			gha_warn("%s", err.msg);
			return err.code;
		}
		b.out = out.fp;
	}
	if (rejpath && outfile_open(&rej, rejpath, &err)) {
		gha_warn("%s", err.msg);
		outfile_abort(&out);
		return err.code;
	}
	/* glibc sizes a NULL buffer by st_blksize: 4 KiB, a syscall per event */
	outbuf = xmalloc(OUTBUF);
	setvbuf(b.out, outbuf, _IOFBF, OUTBUF);
	jscan_init(&b.js, event_keys, event_nkeys);
	dedupe_init(&b.seen);
	quarantine_init(&b.q, rejpath ? rej.fp : NULL);
	counter_init(&b.types);
	counter_init(&b.eras);
	buf_init(&b.files);

	if (optind == argc)
		ret = do_file(&b, NULL);
	for (i = optind; i < argc && !b.outerr; i++)
		ret = gha_exit_worse(ret, do_file(&b, argv[i]));

	if (fflush(b.out) == EOF || ferror(b.out))
		b.outerr = 1;
	if (b.outerr) {
		gha_warn("write error on '%s':", outpath ? outpath : "<stdout>");
		ret = GHA_IOERR;
	}
	if (b.q.n && !b.quiet)
		gha_warn("%llu of %llu records rejected%s%s", (unsigned long long)b.q.n,
			 (unsigned long long)b.in, rejpath ? "; see " : "",
			 rejpath ? rejpath : "");
	if (b.in && (double)b.q.n > b.maxrate * (double)b.in && ret == GHA_OK) {
		gha_warn("reject rate %.4f%% is over --max-reject-rate %.4f%%",
			 100.0 * (double)b.q.n / (double)b.in, 100.0 * b.maxrate);
		ret = GHA_PARTIAL;
	}
	if (rejpath) {
		if (b.quarantine_err || outfile_commit(&rej, &err)) {
			if (b.quarantine_err) {
				gha_warn("write error on '%s'", rejpath);
				outfile_abort(&rej);
			} else {
				gha_warn("%s", err.msg);
			}
			ret = GHA_IOERR;
		}
	}
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
	jscan_free(&b.js);
	dedupe_free(&b.seen);
	quarantine_free(&b.q);
	counter_free(&b.types);
	counter_free(&b.eras);
	buf_free(&b.files);
	jqfilter_free(b.filter);
	if (!outpath)
		ret = gha_exit_worse(ret, b.outerr ? (fclose(stdout), GHA_IOERR) : fshut(stdout, "<stdout>"));
	free(outbuf);
	return ret;
}
