/* schema.c: the registry of every table the suite writes (see schema.h),
 * and what is made from it: DDL in a dialect, COPY header lines. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "schema.h"

#define SCHEMA_LAYER(list) extern const struct schema_table *const list[];
#include "schema_layers.h"
#undef SCHEMA_LAYER

static const struct schema_table *const *const layers[] = {
#define SCHEMA_LAYER(list) list,
#include "schema_layers.h"
#undef SCHEMA_LAYER
};

/* A registry built once: a handful of tables, so a flat array. */
#define SCHEMA_MAX 256
static const struct schema_table *all[SCHEMA_MAX + 1];
static int nall = -1;

const struct schema_table *const *
schema_all(int *n)
{
	if (nall < 0) {
		size_t i;
		int k;

		nall = 0;
		for (i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
			for (k = 0; layers[i][k]; k++)
				if (nall < SCHEMA_MAX)
					all[nall++] = layers[i][k];
	}
	*n = nall;
	return all;
}

const struct schema_table *
schema_find(const char *name)
{
	const struct schema_table *const *v;
	int i, n;

	if (!strncmp(name, "gha_", 4))
		name += 4;
	v = schema_all(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(v[i]->name, name))
			return v[i];
	return NULL;
}

int
schema_col_index(const struct schema_table *t, const char *name, size_t len)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strlen(t->cols[i].name) == len && !memcmp(t->cols[i].name, name, len))
			return i;
	return -1;
}

/* PostgreSQL types and their names elsewhere; a type not listed is the
 * same in every dialect. */
static const struct {
	const char *pg, *snowflake, *duckdb;
} types[] = {
	{ "bigint", "BIGINT", "BIGINT" },
	{ "integer", "INTEGER", "INTEGER" },
	{ "smallint", "SMALLINT", "SMALLINT" },
	{ "text", "TEXT", "VARCHAR" },
	{ "boolean", "BOOLEAN", "BOOLEAN" },
	{ "date", "DATE", "DATE" },
	{ "timestamptz", "TIMESTAMP_TZ", "TIMESTAMPTZ" },
	{ "double precision", "DOUBLE", "DOUBLE" },
	{ "real", "FLOAT", "REAL" },
	{ "numeric", "NUMBER", "DECIMAL" },
	{ "text[]", "ARRAY", "VARCHAR[]" },
	{ "bigint[]", "ARRAY", "BIGINT[]" },
	{ "jsonb", "VARIANT", "JSON" },
};

const char *
schema_type(const struct schema_col *c, int dialect)
{
	size_t i;

	if (dialect == SQL_POSTGRES)
		return c->type;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].pg, c->type))
			return dialect == SQL_SNOWFLAKE ? types[i].snowflake : types[i].duckdb;
	return c->type;
}

/* Words the dialects reserve, which a column name must quote: the
 * PostgreSQL reserved key words, and Snowflake's few others. */
static const char *const reserved[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"both", "case", "cast", "check", "collate", "column", "connect", "constraint",
	"create", "cross", "current", "current_catalog", "current_date", "current_role",
	"current_time", "current_timestamp", "current_user", "default", "deferrable", "delete",
	"desc", "distinct", "do", "drop", "else", "end", "except", "exists", "false", "fetch",
	"following", "for", "foreign", "from", "full", "grant", "group", "gscluster", "having",
	"ilike", "in", "increment", "initially", "inner", "insert", "intersect", "into", "is",
	"issue", "join", "lateral", "leading", "left", "like", "limit", "localtime",
	"localtimestamp", "minus", "natural", "not", "null", "of", "offset", "on", "only", "or",
	"order", "outer", "placing", "primary", "qualify", "references", "regexp", "returning",
	"revoke", "right", "rlike", "row", "rows", "sample", "select", "session_user", "set",
	"some", "start", "symmetric", "table", "tablesample", "then", "to", "trailing",
	"trigger", "true", "try_cast", "union", "unique", "update", "user", "using", "values",
	"variadic", "when", "whenever", "where", "window", "with",
};

void
schema_ident(const char *name, int dialect, struct buf *out)
{
	size_t i;

	/* one list serves all three dialects, but a quoted identifier keeps
	 * its case: PostgreSQL and DuckDB fold unquoted names to lower case,
	 * Snowflake to upper case, so there a reserved word is quoted in
	 * upper case ("ORDER") to name the same column as an unquoted
	 * reference (order_ would be ORDER_, "order" a different column) */
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(reserved[i], name)) {
			buf_addc(out, '"');
			for (const char *s = name; *s; s++)
				buf_addc(out, dialect == SQL_SNOWFLAKE && *s >= 'a' && *s <= 'z'
					 ? (char)(*s - 'a' + 'A') : *s);
			buf_addc(out, '"');
			return;
		}
	buf_adds(out, name);
}

void
schema_ddl_cols(const struct schema_table *t, int dialect, const char *qualified_name,
		const int *cols, int ncols, struct buf *out)
{
	struct buf id;
	int i;

	if (!cols)
		ncols = t->ncols;
	buf_init(&id);
	buf_adds(out, "CREATE TABLE IF NOT EXISTS ");
	if (qualified_name) {
		buf_adds(out, qualified_name);
	} else {
		buf_adds(out, "gha_");
		buf_adds(out, t->name);
	}
	buf_adds(out, " (\n");
	for (i = 0; i < ncols; i++) {
		const struct schema_col *c = &t->cols[cols ? cols[i] : i];

		id.len = 0;
		schema_ident(c->name, dialect, &id);
		buf_printf(out, "    %-20.*s %s%s%s\n", (int)id.len, id.p, schema_type(c, dialect),
			   c->notnull ? " NOT NULL" : "", i + 1 < ncols ? "," : "");
	}
	buf_adds(out, ");\n");
	buf_free(&id);
}

void
schema_ddl(const struct schema_table *t, int dialect, const char *qualified_name, struct buf *out)
{
	schema_ddl_cols(t, dialect, qualified_name, NULL, 0, out);
}

const char *const *
schema_names(const struct schema_table *t)
{
	/* kept for the life of the process, so never freed */
	static struct {
		const struct schema_table *t;
		const char **names;
	} made[SCHEMA_MAX];
	static int nmade;
	int i;

	for (i = 0; i < nmade; i++)
		if (made[i].t == t)
			return made[i].names;
	if (nmade == SCHEMA_MAX)
		abort();	/* more tables than the registry holds: a bug */
	made[nmade].t = t;
	made[nmade].names = xcalloc((size_t)t->ncols + 1, sizeof(char *));
	for (i = 0; i < t->ncols; i++)
		made[nmade].names[i] = t->cols[i].name;
	return made[nmade++].names;
}

void
schema_header(const struct schema_table *t, struct buf *out)
{
	int i;

	for (i = 0; i < t->ncols; i++) {
		if (i)
			buf_addc(out, '\t');
		buf_adds(out, t->cols[i].name);
	}
	buf_addc(out, '\n');
}

/* roff text: a backslash doubled as \e, a hyphen as \- (mandoc's minus
 * reads the same in every output), a leading dot or quote guarded */
static void
man_text(const char *s, struct buf *out)
{
	if (*s == '.' || *s == '\'')
		buf_adds(out, "\\&");
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(out, "\\e");
		else if (*s == '-')
			buf_adds(out, "\\-");
		else
			buf_addc(out, *s);
	}
}

void
schema_man(const struct schema_table *t, struct buf *out)
{
	for (int i = 0; i < t->ncols; i++) {
		const struct schema_col *c = &t->cols[i];
		int key = 0;

		for (int k = 0; k < t->nkey; k++)
			key |= !strcmp(t->key[k], c->name);
		buf_adds(out, ".TP\n.BR ");
		man_text(c->name, out);
		buf_adds(out, " \" ");
		man_text(c->type, out);
		buf_adds(out, c->notnull ? "" : ", or NULL");
		buf_adds(out, key ? " (key)\"\n" : "\"\n");
		man_text(c->desc, out);
		buf_adds(out, ".\n");
	}
}
