/* tsv.c: rows in PostgreSQL COPY text format: tab-separated, a header
 * line, backslash escapes for \t \n \r \\, and \N for NULL. Snowflake
 * loads the same bytes with ESCAPE='\\' and NULL_IF=('\\N'). copy_unescape
 * reads a field back. */
#include <string.h>

#include "gha.h"
#include "tsv.h"
#include "copyin.h"
#include "utf8.h"

void
tsv_init(struct tsv *t, FILE *fp, int ncols)
{
	t->fp = fp;
	t->ncols = ncols;
	t->col = 0;
	buf_init(&t->row);
}

void
tsv_free(struct tsv *t)
{
	buf_free(&t->row);
}

static void
sep(struct tsv *t)
{
	if (t->col++ > 0)
		buf_addc(&t->row, '\t');
}

void
tsv_str(struct tsv *t, const char *s, size_t n)
{
	const char *end = s + n;

	sep(t);
	buf_reserve(&t->row, n);
	while (s < end) {
		const char *q = s;

		while (q < end && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\\' && *q)
			q++;
		buf_add(&t->row, s, (size_t)(q - s));
		if (q == end)
			break;
		switch (*q) {
		case '\0': buf_add(&t->row, "\xef\xbf\xbd", 3); break;	/* PostgreSQL text has no NUL */
		case '\t': buf_add(&t->row, "\\t", 2); break;
		case '\n': buf_add(&t->row, "\\n", 2); break;
		case '\r': buf_add(&t->row, "\\r", 2); break;
		default: buf_add(&t->row, "\\\\", 2); break;
		}
		s = q + 1;
	}
}

void
tsv_cstr(struct tsv *t, const char *s)
{
	if (s)
		tsv_str(t, s, strlen(s));
	else
		tsv_null(t);
}

void
tsv_null(struct tsv *t)
{
	sep(t);
	buf_add(&t->row, "\\N", 2);
}

void
tsv_int(struct tsv *t, int64_t v)
{
	/* by hand, into the row: printf's format parsing was most of gold's
	 * output time */
	char s[24], *e = s + sizeof(s), *q = e, *d;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	if (v >= 0 && v < 10 && t->row.len + 3 <= t->row.cap) {	/* most counts */
		d = t->row.p + t->row.len;
		if (t->col++ > 0)
			*d++ = '\t';
		*d++ = (char)('0' + v);
		*d = '\0';
		t->row.len = (size_t)(d - t->row.p);
		return;
	}
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	buf_reserve(&t->row, sizeof(s) + 1);
	d = t->row.p + t->row.len;
	if (t->col++ > 0)
		*d++ = '\t';
	memcpy(d, q, (size_t)(e - q));
	d += e - q;
	*d = '\0';
	t->row.len = (size_t)(d - t->row.p);
}

void
tsv_bool(struct tsv *t, int v)
{
	sep(t);
	buf_addc(&t->row, v ? 't' : 'f');
}

int
tsv_end(struct tsv *t)
{
	int bad;

	buf_addc(&t->row, '\n');
	bad = fwrite(t->row.p, 1, t->row.len, t->fp) != t->row.len;
	t->row.len = 0;
	t->col = 0;
	return bad ? -1 : 0;
}

int
tsv_header(struct tsv *t, const char *const *names)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		tsv_cstr(t, names[i]);
	return tsv_end(t);
}

void
tsv_raw(struct tsv *t, const char *s, size_t n)
{
	sep(t);
	buf_add(&t->row, s, n);
}

void
tsv_jstr(struct tsv *t, const char *s, size_t n)
{
	const char *end = s + n;
	struct buf *b = &t->row;

	sep(t);
	buf_reserve(b, n);
	while (s < end) {
		const char *q = s;

		while (q < end && *q != '\\' && *q != '\t')
			q++;
		buf_add(b, s, (size_t)(q - s));
		if (q >= end)
			break;
		if (*q == '\t') {	/* a raw tab cannot occur in valid JSON; kept safe */
			buf_add(b, "\\t", 2);
			s = q + 1;
			continue;
		}
		s = q + 2;
		switch (q[1]) {
		case 'n': buf_add(b, "\\n", 2); break;
		case 'r': buf_add(b, "\\r", 2); break;
		case 't': buf_add(b, "\\t", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case 'b': buf_addc(b, '\b'); break;
		case 'f': buf_addc(b, '\f'); break;
		case 'u': {
			unsigned cp = 0xfffd;
			size_t k = json_u_escape(q, end, &cp);

			s = q + (k ? k : 2);	/* validated input has no bad escapes */
			if (cp == '\n')
				buf_add(b, "\\n", 2);
			else if (cp == '\r')
				buf_add(b, "\\r", 2);
			else if (cp == '\t')
				buf_add(b, "\\t", 2);
			else if (cp == '\\')
				buf_add(b, "\\\\", 2);
			else
				utf8_put(b, cp ? cp : 0xfffd);	/* PostgreSQL text has no NUL */
			break;
		}
		default: buf_addc(b, q[1]); break;	/* " and / */
		}
	}
}

/* The reverse of tsv_str, for reading COPY text back: one field's
 * escapes decoded into out (replacing its contents). One decoder for the
 * suite: copyin.c's (octal and hex escapes too, as PostgreSQL writes). */
int
copy_unescape(const char *s, size_t n, struct buf *out)
{
	return copy_decode(s, n, out);
}
