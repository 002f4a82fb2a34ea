/* jqfilter.h: a libjq program as a record predicate, with a fast path
 * (fastfilter.h) for the programs in its subset. */
#ifndef GHA_JQFILTER_H
#define GHA_JQFILTER_H

#include "gha.h"
#include "json.h"

struct jqfilter;
struct fastfilter;
/* libjq compiles prog (its messages on error); then the fast path is
 * tried, unless GHA_JQ_FAST=0 is in the environment. */
struct jqfilter *jqfilter_new(const char *prog, struct gha_err *err);
/* libjq alone: 1 when the first output is truthy, 0 when false/null/none,
 * -1 on a jq error (message in err). */
int jqfilter_match(struct jqfilter *f, const char *text, size_t n, struct gha_err *err);
/* The same answer for text[0..n), an object json_scan has just scanned
 * into js: by the fast path when there is one and it is bound to js's
 * slots (see ingest_set_filter), by libjq otherwise. */
int jqfilter_match_scan(struct jqfilter *f, const struct jscan *js, const char *text, size_t n,
			struct gha_err *err);
/* The fast path, or NULL; _drop_fast gives it up (why: for the explanation). */
struct fastfilter *jqfilter_fast(struct jqfilter *f);
void jqfilter_drop_fast(struct jqfilter *f, const char *why);
/* One line for --explain-filter: "fast: ..." or "libjq: why". */
void jqfilter_explain(const struct jqfilter *f, struct buf *b);
/* Records the fast path decided, and those it left to libjq. */
void jqfilter_counts(const struct jqfilter *f, uint64_t *fast, uint64_t *libjq);
void jqfilter_free(struct jqfilter *f);

#endif
