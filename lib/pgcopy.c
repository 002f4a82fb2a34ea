/* pgcopy.c: the transaction that loads one input (see pgload.c). */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lineread.h"
#include "pgconn.h"
#include "pgload.h"
#include "sha256.h"
#include "tsv.h"

#define CHUNK (1 << 20)		/* bytes per PQputCopyData */

static void
hash_line(struct sha256 *h, const struct line *ln)
{
	sha256_update(h, ln->p, ln->len);
	sha256_update(h, "\n", 1);
}

int
content_sha256(const char *path, char out[65], uint64_t *bytes, struct gha_err *err)
{
	struct lineread *lr = lr_open(path, err);
	struct sha256 h;
	struct line ln;
	int r;

	if (!lr)
		return -1;
	sha256_init(&h);
	*bytes = 0;
	while ((r = lr_next(lr, &ln, err)) > 0) {
		if ((r = lr_whole(&ln, path, err)) < 0)
			break;
		hash_line(&h, &ln);
		*bytes += ln.len + 1;
	}
	lr_close(lr);
	if (r < 0) {
		sha256_free(&h);
		return -1;
	}
	sha256_hex(&h, out);
	return 0;
}

/* The COPY statement for the header's columns, each checked against the
 * table's; the source column last. */
static int
copy_sql(struct pgload *L, const char *file, const struct line *hdr, struct buf *sql,
	 struct gha_err *err)
{
	struct buf name;
	const char *p = hdr->p, *end = hdr->p + hdr->len;
	char **seen = xcalloc(hdr->len + 1, sizeof(*seen));
	int n = 0, ret = -1;

	buf_init(&name);
	buf_printf(sql, "COPY %s (", L->qtarget);
	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(end - p));
		size_t len = t ? (size_t)(t - p) : (size_t)(end - p);
		int i;
		char *q;

		if (copy_unescape(p, len, &name)) {
			gha_seterr(err, GHA_DATAERR, "%s:%llu: bad escape in header field %d", file,
				   (unsigned long long)hdr->lineno, n + 1);
			goto out;
		}
		buf_addc(&name, 0);
		for (i = 0; i < L->ncols && strcmp(L->cols[i], name.p); i++)
			;
		if (i == L->ncols || !strcmp(name.p, PGLOAD_SOURCE_COL)) {
			gha_seterr(err, GHA_DATAERR, "%s:%llu: column '%s' %s %s", file,
				   (unsigned long long)hdr->lineno, name.p,
				   i == L->ncols ? "is not in table" : "is gha-load's own, not allowed in",
				   L->target);
			goto out;
		}
		for (int k = 0; k < n; k++) {
			if (!strcmp(seen[k], name.p)) {
				gha_seterr(err, GHA_DATAERR, "%s:%llu: column '%s' named twice", file,
					   (unsigned long long)hdr->lineno, name.p);
				goto out;
			}
		}
		seen[n++] = xstrdup(name.p);
		q = PQescapeIdentifier(pgc(L), name.p, name.len - 1);
		if (!q) {
			pg_msg(L, "quote", err, GHA_UNAVAILABLE);
			goto out;
		}
		buf_printf(sql, "%s, ", q);
		PQfreemem(q);
		if (!t)
			break;
		p = t + 1;
	}
	buf_adds(sql, PGLOAD_SOURCE_COL ") FROM STDIN");
	buf_addc(sql, 0);
	ret = 0;
out:
	for (int k = 0; k < n; k++)
		free(seen[k]);
	free(seen);
	buf_free(&name);
	return ret;
}

/* COPY text escaping of the source name (it is appended to every row) */
static void
escape_field(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_adds(b, "\\\\"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		default: buf_addc(b, *s);
		}
	}
}

struct copyrun {
	struct pgload *L;
	const char *file;
	struct lineread *lr;
	struct sha256 h;
	struct buf out, tail;	/* tail: TAB, the escaped source, LF */
	uint64_t rows, bytes, lastline;
};

static int
put(struct copyrun *c, struct gha_err *err)
{
	if (c->out.len && PQputCopyData(pgc(c->L), c->out.p, (int)c->out.len) != 1) {
		/* the server has answered early (an error), or the link broke:
		 * PQgetResult says which */
		c->out.len = 0;
		return 1;
	}
	c->out.len = 0;
	(void)err;
	return 0;
}

/* Stream the rows. 0 when all sent; 1 when the server stopped taking
 * them; -1 on an input error (err) */
static int
stream(struct copyrun *c, struct gha_err *err)
{
	struct line ln;
	int r;

	while ((r = lr_next(c->lr, &ln, err)) > 0) {
		size_t bs = 0;

		if (lr_whole(&ln, c->file, err))
			return -1;
		hash_line(&c->h, &ln);
		c->bytes += ln.len + 1;
		c->lastline = ln.lineno;
		/* a lone "\." ends COPY data early, silently: never forward it; a
		 * line ending in an odd backslash would swallow the TAB we add */
		if (ln.len == 2 && ln.p[0] == '\\' && ln.p[1] == '.') {
			gha_seterr(err, GHA_DATAERR, "%s:%llu: a line '\\.' (COPY's end-of-data marker) in the data",
				   c->file, (unsigned long long)ln.lineno);
			return -1;
		}
		while (bs < ln.len && ln.p[ln.len - 1 - bs] == '\\')
			bs++;
		if (bs & 1) {
			gha_seterr(err, GHA_DATAERR, "%s:%llu: the line ends in a lone backslash",
				   c->file, (unsigned long long)ln.lineno);
			return -1;
		}
		buf_add(&c->out, ln.p, ln.len);
		buf_add(&c->out, c->tail.p, c->tail.len);
		c->rows++;
		if (c->out.len >= CHUNK && put(c, err))
			return 1;
		if ((c->rows & 0xffff) == 0 && c->L->progress)
			c->L->progress(c->L->progress_ctx, c->file, c->rows, c->bytes);
	}
	if (r < 0) {
		/* a damaged gzip stream, a read error: err has it */
		return -1;
	}
	return put(c, err);
}

/* The server's answer to the COPY; err names the input's line and column
 * when the server names a line. */
static int
copy_result(struct copyrun *c, uint64_t *rows, struct gha_err *err)
{
	PGresult *r;
	int ret = 0, first = 1;

	while ((r = PQgetResult(pgc(c->L)))) {
		if (first && PQresultStatus(r) != PGRES_COMMAND_OK) {
			const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT);
			const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
			uint64_t line;
			char col[128];

			if (copy_context(ctx, &line, col, sizeof(col)) == 0 && m) {
				int code = pg_code(c->L, r);

				if (!strcmp(col, PGLOAD_SOURCE_COL) || line > c->rows)
					col[0] = 0;	/* our own column: the row is short */
				gha_seterr(err, code, "%s:%llu: %s%s%s%s", c->file,
					   (unsigned long long)line + 1, col[0] ? "column " : "", col,
					   col[0] ? ": " : "", m);
			} else {
				pg_fail(c->L, r, "copy", err);
			}
			ret = -1;
		} else if (first) {
			*rows = strtoull(PQcmdTuples(r), NULL, 10);
		}
		first = 0;
		PQclear(r);
	}
	if (first) {
		pg_msg(c->L, "copy: no result", err, GHA_TEMPFAIL);
		ret = -1;
	}
	if (PQstatus(pgc(c->L)) == CONNECTION_BAD) {
		c->L->dead = 1;
		if (!ret)
			pg_msg(c->L, "connection lost", err, GHA_TEMPFAIL);
		err->code = GHA_TEMPFAIL;
		ret = -1;
	}
	return ret;
}

/* The manifest's sha256 for (target, source), "" when none. */
static int
manifest_sha(struct pgload *L, const char *source, char sha[65], struct gha_err *err)
{
	struct buf sql;
	const char *p[] = { L->target, source };
	PGresult *r;

	buf_init(&sql);
	buf_printf(&sql, "SELECT sha256 FROM %s WHERE target_table = $1 AND source = $2", L->qmanifest);
	r = pg_exec(L, sql.p, 2, p, 1, "read the manifest", err);
	buf_free(&sql);
	if (!r)
		return -1;
	sha[0] = 0;
	if (PQntuples(r) == 1)
		snprintf(sha, 65, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int
begin(struct pgload *L, struct gha_err *err)
{
	const char *p[] = { L->target };
	PGresult *r;

	if (pg_run(L, "BEGIN", "begin", err))
		return -1;
	/* the lock key: the table, not the source, so that a load and a
	 * rebuild of the same table never interleave their DELETE and COPY */
	r = pg_exec(L, "SELECT pg_advisory_xact_lock(hashtextextended('gha-load ' || $1, 0))",
		    1, p, 1, "lock the table", err);
	if (!r)
		return -1;
	PQclear(r);
	return 0;
}

static int
delete_source(struct pgload *L, const char *source, struct pgload_result *res, struct gha_err *err)
{
	struct buf sql;
	const char *p[] = { source };
	PGresult *r;

	buf_init(&sql);
	buf_printf(&sql, "DELETE FROM %s WHERE " PGLOAD_SOURCE_COL " = $1", L->qtarget);
	r = pg_exec(L, sql.p, 1, p, 0, "delete the source's earlier rows", err);
	buf_free(&sql);
	if (!r)
		return -1;
	res->replaced = strtoull(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return 0;
}

static int
record(struct pgload *L, const char *source, const struct pgload_result *res, struct gha_err *err)
{
	struct buf sql;
	char rows[32];
	const char *p[] = { L->target, source, res->sha256, rows, GHA_VERSION };
	PGresult *r;

	snprintf(rows, sizeof(rows), "%llu", (unsigned long long)res->rows);
	buf_init(&sql);
	buf_printf(&sql, "INSERT INTO %s (target_table, source, sha256, rows, loaded_at, tool_version)"
		   " VALUES ($1, $2, $3, $4, now(), $5) ON CONFLICT (target_table, source) DO UPDATE"
		   " SET sha256 = excluded.sha256, rows = excluded.rows,"
		   " loaded_at = excluded.loaded_at, tool_version = excluded.tool_version", L->qmanifest);
	r = pg_exec(L, sql.p, 5, p, 0, "write the manifest", err);
	buf_free(&sql);
	PQclear(r);
	return r ? 0 : -1;
}

int
pgload_file(struct pgload *L, const char *path, const char *source, const char *presha,
	    struct pgload_result *res, struct gha_err *err)
{
	struct copyrun c = { .L = L, .file = path && strcmp(path, "-") ? path : "<stdin>" };
	struct buf sql;
	struct line hdr;
	char old[65];
	uint64_t srows = 0;
	int r, ret = -1;

	memset(res, 0, sizeof(*res));
	buf_init(&sql);
	buf_init(&c.out);
	buf_init(&c.tail);
	sha256_init(&c.h);
	if (L->dead) {
		gha_seterr(err, GHA_TEMPFAIL, "%s: no connection", c.file);
		goto out;
	}
	if (!(c.lr = lr_open(path, err)))
		goto out;
	if ((r = lr_next(c.lr, &hdr, err)) <= 0) {
		if (r == 0)
			gha_seterr(err, GHA_DATAERR, "%s: empty: no header line", c.file);
		goto out;
	}
	if (lr_whole(&hdr, c.file, err))
		goto out;
	hash_line(&c.h, &hdr);
	c.bytes = hdr.len + 1;
	if (copy_sql(L, c.file, &hdr, &sql, err))
		goto out;
	buf_addc(&c.tail, '\t');
	escape_field(&c.tail, source);
	buf_addc(&c.tail, '\n');
	buf_reserve(&c.out, CHUNK + 65536);

	if (begin(L, err) || manifest_sha(L, source, old, err))
		goto fail;
	if (presha && !strcmp(presha, old)) {
		pg_rollback(L);
		res->status = PGLOAD_UNCHANGED;
		snprintf(res->sha256, sizeof(res->sha256), "%s", old);
		ret = 0;
		goto out;
	}
	if (delete_source(L, source, res, err))
		goto fail;
	{
		PGresult *pr = PQexec(pgc(L), sql.p);

		if (!pr || PQresultStatus(pr) != PGRES_COPY_IN) {
			pg_fail(L, pr, "copy", err);
			PQclear(pr);
			goto fail;
		}
		PQclear(pr);
	}
	r = stream(&c, err);
	if (r < 0) {
		/* our own reason, not the server's: end the COPY with it */
		PGresult *x;

		PQputCopyEnd(pgc(L), "input error");
		while ((x = PQgetResult(pgc(L))))
			PQclear(x);
		goto fail;
	}
	if (r == 0 && PQputCopyEnd(pgc(L), NULL) != 1) {
		pg_msg(L, "copy", err, GHA_TEMPFAIL);
		L->dead = PQstatus(pgc(L)) == CONNECTION_BAD;
		goto fail;
	}
	if (copy_result(&c, &srows, err))
		goto fail;
	if (srows != c.rows) {
		gha_seterr(err, GHA_DATAERR, "%s: %llu rows sent, the server took %llu", c.file,
			   (unsigned long long)c.rows, (unsigned long long)srows);
		goto fail;
	}
	res->rows = c.rows;
	res->bytes = c.bytes;
	sha256_hex(&c.h, res->sha256);
	if (!strcmp(res->sha256, old)) {
		/* read from a pipe: the same content as loaded before */
		pg_rollback(L);
		res->status = PGLOAD_UNCHANGED;
		res->replaced = 0;
		ret = 0;
		goto out;
	}
	if (record(L, source, res, err) || pg_run(L, "COMMIT", "commit", err))
		goto fail;
	res->status = PGLOAD_LOADED;
	ret = 0;
	goto out;
fail:
	pg_rollback(L);
out:
	sha256_free(&c.h);	/* a no-op after sha256_hex */
	if (c.lr)
		lr_close(c.lr);
	buf_free(&sql);
	buf_free(&c.out);
	buf_free(&c.tail);
	return ret;
}
