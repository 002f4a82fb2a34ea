/* entity.c: actors, repos and orgs resolved from events, and the merge
 * of such tables. Every combining rule is a min, a max, a sum, a union or
 * an argmax with a total order, so merging in any grouping and order
 * gives the same bytes as one pass over all events. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "entity.h"
#include "hash.h"
#include "schema.h"
#include "timefmt.h"
#include "tsv.h"

static const struct schema_col actor_cols[] = {
	{ "actor_id", "bigint", "the actor's id; NULL in the Timeline era, keyed by login", 0 },
	{ "login", "text", "the login of the latest event", 1 },
	{ "first_seen", "timestamptz", "the first event's time", 1 },
	{ "last_seen", "timestamptz", "the last event's time", 1 },
	{ "events", "bigint", "events by the actor", 1 },
	{ "is_bot", "boolean", "whether the login matches a bot pattern", 1 },
};
static const struct schema_col repo_cols[] = {
	{ "repo_id", "bigint", "the repo's id; NULL where the 2011 archive has none, keyed by name", 0 },
	{ "name", "text", "the latest owner/name", 1 },
	{ "owner", "text", "the part of name before the slash", 0 },
	{ "language", "text", "the latest language seen", 0 },
	{ "language_seen_at", "timestamptz", "when language was seen", 0 },
	{ "first_seen", "timestamptz", "the first event's time", 1 },
	{ "last_seen", "timestamptz", "the last event's time", 1 },
	{ "events", "bigint", "events on the repo", 1 },
	{ "previous_names", "text[]", "earlier names, NULL when none", 0 },
};
static const struct schema_col org_cols[] = {
	{ "org_id", "bigint", "the organization's id; NULL in the Timeline era, keyed by login", 0 },
	{ "login", "text", "the login of the latest event", 1 },
	{ "first_seen", "timestamptz", "the first event's time", 1 },
	{ "last_seen", "timestamptz", "the last event's time", 1 },
	{ "events", "bigint", "events in the organization", 1 },
};
static const char *const actor_key[] = { "actor_id" };
static const char *const repo_key[] = { "repo_id" };
static const char *const org_key[] = { "org_id" };

const struct schema_table schema_actors = SCHEMA_TABLE("actors",
	"one GitHub user or bot, over the events seen", actor_cols, actor_key);
const struct schema_table schema_repos = SCHEMA_TABLE("repos",
	"one repository, over the events seen; renames kept", repo_cols, repo_key);
const struct schema_table schema_orgs = SCHEMA_TABLE("orgs",
	"one organization, over the events seen", org_cols, org_key);
/* in enum ent_kind order */
const struct schema_table *const entity_tables[] = { &schema_actors, &schema_repos, &schema_orgs,
						     NULL };
_Static_assert(sizeof(entity_tables) / sizeof(entity_tables[0]) == ENT_ORGS + 2,
	       "entity_tables[] and enum ent_kind differ");

const char *const *
ent_columns(enum ent_kind k, int *n)
{
	const struct schema_table *t = entity_tables[k];

	*n = t->ncols;
	return schema_names(t);
}

void
entset_init(struct entset *s, enum ent_kind kind)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->cap = 1024;
	s->slot = xmalloc(s->cap * sizeof(*s->slot));
	memset(s->slot, 0xff, s->cap * sizeof(*s->slot));
}

void
entset_free(struct entset *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		struct entity *e = &s->v[i];

		free(e->name);
		free(e->owner);
		free(e->language);
		for (j = 0; j < e->nnames; j++)
			free(e->names[j]);
		free(e->names);
	}
	free(s->v);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static uint64_t
keyhash(int has_id, int64_t id, const char *name, size_t n)
{
	struct h128 h = has_id ? hash128(&id, sizeof(id), 7) : hash128(name, n, 8);

	return h.lo;
}

static int
same(const struct entity *e, int has_id, int64_t id, const char *name, size_t n)
{
	if (e->has_id != has_id)
		return 0;
	if (has_id)
		return e->id == id;
	return strlen(e->name) == n && !memcmp(e->name, name, n);
}

static char *
dupn(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
grow(struct entset *s)
{
	size_t i, cap = s->cap * 2;
	int64_t *slot = xmalloc(cap * sizeof(*slot));

	memset(slot, 0xff, cap * sizeof(*slot));
	for (i = 0; i < s->n; i++) {
		const struct entity *e = &s->v[i];
		size_t j = keyhash(e->has_id, e->id, e->name, strlen(e->name)) & (cap - 1);

		while (slot[j] >= 0)
			j = (j + 1) & (cap - 1);
		slot[j] = (int64_t)i;
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
}

/* The entity for a key, created empty when new. A key is the id when
 * there is one, else the name: Timeline actors have only a login. */
static struct entity *
find(struct entset *s, int has_id, int64_t id, const char *name, size_t n, int *isnew)
{
	size_t j;
	struct entity *e;

	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	j = keyhash(has_id, id, name, n) & (s->cap - 1);
	while (s->slot[j] >= 0) {
		e = &s->v[s->slot[j]];
		if (same(e, has_id, id, name, n)) {
			*isnew = 0;
			return e;
		}
		j = (j + 1) & (s->cap - 1);
	}
	if (s->n == s->vcap) {
		s->vcap = s->vcap ? s->vcap * 2 : 1024;
		s->v = xrealloc(s->v, s->vcap * sizeof(*s->v));
	}
	s->slot[j] = (int64_t)s->n;
	e = &s->v[s->n++];
	memset(e, 0, sizeof(*e));
	e->has_id = has_id;
	e->id = id;
	e->name = dupn(name, n);
	*isnew = 1;
	return e;
}

static void
add_name(struct entity *e, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < e->nnames; i++)
		if (strlen(e->names[i]) == n && !memcmp(e->names[i], name, n))
			return;
	e->names = xrealloc(e->names, (e->nnames + 1) * sizeof(*e->names));
	e->names[e->nnames++] = dupn(name, n);
}

/* (t, s) after (t0, s0) in the total order that picks the latest value */
static int
later(int64_t t, const char *s, size_t n, int64_t t0, const char *s0)
{
	int c;
	size_t n0;

	if (t != t0)
		return t > t0;
	if (!s0)
		return 1;
	n0 = strlen(s0);
	c = memcmp(s, s0, n < n0 ? n : n0);
	return c > 0 || (c == 0 && n > n0);
}

void
entset_add(struct entset *s, const struct ent_obs *o)
{
	int isnew;
	struct entity *e;

	if (!o->name)
		return;
	e = find(s, o->has_id, o->id, o->name, o->namelen, &isnew);
	if (isnew) {
		e->first = o->first;
		e->last = o->last;
		e->is_bot = o->is_bot;
		if (o->owner)
			e->owner = dupn(o->owner, o->ownerlen);
	} else {
		if (o->first < e->first)
			e->first = o->first;
		if (later(o->last, o->name, o->namelen, e->last, e->name)) {
			free(e->name);
			e->name = dupn(o->name, o->namelen);
			free(e->owner);
			e->owner = o->owner ? dupn(o->owner, o->ownerlen) : NULL;
			e->is_bot = o->is_bot;
		}
		if (o->last > e->last)
			e->last = o->last;
	}
	/* saturate: a sum past int64 is nonsense anyway, never negative */
	e->events = o->events > INT64_MAX - e->events ? INT64_MAX : e->events + o->events;
	if (s->kind == ENT_REPOS) {
		size_t i;

		add_name(e, o->name, o->namelen);
		for (i = 0; i < o->nprev; i++)
			add_name(e, o->prev[i], strlen(o->prev[i]));
		if (o->language && (!e->language || later(o->lang_at, o->language, o->langlen,
							   e->lang_at, e->language))) {
			free(e->language);
			e->language = dupn(o->language, o->langlen);
			e->lang_at = o->lang_at;
		}
	}
}

static int
byid(const void *a, const void *b)
{
	const struct entity *x = a, *y = b;

	if (x->has_id != y->has_id)
		return x->has_id ? -1 : 1;
	if (x->has_id)
		return x->id < y->id ? -1 : x->id > y->id;
	return strcmp(x->name, y->name);
}

static int
bystr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
ts_cell(struct tsv *t, int64_t v)
{
	char s[32];

	ts_format(v, s);
	tsv_raw(t, s, strlen(s));
}

/* {"a/b","c/d"}: a PostgreSQL text[] literal */
static void
prev_names(struct tsv *t, struct entity *e, struct buf *b)
{
	size_t i, k = 0;

	if (e->nnames > 1)
		qsort(e->names, e->nnames, sizeof(*e->names), bystr);
	b->len = 0;
	buf_addc(b, '{');
	for (i = 0; i < e->nnames; i++) {
		const char *p;

		if (!strcmp(e->names[i], e->name))
			continue;
		if (k++)
			buf_addc(b, ',');
		buf_addc(b, '"');
		for (p = e->names[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *p);
		}
		buf_addc(b, '"');
	}
	buf_addc(b, '}');
	if (k)
		tsv_str(t, b->p, b->len);
	else
		tsv_null(t);
}

int
entset_write(struct entset *s, FILE *fp)
{
	struct tsv t;
	struct buf b;
	int ncols, bad = 0;
	const char *const *cols = ent_columns(s->kind, &ncols);
	size_t i;

	if (s->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(s->v, s->n, sizeof(*s->v), byid);
	/* the hash slots point at old positions: rebuild before reuse */
	memset(s->slot, 0xff, s->cap * sizeof(*s->slot));
	for (i = 0; i < s->n; i++) {
		const struct entity *e = &s->v[i];
		size_t j = keyhash(e->has_id, e->id, e->name, strlen(e->name)) & (s->cap - 1);

		while (s->slot[j] >= 0)
			j = (j + 1) & (s->cap - 1);
		s->slot[j] = (int64_t)i;
	}
	tsv_init(&t, fp, ncols);
	buf_init(&b);
	bad |= tsv_header(&t, cols);
	for (i = 0; i < s->n; i++) {
		struct entity *e = &s->v[i];

		if (e->has_id)
			tsv_int(&t, e->id);
		else
			tsv_null(&t);
		tsv_cstr(&t, e->name);
		if (s->kind == ENT_REPOS) {
			tsv_cstr(&t, e->owner);
			tsv_cstr(&t, e->language);
			if (e->language)
				ts_cell(&t, e->lang_at);
			else
				tsv_null(&t);
		}
		ts_cell(&t, e->first);
		ts_cell(&t, e->last);
		tsv_int(&t, e->events);
		if (s->kind == ENT_ACTORS)
			tsv_bool(&t, e->is_bot);
		if (s->kind == ENT_REPOS)
			prev_names(&t, e, &b);
		bad |= tsv_end(&t);
	}
	buf_free(&b);
	tsv_free(&t);
	return bad ? -1 : 0;
}
