/* loadddl.h: the DDL gha-load --create runs. */
#ifndef GHA_LOADDDL_H
#define GHA_LOADDDL_H

#include "gha.h"

/* The body "(col type, ...)" of the CREATE TABLE of a known table (by its
 * name without schema: gha_events, gha_actors, ...), valid until the
 * next call; NULL with err (65) when no tool knows the table. */
const char *load_ddl(const char *table, struct gha_err *err);

#endif
