/* tsv.c: rows in PostgreSQL COPY text format: tab-separated, a header
 * line, backslash escapes for \t \n \r \\, and \N for NULL. Snowflake
 * loads the same bytes with ESCAPE='\\' and NULL_IF=('\\N'). */
#include <string.h>

#include "gha.h"

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

		while (q < end && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\\')
			q++;
		buf_add(&t->row, s, (size_t)(q - s));
		if (q == end)
			break;
		switch (*q) {
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
	sep(t);
	buf_printf(&t->row, "%lld", (long long)v);
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
