/* loadddl.h: the DDL gha-load --create runs. */
#ifndef GHA_LOADDDL_H
#define GHA_LOADDDL_H

#include "gha.h"

/* "CREATE TABLE IF NOT EXISTS qname (...);" of a registered table (by its
 * name without schema: gha_events, gha_actors, ...) in out, NUL-terminated;
 * -1 with err (65) when no table of that name is registered. */
int load_ddl(const char *table, const char *qname, struct buf *out, struct gha_err *err);

#endif
