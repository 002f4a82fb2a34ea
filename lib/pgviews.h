/* pgviews.h: SQL views over the gold tables in PostgreSQL, for BI tools
 * (gha-load --views; see gha(7), VIEWS). */
#ifndef GHA_PGVIEWS_H
#define GHA_PGVIEWS_H

#include "pgload.h"

/* The views, NULL-terminated, in the order they are created. */
extern const char *const pgviews_names[];

/* On a connected L: make the gold tables the views read (from the schema
 * registry, with their _source column, when absent), then CREATE OR
 * REPLACE every view, in the connection's current schema, in one
 * transaction. 0, or -1 with err. */
int pgviews_create(struct pgload *L, struct gha_err *err);

#endif
