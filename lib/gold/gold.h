/* gold.h: the gold layer. Silver events go into a set of facts; every
 * gold table is computed from the facts alone. A partial is the facts
 * written out; merging partials is adding facts up. So a table from
 * merged partials is, by construction, the table from all their events.
 *
 * HOW TO ADD A TABLE
 *
 * A table is four things, all in one file lib/gold/t_NAME.c:
 *
 * 1. Schema: `static const struct schema_col cols[]` (name, PostgreSQL
 *    type, one-line description, NOT NULL), a key array, and
 *    `const struct schema_table schema_gold_NAME = SCHEMA_TABLE("gold_NAME",
 *    "what a row is", cols, key);` (lib/schema.h: the registry; its SQL
 *    name is gha_gold_NAME). Rows are printed sorted by the key, so output
 *    is byte-stable. Add &schema_gold_NAME to gold_schema_tables[] in
 *    tables.c.
 * 2. Accumulation into the mergeable partial state: nothing to write
 *    when the facts already hold what the table needs. A fact
 *    (struct gfact) is one combination of (hour, event type, action,
 *    merged, actor, repo, org, language, bot, PR merge seconds, PR size)
 *    with the number of events n, the sum of known commit counts, the
 *    pushes with no count, and the first and last created_at. Any table
 *    that is a function of those fields over a set of events is a fold
 *    over the facts. If a table needs a field the facts lack, add it to
 *    struct gfact_key (and to gold_event_fact in rowfact.c), bump
 *    GOLD_PARTIAL_VERSION, and write/read it in partial.c: the merge
 *    stays union-with-sum, associative and order-free by construction.
 * 3. Serialization of that state: partial.c writes and reads all facts
 *    for every table; a table has nothing of its own to serialize.
 * 4. Final row emission: `emit(struct gold_run *, struct gold_out *)`
 *    folds r->f's facts into rows, sorts them by the key, and writes
 *    them with the gold_out_* calls. A table keyed by (day or hour, one
 *    symbol) gives gold_rows_emit (rows.h) three callbacks instead:
 *    which row a fact counts in, how it adds (gold_rows_distinct for
 *    exact distinct counts), how a row is written; it sorts the facts
 *    by row on integers and folds one row at a time. Otherwise prefer
 *    sorting (sort.h: radix sorts, symbol ranks) or arrays indexed by
 *    symbol to hash maps (struct gmap) as large as the input: their
 *    cache misses and fresh pages are most of a table's time. Optionally
 *    `sql(struct buf *, const struct gold_run *, enum gold_dialect)` appends
 *    one query over gha_events giving the same rows, same order, same
 *    bytes as `COPY (query) TO STDOUT (FORMAT text, HEADER true)` (checked
 *    by t0610 in PostgreSQL, and in DuckDB when it is installed); build it
 *    from gold_sql_ev (the "ev" CTE: keys, hour_s, day_s, bot),
 *    gold_sql_kind (the same event kinds gold_kind gives in C) and the
 *    gold_sql_fmt_* time formats. Tie-breaks must be total orders that
 *    both sides share (e.g. latest created_at, then greatest name).
 *    `needs` lists the GI_* silver columns the table reads (a bit mask):
 *    a missing one is exit 65 naming it.
 * Then add `&gold_t_NAME` to gold_tables[] in tables.c, the table and
 * every column's formula to man/gha-gold.1, and tests.
 *
 * Keys: an actor is actor_id, or actor_login where the id is NULL; a repo
 * is repo_id, or repo_name where the id is NULL; an org is org_id, or
 * org_login. Symbols keep both; gsym.key is the symbol of the key alone.
 */
#ifndef GOLD_H
#define GOLD_H

#include "gha.h"
#include "copyin.h"
#include "bots.h"
#include "tsv.h"
#include "schema.h"
#include "timefmt.h"

#define GOLD_PARTIAL_VERSION 1
#define DAY_SECS 86400

/* ---- symbols: interned (id, text) pairs; symbol 0 is NULL ---- */
struct gsym {
	int64_t id;
	uint64_t off;		/* text in gsyms.text */
	uint32_t len;
	uint32_t key;		/* (id) when has_id, else (text): the entity key */
	unsigned char has_id, has_text;
};
struct gsyms {
	struct gsym *v;		/* v[0] unused: NULL */
	size_t n, cap;
	uint32_t *slot;		/* hash slots: symbol, 0 empty */
	size_t scap;
	struct buf text;
};
void gsyms_init(struct gsyms *s);
void gsyms_free(struct gsyms *s);
/* p NULL: no text. Returns the symbol (never 0). */
uint32_t gsym_get(struct gsyms *s, int has_id, int64_t id, const char *p, size_t n);
/* the same with gsym_hash's value for it, computed beforehand (another
 * thread), and the cache lines a lookup will read (stage 0, 1, 2: each
 * after the one before has had time to arrive) */
uint64_t gsym_hash(int has_id, int64_t id, const char *p, size_t n);
uint32_t gsym_get_h(struct gsyms *s, uint64_t h, int has_id, int64_t id, const char *p, size_t n);
void gsym_prefetch(const struct gsyms *s, uint64_t h, int stage);
/* text of a symbol; NULL when it has none */
const char *gsym_text(const struct gsyms *s, uint32_t a, size_t *n);
/* Order by value: ids first (ascending), then texts (bytes, shorter
 * first on a tie: PostgreSQL's C collation); NULL (0) last. */
int gsym_cmp(const struct gsyms *s, uint32_t a, uint32_t b);

/* ---- facts ---- */
enum { GF_MSECS = 1, GF_SIZE = 2 };
enum { GM_NULL, GM_FALSE, GM_TRUE };
struct gfact_key {
	int64_t hour;		/* start of the hour of created_at, UTC seconds */
	int64_t msecs;		/* merged PRs: merged_at - pr_created_at, seconds */
	int64_t size;		/* merged PRs: additions + deletions */
	uint32_t type, action;	/* text symbols; action 0 when NULL */
	uint32_t actor, repo, org;	/* (id, login or name) symbols */
	uint32_t lang;		/* text symbol */
	unsigned char merged;	/* GM_* */
	unsigned char bot;	/* is_bot or a -b pattern */
	unsigned char flags;	/* GF_*: msecs, size known */
	unsigned char pad[5];	/* zero: keys are hashed and compared as bytes */
};
struct gfact {
	struct gfact_key k;
	int64_t n;		/* events */
	int64_t commits;	/* sum of known commit_count (PushEvent) */
	int64_t nocount;	/* PushEvents whose commit_count is NULL */
	int64_t tmin, tmax;	/* first and last created_at, UTC seconds */
};
struct gold_facts {
	struct gsyms sy;
	struct gfact *v;
	size_t n, cap;
	uint32_t *slot;		/* hash slots: index + 1, 0 empty */
	size_t scap;
	int64_t hmin, hmax;	/* first and last hour (hmin > hmax: none) */
	int64_t total;		/* sum of n, |commits|, nocount read from partials */
	uint32_t recent[3][8];	/* event_type, action, language: recent symbols */
};
void gfacts_init(struct gold_facts *f);
void gfacts_free(struct gold_facts *f);
/* Add x: summed into the fact with the same key, or a new fact. */
void gfacts_add(struct gold_facts *f, const struct gfact *x);
/* the same with x's gfacts_hash */
uint64_t gfacts_hash(const struct gfact_key *k);
void gfacts_add_h(struct gold_facts *f, const struct gfact *x, uint64_t h);
/* x[0..n) added in order, each fact's slot and fact prefetched a few
 * ahead so the lookups' cache misses overlap; h: room for n hashes */
void gfacts_add_batch(struct gold_facts *f, const struct gfact *x, uint64_t *h, size_t n);

/* ---- what an event counts as (kind.c) ---- */
enum {
	GK_OTHER, GK_PUSH, GK_STAR, GK_FORK, GK_PR_OPENED, GK_PR_MERGED, GK_PR_CLOSED,
	GK_ISSUE_OPENED, GK_ISSUE_CLOSED, GK_COMMENT, GK_REVIEW, GK_RELEASE,
	GK_CONTRIB		/* SQL only: any kind that makes a contributor */
};
int gold_kind(const struct gold_facts *f, const struct gfact_key *k);
/* pushed, opened or closed PRs or issues, reviewed or commented */
int gold_kind_contributes(int kind);
/* the SQL condition on gha_events columns for a kind, parenthesized */
void gold_sql_kind(struct buf *b, int kind);

/* ---- silver events in (rowfact.c) ---- */
enum {
	GI_CREATED_AT, GI_EVENT_TYPE, GI_ACTOR_ID, GI_ACTOR_LOGIN, GI_IS_BOT, GI_REPO_ID,
	GI_REPO_NAME, GI_ORG_ID, GI_ORG_LOGIN, GI_ACTION, GI_COMMIT_COUNT, GI_MERGED,
	GI_MERGED_AT, GI_PR_CREATED_AT, GI_ADDITIONS, GI_DELETIONS, GI_LANGUAGE, GI_N
};
#define GI_ALL ((1u << GI_N) - 1)
extern const char *const gold_in_cols[GI_N];
/* The current row of c (bound to gold_in_cols) as a fact of one event.
 * 0, or -1 with *code and *why (an unparsable value). */
int gold_event_fact(struct gold_facts *f, struct copyin *c, const struct botlist *bots,
		    struct gfact *x, const char **code, const char **why);
/* The same in two steps, so that parsing (which can reject the row) and
 * interning (which touches the facts) can run in different threads:
 * gold_event_parse reads the row into e (texts point into c's buffers,
 * valid until the next row, unless the caller copies them);
 * gold_event_intern turns e into a fact. */
enum { GP_TYPE, GP_ACTOR, GP_REPO, GP_ORG, GP_ACTION, GP_LANG, GP_N };
struct gold_pre {
	const char *p[GP_N];	/* NULL: NULL */
	size_t n[GP_N];
	int64_t id[GP_ORG + 1];	/* actor, repo, org ids (GP_ACTOR..GP_ORG) */
	unsigned char has_id[GP_ORG + 1];
	uint64_t h[GP_ORG + 1];	/* their gsym_hash (gold_event_hash) */
	struct gfact x;		/* all but the symbols */
};
int gold_event_parse(struct copyin *c, const struct botlist *bots, struct gold_pre *e,
		     const char **code, const char **why);
void gold_event_intern(struct gold_facts *f, const struct gold_pre *e, struct gfact *x);
/* e's entity hashes (e->h), for gold_event_intern_h, which then hashes
 * nothing: the reader thread calls it */
void gold_event_hash(struct gold_pre *e);
void gold_event_intern_h(struct gold_facts *f, const struct gold_pre *e, struct gfact *x);
/* the lines gold_event_intern_h will read for e (gsym_prefetch's stages) */
void gold_event_prefetch(const struct gold_facts *f, const struct gold_pre *e, int stage);
/* Every row of c (opened and bound) into f, parsing in a second thread
 * (feed.c); *used counts the rows that became facts. Malformed rows go
 * to c's quarantine. 0, or -1 with err (a read error). */
int gold_feed(struct gold_facts *f, struct copyin *c, const struct botlist *bots, uint64_t *used,
	      struct gha_err *err);

/* ---- partials (partial.c): version line, symbols, facts; text ---- */
int gfacts_write(struct gold_facts *f, FILE *fp);	/* 0, or -1 write error */
/* Incremental reading, line by line (for files, and for fuzzing). */
struct gpart_reader {
	struct gold_facts *f;
	const char *name;
	uint32_t *map;		/* the file's symbol numbers -> ours */
	size_t nmap, mapcap;
	int state;		/* 0 want version, 1 symbols, 2 facts */
	struct buf fld[17];
	struct gfact *pend;	/* facts read, added in batches (gpart_end adds the rest) */
	uint64_t *hash;
	size_t npend;
};
void gpart_init(struct gpart_reader *r, struct gold_facts *f, const char *name);
void gpart_free(struct gpart_reader *r);
int gpart_line(struct gpart_reader *r, const char *p, size_t n, uint64_t lineno,
	       struct gha_err *err);				/* 0, or -1 (65) */
/* 0, or -1: no version line. The facts are in f only once it returns 0. */
int gpart_end(struct gpart_reader *r, struct gha_err *err);
int gfacts_read(struct gold_facts *f, const char *path, struct gha_err *err);

/* ---- groups and distinct sets ---- */
struct gmap_slot {
	uint64_t k[3];
	uint32_t v;		/* value + 1, 0 empty */
};
struct gmap {
	struct gmap_slot *s;	/* key and value side by side: one cache line a probe */
	size_t n, cap;
};
void gmap_init(struct gmap *m);
void gmap_free(struct gmap *m);
/* The value of (a, b, c); a new key gets value m->n (0, 1, 2 ...) and
 * *isnew = 1. */
uint32_t gmap_get(struct gmap *m, uint64_t a, uint64_t b, uint64_t c, int *isnew);
/* 1 when (a, b, c) was not in the set (and now is) */
int gmap_add(struct gmap *m, uint64_t a, uint64_t b, uint64_t c);
/* the value of (a, b, c), or -1 when absent */
long gmap_find(const struct gmap *m, uint64_t a, uint64_t b, uint64_t c);

/* ---- tables ---- */
enum gold_dialect { GD_POSTGRES, GD_SNOWFLAKE, GD_DUCKDB };
struct gold_opts {
	int window;		/* trending: days (1, 7, 30) */
	int64_t until;		/* trending: last day, UTC seconds at 0:00; -1: the last in input */
	long top;		/* trending: rows (0: all) */
	const struct botlist *bots;	/* -b patterns beyond silver's is_bot (for --sql) */
	const char *repos_path;		/* -R: repos entity table (for languages, trending) */
};
struct gold_run {
	struct gold_facts *f;
	const struct gold_opts *o;
	/* a repo key's language: from events (latest), else -R; lazily */
	uint32_t *lang;		/* per symbol: language symbol, 0 unknown */
	int lang_done;
	struct gmap rlang;	/* -R: repo key symbol -> language symbol (+ seen_at) */
	int64_t *rlang_at;
};
struct gold_out {
	struct tsv t;
	uint64_t rows;
	int err;
};
struct gold_table {
	const char *name;			/* for -t */
	const struct schema_table *schema;	/* "gold_NAME" in the registry */
	unsigned needs;		/* GI_* bits: silver columns read */
	int (*emit)(struct gold_run *r, struct gold_out *o, struct gha_err *err);
	void (*sql)(struct buf *b, const struct gold_run *r, enum gold_dialect d);
};
extern const struct gold_table *const gold_tables[];
const struct gold_table *gold_table(const char *name, size_t len);
void gold_ddl(struct buf *b, const struct gold_table *t, enum gold_dialect d);
/* the registry's list (schema_layers.h): every gold table's schema */
extern const struct schema_table *const gold_schema_tables[];

void gold_run_init(struct gold_run *r, struct gold_facts *f, const struct gold_opts *o);
void gold_run_free(struct gold_run *r);
/* the language symbol of repo key symbol rk (0: unknown); -R loaded first */
uint32_t gold_repo_lang(struct gold_run *r, uint32_t rk);
int gold_load_repos(struct gold_run *r, struct gha_err *err);

/* writing rows */
void gold_out_init(struct gold_out *o, FILE *fp, const struct gold_table *t);
void gold_out_free(struct gold_out *o);
void gold_out_int(struct gold_out *o, int64_t v);
void gold_out_null(struct gold_out *o);
void gold_out_sym(struct gold_out *o, const struct gsyms *s, uint32_t a);	/* its text */
void gold_out_id(struct gold_out *o, const struct gsyms *s, uint32_t a);	/* its id */
void gold_out_str(struct gold_out *o, const char *p, size_t n);
void gold_out_hour(struct gold_out *o, int64_t t);	/* 2015-01-01T05:00:00Z */
void gold_out_day(struct gold_out *o, int64_t t);	/* 2015-01-01 */
void gold_out_time(struct gold_out *o, int64_t t);	/* 2015-01-01T05:06:07Z */
void gold_out_bool(struct gold_out *o, int v);
void gold_out_end(struct gold_out *o);

/* helpers for tables */
static inline int64_t
gold_day(int64_t t)
{
	return t - ((t % DAY_SECS) + DAY_SECS) % DAY_SECS;
}
/* the symbol's text compared with a literal */
int gsym_is(const struct gsyms *s, uint32_t a, const char *lit);

/* SQL pieces shared by the tables' queries (sql.c) */
/* "with ev as (...)": gha_events with the keys and times gold uses:
 * hour_t, day_t (text, as printed), hour_s, day_s (epoch seconds),
 * actor_k, repo_k, org_k (text keys, NULL when none), bot (boolean) */
void gold_sql_ev(struct buf *b, const struct gold_run *r, enum gold_dialect d);
/* "langs": repo_k, language, rn (1: the repo's language), from events
 * and, with -R, gha_repos */
void gold_sql_langs(struct buf *b, const struct gold_run *r, enum gold_dialect d);
void gold_sql_epoch(struct buf *b, enum gold_dialect d, const char *expr);
void gold_sql_fmt_hour(struct buf *b, enum gold_dialect d, const char *epoch_expr);
void gold_sql_fmt_day(struct buf *b, enum gold_dialect d, const char *epoch_expr);
void gold_sql_fmt_time(struct buf *b, enum gold_dialect d, const char *epoch_expr);

#endif
