/* kmeans_model.c: the model file of gha-kmeans, versioned text with one
 * tab-separated record a line, in this order:
 *
 *   gha-kmeans model 1
 *   columns  SPEC,SPEC,...        (as given to -c)
 *   id       NAME                 (the id column at fit time; empty: none)
 *   scale    none|zscore|log1p
 *   missing  drop|zero|mean
 *   sum      0|1                  (rows summed by id: --sum-by-id)
 *   k        K
 *   d        D
 *   feature  NAME FILL MEAN SD    (D lines, in column order)
 *   centroid J V1 ... VD          (K lines, J = 0..K-1, scaled units)
 *   end
 *
 * Numbers are written with 17 significant digits, so a model read back
 * assigns exactly as the fit did. The parser takes nothing else: a file
 * it cannot read completely is an error, never a partial model. Memory
 * grows with the file's size only (centroids are added as they are read). */
#include <errno.h>
#include <math.h>

#include "kmeans.h"

static const char *const scale_names[] = { "none", "zscore", "log1p" };
static const char *const missing_names[] = { "drop", "zero", "mean" };

void
km_model_init(struct km_model *m)
{
	memset(m, 0, sizeof(*m));
}

void
km_model_free(struct km_model *m)
{
	km_prep_free(&m->prep);
	km_cols_free(&m->cols);
	free(m->id);
	free(m->c);
	memset(m, 0, sizeof(*m));
}

void
km_model_format(const struct km_model *m, struct buf *b)
{
	buf_printf(b, "gha-kmeans model %d\ncolumns\t", KM_MODEL_VERSION);
	km_cols_join(&m->cols, b);
	buf_printf(b, "\nid\t%s\nscale\t%s\nmissing\t%s\nsum\t%d\nk\t%zu\nd\t%zu\n", m->id ? m->id : "",
		   scale_names[m->prep.scale], missing_names[m->prep.missing], m->sum_by_id ? 1 : 0,
		   m->k, m->d);
	for (size_t j = 0; j < m->d; j++)
		buf_printf(b, "feature\t%s\t%.17g\t%.17g\t%.17g\n", m->cols.feat[j], m->prep.fill[j],
			   m->prep.mean[j], m->prep.sd[j]);
	for (size_t c = 0; c < m->k; c++) {
		buf_printf(b, "centroid\t%zu", c);
		for (size_t j = 0; j < m->d; j++)
			buf_printf(b, "\t%.17g", m->c[c * m->d + j]);
		buf_addc(b, '\n');
	}
	buf_adds(b, "end\n");
}

/* the parser's cursor: one line at a time, split on tabs */
struct cur {
	const char *p, *end, *name;
	unsigned line;
	const char *f[8];	/* the first fields */
	size_t fn[8];
	int nf;
	const char *rest;	/* the line after the first fields, for centroids */
	size_t restn;
	int eof;		/* a line was wanted past the end */
};

static int
next_line(struct cur *c)
{
	const char *nl;

	if (c->p >= c->end) {
		c->line++;
		c->eof = 1;
		c->nf = 0;
		c->restn = 0;
		return 0;
	}
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl) {
		c->line++;
		return -1;	/* the last line must end in a newline: a cut file */
	}
	c->line++;
	c->rest = c->p;
	c->restn = (size_t)(nl - c->p);
	c->nf = 0;
	for (const char *s = c->p; c->nf < 8;) {
		const char *t = memchr(s, '\t', (size_t)(nl - s));

		c->f[c->nf] = s;
		c->fn[c->nf++] = (size_t)((t ? t : nl) - s);
		if (!t)
			break;
		s = t + 1;
	}
	c->p = nl + 1;
	return 1;
}

static int
is(const struct cur *c, int i, const char *s)
{
	return i < c->nf && c->fn[i] == strlen(s) && !memcmp(c->f[i], s, c->fn[i]);
}

static int
num(const char *s, size_t n, double *v)
{
	char tmp[64], *end;

	if (n == 0 || n >= sizeof(tmp) || s[0] == ' ')
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	*v = strtod(tmp, &end);
	return end == tmp + n && isfinite(*v) ? 0 : -1;
}

static int
count(const char *s, size_t n, size_t min, size_t max, size_t *v)
{
	size_t r = 0;

	if (n == 0 || n > 6 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		r = r * 10 + (size_t)(s[i] - '0');
	}
	if (r < min || r > max)
		return -1;
	*v = r;
	return 0;
}

static int
pick(const struct cur *c, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (is(c, 1, names[i]))
			return i;
	return -1;
}

#define FAIL(why) do { reason = why; goto bad; } while (0)

int
km_model_parse(struct km_model *m, const char *p, size_t n, const char *name, struct gha_err *err)
{
	struct cur c = { p, p + n, name, 0, { 0 }, { 0 }, 0, NULL, 0, 0 };
	const char *reason = "";
	char *list = NULL;
	size_t k = 0, d = 0;
	int sc, mi, r;

	km_model_init(m);
	if (next_line(&c) != 1 || c.restn != strlen("gha-kmeans model 1") ||
	    memcmp(c.rest, "gha-kmeans model ", 17))
		FAIL("not a gha-kmeans model file");
	if (c.rest[17] != '0' + KM_MODEL_VERSION)
		FAIL("model version not supported (this gha-kmeans reads version 1)");
	if (next_line(&c) != 1 || !is(&c, 0, "columns") || c.nf != 2)
		FAIL("expected 'columns' and a list");
	list = xmalloc(c.fn[1] + 1);
	memcpy(list, c.f[1], c.fn[1]);
	list[c.fn[1]] = 0;
	if (strlen(list) != c.fn[1] || km_cols_parse(&m->cols, list, err))
		FAIL("bad column list");
	if (next_line(&c) != 1 || !is(&c, 0, "id") || c.nf != 2)
		FAIL("expected 'id' and a column name or nothing");
	if (c.fn[1]) {
		if (memchr(c.f[1], 0, c.fn[1]))
			FAIL("bad id column name");
		m->id = xmalloc(c.fn[1] + 1);
		memcpy(m->id, c.f[1], c.fn[1]);
		m->id[c.fn[1]] = 0;
	}
	if (next_line(&c) != 1 || !is(&c, 0, "scale") || c.nf != 2 || (sc = pick(&c, scale_names, 3)) < 0)
		FAIL("expected 'scale' none, zscore or log1p");
	if (next_line(&c) != 1 || !is(&c, 0, "missing") || c.nf != 2 ||
	    (mi = pick(&c, missing_names, 3)) < 0)
		FAIL("expected 'missing' drop, zero or mean");
	if (next_line(&c) != 1 || !is(&c, 0, "sum") || c.nf != 2 || !(is(&c, 1, "0") || is(&c, 1, "1")))
		FAIL("expected 'sum' 0 or 1");
	m->sum_by_id = is(&c, 1, "1");
	if (m->sum_by_id && !m->id)
		FAIL("'sum' 1 needs an id column");
	if (next_line(&c) != 1 || !is(&c, 0, "k") || c.nf != 2 || count(c.f[1], c.fn[1], 1, KM_MAXK, &k))
		FAIL("expected 'k' and a count from 1 to 10000");
	if (next_line(&c) != 1 || !is(&c, 0, "d") || c.nf != 2 || count(c.f[1], c.fn[1], 1, KM_MAXD, &d))
		FAIL("expected 'd' and a count from 1 to 4096");
	if (d != (size_t)m->cols.d)
		FAIL("'d' is not the number of features of 'columns'");
	km_prep_init(&m->prep, d, (enum km_scale)sc, (enum km_missing)mi);
	m->d = d;
	for (size_t j = 0; j < d; j++) {
		if (next_line(&c) != 1 || !is(&c, 0, "feature") || c.nf != 5)
			FAIL("expected 'feature' NAME FILL MEAN SD");
		if (!is(&c, 1, m->cols.feat[j]))
			FAIL("feature name is not the one 'columns' gives");
		if (num(c.f[2], c.fn[2], &m->prep.fill[j]) || num(c.f[3], c.fn[3], &m->prep.mean[j]) ||
		    num(c.f[4], c.fn[4], &m->prep.sd[j]) || m->prep.sd[j] <= 0)
			FAIL("feature FILL, MEAN, SD must be finite numbers, SD above 0");
	}
	for (size_t j = 0; j < k; j++) {
		size_t got, fl;
		const char *s, *e;

		if (next_line(&c) != 1 || !is(&c, 0, "centroid") || c.nf < 2 ||
		    count(c.f[1], c.fn[1], 0, KM_MAXK, &got))
			FAIL("expected 'centroid' J and D numbers");
		if (got != j)
			FAIL("centroids must be numbered 0 to k-1 in order");
		m->c = xrealloc(m->c, (j + 1) * d * sizeof(double));
		s = c.f[1] + c.fn[1];
		e = c.rest + c.restn;
		for (size_t q = 0; q < d; q++) {
			const char *t;

			if (s >= e || *s != '\t')
				FAIL("a centroid needs D numbers");
			s++;
			t = memchr(s, '\t', (size_t)(e - s));
			fl = (size_t)((t ? t : e) - s);
			if (num(s, fl, &m->c[j * d + q]))
				FAIL("a centroid value is not a finite number");
			s += fl;
		}
		if (s != e)
			FAIL("a centroid has more than D numbers");
		m->k = j + 1;
	}
	if ((r = next_line(&c)) != 1 || c.restn != 3 || memcmp(c.rest, "end", 3))
		FAIL(r < 0 ? "last line cut short" : "expected 'end'");
	if (c.p != c.end)
		FAIL("text after 'end'");
	free(list);
	return 0;
bad:
	free(list);
	km_model_free(m);
	return gha_seterr(err, GHA_DATAERR, "%s:%u: %s%s", name, c.line, c.eof ? "the file ends: " : "",
			  reason);
}

int
km_model_load(struct km_model *m, const char *path, struct gha_err *err)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char tmp[65536];
	size_t n;
	int ret;

	km_model_init(m);
	if (!fp)
		return gha_seterr(err, GHA_NOINPUT, "%s: %s", path, strerror(errno));
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0) {
		buf_add(&b, tmp, n);
		if (b.len > (size_t)1 << 30) {
			fclose(fp);
			buf_free(&b);
			return gha_seterr(err, GHA_DATAERR, "%s: larger than 1 GiB: not a model", path);
		}
	}
	if (ferror(fp)) {
		fclose(fp);
		buf_free(&b);
		return gha_seterr(err, GHA_IOERR, "%s: read error", path);
	}
	fclose(fp);
	ret = km_model_parse(m, b.p ? b.p : "", b.len, path, err);
	buf_free(&b);
	return ret;
}
