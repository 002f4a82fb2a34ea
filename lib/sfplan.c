/* sfplan.c: gha-load --target snowflake --plan DIR.
 *
 * Snowflake's PUT cannot read a pipe and its SQL API cannot PUT, so the
 * load is planned offline: the rows re-encoded in a CSV dialect Snowflake
 * reads exactly (every non-NULL field quoted, NULL an empty unquoted
 * field, TAB between fields, no escapes), cut into gzip chunks named by
 * the SHA-256 of their content, and load.sql: the file format, the
 * table, a PUT per chunk to the table's stage, then per source one
 * transaction that replaces its rows unless the manifest already has its
 * content. Run with `snow sql -f DIR/load.sql`. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "lineread.h"
#include "mkdirs.h"
#include "outfile.h"
#include "schema.h"
#include "sfplan.h"
#include "sha256.h"
#include "hex.h"

#define FORMAT_NAME "gha_copy_csv"

static int
plain_ident(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$'))
			return 0;
	return 1;
}

/* a Snowflake string literal: '' for ', \\ for \ */
static void
sql_str(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(b, *s);
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* One decoded byte into a quoted CSV field: a quote doubled, whether it
 * came as itself or from an escape (\", \042, \x22) */
static void
put_byte(struct buf *out, int c)
{
	if (c == '"')
		buf_addc(out, '"');
	buf_addc(out, (char)c);
}

/* Append a COPY text field (not \N) decoded and CSV-quoted. */
static int
add_field(struct buf *out, const char *s, size_t n)
{
	const char *end = s + n;

	buf_addc(out, '"');
	while (s < end) {
		int c = (unsigned char)*s++;

		if (c != '\\') {
			put_byte(out, c);
			continue;
		}
		if (s == end)
			return -1;	/* a lone backslash at the end */
		c = (unsigned char)*s++;
		switch (c) {
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'v': buf_addc(out, '\v'); break;
		case 'x': {
			int v = 0, k = 0, h;

			while (k < 2 && s < end && (h = hex_digit((unsigned char)*s)) >= 0) {
				v = v * 16 + h;
				s++;
				k++;
			}
			if (k == 0) {
				buf_addc(out, 'x');	/* as PostgreSQL: a plain x */
				break;
			}
			if (v == 0)
				return -1;	/* text cannot hold NUL */
			put_byte(out, v);
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0', k = 1;

				while (k < 3 && s < end && *s >= '0' && *s <= '7') {
					v = v * 8 + (*s++ - '0');
					k++;
				}
				if ((v & 0xff) == 0)
					return -1;
				put_byte(out, v & 0xff);
			} else {
				put_byte(out, c);	/* \\ and any other: itself */
			}
		}
	}
	buf_addc(out, '"');
	return 0;
}

int
sf_csv_row(const char *line, size_t n, const char *extra, struct buf *out, int *badfield)
{
	const char *p = line, *end = line + n;
	int f = 0;

	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(end - p));
		size_t len = t ? (size_t)(t - p) : (size_t)(end - p);

		f++;
		if (f > 1)
			buf_addc(out, '\t');
		if (!(len == 2 && p[0] == '\\' && p[1] == 'N') && add_field(out, p, len)) {
			*badfield = f;
			return -1;
		}
		if (!t)
			break;
		p = t + 1;
	}
	if (extra) {	/* plain text, not COPY text: only quotes to double */
		buf_adds(out, "\t\"");
		for (const char *s = extra; *s; s++) {
			if (*s == '"')
				buf_addc(out, '"');
			buf_addc(out, *s);
		}
		buf_addc(out, '"');
	}
	buf_addc(out, '\n');
	return 0;
}

/* End the statement that began at p->sql offset start: keep a copy
 * for --exec, and end it with ";\n" in load.sql. */
static void
stmt_end(struct sfplan *p, size_t start)
{
	p->stmt = xrealloc(p->stmt, (size_t)(p->nstmt + 1) * sizeof(*p->stmt));
	p->stmt[p->nstmt] = xmalloc(p->sql.len - start + 1);
	memcpy(p->stmt[p->nstmt], p->sql.p + start, p->sql.len - start);
	p->stmt[p->nstmt][p->sql.len - start] = 0;
	p->nstmt++;
	buf_adds(&p->sql, ";\n");
}

/* The stage of the table: @[SCHEMA.]%TABLE, or the --exec stage. */
static void
add_stage(struct sfplan *p, struct buf *b)
{
	const char *dot = strchr(p->table, '.');

	if (p->stage) {
		buf_printf(b, "@%s", p->stage);
		return;
	}
	buf_printf(b, "@%.*s%%%s", dot ? (int)(dot - p->table + 1) : 0, p->table, dot ? dot + 1 : p->table);
}

int
sfplan_outcome(const char *v, uint64_t *rows)
{
	char *end;

	if (!strcmp(v, "unchanged"))
		return 0;
	if (strncmp(v, "loaded ", 7) || v[7] < '0' || v[7] > '9')
		return -1;
	*rows = strtoull(v + 7, &end, 10);
	return *end ? -1 : 1;
}

int
sfplan_init(struct sfplan *p, const char *dir, const char *table, const char *stage,
	    uint64_t chunk_bytes, int create, struct gha_err *err)
{
	const char *dot = strchr(table, '.');
	char abs[PATH_MAX];
	size_t st;

	memset(p, 0, sizeof(*p));
	p->stage = stage;
	if (stage && !plain_ident(stage, strlen(stage)) &&
	    !(strchr(stage, '.') && plain_ident(stage, (size_t)(strchr(stage, '.') - stage)) &&
	      plain_ident(strchr(stage, '.') + 1, strlen(strchr(stage, '.') + 1))))
		return gha_seterr(err, GHA_USAGE, "--stage: '%s' is not NAME or SCHEMA.NAME "
				  "in letters, digits and _", stage);
	if (dot ? !plain_ident(table, (size_t)(dot - table)) || !plain_ident(dot + 1, strlen(dot + 1))
		: !plain_ident(table, strlen(table)))
		return gha_seterr(err, GHA_USAGE, "--target snowflake: '%s' is not TABLE or SCHEMA.TABLE "
				  "in letters, digits and _", table);
	if (mkdirs(dir, err))
		return -1;
	if (!realpath(dir, abs))
		return gha_seterr(err, GHA_IOERR, "%s:", dir);
	p->dir = dir;
	p->absdir = xstrdup(abs);
	p->table = table;
	p->chunk_bytes = chunk_bytes;
	p->create = create;
	buf_init(&p->sql);
	buf_init(&p->ident);
	buf_adds(&p->sql, stage ? "-- written and run by gha-load " GHA_VERSION " --target snowflake --exec\n"
		 : "-- written by gha-load " GHA_VERSION " --target snowflake; run: snow sql -f load.sql\n");
	buf_adds(&p->sql, "-- Each source is replaced in one transaction unless gha_loads has its content.\n");
	st = p->sql.len;
	buf_adds(&p->sql, "CREATE FILE FORMAT IF NOT EXISTS " FORMAT_NAME "\n"
		 "    TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = '\\t' RECORD_DELIMITER = '\\n'\n"
		 "    FIELD_OPTIONALLY_ENCLOSED_BY = '\"' ESCAPE = NONE ESCAPE_UNENCLOSED_FIELD = NONE\n"
		 "    EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () SKIP_HEADER = 0 ENCODING = 'UTF8'\n"
		 "    ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE");
	stmt_end(p, st);
	/* the manifest in the table's schema, as in PostgreSQL */
	p->manifest = xmalloc(strlen(table) + 16);
	snprintf(p->manifest, strlen(table) + 16, "%.*sgha_loads",
		 dot ? (int)(dot - table + 1) : 0, table);
	if (create && dot) {
		st = p->sql.len;
		buf_adds(&p->sql, "CREATE SCHEMA IF NOT EXISTS ");
		buf_add(&p->sql, table, (size_t)(dot - table));
		stmt_end(p, st);
	}
	/* ROWS is a reserved word in Snowflake */
	st = p->sql.len;
	buf_printf(&p->sql, "CREATE TABLE IF NOT EXISTS %s (target_table TEXT NOT NULL, source TEXT NOT NULL,\n"
		   "    sha256 TEXT NOT NULL, \"ROWS\" NUMBER NOT NULL, loaded_at TIMESTAMP_TZ NOT NULL,\n"
		   "    tool_version TEXT NOT NULL, PRIMARY KEY (target_table, source))", p->manifest);
	stmt_end(p, st);
	if (create) {
		const char *base = dot ? dot + 1 : table;
		const struct schema_table *t = schema_find(base);
		struct buf ddl;

		if (!t) {
			gha_seterr(err, GHA_DATAERR, "--create: no DDL for a table named '%s'", base);
			sfplan_free(p);
			return -1;
		}
		buf_init(&ddl);
		schema_ddl(t, SQL_SNOWFLAKE, table, &ddl);
		/* the DDL ends "\n);\n": add the source column before it */
		if (ddl.len > 4 && !memcmp(ddl.p + ddl.len - 4, "\n);\n", 4)) {
			ddl.len -= 4;
			buf_adds(&ddl, ",\n    _source              TEXT NOT NULL\n);\n");
		}
		st = p->sql.len;
		buf_add(&p->sql, ddl.p, ddl.len - 2);	/* without ";\n" */
		stmt_end(p, st);
		buf_free(&ddl);
	}
	return 0;
}

struct chunk {
	FILE *fp;
	z_stream zs;
	struct sha256 h;
	uint64_t bytes;
	char tmp[PATH_MAX];
	unsigned char out[1 << 16];
};

static int
chunk_open(struct sfplan *p, struct chunk *c, struct gha_err *err)
{
	snprintf(c->tmp, sizeof(c->tmp), "%s/.chunk.%ld.tmp", p->dir, (long)getpid());
	if (!(c->fp = fopen(c->tmp, "wb")))
		return gha_seterr(err, GHA_IOERR, "%s:", c->tmp);
	memset(&c->zs, 0, sizeof(c->zs));
	/* 31: a gzip wrapper with no name and no time, so the bytes depend
	 * on the content only */
	if (deflateInit2(&c->zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		fclose(c->fp);
		unlink(c->tmp);
		return gha_seterr(err, GHA_UNAVAILABLE, "zlib: deflateInit2 failed");
	}
	sha256_init(&c->h);
	c->bytes = 0;
	return 0;
}

static int
chunk_write(struct chunk *c, const void *data, size_t n, int flush, struct gha_err *err)
{
	int r;

	sha256_update(&c->h, data, n);
	c->bytes += n;
	c->zs.next_in = (unsigned char *)(uintptr_t)data;
	c->zs.avail_in = (uInt)n;
	do {
		c->zs.next_out = c->out;
		c->zs.avail_out = sizeof(c->out);
		r = deflate(&c->zs, flush ? Z_FINISH : Z_NO_FLUSH);
		if (r == Z_STREAM_ERROR)
			return gha_seterr(err, GHA_IOERR, "zlib: deflate failed");
		if (fwrite(c->out, 1, sizeof(c->out) - c->zs.avail_out, c->fp) !=
		    sizeof(c->out) - c->zs.avail_out)
			return gha_seterr(err, GHA_IOERR, "write error on '%s':", c->tmp);
	} while (c->zs.avail_out == 0 || (flush && r != Z_STREAM_END));
	return 0;
}

/* Finish the chunk, name it by its content, list it in names. */
static int
chunk_close(struct sfplan *p, struct chunk *c, struct buf *names, struct gha_err *err)
{
	char sha[65], path[PATH_MAX];
	int bad = chunk_write(c, "", 0, 1, err);

	deflateEnd(&c->zs);
	sha256_hex(&c->h, sha);
	if (fflush(c->fp) || fsync(fileno(c->fp)))
		bad = bad ? bad : gha_seterr(err, GHA_IOERR, "write error on '%s':", c->tmp);
	if (fclose(c->fp) && !bad)
		bad = gha_seterr(err, GHA_IOERR, "write error on '%s':", c->tmp);
	c->fp = NULL;
	snprintf(path, sizeof(path), "%s/part-%s.csv.gz", p->dir, sha);
	if (!bad && rename(c->tmp, path))
		bad = gha_seterr(err, GHA_IOERR, "rename to '%s':", path);
	if (bad) {
		unlink(c->tmp);
		return -1;
	}
	buf_printf(names, "%s'part-%s.csv.gz'", names->len ? ", " : "", sha);
	p->chunk = xrealloc(p->chunk, (size_t)(p->nchunk + 1) * sizeof(*p->chunk));
	snprintf(path, sizeof(path), "part-%s.csv.gz", sha);
	p->chunk[p->nchunk++] = xstrdup(path);
	if (p->stage)
		return 0;
	buf_adds(&p->sql, "PUT ");
	{
		struct buf u;

		buf_init(&u);
		buf_printf(&u, "file://%s/part-%s.csv.gz", p->absdir, sha);
		buf_addc(&u, 0);
		sql_str(&p->sql, u.p);
		buf_free(&u);
	}
	buf_printf(&p->sql, " @%s%.*s%%%s AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = FALSE;\n",
		   "", strchr(p->table, '.') ? (int)(strchr(p->table, '.') - p->table + 1) : 0, p->table,
		   strchr(p->table, '.') ? strchr(p->table, '.') + 1 : p->table);
	return 0;
}

static void
chunk_abort(struct chunk *c)
{
	if (c->fp) {
		deflateEnd(&c->zs);
		sha256_free(&c->h);
		fclose(c->fp);
		c->fp = NULL;
		unlink(c->tmp);
	}
}

/* The column list from the header, identifiers as the DDL writes them. */
static int
columns(struct sfplan *p, const char *file, const struct line *hdr, struct buf *cols,
	struct gha_err *err)
{
	const char *s = hdr->p, *end = hdr->p + hdr->len;

	for (;;) {
		const char *t = memchr(s, '\t', (size_t)(end - s));
		size_t len = t ? (size_t)(t - s) : (size_t)(end - s);

		if (!plain_ident(s, len) || (len == 7 && !memcmp(s, "_source", 7)))
			return gha_seterr(err, GHA_DATAERR, "%s:%llu: header field '%.*s' is not a column name",
					  file, (unsigned long long)hdr->lineno, (int)len, s);
		p->ident.len = 0;
		buf_add(&p->ident, s, len);
		buf_addc(&p->ident, 0);
		{
			char *name = xstrdup(p->ident.p);

			p->ident.len = 0;
			schema_ident(name, SQL_SNOWFLAKE, &p->ident);
			free(name);
		}
		buf_add(cols, p->ident.p, p->ident.len);
		buf_adds(cols, ", ");
		if (!t)
			break;
		s = t + 1;
	}
	buf_adds(cols, "_source");
	return 0;
}

int
sfplan_file(struct sfplan *p, const char *path, const char *source, struct sfplan_result *res,
	    struct gha_err *err)
{
	const char *file = path && strcmp(path, "-") ? path : "<stdin>";
	struct lineread *lr;
	struct line ln;
	struct sha256 h;
	struct chunk c = { 0 };
	struct buf row, cols, names;
	int r, bad, ret = -1, chunk0 = p->nchunk;
	size_t st;

	memset(res, 0, sizeof(*res));
	if (!(lr = lr_open(path, err)))
		return -1;
	buf_init(&row);
	buf_init(&cols);
	buf_init(&names);
	sha256_init(&h);
	if ((r = lr_next(lr, &ln, err)) <= 0) {
		if (r == 0)
			gha_seterr(err, GHA_DATAERR, "%s: empty: no header line", file);
		goto out;
	}
	if (lr_whole(&ln, file, err))
		goto out;
	sha256_update(&h, ln.p, ln.len);
	sha256_update(&h, "\n", 1);
	res->bytes = ln.len + 1;
	if (columns(p, file, &ln, &cols, err))
		goto out;
	while ((r = lr_next(lr, &ln, err)) > 0) {
		if (lr_whole(&ln, file, err))
			goto out;
		sha256_update(&h, ln.p, ln.len);
		sha256_update(&h, "\n", 1);
		res->bytes += ln.len + 1;
		row.len = 0;
		if (sf_csv_row(ln.p, ln.len, source, &row, &bad)) {
			gha_seterr(err, GHA_DATAERR, "%s:%llu: field %d: a bad COPY escape", file,
				   (unsigned long long)ln.lineno, bad);
			goto out;
		}
		if (!c.fp && chunk_open(p, &c, err))
			goto out;
		if (chunk_write(&c, row.p, row.len, 0, err))
			goto out;
		res->rows++;
		if (c.bytes >= p->chunk_bytes) {
			if (chunk_close(p, &c, &names, err))
				goto out;
			res->chunks++;
		}
	}
	if (r < 0)
		goto out;
	if (c.fp) {
		if (chunk_close(p, &c, &names, err))
			goto out;
		res->chunks++;
	}
	sha256_hex(&h, res->sha256);
	/* One transaction per source, skipped when the manifest has its
	 * content; the rows the COPY left are counted before the commit, so
	 * a load that is not exactly the input's rows is rolled back. The
	 * block's value says what happened ('unchanged', 'loaded N'). */
	st = p->sql.len;
	buf_adds(&p->sql, "EXECUTE IMMEDIATE $$\nDECLARE\n    n INTEGER DEFAULT 0;\nBEGIN\n"
		 "    BEGIN TRANSACTION;\n    IF (EXISTS (SELECT 1 FROM ");
	buf_adds(&p->sql, p->manifest);
	buf_adds(&p->sql, " WHERE target_table = ");
	sql_str(&p->sql, p->table);
	buf_adds(&p->sql, " AND source = ");
	sql_str(&p->sql, source);
	buf_printf(&p->sql, " AND sha256 = '%s')) THEN\n        COMMIT;\n        RETURN 'unchanged';\n"
		   "    END IF;\n    DELETE FROM %s WHERE _source = ", res->sha256, p->table);
	sql_str(&p->sql, source);
	buf_adds(&p->sql, ";\n");
	if (names.len) {
		buf_printf(&p->sql, "    COPY INTO %s (%s) FROM ", p->table, cols.p ? cols.p : "");
		add_stage(p, &p->sql);
		buf_printf(&p->sql, "\n        FILES = (%s)\n"
			   "        FILE_FORMAT = (FORMAT_NAME = " FORMAT_NAME ") ON_ERROR = ABORT_STATEMENT FORCE = TRUE;\n",
			   names.p);
	}
	buf_printf(&p->sql, "    SELECT COUNT(*) INTO :n FROM %s WHERE _source = ", p->table);
	sql_str(&p->sql, source);
	buf_printf(&p->sql, ";\n    IF (n <> %llu) THEN\n        ROLLBACK;\n        RETURN 'mismatch ' || n;\n"
		   "    END IF;\n", (unsigned long long)res->rows);
	buf_printf(&p->sql, "    DELETE FROM %s WHERE target_table = ", p->manifest);
	sql_str(&p->sql, p->table);
	buf_adds(&p->sql, " AND source = ");
	sql_str(&p->sql, source);
	buf_printf(&p->sql, ";\n    INSERT INTO %s VALUES (", p->manifest);
	sql_str(&p->sql, p->table);
	buf_adds(&p->sql, ", ");
	sql_str(&p->sql, source);
	buf_printf(&p->sql, ", '%s', %llu, CURRENT_TIMESTAMP(), '" GHA_VERSION "');\n"
		   "    COMMIT;\n    RETURN 'loaded ' || n;\n"
		   "EXCEPTION\n    WHEN OTHER THEN\n        ROLLBACK;\n        RAISE;\nEND;\n$$",
		   res->sha256, (unsigned long long)res->rows);
	stmt_end(p, st);
	p->in = xrealloc(p->in, (size_t)(p->nin + 1) * sizeof(*p->in));
	p->in[p->nin].chunk0 = chunk0;
	p->in[p->nin].nchunks = p->nchunk - chunk0;
	p->in[p->nin].stmt = p->nstmt - 1;
	p->in[p->nin].rows = res->rows;
	p->nin++;
	ret = 0;
out:
	if (ret) {
		chunk_abort(&c);
		sha256_free(&h);
	}
	lr_close(lr);
	buf_free(&row);
	buf_free(&cols);
	buf_free(&names);
	return ret;
}

int
sfplan_finish(struct sfplan *p, struct gha_err *err)
{
	struct buf path;
	int r;

	buf_init(&path);
	buf_printf(&path, "%s/load.sql", p->dir);
	r = write_atomic(path.p, p->sql.p, p->sql.len, err);
	buf_free(&path);
	return r;
}

void
sfplan_free(struct sfplan *p)
{
	for (int i = 0; i < p->nstmt; i++)
		free(p->stmt[i]);
	for (int i = 0; i < p->nchunk; i++)
		free(p->chunk[i]);
	free(p->stmt);
	free(p->chunk);
	free(p->in);
	p->stmt = p->chunk = NULL;
	p->in = NULL;
	p->nstmt = p->nchunk = 0;
	free(p->absdir);
	free(p->manifest);
	p->manifest = NULL;
	buf_free(&p->sql);
	buf_free(&p->ident);
	p->absdir = NULL;
}
