/* test_schema.c: the table registry: every table well formed, lookups,
 * DDL in each dialect, COPY headers, and the parallel arrays it replaced
 * (silver's COL_ enum, ent_columns) agreeing with it. */
#include <string.h>

#include "gha.h"
#include "entity.h"
#include "schema.h"
#include "silver.h"
#include "tap.h"

/* the PostgreSQL types schema_type maps; a new one must be added there */
static int
known_type(const char *t)
{
	static const char *const known[] = { "bigint", "integer", "smallint", "text", "boolean",
					      "date", "timestamptz", "double precision", "real",
					      "numeric", "text[]", "bigint[]", "jsonb" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i], t))
			return 1;
	return 0;
}

static int
count(const char *s, const char *sub)
{
	int n = 0;

	while ((s = strstr(s, sub))) {
		n++;
		s += strlen(sub);
	}
	return n;
}

int
main(void)
{
	const struct schema_table *const *all;
	const struct schema_table *t;
	struct buf b;
	int n, i, j, k;

	all = schema_all(&n);
	ok(n >= 5, "at least the 5 silver tables are registered (%d)", n);
	for (i = 0; i < n; i++) {
		const char *why = NULL;

		t = all[i];
		if (!t->name || !*t->name || !t->desc || !*t->desc || t->ncols < 1 || t->nkey < 1)
			why = "a name, a description, columns and a key";
		for (j = 0; !why && j < i; j++)
			if (!strcmp(all[j]->name, t->name))
				why = "a name no other table has";
		for (j = 0; !why && j < t->ncols; j++) {
			const struct schema_col *c = &t->cols[j];

			if (!c->name || !*c->name || !c->desc || !*c->desc)
				why = "every column named and described";
			else if (!known_type(c->type))
				why = "every column of a type schema_type knows";
			for (k = 0; !why && k < j; k++)
				if (!strcmp(t->cols[k].name, c->name))
					why = "column names unique";
		}
		for (j = 0; !why && j < t->nkey; j++)
			if (schema_col_index(t, t->key[j], strlen(t->key[j])) < 0)
				why = "key columns that exist";
		ok(!why, "table %s: %s", t->name, why ? why : "well formed");
		ok(schema_find(t->name) == t, "schema_find(\"%s\")", t->name);
	}
	ok(schema_find("gha_events") == &schema_events, "schema_find takes the SQL name too");
	ok(schema_find("nosuch") == NULL && schema_find("") == NULL, "an unknown table: NULL");

	/* the arrays silver and entity kept in parallel now come from here */
	ok(schema_events.ncols == COL_N && silver_ncols == COL_N, "events: COL_N columns");
	ok(!strcmp(schema_events.cols[COL_FORKEE_NAME].name, "forkee_name") &&
	   !strcmp(schema_events.cols[COL_ERA].name, "era"), "COL_ indexes name their columns");
	ok(silver_column("repo_name", 9) == COL_REPO_NAME && silver_column("repo", 4) == -1,
	   "silver_column finds by name, whole names only");
	for (k = ENT_ACTORS; k <= ENT_ORGS; k++) {
		const char *const *names = ent_columns((enum ent_kind)k, &n);

		t = entity_tables[k];
		for (j = 0; j < n && j < t->ncols; j++)
			if (strcmp(names[j], t->cols[j].name))
				break;
		ok(n == t->ncols && j == n && names[n] == NULL,
		   "ent_columns(%d) is the %s table's names", k, t->name);
	}

	buf_init(&b);
	schema_header(&schema_orgs, &b);
	ok(!strcmp(b.p, "org_id\tlogin\tfirst_seen\tlast_seen\tevents\n"), "COPY header line");

	b.len = 0;
	schema_ddl(&schema_commits, SQL_POSTGRES, NULL, &b);
	ok(!strncmp(b.p, "CREATE TABLE IF NOT EXISTS gha_commits (\n", 41), "DDL: gha_ name");
	ok(strstr(b.p, "    \"distinct\"           boolean\n);\n") != NULL,
	   "DDL: reserved word quoted, last column without a comma");
	ok(strstr(b.p, "    sha                  text NOT NULL,\n") != NULL, "DDL: NOT NULL");
	ok(count(b.p, ",\n") == schema_commits.ncols - 1, "DDL: one comma per column but the last");

	b.len = 0;
	schema_ddl(&schema_repos, SQL_SNOWFLAKE, "db.sch.repos", &b);
	ok(!strncmp(b.p, "CREATE TABLE IF NOT EXISTS db.sch.repos (\n", 42), "DDL: a qualified name");
	ok(strstr(b.p, "first_seen           TIMESTAMP_TZ NOT NULL,") &&
	   strstr(b.p, "previous_names       ARRAY\n"), "Snowflake types");
	b.len = 0;
	schema_ddl(&schema_repos, SQL_DUCKDB, NULL, &b);
	ok(strstr(b.p, "first_seen           TIMESTAMPTZ NOT NULL,") &&
	   strstr(b.p, "previous_names       VARCHAR[]\n"), "DuckDB types");

	b.len = 0;
	{
		int cols[] = { COL_REPO_NAME, COL_EVENT_ID };

		schema_ddl_cols(&schema_events, SQL_POSTGRES, "t", cols, 2, &b);
		ok(!strcmp(b.p, "CREATE TABLE IF NOT EXISTS t (\n"
				"    repo_name            text,\n"
				"    event_id             bigint NOT NULL\n);\n"),
		   "DDL of chosen columns, in their order");
	}
	b.len = 0;
	schema_ident("order", SQL_POSTGRES, &b);
	schema_ident("login", SQL_POSTGRES, &b);
	ok(!strcmp(b.p, "\"order\"login"), "schema_ident quotes reserved words only");
	/* Snowflake folds unquoted names to upper case and keeps a quoted
	 * one's case: "order" would be another column than order_by's
	 * neighbours, so reserved words are quoted in upper case there */
	b.len = 0;
	schema_ident("rows", SQL_SNOWFLAKE, &b);
	schema_ident("login", SQL_SNOWFLAKE, &b);
	schema_ident("order", SQL_DUCKDB, &b);
	buf_addc(&b, 0);
	ok(!strcmp(b.p, "\"ROWS\"login\"order\""), "Snowflake quotes reserved words in upper case, "
	   "the others as written: %s", b.p);
	/* no table's Snowflake DDL has a quoted name in lower case */
	int nt;
	const struct schema_table *const *every = schema_all(&nt);

	for (int ti = 0; ti < nt; ti++) {
		const char *q;
		int lower = 0;

		b.len = 0;
		schema_ddl(every[ti], SQL_SNOWFLAKE, NULL, &b);
		buf_addc(&b, 0);
		for (q = strchr(b.p, '"'); q && !lower; q = strchr(q + 1, '"'))
			for (const char *e = q + 1; *e && *e != '"'; e++)
				if (*e >= 'a' && *e <= 'z')
					lower = 1;
		if (lower)
			printf("# %s", b.p);
		ok(!lower, "Snowflake DDL of %s quotes upper case only", every[ti]->name);
	}
	buf_free(&b);
	return tap_done();
}
