/* ingest.c: the validating read loop shared by gha-bronze and gha-silver.
 * A JSON document spread over lines is gathered by docjoin.c. */
#include <stdio.h>
#include <string.h>

#include "gha.h"
#include "counter.h"
#include "dedupe.h"
#include "event.h"

#include "ingest.h"
#include "ingest_impl.h"
#include "inmem.h"
#include "json.h"
#include "fastfilter.h"
#include "jqfilter.h"
#include "jsonout.h"
#include "lineread.h"
#include "quarantine.h"
#include "timefmt.h"

#define MAX_WARN 10

void
ingest_init(struct ingest *g, struct quarantine *q, const char *const *paths, int npaths)
{
	memset(g, 0, sizeof(*g));
	g->q = q;
	g->dedupe = 1;
	g->paths = paths ? paths : event_keys;
	g->npaths = paths ? npaths : event_nkeys;
	jscan_init(&g->js, g->paths, g->npaths);
	dedupe_init(&g->seen);
	buf_init(&g->files);
	buf_init(&g->mislabeled);
	g->doc = docjoin_new();
}

void
ingest_set_filter(struct ingest *g, struct jqfilter *f)
{
	struct fastfilter *ff;
	const char **all;
	int *slots, i, j, n, tot;

	g->filter = f;
	if (!f || !(ff = jqfilter_fast(f)))
		return;
	n = fastfilter_npaths(ff);
	all = xcalloc((size_t)(g->npaths + n), sizeof(*all));
	slots = xcalloc((size_t)n + 1, sizeof(*slots));
	for (i = 0; i < g->npaths; i++)
		all[i] = g->paths[i];
	tot = g->npaths;
	/* a path the scan captures already keeps its slot: two slots for
	 * one path would leave the first never filled */
	for (i = 0; i < n; i++) {
		const char *p = fastfilter_path(ff, i);

		for (j = 0; j < tot && strcmp(all[j], p); j++)
			;
		if (j == tot)
			all[tot++] = p;
		slots[i] = j;
	}
	if (tot > JSCAN_MAXPATHS) {
		jqfilter_drop_fast(f, "the program reads more members than the scanner captures");
	} else {
		jscan_free(&g->js);
		jscan_init(&g->js, all, tot);
		/* a duplicate the caller never asked about must not reject */
		g->js.dupfrom = g->npaths;
		fastfilter_bind(ff, slots);
	}
	free(all);
	free(slots);
}

void
ingest_free(struct ingest *g)
{
	jscan_free(&g->js);
	dedupe_free(&g->seen);
	buf_free(&g->files);
	buf_free(&g->mislabeled);
	docjoin_free(g->doc);
	g->doc = NULL;
}

static void
reject(struct ingest *g, const struct line *ln, size_t at, const char *code, const char *why,
       const char *raw, size_t len)
{
	g->in++;
	g->f_in++;
	g->f_rej++;
	if (g->warned < MAX_WARN && !g->quiet)
		gha_warn("%s:%llu: %s", g->name, (unsigned long long)ln->lineno, why);
	g->warned++;
	if (quarantine_add(g->q, g->name, ln->lineno, ln->offset + at, code, why, raw, len))
		g->stop = g->qerr = 1;
}

/* Timeline-era files (2012-2014) are named by the hour in US Pacific
 * time, the offset their events carry (-08:00, or -07:00 in summer): an
 * event there is in its file's hour when its local hour is. */
static int
in_file_hour(const struct event *ev, int64_t file_hour)
{
	int64_t h = hour_of(ev->created);

	if (h == file_hour)
		return 1;
	return ev->era == ERA_TIMELINE &&
	       (h == file_hour + 8 * HOUR_SECS || h == file_hour + 7 * HOUR_SECS);
}

/* One JSON value that parsed; js holds its members. */
static void
value(struct ingest *g, const struct line *ln, size_t at, const char *p, size_t n)
{
	struct event ev;
	const char *code, *why;

	if (p[0] != '{') {
		reject(g, ln, at, "not-object",
		       p[0] == '[' ? "JSON text is an array, not an event object"
				   : "JSON text is a scalar, not an event object",
		       p, n);
		return;
	}
	if (event_check(&g->js, p, n, &ev, &code, &why)) {
		reject(g, ln, at, code, why, p, n);
		return;
	}
	g->in++;
	g->f_in++;
	if (g->f_named) {
		if (in_file_hour(&ev, g->f_hour)) {
			g->f_inhour++;
		} else {
			if (!g->f_mismatch || ev.created < g->f_lo)
				g->f_lo = ev.created;
			if (!g->f_mismatch || ev.created > g->f_hi)
				g->f_hi = ev.created;
			g->f_mismatch++;
			g->mismatch++;
		}
	}
	if (g->dedupe && !dedupe_add(&g->seen, ev.key)) {
		g->dups++;
		g->f_dups++;
		return;
	}
	if (g->filter) {
		struct gha_err err;
		int r = jqfilter_match_scan(g->filter, &g->js, p, n, &err);

		if (r < 0) {
			/* like a reject: counted, toward the rate, summed up at
			 * the end; the first few shown */
			if (g->ferr++ < MAX_WARN && !g->quiet)
				gha_warn("%s:%llu: %s", g->name, (unsigned long long)ln->lineno,
					 err.msg);
			g->f_ferr++;
			return;
		}
		if (r == 0) {
			g->filtered++;
			g->f_filtered++;
			return;
		}
	}
	if (g->on_event(g->ctx, ln, p, n, &ev)) {
		g->out++;
		g->f_out++;
	} else {
		g->filtered++;
		g->f_filtered++;
	}
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

/* A NUL byte anywhere (not only in a string) is the reason to report. */
static const char *
line_code(const char *msg, const char *p, size_t n)
{
	return memchr(p, '\0', n) ? "nul" : json_code(msg);
}

/* Where, before the error at off + errpos, a whole record begins that
 * runs to the end of the line (alone or as }{ records): the nearest
 * '{"' at or before the error, a few tried at most. 0 if none. */
static size_t
resync(struct ingest *g, const char *p, size_t off, size_t n)
{
	size_t e = off + g->js.errpos, k, vs, ve;
	int tries = 0;
	size_t save_pos = g->js.errpos;	/* the caller reports the first error */
	const char *save_msg = g->js.errmsg;
	long r;

	if (e >= n)
		return 0;	/* the line ended inside the value: no splice */
	for (k = e + 1 < n ? e + 1 : e; k > off && tries < 4; k--) {
		if (p[k] != '{' || k + 1 >= n || p[k + 1] != '"')
			continue;
		tries++;
		r = json_scan(&g->js, p + k, n - k, 1, &vs, &ve);
		if (r > 0 && ((size_t)r == n - k || p[k + (size_t)r] == '{'))
			return k;
	}
	g->js.errpos = save_pos;
	g->js.errmsg = save_msg;
	return 0;
}

static void
do_line(struct ingest *g, const struct line *ln)
{
	const char *p = ln->p;
	size_t n = ln->len, off = 0, i;
	size_t rn = n + (size_t)ln->crlf;	/* a rejected line keeps its CR */
	char why[160];

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			break;
	if (ln->overlong) {	/* only its first bytes were kept: the prefix goes */
		snprintf(why, sizeof(why), "record of %llu bytes is over the limit of %u bytes; "
			 "its first %zu bytes are kept", (unsigned long long)ln->size,
			 LR_MAXLINE, n);
		reject(g, ln, 0, "too-long", why, p, n);
		return;
	}
	if (i == n && !ln->partial) {
		g->blank++;
		g->f_blank++;
		return;
	}
	if (ln->partial) {
		reject(g, ln, 0, "truncated", "line cut short where the gzip stream is damaged", p, rn);
		return;
	}
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		reject(g, ln, 0, "bom", "UTF-8 byte order mark before the JSON text", p, rn);
		return;
	}
	for (;;) {
		size_t vs, ve, k;
		long r = json_scan(&g->js, p + off, n - off, 1, &vs, &ve);

		if (r < 0) {
			snprintf(why, sizeof(why), "invalid JSON at column %zu: %s",
				 off + g->js.errpos + 1, g->js.errmsg);
			/* a value that goes on past the line: perhaps a pretty-printed
			 * document; gather lines until it ends, or give up */
			if (off == 0 && g->js.errpos >= n && (p[i] == '{' || p[i] == '[')) {
				int d = docjoin_start(g, ln, rn, json_code(g->js.errmsg), why);

				if (d == 0)
					return;
				if (d < 0)
					goto bad;
			}
			/* a record cut short with the next one spliced on, as in
			 * GH Archive's 2021-09-11-9.json.gz: keep the whole one */
			if ((k = resync(g, p, off, n)) > off) {
				snprintf(why, sizeof(why), "record cut short at column %zu, where "
					 "the next record begins", k + 1);
				reject(g, ln, off, "truncated", why, p + off, k - off);
				off = k;
				continue;
			}
bad:
			reject(g, ln, off, line_code(g->js.errmsg, p + off, n - off), why, p + off,
			       rn - off);
			return;
		}
		if ((size_t)r == n - off) {
			value(g, ln, off + vs, p + off + vs, ve - vs);
			return;
		}
		/* old files hold records run together as }{ on one line */
		if (p[off + vs] != '{' || p[off + (size_t)r] != '{') {
			snprintf(why, sizeof(why), "trailing characters after JSON value at column %zu",
				 off + (size_t)r + 1);
			reject(g, ln, off, line_code("", p + off, n - off), why, p + off, rn - off);
			return;
		}
		value(g, ln, off + vs, p + off + vs, ve - vs);
		off += (size_t)r;
	}
}

static void
feed(struct ingest *g, const struct line *ln)
{
	if (docjoin_active(g->doc))
		docjoin_line(g, ln);
	else
		do_line(g, ln);
}

/* The hour a file is named for: "2015-01-01-3.json.gz" (any directory,
 * anything after a dot) is 2015-01-01T03; 0, or -1 when not an hour. */
static int
name_hour(const char *path, int64_t *t)
{
	const char *b = strrchr(path, '/');
	char s[32];
	size_t n;

	b = b ? b + 1 : path;
	n = strcspn(b, ".");
	if (n >= sizeof(s))
		return -1;
	memcpy(s, b, n);
	s[n] = '\0';
	return hour_parse(s, t);
}

/* Since 2025-05 an hour's file may hold its neighbours' events too: only
 * a file with none in its own hour is mislabeled (a mirror's mistake) */
static void
check_hour(struct ingest *g)
{
	char h[32], lo[32], hi[32];

	if (!g->f_named || g->f_inhour || !g->f_mismatch)
		return;
	hour_format(g->f_hour, h);
	ts_format(g->f_lo, lo);
	ts_format(g->f_hi, hi);
	gha_warn("%s: none of its %llu events is in hour %s (they are from %s to %s): "
		 "a mislabeled hour?", g->name, (unsigned long long)g->f_mismatch, h, lo, hi);
	if (g->mislabeled.len)
		buf_addc(&g->mislabeled, ',');
	json_addstr_lossy(&g->mislabeled, g->name, strlen(g->name));
}

/* for docjoin.c */
void
ingest_reject(struct ingest *g, const struct line *ln, size_t at, const char *code,
	      const char *why, const char *raw, size_t len)
{
	reject(g, ln, at, code, why, raw, len);
}

void
ingest_value(struct ingest *g, const struct line *ln, size_t at, const char *p, size_t n)
{
	value(g, ln, at, p, n);
}

void
ingest_feed(struct ingest *g, const struct line *ln)
{
	feed(g, ln);
}

static void
file_stats(struct ingest *g, const char *status, const struct lineread *lr)
{
	if (g->files.len)
		buf_addc(&g->files, ',');
	buf_adds(&g->files, "{\"name\":");
	json_addstr_lossy(&g->files, g->name, strlen(g->name));
	buf_printf(&g->files,
		   ",\"gzip\":%s,\"bytes_in\":%llu,\"bytes_uncompressed\":%llu,"
		   "\"records_in\":%llu,\"records_out\":%llu,\"rejected\":%llu,"
		   "\"duplicates\":%llu,\"filtered\":%llu,\"filter_errors\":%llu,"
		   "\"blank_lines\":%llu,\"status\":",
		   lr && lr_is_gzip(lr) ? "true" : "false",
		   (unsigned long long)(lr ? lr_bytes_in(lr) : 0),
		   (unsigned long long)(lr ? lr_bytes_out(lr) : 0), (unsigned long long)g->f_in,
		   (unsigned long long)g->f_out, (unsigned long long)g->f_rej,
		   (unsigned long long)g->f_dups, (unsigned long long)g->f_filtered,
		   (unsigned long long)g->f_ferr, (unsigned long long)g->f_blank);
	json_addstr_lossy(&g->files, status, strlen(status));
	if (g->f_named) {
		char h[32];

		hour_format(g->f_hour, h);
		buf_printf(&g->files, ",\"hour\":\"%s\",\"hour_mismatch\":%llu,\"hour_mislabeled\":%s",
			   h, (unsigned long long)g->f_mismatch,
			   !g->f_inhour && g->f_mismatch ? "true" : "false");
	} else {
		buf_adds(&g->files, ",\"hour\":null,\"hour_mismatch\":0,\"hour_mislabeled\":false");
	}
	buf_addc(&g->files, '}');
}

int
ingest_file(struct ingest *g, const char *path)
{
	struct gha_err err = { 0, "" };
	struct lineread *lr;
	int ret;

	g->name = path && strcmp(path, "-") ? path : "<stdin>";
	g->f_in = g->f_out = g->f_rej = g->f_dups = g->f_filtered = g->f_ferr = g->f_blank = 0;
	g->f_mismatch = g->f_inhour = 0;
	g->f_named = path && strcmp(path, "-") && name_hour(path, &g->f_hour) == 0;
	lr = lr_open(path, &err);
	if (!lr) {
		gha_warn("%s", err.msg);
		file_stats(g, err.msg, NULL);
		return err.code;
	}
	ret = ingest_lr(g, lr, g->name, path && strcmp(path, "-"));
	lr_close(lr);
	return ret;
}

int
ingest_lr(struct ingest *g, struct lineread *lr, const char *name, int regular)
{
	struct gha_err err = { 0, "" };
	struct line ln;
	int r = 0, ret = GHA_OK;

	g->name = name;
	g->f_in = g->f_out = g->f_rej = g->f_dups = g->f_filtered = g->f_blank = 0;
	while (!g->stop && (r = lr_next(lr, &ln, &err)) > 0)
		feed(g, &ln);
	if (docjoin_active(g->doc))	/* the input ended inside a value */
		docjoin_give_up(g);
	if (g->stop) {
		r = 0;
	} else if (r < 0) {
		gha_warn("%s", err.msg);
		ret = err.code;
	} else if (regular && lr_bytes_in(lr) == 0) {
		/* GH Archive has hours of zero bytes: a damaged download, not an
		 * hour without events (stdin may be empty: a pipe with nothing) */
		gha_warn("%s: empty file (0 bytes): not a GH Archive hour", g->name);
		snprintf(err.msg, sizeof(err.msg), "empty file");
		ret = GHA_DATAERR;
	} else if (g->f_in > 0 && g->f_rej == g->f_in) {
		gha_warn("%s: no valid event in %llu records: not GH Archive JSON", g->name,
			 (unsigned long long)g->f_in);
		snprintf(err.msg, sizeof(err.msg), "no valid event: not GH Archive JSON");
		ret = GHA_DATAERR;
	}
	check_hour(g);
	g->bytes_in += lr_bytes_in(lr);
	g->bytes_raw += lr_bytes_out(lr);
	file_stats(g, ret ? err.msg : "ok", lr);
	return ret;
}

void
ingest_stats_json(const struct ingest *g, struct buf *b)
{
	buf_adds(b, "\"files\":[");
	buf_add(b, g->files.p ? g->files.p : "", g->files.len);
	buf_printf(b,
		   "],\n\"records_in\":%llu,\"records_out\":%llu,\"rejected\":%llu,"
		   "\"duplicates\":%llu,\"filtered\":%llu,\"filter_errors\":%llu,"
		   "\"blank_lines\":%llu,\n"
		   "\"bytes_in\":%llu,\"bytes_uncompressed\":%llu,\n\"rejected_by_reason\":",
		   (unsigned long long)g->in, (unsigned long long)g->out,
		   (unsigned long long)g->q->n, (unsigned long long)g->dups,
		   (unsigned long long)g->filtered, (unsigned long long)g->ferr,
		   (unsigned long long)g->blank,
		   (unsigned long long)g->bytes_in, (unsigned long long)g->bytes_raw);
	counter_json(&g->q->bycode, b);
	/* events not in the hour their file is named for; the files with
	 * none in it (a mislabeled hour) */
	buf_printf(b, ",\n\"hour_mismatch\":%llu,\"mislabeled_hours\":[",
		   (unsigned long long)g->mismatch);
	buf_add(b, g->mislabeled.p ? g->mislabeled.p : "", g->mislabeled.len);
	buf_adds(b, "],\n");
}
