/* partial.c: the fact set as text, and back.
 *
 *   gha-gold-partial<TAB>1
 *   s<TAB>ID<TAB>TEXT                     one per symbol, numbered 1, 2, ...
 *   f<TAB>HOUR<TAB>MSECS<TAB>SIZE<TAB>TYPE<TAB>ACTION<TAB>ACTOR<TAB>REPO<TAB>ORG
 *    <TAB>LANG<TAB>MERGED<TAB>BOT<TAB>N<TAB>COMMITS<TAB>NOCOUNT<TAB>TMIN<TAB>TMAX
 *
 * Fields are COPY text (\N NULL, backslash escapes). Times are UTC epoch
 * seconds; symbol fields are symbol numbers, 0 for NULL; MERGED is t, f
 * or \N; BOT 0 or 1. Symbols are sorted by value (gsym_cmp) and facts by
 * key, so the same facts give the same bytes whatever the input order. */
#include <stdlib.h>
#include <string.h>

#include "gold.h"
#include "hash.h"
#include "sort.h"
#include "timefmt.h"

#define NFACT 17
#define GPART_BATCH 256
/* bounds on what a partial may say, so sums and window arithmetic
 * cannot overflow: hours in years 1970..9999, counts below 2^40 */
#define MAXHOUR 253402300800LL
#define MAXCOUNT (1LL << 40)

static const struct gold_facts *sort_f;
static uint32_t *sort_num;

#define CMPF(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

static int
cmp_fact(const void *a, const void *b)
{
	const struct gfact_key *x = &sort_f->v[*(const uint32_t *)a].k;
	const struct gfact_key *y = &sort_f->v[*(const uint32_t *)b].k;
	const uint32_t *m = sort_num;

	CMPF(x->hour, y->hour);
	CMPF(m[x->type], m[y->type]);
	CMPF(m[x->action], m[y->action]);
	CMPF(m[x->actor], m[y->actor]);
	CMPF(m[x->repo], m[y->repo]);
	CMPF(m[x->org], m[y->org]);
	CMPF(m[x->lang], m[y->lang]);
	CMPF(x->merged, y->merged);
	CMPF(x->bot, y->bot);
	CMPF(x->flags, y->flags);
	CMPF(x->msecs, y->msecs);
	CMPF(x->size, y->size);
	return 0;
}

static void
add_i64(struct buf *b, int64_t v)
{
	char s[24];

	buf_add(b, s, fmt_i64(s, v));
}

/* COPY text escaping of a symbol's text */
static void
add_text(struct buf *b, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		const char *q = p;

		/* the plain run first, in one copy: most names have no escape */
		while (q < end && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\\')
			q++;
		buf_add(b, p, (size_t)(q - p));
		if (q == end)
			break;
		switch (*q) {
		case '\t': buf_add(b, "\\t", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		default: buf_add(b, "\\\\", 2); break;
		}
		p = q + 1;
	}
}

int
gfacts_write(struct gold_facts *f, FILE *fp)
{
	uint32_t *used = xcalloc(f->sy.n + 1, sizeof(*used));
	uint32_t *order = NULL, *syms;
	size_t i, ns = 0;
	struct buf b;
	int rc = 0;

	/* the symbols the facts use, numbered in value order */
	for (i = 0; i < f->n; i++) {
		const struct gfact_key *k = &f->v[i].k;

		used[k->type] = used[k->action] = used[k->actor] = 1;
		used[k->repo] = used[k->org] = used[k->lang] = 1;
	}
	syms = xmalloc((f->sy.n + 1) * sizeof(*syms));
	for (i = 1; i < f->sy.n; i++)
		if (used[i])
			syms[ns++] = (uint32_t)i;
	gold_sort_syms(&f->sy, syms, ns);
	sort_f = f;
	memset(used, 0, (f->sy.n + 1) * sizeof(*used));
	for (i = 0; i < ns; i++)
		used[syms[i]] = (uint32_t)(i + 1);
	sort_num = used;
	order = xmalloc((f->n + 1) * sizeof(*order));
	for (i = 0; i < f->n; i++)
		order[i] = (uint32_t)i;
	qsort(order, f->n, sizeof(*order), cmp_fact);

	buf_init(&b);
	buf_printf(&b, "gha-gold-partial\t%d\n", GOLD_PARTIAL_VERSION);
	for (i = 0; i < ns; i++) {
		const struct gsym *y = &f->sy.v[syms[i]];

		buf_adds(&b, "s\t");
		if (y->has_id)
			add_i64(&b, y->id);
		else
			buf_adds(&b, "\\N");
		buf_addc(&b, '\t');
		if (y->has_text)
			add_text(&b, f->sy.text.p + y->off, y->len);
		else
			buf_adds(&b, "\\N");
		buf_addc(&b, '\n');
		if (b.len > (1 << 16)) {
			rc |= fwrite(b.p, 1, b.len, fp) != b.len;
			b.len = 0;
		}
	}
	for (i = 0; i < f->n; i++) {
		const struct gfact *x = &f->v[order[i]];
		const struct gfact_key *k = &x->k;
		static const char *const mg[] = { "\\N", "f", "t" };

		buf_adds(&b, "f\t");
		add_i64(&b, k->hour);
		buf_addc(&b, '\t');
		if (k->flags & GF_MSECS)
			add_i64(&b, k->msecs);
		else
			buf_adds(&b, "\\N");
		buf_addc(&b, '\t');
		if (k->flags & GF_SIZE)
			add_i64(&b, k->size);
		else
			buf_adds(&b, "\\N");
		{
			const uint32_t num[] = { used[k->type], used[k->action], used[k->actor],
						 used[k->repo], used[k->org], used[k->lang] };

			for (int j = 0; j < 6; j++) {
				buf_addc(&b, '\t');
				add_i64(&b, num[j]);
			}
		}
		buf_addc(&b, '\t');
		buf_adds(&b, mg[k->merged]);
		buf_adds(&b, k->bot ? "\t1\t" : "\t0\t");
		add_i64(&b, x->n);
		buf_addc(&b, '\t');
		add_i64(&b, x->commits);
		buf_addc(&b, '\t');
		add_i64(&b, x->nocount);
		buf_addc(&b, '\t');
		add_i64(&b, x->tmin);
		buf_addc(&b, '\t');
		add_i64(&b, x->tmax);
		buf_addc(&b, '\n');
		if (b.len > (1 << 16)) {
			rc |= fwrite(b.p, 1, b.len, fp) != b.len;
			b.len = 0;
		}
	}
	rc |= fwrite(b.p, 1, b.len, fp) != b.len;
	buf_free(&b);
	free(used);
	free(syms);
	free(order);
	return rc ? -1 : 0;
}

/* ---- reading ---- */

void
gpart_init(struct gpart_reader *r, struct gold_facts *f, const char *name)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->f = f;
	r->name = name;
	r->mapcap = 1024;
	r->map = xmalloc(r->mapcap * sizeof(*r->map));
	r->map[0] = 0;
	r->nmap = 1;
	for (i = 0; i < NFACT; i++)
		buf_init(&r->fld[i]);
	r->pend = xmalloc(GPART_BATCH * sizeof(*r->pend));
	r->hash = xmalloc(GPART_BATCH * sizeof(*r->hash));
}

void
gpart_free(struct gpart_reader *r)
{
	int i;

	free(r->map);
	for (i = 0; i < NFACT; i++)
		buf_free(&r->fld[i]);
	free(r->pend);
	free(r->hash);
	memset(r, 0, sizeof(*r));
}

/* split p[0..n) at tabs into at most max raw fields */
static int
split(const char *p, size_t n, const char **fp, size_t *fn, int max)
{
	const char *end = p + n;
	int k = 0;

	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(end - p));

		if (k == max)
			return -1;
		fp[k] = p;
		fn[k] = t ? (size_t)(t - p) : (size_t)(end - p);
		k++;
		if (!t)
			return k;
		p = t + 1;
	}
}

static int
isnull(const char *p, size_t n)
{
	return n == 2 && p[0] == '\\' && p[1] == 'N';
}

static int
parse_i64(const char *s, size_t n, int64_t *v)
{
	const char *end = s + n;
	uint64_t x = 0, lim;
	int neg = 0;

	if (s < end && *s == '-')
		neg = 1, s++;
	if (s == end || end - s > 19)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || x > (lim - (uint64_t)(*s - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return 0;
}

static int
symref(struct gpart_reader *r, const char *p, size_t n, uint32_t *out)
{
	int64_t v;

	if (parse_i64(p, n, &v) || v < 0 || (uint64_t)v >= r->nmap)
		return -1;
	*out = r->map[v];
	return 0;
}

static int
bad(struct gpart_reader *r, uint64_t lineno, const char *why, struct gha_err *err)
{
	return gha_seterr(err, GHA_DATAERR, "%s:%llu: %s", r->name, (unsigned long long)lineno, why);
}

/* the facts read so far into f, a batch at a time (prefetched) */
static void
flush(struct gpart_reader *r)
{
	gfacts_add_batch(r->f, r->pend, r->hash, r->npend);
	r->npend = 0;
}

int
gpart_line(struct gpart_reader *r, const char *p, size_t n, uint64_t lineno, struct gha_err *err)
{
	const char *fp[NFACT + 1];
	size_t fn[NFACT + 1];
	int k;

	if (r->state == 0) {
		char want[64];
		int m = snprintf(want, sizeof(want), "gha-gold-partial\t%d", GOLD_PARTIAL_VERSION);

		if (n > 17 && !memcmp(p, "gha-gold-partial\t", 17) && ((size_t)m != n || memcmp(p, want, n)))
			return bad(r, lineno, "a gold partial of another version", err);
		if ((size_t)m != n || memcmp(p, want, n))
			return bad(r, lineno, "not a gold partial (no 'gha-gold-partial' line)", err);
		r->state = 1;
		return 0;
	}
	k = split(p, n, fp, fn, NFACT + 1);
	if (k == 3 && fn[0] == 1 && p[0] == 's') {
		int64_t id = 0;
		int has_id = !isnull(fp[1], fn[1]);
		struct buf *t = &r->fld[0];
		int has_text = !isnull(fp[2], fn[2]);

		if (r->state != 1)
			return bad(r, lineno, "a symbol after the facts", err);
		if (has_id && parse_i64(fp[1], fn[1], &id))
			return bad(r, lineno, "bad symbol id", err);
		t->len = 0;
		if (has_text && copy_decode(fp[2], fn[2], t))
			return bad(r, lineno, "bad escape in a symbol", err);
		if (!has_id && !has_text)
			return bad(r, lineno, "a symbol with neither id nor text", err);
		if (r->nmap == r->mapcap) {
			r->mapcap *= 2;
			r->map = xrealloc(r->map, r->mapcap * sizeof(*r->map));
		}
		r->map[r->nmap++] = gsym_get(&r->f->sy, has_id, id, has_text ? (t->p ? t->p : "") : NULL,
					     t->len);
		return 0;
	}
	if (k == NFACT && fn[0] == 1 && p[0] == 'f') {
		struct gfact x;
		int64_t v;
		int i;

		memset(&x, 0, sizeof(x));
		r->state = 2;
		if (parse_i64(fp[1], fn[1], &x.k.hour) || x.k.hour % HOUR_SECS || x.k.hour < 0 ||
		    x.k.hour >= MAXHOUR)
			return bad(r, lineno, "bad hour", err);
		if (!isnull(fp[2], fn[2])) {
			if (parse_i64(fp[2], fn[2], &x.k.msecs) || x.k.msecs <= -MAXHOUR ||
			    x.k.msecs >= MAXHOUR)
				return bad(r, lineno, "bad merge seconds", err);
			x.k.flags |= GF_MSECS;
		}
		if (!isnull(fp[3], fn[3])) {
			if (parse_i64(fp[3], fn[3], &x.k.size) || x.k.size <= -MAXCOUNT ||
			    x.k.size >= MAXCOUNT)
				return bad(r, lineno, "bad PR size", err);
			x.k.flags |= GF_SIZE;
		}
		if (symref(r, fp[4], fn[4], &x.k.type) || !x.k.type || symref(r, fp[5], fn[5], &x.k.action) ||
		    symref(r, fp[6], fn[6], &x.k.actor) || symref(r, fp[7], fn[7], &x.k.repo) ||
		    symref(r, fp[8], fn[8], &x.k.org) || symref(r, fp[9], fn[9], &x.k.lang))
			return bad(r, lineno, "bad symbol number", err);
		if (isnull(fp[10], fn[10]))
			x.k.merged = GM_NULL;
		else if (fn[10] == 1 && (fp[10][0] == 't' || fp[10][0] == 'f'))
			x.k.merged = fp[10][0] == 't' ? GM_TRUE : GM_FALSE;
		else
			return bad(r, lineno, "bad merged", err);
		if (fn[11] != 1 || (fp[11][0] != '0' && fp[11][0] != '1'))
			return bad(r, lineno, "bad bot flag", err);
		x.k.bot = fp[11][0] == '1';
		for (i = 12; i < NFACT; i++) {
			if (parse_i64(fp[i], fn[i], &v) || (i < 15 && (v <= -MAXCOUNT || v >= MAXCOUNT)) ||
			    (i != 13 && i < 15 && v < 0))
				return bad(r, lineno, "bad count or time", err);
			switch (i) {
			case 12: x.n = v; break;
			case 13: x.commits = v; break;
			case 14: x.nocount = v; break;
			case 15: x.tmin = v; break;
			default: x.tmax = v; break;
			}
		}
		if (x.n < 1 || x.tmin > x.tmax || x.tmin < x.k.hour || x.tmax >= x.k.hour + HOUR_SECS)
			return bad(r, lineno, "inconsistent fact", err);
		/* every sum a table makes stays far from overflow */
		v = x.n + (x.commits < 0 ? -x.commits : x.commits) + x.nocount;
		if (r->f->total > (INT64_C(1) << 61) - v)
			return bad(r, lineno, "counts too large", err);
		r->f->total += v;
		r->pend[r->npend++] = x;
		if (r->npend == GPART_BATCH)
			flush(r);
		return 0;
	}
	return bad(r, lineno, "not a symbol or fact line", err);
}

int
gpart_end(struct gpart_reader *r, struct gha_err *err)
{
	if (r->state == 0)
		return gha_seterr(err, GHA_DATAERR, "%s: empty: not a gold partial", r->name);
	flush(r);
	return 0;
}

int
gfacts_read(struct gold_facts *f, const char *path, struct gha_err *err)
{
	struct lineread *lr = lr_open(path, err);
	struct gpart_reader r;
	struct line ln;
	int rc = 0, k;
	const char *name = path && strcmp(path, "-") ? path : "<stdin>";

	if (!lr)
		return -1;
	gpart_init(&r, f, name);
	while ((k = lr_next(lr, &ln, err)) > 0)
		if ((rc = gpart_line(&r, ln.p, ln.len, ln.lineno, err)))
			break;
	if (k < 0)
		rc = -1;
	if (!rc)
		rc = gpart_end(&r, err);
	gpart_free(&r);
	lr_close(lr);
	return rc;
}
