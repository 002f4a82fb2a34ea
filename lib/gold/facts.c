/* facts.c: interned symbols, the fact set, and the small hash map the
 * tables fold facts with. Open addressing, grown by doubling: no
 * allocation per event once the tables have grown. */
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "gold.h"
#include "hash.h"
#include "timefmt.h"

/* ---- symbols ---- */

void
gsyms_init(struct gsyms *s)
{
	memset(s, 0, sizeof(*s));
	s->cap = 256;
	s->v = big_alloc(s->cap * sizeof(*s->v));
	s->n = 1;
	s->scap = 512;
	s->slot = big_alloc(s->scap * sizeof(*s->slot));
	buf_init(&s->text);
}

void
gsyms_free(struct gsyms *s)
{
	big_free(s->v, s->cap * sizeof(*s->v));
	big_free(s->slot, s->scap * sizeof(*s->slot));
	buf_free(&s->text);
	memset(s, 0, sizeof(*s));
}

/* words of 8 bytes, multiplied in: short texts (logins, names) cost a
 * few multiplications, where hash128's setup cost more than the text */
static uint64_t
text_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, p, n);
	return hash_mix64(h ^ w);
}

/* A symbol with an id hashes by its id alone: (id) and (id, text) share a
 * chain, and the text of a repo or actor with an id is never hashed. */
static uint64_t
sym_hash(int has_id, int64_t id, const char *p, size_t n)
{
	if (has_id)
		return hash_mix64((uint64_t)id ^ 0x5bd1e995);
	return p ? text_hash(p, n) : 0x2545f491;
}

static int
sym_eq(const struct gsyms *s, uint32_t a, int has_id, int64_t id, const char *p, size_t n)
{
	const struct gsym *y = &s->v[a];

	if (y->has_id != (has_id != 0) || (has_id && y->id != id))
		return 0;
	if (y->has_text != (p != NULL))
		return 0;
	return !p || (y->len == n && !memcmp(s->text.p + y->off, p, n));
}

static void
sym_grow(struct gsyms *s)
{
	size_t i, cap = s->scap * 2;
	uint32_t *slot = big_alloc(cap * sizeof(*slot));

	for (i = 1; i < s->n; i++) {
		const struct gsym *y = &s->v[i];
		size_t h = sym_hash(y->has_id, y->id, y->has_text ? s->text.p + y->off : NULL,
				    y->len) & (cap - 1);

		while (slot[h])
			h = (h + 1) & (cap - 1);
		slot[h] = (uint32_t)i;
	}
	big_free(s->slot, s->scap * sizeof(*s->slot));
	s->slot = slot;
	s->scap = cap;
}

static uint32_t
sym_find_h(struct gsyms *s, uint64_t hash, int has_id, int64_t id, const char *p, size_t n)
{
	size_t h = hash & (s->scap - 1);
	struct gsym *y;
	uint32_t a;

	for (; s->slot[h]; h = (h + 1) & (s->scap - 1))
		if (sym_eq(s, s->slot[h], has_id, id, p, n))
			return s->slot[h];
	if (s->n == s->cap) {
		s->v = big_grow(s->v, s->cap * sizeof(*s->v), 2 * s->cap * sizeof(*s->v));
		s->cap *= 2;
	}
	if (s->n >= UINT32_MAX - 1) {
		gha_warn("more than 4 billion distinct symbols");
		abort();
	}
	a = (uint32_t)s->n++;
	y = &s->v[a];
	memset(y, 0, sizeof(*y));
	y->has_id = has_id != 0;
	y->id = has_id ? id : 0;
	y->has_text = p != NULL;
	if (p) {
		y->off = s->text.len;
		y->len = (uint32_t)n;
		buf_add(&s->text, p, n);
	}
	y->key = a;
	s->slot[h] = a;
	if (2 * s->n > s->scap)
		sym_grow(s);
	return a;
}

uint64_t
gsym_hash(int has_id, int64_t id, const char *p, size_t n)
{
	return sym_hash(has_id, id, p, n);
}

uint32_t
gsym_get_h(struct gsyms *s, uint64_t h, int has_id, int64_t id, const char *p, size_t n)
{
	uint32_t a = sym_find_h(s, h, has_id, id, p, n), k;

	/* (id, text): its key is (id), which hashes the same; looked up
	 * once, when it is new */
	if (has_id && p && s->v[a].key == a) {
		k = sym_find_h(s, h, 1, id, NULL, 0);
		s->v[a].key = k;
	}
	return a;
}

uint32_t
gsym_get(struct gsyms *s, int has_id, int64_t id, const char *p, size_t n)
{
	return gsym_get_h(s, sym_hash(has_id, id, p, n), has_id, id, p, n);
}

/* Where a lookup of hash h will read: its first slot (stage 0), the
 * symbol in it (1), that symbol's text (2). Each stage reads what the
 * one before brought in, so callers issue them a few rows apart. */
void
gsym_prefetch(const struct gsyms *s, uint64_t h, int stage)
{
	const uint32_t *slot = &s->slot[h & (s->scap - 1)];
	uint32_t a;

	if (stage == 0) {
		__builtin_prefetch(slot);
		return;
	}
	if (!(a = *slot))
		return;
	if (stage == 1)
		__builtin_prefetch(&s->v[a]);
	else if (s->v[a].has_text)
		__builtin_prefetch(s->text.p + s->v[a].off);
}

const char *
gsym_text(const struct gsyms *s, uint32_t a, size_t *n)
{
	if (!a || !s->v[a].has_text)
		return *n = 0, NULL;
	*n = s->v[a].len;
	return s->text.p + s->v[a].off;
}

int
gsym_cmp(const struct gsyms *s, uint32_t a, uint32_t b)
{
	const struct gsym *x, *y;
	size_t m;
	int c;

	if (a == b)
		return 0;
	if (!a || !b)
		return a ? -1 : 1;
	x = &s->v[a];
	y = &s->v[b];
	if (x->has_id != y->has_id)
		return x->has_id ? -1 : 1;
	if (x->has_id && x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->has_text != y->has_text)
		return x->has_text ? 1 : -1;	/* (id) before (id, text) */
	m = x->len < y->len ? x->len : y->len;
	c = memcmp(s->text.p + x->off, s->text.p + y->off, m);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

int
gsym_is(const struct gsyms *s, uint32_t a, const char *lit)
{
	size_t n, m = strlen(lit);
	const char *p = gsym_text(s, a, &n);

	return p && n == m && !memcmp(p, lit, n);
}

/* ---- facts ---- */

void
gfacts_init(struct gold_facts *f)
{
	memset(f, 0, sizeof(*f));
	gsyms_init(&f->sy);
	f->scap = 512;
	f->slot = big_alloc(f->scap * sizeof(*f->slot));
	f->hmin = INT64_MAX;
	f->hmax = INT64_MIN;
}

void
gfacts_free(struct gold_facts *f)
{
	gsyms_free(&f->sy);
	big_free(f->v, f->cap * sizeof(*f->v));
	big_free(f->slot, f->scap * sizeof(*f->slot));
	memset(f, 0, sizeof(*f));
}

/* the key's 8 words multiplied in (pad is zero) */
uint64_t
gfacts_hash(const struct gfact_key *k)
{
	uint64_t w[sizeof(*k) / 8], h = 0x2545f4914f6cdd1dULL;
	size_t i;

	memcpy(w, k, sizeof(w));
	for (i = 0; i < sizeof(w) / 8; i++) {
		h = (h ^ w[i]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return hash_mix64(h);
}

static void
facts_grow(struct gold_facts *f)
{
	size_t i, cap = f->scap * 2;
	uint32_t *slot = big_alloc(cap * sizeof(*slot));

	for (i = 0; i < f->n; i++) {
		size_t h = gfacts_hash(&f->v[i].k) & (cap - 1);

		while (slot[h])
			h = (h + 1) & (cap - 1);
		slot[h] = (uint32_t)(i + 1);
	}
	big_free(f->slot, f->scap * sizeof(*f->slot));
	f->slot = slot;
	f->scap = cap;
}

/* the lines adding a fact of hash h will read: its slot (stage 0), the
 * fact in it (1) */
static void
gfacts_prefetch(const struct gold_facts *f, uint64_t h, int stage)
{
	const uint32_t *slot = &f->slot[h & (f->scap - 1)];

	if (stage == 0)
		__builtin_prefetch(slot);
	else if (*slot)
		__builtin_prefetch(&f->v[*slot - 1]);
}

void
gfacts_add(struct gold_facts *f, const struct gfact *x)
{
	gfacts_add_h(f, x, gfacts_hash(&x->k));
}

void
gfacts_add_batch(struct gold_facts *f, const struct gfact *x, uint64_t *h, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		h[j] = gfacts_hash(&x[j].k);
	for (j = 0; j < n; j++) {
		if (j + 16 < n)
			gfacts_prefetch(f, h[j + 16], 0);
		if (j + 8 < n)
			gfacts_prefetch(f, h[j + 8], 1);
		gfacts_add_h(f, &x[j], h[j]);
	}
}

void
gfacts_add_h(struct gold_facts *f, const struct gfact *x, uint64_t hash)
{
	size_t h = hash & (f->scap - 1);
	struct gfact *y;

	for (; f->slot[h]; h = (h + 1) & (f->scap - 1)) {
		y = &f->v[f->slot[h] - 1];
		if (!memcmp(&y->k, &x->k, sizeof(x->k))) {
			y->n += x->n;
			y->commits += x->commits;
			y->nocount += x->nocount;
			if (x->tmin < y->tmin)
				y->tmin = x->tmin;
			if (x->tmax > y->tmax)
				y->tmax = x->tmax;
			return;
		}
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;

		f->v = big_grow(f->v, f->cap * sizeof(*f->v), cap * sizeof(*f->v));
		f->cap = cap;
	}
	if (f->n >= UINT32_MAX - 1) {
		gha_warn("more than 4 billion distinct facts");
		abort();
	}
	f->v[f->n] = *x;
	f->slot[h] = (uint32_t)++f->n;
	if (x->k.hour < f->hmin)
		f->hmin = x->k.hour;
	if (x->k.hour > f->hmax)
		f->hmax = x->k.hour;
	if (2 * f->n > f->scap)
		facts_grow(f);
}

/* ---- gmap ---- */

void
gmap_init(struct gmap *m)
{
	m->n = 0;
	m->cap = 256;
	m->s = big_alloc(m->cap * sizeof(*m->s));
}

void
gmap_free(struct gmap *m)
{
	big_free(m->s, m->cap * sizeof(*m->s));
	memset(m, 0, sizeof(*m));
}

static size_t
gmap_hash(uint64_t a, uint64_t b, uint64_t c)
{
	return (size_t)hash_mix64(a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL) * 0xc2b2ae3d27d4eb4fULL ^
			     c * 0x165667b19e3779f9ULL);
}

static void
gmap_grow(struct gmap *m)
{
	size_t i, cap = m->cap * 2;
	struct gmap_slot *s = big_alloc(cap * sizeof(*s));

	for (i = 0; i < m->cap; i++) {
		size_t h;

		if (!m->s[i].v)
			continue;
		h = gmap_hash(m->s[i].k[0], m->s[i].k[1], m->s[i].k[2]) & (cap - 1);
		while (s[h].v)
			h = (h + 1) & (cap - 1);
		s[h] = m->s[i];
	}
	big_free(m->s, m->cap * sizeof(*m->s));
	m->s = s;
	m->cap = cap;
}

uint32_t
gmap_get(struct gmap *m, uint64_t a, uint64_t b, uint64_t c, int *isnew)
{
	size_t h = gmap_hash(a, b, c) & (m->cap - 1);
	struct gmap_slot *e;

	for (; (e = &m->s[h])->v; h = (h + 1) & (m->cap - 1)) {
		if (e->k[0] == a && e->k[1] == b && e->k[2] == c) {
			if (isnew)
				*isnew = 0;
			return e->v - 1;
		}
	}
	e->k[0] = a;
	e->k[1] = b;
	e->k[2] = c;
	e->v = (uint32_t)++m->n;
	if (isnew)
		*isnew = 1;
	if (2 * m->n > m->cap)
		gmap_grow(m);
	return (uint32_t)(m->n - 1);
}

int
gmap_add(struct gmap *m, uint64_t a, uint64_t b, uint64_t c)
{
	int isnew;

	gmap_get(m, a, b, c, &isnew);
	return isnew;
}

long
gmap_find(const struct gmap *m, uint64_t a, uint64_t b, uint64_t c)
{
	size_t h = gmap_hash(a, b, c) & (m->cap - 1);

	for (; m->s[h].v; h = (h + 1) & (m->cap - 1))
		if (m->s[h].k[0] == a && m->s[h].k[1] == b && m->s[h].k[2] == c)
			return (long)m->s[h].v - 1;
	return -1;
}
