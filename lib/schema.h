/* schema.h: every table the suite writes, in one registry: its columns
 * (name, PostgreSQL type, whether NOT NULL, a one-line description), its
 * key and what a row is. The DDL (--ddl, gha-load, gold --sql) and the
 * COPY header lines are made from it, so a column is added in one place.
 *
 * A layer defines its tables in its own file and lists them in a
 * NULL-terminated array, e.g. in lib/gold/activity.c:
 *
 *	static const struct schema_col activity_cols[] = {
 *		{ "day", "date", "the UTC day", 1 },
 *		{ "events", "bigint", "events that day", 1 },
 *	};
 *	static const char *const activity_key[] = { "day" };
 *	const struct schema_table schema_gold_activity = SCHEMA_TABLE("activity",
 *		"events per day", activity_cols, activity_key);
 *	const struct schema_table *const gold_tables[] = { &schema_gold_activity, NULL };
 *
 * then adds one line, SCHEMA_LAYER(gold_tables), to lib/schema_layers.h. */
#ifndef GHA_SCHEMA_H
#define GHA_SCHEMA_H

#include "gha.h"

struct schema_col {
	const char *name;
	const char *type;	/* a PostgreSQL type: bigint, integer, text, ... */
	const char *desc;	/* one line, no trailing period */
	int notnull;		/* never NULL */
};
struct schema_table {
	const char *name;	/* "events"; its SQL name is "gha_events" by default */
	const char *desc;	/* what one row is */
	const struct schema_col *cols;
	int ncols;
	const char *const *key;	/* the columns that identify a row */
	int nkey;
};
#define SCHEMA_NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
/* A table from arrays of its columns and key columns. */
#define SCHEMA_TABLE(name, desc, cols, key) \
	{ (name), (desc), (cols), SCHEMA_NELEM(cols), (key), SCHEMA_NELEM(key) }

enum schema_dialect { SQL_POSTGRES, SQL_SNOWFLAKE, SQL_DUCKDB };

/* The table called name ("events" or "gha_events"); NULL if unknown. */
const struct schema_table *schema_find(const char *name);
/* Every registered table, in registration order; *n of them. */
const struct schema_table *const *schema_all(int *n);
/* Index of a column by name (len bytes), or -1. */
int schema_col_index(const struct schema_table *t, const char *name, size_t len);
/* The type of c in a dialect ("timestamptz" is TIMESTAMP_TZ in
 * Snowflake, ...). */
const char *schema_type(const struct schema_col *c, int dialect);
/* Append "CREATE TABLE IF NOT EXISTS NAME (...);\n" for t in a dialect;
 * qualified_name NULL means "gha_" + t->name. */
void schema_ddl(const struct schema_table *t, int dialect, const char *qualified_name,
		struct buf *out);
/* The same for a subset of the columns, in the order of cols[] (indexes
 * into t->cols; NULL: all). */
void schema_ddl_cols(const struct schema_table *t, int dialect, const char *qualified_name,
		     const int *cols, int ncols, struct buf *out);
/* The column names, as an array (for tsv_header); made once per table. */
const char *const *schema_names(const struct schema_table *t);
/* Append the COPY header line: the column names, tab-separated, "\n". */
void schema_header(const struct schema_table *t, struct buf *out);
/* The columns as a man page's tagged list (.TP: name, type, whether it
 * can be NULL or is part of the key; the description). */
void schema_man(const struct schema_table *t, struct buf *out);
/* An identifier as SQL needs it: reserved words double-quoted. */
void schema_ident(const char *name, int dialect, struct buf *out);

#endif
