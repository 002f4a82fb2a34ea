/* jqfilter.h: a libjq program as a record predicate. */
#ifndef GHA_JQFILTER_H
#define GHA_JQFILTER_H

#include "gha.h"

struct jqfilter;
struct jqfilter *jqfilter_new(const char *prog, struct gha_err *err);
/* 1 when the first output is truthy, 0 when false/null/none, -1 on a
 * jq error (message in err). */
int jqfilter_match(struct jqfilter *f, const char *text, size_t n, struct gha_err *err);
void jqfilter_free(struct jqfilter *f);

#endif
