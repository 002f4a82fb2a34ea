/* kmeans_data.c: the features of gha-kmeans, read from COPY text with a
 * header line (copyin.h), columns by name. A field that is not a finite
 * number stops the read with FILE:LINE and the column: clustering on a
 * silently skipped row would change every result. */
#include <errno.h>
#include <math.h>

#include "copyin.h"
#include "kmeans.h"
#include "sha256.h"

void
km_cols_free(struct km_cols *c)
{
	for (int i = 0; i < c->nspec; i++)
		free(c->spec[i]);
	for (int i = 0; i < c->d; i++)
		free(c->feat[i]);
	free(c->spec);
	free(c->width);
	free(c->feat);
	memset(c, 0, sizeof(*c));
}

static int
name_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == ',' || s[i] == '[' || s[i] == ']' ||
		    s[i] == 0x7f || s[i] == ' ')
			return 0;
	return 1;
}

int
km_cols_parse(struct km_cols *c, const char *list, struct gha_err *err)
{
	const char *s = list;

	memset(c, 0, sizeof(*c));
	for (;;) {
		const char *e = strchr(s, ','), *br;
		size_t n = e ? (size_t)(e - s) : strlen(s);
		long w = 1;

		br = memchr(s, '[', n);
		if (br) {
			char *end;

			errno = 0;
			w = strtol(br + 1, &end, 10);
			if (errno || end == br + 1 || w < 2 || w > KM_MAXD || *end != ']' || end + 1 != s + n)
				goto bad;
			n = (size_t)(br - s);
		}
		if (!name_ok(s, n) || c->d + w > KM_MAXD || c->nspec >= COPYIN_MAXFIELDS - 1)
			goto bad;
		c->spec = xrealloc(c->spec, ((size_t)c->nspec + 1) * sizeof(char *));
		c->width = xrealloc(c->width, ((size_t)c->nspec + 1) * sizeof(int));
		c->spec[c->nspec] = xmalloc(n + 1);
		memcpy(c->spec[c->nspec], s, n);
		c->spec[c->nspec][n] = 0;
		c->width[c->nspec] = (int)w;
		c->feat = xrealloc(c->feat, ((size_t)c->d + (size_t)w) * sizeof(char *));
		for (long i = 0; i < w; i++) {
			struct buf b;

			buf_init(&b);
			if (br)
				buf_printf(&b, "%s.%ld", c->spec[c->nspec], i);
			else
				buf_adds(&b, c->spec[c->nspec]);
			c->feat[c->d++] = b.p;
		}
		for (int i = 0; i < c->nspec; i++)
			if (!strcmp(c->spec[i], c->spec[c->nspec])) {
				gha_seterr(err, GHA_USAGE, "column '%s' named twice", c->spec[i]);
				c->nspec++;
				km_cols_free(c);
				return -1;
			}
		c->nspec++;
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
bad:
	gha_seterr(err, GHA_USAGE, "bad column list '%s': names separated by commas, "
		   "NAME[N] for a list of N numbers", list);
	km_cols_free(c);
	return -1;
}

void
km_cols_join(const struct km_cols *c, struct buf *out)
{
	for (int i = 0; i < c->nspec; i++) {
		if (i)
			buf_addc(out, ',');
		buf_adds(out, c->spec[i]);
		if (c->width[i] > 1)
			buf_printf(out, "[%d]", c->width[i]);
	}
}

void
km_data_init(struct km_data *dt)
{
	memset(dt, 0, sizeof(*dt));
	buf_init(&dt->ids);
}

void
km_data_free(struct km_data *dt)
{
	free(dt->x);
	free(dt->line);
	free(dt->idoff);
	buf_free(&dt->ids);
	memset(dt, 0, sizeof(*dt));
}

const char *
km_id(const struct km_data *dt, size_t i, char *tmp, size_t tmpn)
{
	if (dt->idoff)
		return dt->idoff[i] == SIZE_MAX ? NULL : dt->ids.p + dt->idoff[i];
	snprintf(tmp, tmpn, "%llu", (unsigned long long)dt->line[i]);
	return tmp;
}

/* Plain decimals ("-12.5", up to 15 digits, no exponent) without strtod:
 * the digits as an integer are exact in a double, and so is 10^f for
 * f <= 22, so one division is correctly rounded, the same double strtod
 * gives. 1 done, 0 not such a number (strtod decides). */
static int
fast_decimal(const char *s, size_t n, double *v)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *e = s + n;
	uint64_t m = 0;
	int digits = 0, frac = -1, neg = 0;

	if (s < e && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	if (s == e)
		return 0;
	for (; s < e; s++) {
		if (*s >= '0' && *s <= '9') {
			m = m * 10 + (uint64_t)(*s - '0');
			if (++digits > 15)
				return 0;
			if (frac >= 0)
				frac++;
		} else if (*s == '.' && frac < 0) {
			frac = 0;
		} else {
			return 0;
		}
	}
	if (digits == 0)
		return 0;
	*v = frac > 0 ? (double)m / p10[frac] : (double)m;
	if (neg)
		*v = -*v;
	return 1;
}

/* a finite number filling s[0..n) exactly */
static int
number(const char *s, size_t n, double *v)
{
	char tmp[128], *end;

	if (fast_decimal(s, n, v))
		return 0;

	if (n == 0 || n >= sizeof(tmp) || s[0] == ' ' || s[0] == '\t' || s[0] == '\n')
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	*v = strtod(tmp, &end);
	if (end != tmp + n || !isfinite(*v))
		return -1;
	return 0;
}

/* NAME[N]: N comma-separated numbers, as shares of their sum */
static int
profile(const char *s, size_t n, double *v, int w)
{
	const char *e = s + n;
	double sum = 0;
	int i = 0;

	if (n >= 2 && (s[0] == '{' || s[0] == '[') && (e[-1] == '}' || e[-1] == ']'))
		s++, e--;
	while (i < w) {
		const char *c = memchr(s, ',', (size_t)(e - s));
		const char *fe = c ? c : e;

		if (number(s, (size_t)(fe - s), &v[i]) || v[i] < 0)
			return -1;
		sum += v[i++];
		if (!c)
			break;
		s = c + 1;
	}
	if (i != w || s > e || (i == w && memchr(s, ',', (size_t)(e - s))))
		return -1;
	for (i = 0; i < w && sum > 0; i++)
		v[i] /= sum;
	return 0;
}

int
km_read(struct km_data *dt, const char *path, const struct km_readopt *o, struct gha_err *err)
{
	const struct km_cols *cols = o->cols;
	struct copyin c;
	struct sha256 h;
	const char **names;
	unsigned char *req;
	int nb = cols->nspec + (o->id ? 1 : 0), r, ret = -1;
	size_t cap = 0, d = (size_t)cols->d;
	double *row = xmalloc(d * sizeof(double));

	dt->d = d;
	copyin_init(&c, NULL);
	names = xcalloc((size_t)nb, sizeof(char *));
	req = xmalloc((size_t)nb);
	for (int i = 0; i < cols->nspec; i++)
		names[i] = cols->spec[i];
	if (o->id)
		names[cols->nspec] = o->id;
	memset(req, 1, (size_t)nb);
	if (o->hash)
		sha256_init(&h);
	if (copyin_open(&c, path, err) || copyin_bind(&c, names, nb, req, err))
		goto out;
	if (o->hash) {
		sha256_update(&h, c.ln.p, c.ln.len);
		sha256_update(&h, "\n", 1);
	}
	while ((r = lr_next(c.lr, &c.ln, err)) > 0) {
		size_t n;
		int null = 0, f = 0;
		uint64_t nn = 0;

		if (o->hash) {
			sha256_update(&h, c.ln.p, c.ln.len);
			sha256_update(&h, "\n", 1);
		}
		dt->in++;
		if (c.ln.overlong || copyin_split(&c, c.ln.p, c.ln.len)) {
			gha_seterr(err, GHA_DATAERR, "%s:%llu: %s", c.name,
				   (unsigned long long)c.ln.lineno, c.ln.overlong ? "line too long" : c.why);
			goto out;
		}
		for (int i = 0; i < cols->nspec; f += cols->width[i], i++) {
			const char *s = copyin_text(&c, i, &n);

			if (!s) {
				null = 1;
				nn++;
				for (int q = 0; q < cols->width[i]; q++)
					row[f + q] = NAN;
				continue;
			}
			if (cols->width[i] == 1 ? number(s, n, &row[f]) : profile(s, n, row + f, cols->width[i])) {
				if (cols->width[i] == 1)
					gha_seterr(err, GHA_DATAERR, "%s:%llu: column '%s': not a finite number: '%.*s'",
						   c.name, (unsigned long long)c.ln.lineno, cols->spec[i],
						   (int)(n > 40 ? 40 : n), s);
				else
					gha_seterr(err, GHA_DATAERR, "%s:%llu: column '%s': not %d comma-separated "
						   "numbers >= 0", c.name, (unsigned long long)c.ln.lineno,
						   cols->spec[i], cols->width[i]);
				goto out;
			}
			if (o->log1p && cols->width[i] == 1 && row[f] <= -1) {
				gha_seterr(err, GHA_DATAERR, "%s:%llu: column '%s': %g is not above -1 (--scale log1p)",
					   c.name, (unsigned long long)c.ln.lineno, cols->spec[i], row[f]);
				goto out;
			}
		}
		if (null && o->missing == KM_MISSING_DROP) {
			dt->dropped++;
			continue;
		}
		dt->nulls += nn;
		if (dt->n == cap) {
			cap = cap ? cap * 2 : 1024;
			dt->x = xrealloc(dt->x, cap * d * sizeof(double));
			dt->line = xrealloc(dt->line, cap * sizeof(uint64_t));
			if (o->id)
				dt->idoff = xrealloc(dt->idoff, cap * sizeof(size_t));
		}
		memcpy(dt->x + dt->n * d, row, d * sizeof(double));
		dt->line[dt->n] = c.ln.lineno;
		if (o->id) {
			const char *s = copyin_text(&c, cols->nspec, &n);

			dt->idoff[dt->n] = s ? dt->ids.len : SIZE_MAX;	/* a NULL id */
			if (s) {
				buf_add(&dt->ids, s, n);
				buf_addc(&dt->ids, 0);
			}
		}
		dt->n++;
	}
	if (r == 0)
		ret = 0;
out:
	if (o->hash) {
		if (ret == 0)
			sha256_hex(&h, dt->sha256);
		else
			sha256_free(&h);
	}
	copyin_close(&c);
	copyin_free(&c);
	free(names);
	free(req);
	free(row);
	return ret;
}

static const struct km_data *sort_dt;

static int
cmpid(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	size_t oa = sort_dt->idoff[a], ob = sort_dt->idoff[b];
	int r;

	if (oa == SIZE_MAX || ob == SIZE_MAX)
		r = (oa == SIZE_MAX) - (ob == SIZE_MAX);
	else
		r = strcmp(sort_dt->ids.p + oa, sort_dt->ids.p + ob);
	return r ? r : a < b ? -1 : a > b;
}

void
km_data_sum_by_id(struct km_data *dt)
{
	size_t n = dt->n, d = dt->d, m = 0, *ix;
	double *x;
	uint64_t *line;
	size_t *off;

	if (!dt->idoff || n < 2)
		return;
	ix = xmalloc(n * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	sort_dt = dt;
	qsort(ix, n, sizeof(size_t), cmpid);
	x = xmalloc(n * d * sizeof(double));
	line = xmalloc(n * sizeof(uint64_t));
	off = xmalloc(n * sizeof(size_t));
	for (size_t q = 0; q < n; q++) {
		size_t i = ix[q];

		if (m && dt->idoff[i] != SIZE_MAX && off[m - 1] != SIZE_MAX &&
		    !strcmp(dt->ids.p + dt->idoff[i], dt->ids.p + off[m - 1])) {
			/* as SQL's sum: NULLs skipped, NULL only when all are */
			for (size_t j = 0; j < d; j++) {
				double *t = &x[(m - 1) * d + j], v = dt->x[i * d + j];

				if (isnan(*t))
					*t = v;
				else if (!isnan(v))
					*t += v;
			}
			continue;
		}
		memcpy(x + m * d, dt->x + i * d, d * sizeof(double));
		line[m] = dt->line[i];
		off[m++] = dt->idoff[i];
	}
	free(ix);
	free(dt->x);
	free(dt->line);
	free(dt->idoff);
	dt->x = x;
	dt->line = line;
	dt->idoff = off;
	dt->n = m;
}
