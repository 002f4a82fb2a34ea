/* docjoin.c: a JSON document spread over lines (a REST API response,
 * pretty-printed), gathered by the ingest loop until its brackets close,
 * then fed as records; or, when it turns out no document, given back as
 * plain lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "ingest.h"
#include "ingest_impl.h"
#include "json.h"
#include "lineread.h"

struct docjoin {
	struct buf acc, tmp;
	int on, crlf, off, instr, esc, indented, col0;
	long depth;
	struct line ln;		/* its first line */
	size_t first;		/* bytes of the first line, CR included */
	char why[160];
	const char *code;
};

struct docjoin *
docjoin_new(void)
{
	struct docjoin *d = xcalloc(1, sizeof(*d));

	buf_init(&d->acc);
	buf_init(&d->tmp);
	return d;
}

void
docjoin_free(struct docjoin *d)
{
	if (!d)
		return;
	buf_free(&d->acc);
	buf_free(&d->tmp);
	free(d);
}

int
docjoin_active(const struct docjoin *d)
{
	return d->on;
}

#define ACC_MAX (64u << 20)

/* Follow the nesting of the gathered text as lines arrive, so the document
 * is validated once, when its brackets close, not once per line. Returns
 * -1 when the line ends inside a string: JSON strings hold no raw newline. */
static int
track(struct docjoin *d, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (d->instr) {
			if (d->esc)
				d->esc = 0;
			else if (c == '\\')
				d->esc = 1;
			else if (c == '"')
				d->instr = 0;
		} else if (c == '"') {
			d->instr = 1;
		} else if (c == '{' || c == '[') {
			d->depth++;
		} else if (c == '}' || c == ']') {
			d->depth--;
		}
	}
	return d->instr ? -1 : 0;
}

/* A line that opens a value the line does not close: perhaps the first
 * of a document. 0: gathering began; -1: no document can start so (the
 * line is rejected); 1: not now (lines given back are never gathered a
 * second time, which keeps this linear). */
int
docjoin_start(struct ingest *g, const struct line *ln, size_t rn, const char *code,
	      const char *why)
{
	struct docjoin *d = g->doc;

	if (d->off)
		return 1;
	d->depth = 0;
	d->instr = d->esc = 0;
	if (track(d, ln->p, ln->len) < 0 || d->depth <= 0)
		return -1;
	d->on = 1;
	d->indented = d->col0 = 0;
	d->ln = *ln;
	d->first = rn;
	d->crlf = ln->crlf;
	d->code = code;
	snprintf(d->why, sizeof(d->why), "%s", why);
	d->acc.len = 0;
	buf_add(&d->acc, ln->p, rn);
	buf_addc(&d->acc, '\n');
	return 0;
}

/* The gathered lines were no document: the first line is rejected with
 * its own reason, the others go through as plain lines again (never
 * gathered a second time, which keeps this linear). */
void
docjoin_give_up(struct ingest *g)
{
	struct docjoin *d = g->doc;
	struct buf rest = d->acc;
	struct line ln = d->ln;
	size_t pos;

	d->on = 0;
	d->off++;
	buf_init(&d->acc);
	ingest_reject(g, &ln, 0, d->code, d->why, rest.p, d->first);
	pos = d->first + 1;
	ln.offset += pos;
	while (pos < rest.len) {
		char *nl = memchr(rest.p + pos, '\n', rest.len - pos);
		size_t e = nl ? (size_t)(nl - rest.p) : rest.len;

		ln.p = rest.p + pos;
		ln.len = e - pos;
		ln.lineno++;
		ln.crlf = ln.len > 0 && ln.p[ln.len - 1] == '\r';
		ln.len -= (size_t)ln.crlf;
		ln.size = ln.len;
		ln.partial = ln.overlong = 0;
		ingest_feed(g, &ln);
		ln.offset += e + 1 - pos;
		pos = e + 1;
	}
	d->off--;
	buf_free(&rest);
}

/* One record of a document, compacted: scanned again for its members. */
static void
doc_record(struct ingest *g, const struct line *ln, const char *p, size_t n)
{
	size_t vs, ve;

	if (json_scan(&g->js, p, n, 0, &vs, &ve) < 0)
		return;	/* cannot happen: the document validated */
	ingest_value(g, ln, 0, p + vs, ve - vs);
}

/* A whole document: an event, or (as the REST API sends them) an array
 * of events, each written compacted on a line of its own. */
static void
done(struct ingest *g, size_t vs, size_t ve)
{
	struct docjoin *d = g->doc;
	struct line ln = d->ln;
	struct jspan arr, el;
	const char *cur = NULL;

	d->on = 0;
	d->tmp.len = 0;
	json_compact(d->acc.p + vs, ve - vs, &d->tmp);
	if (d->tmp.p[0] != '[') {
		doc_record(g, &ln, d->tmp.p, d->tmp.len);
		return;
	}
	arr.type = J_ARRAY;
	arr.p = d->tmp.p;
	arr.len = d->tmp.len;
	while (json_array_next(&arr, &cur, &el)) {
		if (el.type == J_OBJECT)
			doc_record(g, &ln, el.p, el.len);
		else
			ingest_reject(g, &ln, 0, "not-object", "array element is not an event object",
				      el.p, el.len);
	}
}

void
docjoin_line(struct ingest *g, const struct line *ln)
{
	struct docjoin *d = g->doc;
	size_t vs, ve;
	long r;

	if (ln->partial || ln->overlong) {
		docjoin_give_up(g);
		ingest_feed(g, ln);
		return;
	}
	/* In an indented document only the first line starts at column 0:
	 * a '{' or '[' there is the next document, and the one gathered so
	 * far was cut short. Without this, one truncated document would
	 * swallow every document after it. */
	if (d->indented && !d->col0 && ln->len > 0 &&
	    (ln->p[0] == '{' || ln->p[0] == '[')) {
		docjoin_give_up(g);
		ingest_feed(g, ln);
		return;
	}
	/* ... unless its inner lines start at column 0 too (array elements
	 * written flush left): then the rule cannot tell, and is off */
	if (ln->len > 0 && (ln->p[0] == ' ' || ln->p[0] == '\t'))
		d->indented = 1;
	else if (ln->len > 0 && ln->p[0] != '}' && ln->p[0] != ']')
		d->col0 = 1;
	buf_add(&d->acc, ln->p, ln->len + (size_t)ln->crlf);
	buf_addc(&d->acc, '\n');
	if (track(d, ln->p, ln->len) < 0) {
		docjoin_give_up(g);
		return;
	}
	if (d->depth > 0) {
		if (d->acc.len >= ACC_MAX)
			docjoin_give_up(g);
		return;	/* not over yet */
	}
	r = json_scan(&g->js, d->acc.p, d->acc.len, 1, &vs, &ve);
	if (r == (long)d->acc.len)
		done(g, vs, ve);
	else
		docjoin_give_up(g);
}
