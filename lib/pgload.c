/* pgload.c: one input into one PostgreSQL table, exactly once.
 *
 * Per input, one transaction: an advisory lock on the table (two loaders
 * of the same table take turns), a look in the manifest (the same source
 * with the same content: nothing to do), DELETE of the source's earlier
 * rows, COPY FROM STDIN of the rows with the source appended as the last
 * column, the manifest row, COMMIT. Whatever stops it before COMMIT (a bad
 * row, kill -9, a lost server) leaves the table as it was.
 *
 * The rows are forwarded as they are (they already are COPY text); only
 * the header is parsed, for the column list. Lines go to the server one
 * for one, so the server's "line N" of the COPY is the input's line N + 1. */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "pgload.h"
#include "pgconn.h"

#define LOCK_CREATE "gha-load create"

static char *
quote_ident(struct pgload *L, const char *s, size_t n)
{
	char *q = PQescapeIdentifier(pgc(L), s, n);
	char *r;

	if (!q)
		return NULL;
	r = xstrdup(q);
	PQfreemem(q);
	return r;
}

char *
source_of(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strcspn(b, ".");
	if (n == 0)
		return NULL;
	{
		char *r = xmalloc(n + 1);

		memcpy(r, b, n);
		r[n] = 0;
		return r;
	}
}

int
copy_context(const char *ctx, uint64_t *line, char *col, size_t colsz)
{
	const char *p = ctx ? strstr(ctx, ", line ") : NULL;
	char *end;

	if (colsz)
		col[0] = 0;
	if (!p)
		return -1;
	*line = strtoull(p + 7, &end, 10);
	if (end == p + 7)
		return -1;
	if (!strncmp(end, ", column ", 9)) {
		const char *c = end + 9, *e = strstr(c, ": ");
		size_t n = e ? (size_t)(e - c) : strlen(c);

		if (n >= colsz)
			n = colsz - 1;
		memcpy(col, c, n);
		col[n] = 0;
	}
	return 0;
}

/* Serialize DDL: CREATE ... IF NOT EXISTS is not safe against itself. */
static int
lock_create(struct pgload *L, struct gha_err *err)
{
	PGresult *r = pg_exec(L, "SELECT pg_advisory_xact_lock(hashtextextended('" LOCK_CREATE "', 0))",
			      0, NULL, 1, "lock", err);

	PQclear(r);
	return r ? 0 : -1;
}

static int
exists(struct pgload *L, const char *qname, struct gha_err *err)
{
	const char *p[] = { qname };
	PGresult *r = pg_exec(L, "SELECT to_regclass($1) IS NOT NULL", 1, p, 1, "look up table", err);
	int e;

	if (!r)
		return -1;
	e = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return e;
}

static int
create_target(struct pgload *L, const char *schema, const char *qschema, const char *base,
	      const char *qname, pgload_ddl_fn *ddl, struct gha_err *err)
{
	struct buf sql;
	int e, ret = -1;

	buf_init(&sql);
	if (pg_run(L, "BEGIN", "begin", err) || lock_create(L, err))
		goto out;
	if (schema) {
		/* CREATE SCHEMA IF NOT EXISTS needs the right to create one even
		 * when it exists: look first */
		const char *p[] = { schema };
		PGresult *r = pg_exec(L, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", 1, p, 1,
				      "look up schema", err);

		if (!r)
			goto out;
		e = PQgetvalue(r, 0, 0)[0] != '0';
		PQclear(r);
		buf_printf(&sql, "CREATE SCHEMA IF NOT EXISTS %s", qschema);
		if (!e && pg_run(L, sql.p, "create schema", err))
			goto out;
	}
	if ((e = exists(L, qname, err)) < 0)
		goto out;
	if (!e) {
		if (!ddl) {
			gha_seterr(err, GHA_DATAERR, "no table %s and no DDL for it", qname);
			goto out;
		}
		if (ddl(base, qname, &sql, err) || pg_run(L, sql.p, "create table", err))
			goto out;
	}
	sql.len = 0;
	buf_printf(&sql, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS " PGLOAD_SOURCE_COL " text", qname);
	if (pg_run(L, sql.p, "add the " PGLOAD_SOURCE_COL " column", err))
		goto out;
	sql.len = 0;
	/* the index name: PostgreSQL truncates it to 63 bytes if need be */
	{
		struct buf ix;
		char *qix;

		buf_init(&ix);
		buf_printf(&ix, "%s" PGLOAD_SOURCE_COL "_idx", base);
		qix = quote_ident(L, ix.p, ix.len);
		buf_free(&ix);
		/* BRIN, not btree: a source's rows arrive together, in one COPY,
		 * so block ranges find them for the DELETE, and maintaining it
		 * costs the COPY next to nothing (a btree: about a third more) */
		buf_printf(&sql, "CREATE INDEX IF NOT EXISTS %s ON %s USING brin (" PGLOAD_SOURCE_COL ")",
			   qix ? qix : "\"gha_source_idx\"", qname);
		free(qix);
	}
	if (pg_run(L, sql.p, "create the " PGLOAD_SOURCE_COL " index", err))
		goto out;
	ret = pg_run(L, "COMMIT", "commit", err);
out:
	if (ret)
		pg_rollback(L);
	buf_free(&sql);
	return ret;
}

static int
ensure_manifest(struct pgload *L, struct gha_err *err)
{
	struct buf sql;
	int e, ret = -1;

	if ((e = exists(L, L->qmanifest, err)) != 0)
		return e < 0 ? -1 : 0;
	buf_init(&sql);
	buf_printf(&sql, "CREATE TABLE IF NOT EXISTS %s (\n"
		   "    target_table text NOT NULL,\n"
		   "    source       text NOT NULL,\n"
		   "    sha256       text NOT NULL,\n"
		   "    rows         bigint NOT NULL,\n"
		   "    loaded_at    timestamptz NOT NULL DEFAULT now(),\n"
		   "    tool_version text NOT NULL,\n"
		   "    PRIMARY KEY (target_table, source)\n)", L->qmanifest);
	if (!pg_run(L, "BEGIN", "begin", err) && !lock_create(L, err) &&
	    !pg_run(L, sql.p, "create the manifest", err))
		ret = pg_run(L, "COMMIT", "commit", err);
	if (ret)
		pg_rollback(L);
	buf_free(&sql);
	return ret;
}

int
pgload_target(struct pgload *L, const char *table, int create, pgload_ddl_fn *ddl,
	      struct gha_err *err)
{
	const char *dot = strchr(table, '.');
	const char *base = dot ? dot + 1 : table;
	char *schema = dot ? strndup(table, (size_t)(dot - table)) : NULL;
	char *qschema = NULL, *qbase = NULL, *qname = NULL;
	struct buf b;
	PGresult *r = NULL;
	int ret = -1, e;

	buf_init(&b);
	if (!*base || (dot && !*schema) || strchr(base, '.')) {
		gha_seterr(err, GHA_USAGE, "bad table name '%s': TABLE or SCHEMA.TABLE", table);
		goto out;
	}
	if ((schema && !(qschema = quote_ident(L, schema, strlen(schema)))) ||
	    !(qbase = quote_ident(L, base, strlen(base)))) {
		pg_msg(L, "quote", err, GHA_UNAVAILABLE);
		goto out;
	}
	buf_printf(&b, "%s%s%s", qschema ? qschema : "", qschema ? "." : "", qbase);
	qname = xstrdup(b.p);
	if (create && create_target(L, schema, qschema, base, qname, ddl, err))
		goto out;
	if ((e = exists(L, qname, err)) < 0)
		goto out;
	if (!e) {
		gha_seterr(err, GHA_DATAERR, "no table %s (--create makes it)", table);
		goto out;
	}
	{
		const char *p[] = { qname };

		r = pg_exec(L, "SELECT n.nspname, c.relname FROM pg_class c"
			    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)",
			    1, p, 1, "look up table", err);
		if (!r)
			goto out;
		free(qschema);
		free(qbase);
		qschema = quote_ident(L, PQgetvalue(r, 0, 0), strlen(PQgetvalue(r, 0, 0)));
		qbase = quote_ident(L, PQgetvalue(r, 0, 1), strlen(PQgetvalue(r, 0, 1)));
		b.len = 0;
		buf_printf(&b, "%s.%s", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
		L->target = xstrdup(b.p);
		PQclear(r);
		if (!qschema || !qbase) {
			r = NULL;
			pg_msg(L, "quote", err, GHA_UNAVAILABLE);
			goto out;
		}
		b.len = 0;
		buf_printf(&b, "%s.%s", qschema, qbase);
		L->qtarget = xstrdup(b.p);
		b.len = 0;
		buf_printf(&b, "%s." PGLOAD_MANIFEST, qschema);
		L->qmanifest = xstrdup(b.p);
		r = pg_exec(L, "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1)"
			    " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
			    1, (const char *const[]){ L->qtarget }, 1, "list columns", err);
		if (!r)
			goto out;
	}
	L->ncols = PQntuples(r);
	L->cols = xcalloc((size_t)L->ncols + 1, sizeof(*L->cols));
	e = 0;
	for (int i = 0; i < L->ncols; i++) {
		L->cols[i] = xstrdup(PQgetvalue(r, i, 0));
		e |= !strcmp(L->cols[i], PGLOAD_SOURCE_COL);
	}
	if (!e) {
		gha_seterr(err, GHA_DATAERR, "table %s has no " PGLOAD_SOURCE_COL
			   " column to record where rows came from (--create adds it)", L->target);
		goto out;
	}
	ret = ensure_manifest(L, err);
out:
	PQclear(r);
	buf_free(&b);
	free(schema);
	free(qschema);
	free(qbase);
	free(qname);
	return ret;
}

void
pgload_free(struct pgload *L)
{
	if (L->conn)
		PQfinish(pgc(L));
	for (int i = 0; i < L->ncols; i++)
		free(L->cols[i]);
	free(L->cols);
	free(L->password);
	free(L->target);
	free(L->qtarget);
	free(L->qmanifest);
	memset(L, 0, sizeof(*L));
}
