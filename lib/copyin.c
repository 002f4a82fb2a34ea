/* copyin.c: PostgreSQL COPY text in, columns by header name. */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "copyin.h"
#include "timefmt.h"
#include "hex.h"

/* the bytes of a rejected row kept in the quarantine */
#define QUARANTINE_RAW (1u << 20)

void
copyin_init(struct copyin *c, struct quarantine *q)
{
	memset(c, 0, sizeof(*c));
	c->q = q;
	c->name = "<stdin>";
}

static void
free_header(struct copyin *c)
{
	int i;

	for (i = 0; i < c->nfields; i++)
		free(c->hdr[i]);
	free(c->hdr);
	free(c->bindof);
	c->hdr = NULL;
	c->bindof = NULL;
	c->nfields = 0;
}

static void
free_bind(struct copyin *c)
{
	int i;

	for (i = 0; i < c->nbind; i++)
		buf_free(&c->dec[i]);
	free(c->dec);
	free(c->field);
	free(c->f);
	c->dec = NULL;
	c->field = NULL;
	c->f = NULL;
	c->nbind = 0;
}

void
copyin_free(struct copyin *c)
{
	copyin_close(c);
	free_header(c);
	free_bind(c);
}

/* The escape at s[0] == '\\' (s < end): its decoded byte in *ch, its
 * length returned; 0 when bad. */
static size_t
escape(const char *s, const char *end, unsigned char *ch)
{
	size_t k;
	unsigned v;

	if (s + 1 >= end)
		return 0;
	switch (s[1]) {
	case 'b': *ch = '\b'; return 2;
	case 'f': *ch = '\f'; return 2;
	case 'n': *ch = '\n'; return 2;
	case 'r': *ch = '\r'; return 2;
	case 't': *ch = '\t'; return 2;
	case 'v': *ch = '\v'; return 2;
	case '\\': *ch = '\\'; return 2;
	case 'x':
		if (s + 2 >= end || hex_digit((unsigned char)s[2]) < 0)
			return 0;
		v = (unsigned)hex_digit((unsigned char)s[2]);
		k = 3;
		if (s + 3 < end && hex_digit((unsigned char)s[3]) >= 0)
			v = v * 16 + (unsigned)hex_digit((unsigned char)s[k++]);
		break;
	default:
		if (s[1] < '0' || s[1] > '7')
			return 0;
		v = 0;
		for (k = 1; k < 4 && s + k < end && s[k] >= '0' && s[k] <= '7'; k++)
			v = v * 8 + (unsigned)(s[k] - '0');
		v &= 0377;	/* as PostgreSQL does */
		break;
	}
	if (v == 0)
		return 0;	/* PostgreSQL text holds no NUL */
	*ch = (unsigned char)v;
	return k;
}

int
copy_decode(const char *s, size_t n, struct buf *out)
{
	const char *end = s + n;

	out->len = 0;
	buf_reserve(out, n);
	while (s < end) {
		const char *q = memchr(s, '\\', (size_t)(end - s));
		unsigned char ch;
		size_t k;

		if (!q) {
			buf_add(out, s, (size_t)(end - s));
			break;
		}
		buf_add(out, s, (size_t)(q - s));
		if (!(k = escape(q, end, &ch)))
			return -1;
		buf_addc(out, (char)ch);
		s = q + k;
	}
	return 0;
}

int
copyin_header(struct copyin *c, const char *p, size_t n, struct gha_err *err)
{
	const char *end = p + n;
	struct buf b;
	int i, j;

	free_header(c);
	if (n == 0)
		return gha_seterr(err, GHA_DATAERR, "%s:1: empty header line", c->name);
	buf_init(&b);
	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(end - p));
		size_t len = t ? (size_t)(t - p) : (size_t)(end - p);

		if (c->nfields == COPYIN_MAXFIELDS) {
			buf_free(&b);
			return gha_seterr(err, GHA_DATAERR, "%s:1: more than %d columns", c->name,
					  COPYIN_MAXFIELDS);
		}
		if (copy_decode(p, len, &b) || b.len == 0 || memchr(b.p, '\0', b.len)) {
			buf_free(&b);
			return gha_seterr(err, GHA_DATAERR, "%s:1: column %d of the header is %s",
					  c->name, c->nfields + 1, b.len ? "badly escaped" : "empty");
		}
		c->hdr = xrealloc(c->hdr, (size_t)(c->nfields + 1) * sizeof(*c->hdr));
		c->hdr[c->nfields] = xmalloc(b.len + 1);
		memcpy(c->hdr[c->nfields], b.p, b.len);
		c->hdr[c->nfields][b.len] = '\0';
		c->nfields++;
		if (!t)
			break;
		p = t + 1;
	}
	buf_free(&b);
	for (i = 0; i < c->nfields; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(c->hdr[i], c->hdr[j]))
				return gha_seterr(err, GHA_DATAERR, "%s:1: column '%s' appears twice in the header",
						  c->name, c->hdr[i]);
	c->bindof = xmalloc((size_t)c->nfields * sizeof(*c->bindof));
	for (i = 0; i < c->nfields; i++)
		c->bindof[i] = -1;
	return 0;
}

int
copyin_bind(struct copyin *c, const char *const *names, int n, const unsigned char *required,
	    struct gha_err *err)
{
	int i, k;

	free_bind(c);
	c->nbind = n;
	c->field = xmalloc((size_t)n * sizeof(*c->field) + 1);
	c->f = xcalloc((size_t)n + 1, sizeof(*c->f));
	c->dec = xcalloc((size_t)n + 1, sizeof(*c->dec));
	for (i = 0; i < c->nfields; i++)
		c->bindof[i] = -1;
	for (i = 0; i < n; i++) {
		buf_init(&c->dec[i]);
		c->field[i] = -1;
		for (k = 0; k < c->nfields; k++) {
			if (!strcmp(c->hdr[k], names[i])) {
				c->field[i] = k;
				c->bindof[k] = i;
				break;
			}
		}
		if (c->field[i] < 0 && required && required[i])
			return gha_seterr(err, GHA_DATAERR, "%s:1: no column '%s' in the header",
					  c->name, names[i]);
	}
	return 0;
}

/* 0 when the escapes of field s[0..n) are all good; "\\N" alone is NULL */
static int
check_escapes(const char *s, size_t n)
{
	const char *end = s + n, *q = s;
	unsigned char ch;

	if (n == 2 && s[0] == '\\' && s[1] == 'N')
		return 0;
	while ((q = memchr(q, '\\', (size_t)(end - q)))) {
		size_t k = escape(q, end, &ch);

		if (!k)
			return -1;
		q += k;
	}
	return 0;
}

/* The field s..fe ends (at a tab or the line's end); esc: it holds a
 * backslash (\N, for a NULL, is the common one). */
static inline int
field_end(struct copyin *c, int *k, const char *s, const char *fe, int esc)
{
	int null = fe - s == 2 && s[0] == '\\' && s[1] == 'N', b;

	if (esc && !null && check_escapes(s, (size_t)(fe - s)))
		return c->why = "bad escape", -1;
	if (*k >= c->nfields)
		return c->why = "more fields than the header has", -1;
	if ((b = c->bindof[(*k)++]) >= 0) {
		struct copyin_field *f = &c->f[b];

		f->p = s;
		f->n = (size_t)(fe - s);
		f->null = null;
		f->esc = esc && !null;
	}
	return 0;
}

/* Split on tabs: a backslash before a tab is a bad escape here (see
 * copyin.h), so an escaped tab never hides a separator. One pass over
 * the line for tabs and backslashes together, 16 bytes at a time where
 * SSE2 is there: fields are short, and a memchr per field cost more than
 * the whole scan. */
int
copyin_split(struct copyin *c, const char *p, size_t n)
{
	const char *s = p;
	size_t i = 0;
	int k = 0, esc = 0, j;

	for (j = 0; j < c->nbind; j++) {
		c->f[j].null = 1;
		c->f[j].esc = 0;
		c->f[j].p = NULL;
		c->f[j].n = 0;
	}
#ifdef __SSE2__
	{
		const __m128i vt = _mm_set1_epi8('\t'), vb = _mm_set1_epi8('\\');

		for (; i + 16 <= n; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, vt),
									      _mm_cmpeq_epi8(x, vb)));

			while (m) {
				j = __builtin_ctz(m);
				m &= m - 1;
				if (p[i + j] == '\\') {
					esc = 1;
					continue;
				}
				if (field_end(c, &k, s, p + i + j, esc))
					return -1;
				s = p + i + j + 1;
				esc = 0;
			}
		}
	}
#endif
	for (; i < n; i++) {
		if (p[i] == '\\') {
			esc = 1;
		} else if (p[i] == '\t') {
			if (field_end(c, &k, s, p + i, esc))
				return -1;
			s = p + i + 1;
			esc = 0;
		}
	}
	if (field_end(c, &k, s, p + n, esc))
		return -1;
	if (k != c->nfields)
		return c->why = "fewer fields than the header has", -1;
	return 0;
}

int
copyin_open(struct copyin *c, const char *path, struct gha_err *err)
{
	int r;

	c->name = path && strcmp(path, "-") ? path : "<stdin>";
	c->rows = c->rejected = 0;
	if (!(c->lr = lr_open(path, err)))
		return -1;
	r = lr_next(c->lr, &c->ln, err);
	if (r < 0)
		return -1;
	if (r == 0)
		return gha_seterr(err, GHA_DATAERR, "%s: empty: no header line", c->name);
	if (c->ln.overlong)
		return gha_seterr(err, GHA_DATAERR, "%s:1: header line too long", c->name);
	return copyin_header(c, c->ln.p, c->ln.len, err);
}

void
copyin_reject(struct copyin *c, const char *code, const char *why)
{
	c->rejected++;
	if (c->q && quarantine_add(c->q, c->name, c->ln.lineno, c->ln.offset, code, why,
				   c->ln.p, c->ln.len > QUARANTINE_RAW ? QUARANTINE_RAW : c->ln.len))
		c->qerr = 1;
}

int
copyin_next(struct copyin *c, struct gha_err *err)
{
	int r;

	while ((r = lr_next(c->lr, &c->ln, err)) > 0) {
		c->rows++;
		if (c->ln.overlong) {
			copyin_reject(c, "too_long", "line too long");
			continue;
		}
		if (copyin_split(c, c->ln.p, c->ln.len)) {
			copyin_reject(c, "malformed", c->why);
			continue;
		}
		return 1;
	}
	return r;
}

void
copyin_close(struct copyin *c)
{
	if (c->lr)
		lr_close(c->lr);
	c->lr = NULL;
}

int
copyin_isnull(const struct copyin *c, int col)
{
	return c->f[col].null;
}

const char *
copyin_text(struct copyin *c, int col, size_t *n)
{
	struct copyin_field *f = &c->f[col];

	if (f->null)
		return *n = 0, NULL;
	if (!f->esc)
		return *n = f->n, f->p;
	/* checked by copyin_split, so this cannot fail */
	copy_decode(f->p, f->n, &c->dec[col]);
	*n = c->dec[col].len;
	return c->dec[col].p;
}

int
copyin_int64(struct copyin *c, int col, int64_t *v)
{
	const struct copyin_field *f = &c->f[col];
	const char *s = f->p, *end;
	uint64_t x = 0, lim;
	int neg = 0;

	if (f->null)
		return 0;
	end = s + f->n;
	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s == end || end - s > 19)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (x > (lim - (uint64_t)(*s - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return 1;
}

int
copyin_bool(struct copyin *c, int col, int *v)
{
	const struct copyin_field *f = &c->f[col];

	if (f->null)
		return 0;
	if (f->n == 1 && (f->p[0] == 't' || f->p[0] == 'f')) {
		*v = f->p[0] == 't';
		return 1;
	}
	return -1;
}

int
copyin_time(struct copyin *c, int col, int64_t *utc)
{
	const struct copyin_field *f = &c->f[col];

	if (f->null)
		return 0;
	if (f->esc)
		return -1;
	return ts_parse(f->p, f->n, utc) ? -1 : 1;
}
