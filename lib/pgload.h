/* pgload.h: loading COPY text (a header line, then rows) into a
 * PostgreSQL table exactly once per source, over libpq. See gha-load(1). */
#ifndef GHA_PGLOAD_H
#define GHA_PGLOAD_H

#include <stdint.h>

#include "gha.h"

/* The column gha-load appends to every row: the source it came from. */
#define PGLOAD_SOURCE_COL "_source"
/* The manifest table, in the target table's schema. */
#define PGLOAD_MANIFEST "gha_loads"

struct pg_conn;	/* a PGconn; kept opaque so tools need not include libpq */

struct pgload {
	struct pg_conn *conn;
	char *password;		/* from the conninfo or PGPASSWORD: redacted from messages */
	char *target;		/* resolved "schema.table", unquoted: the manifest's key */
	char *qtarget;		/* quoted "schema"."table" */
	char *qmanifest;	/* quoted "schema".gha_loads */
	char **cols;		/* the target's columns */
	int ncols;
	int dead;		/* the connection is gone */
	/* progress: called about every 64k rows while streaming */
	void (*progress)(void *ctx, const char *file, uint64_t rows, uint64_t bytes);
	void *progress_ctx;
};

enum pgload_status { PGLOAD_LOADED, PGLOAD_UNCHANGED };

struct pgload_result {
	int status;		/* enum pgload_status */
	uint64_t rows;		/* rows loaded */
	uint64_t replaced;	/* earlier rows of the same source deleted */
	uint64_t bytes;		/* uncompressed bytes read */
	char sha256[65];	/* of the content: every line, LF-terminated */
};

/* Connect with a conninfo string or URI (NULL: libpq's defaults from PG*
 * variables, the service file, .pgpass). 69 when it cannot. */
int pgload_connect(struct pgload *L, const char *conninfo, struct gha_err *err);
/* Find the table ("name" or "schema.name") and its columns; with create,
 * make the schema, the table, the _source column and its index when
 * absent; ddl writes the CREATE TABLE of base (the name without schema)
 * as qname into out (see load_ddl). The manifest is made when absent. */
typedef int pgload_ddl_fn(const char *base, const char *qname, struct buf *out, struct gha_err *err);
int pgload_target(struct pgload *L, const char *table, int create, pgload_ddl_fn *ddl,
		  struct gha_err *err);
/* Load one input (path NULL or "-": stdin) under source. presha, when not
 * NULL, is the content's SHA-256 computed beforehand: an input already
 * loaded with it costs one lookup. One transaction; on error nothing of
 * it is committed and err says where (FILE:LINE: column C: reason). */
int pgload_file(struct pgload *L, const char *path, const char *source, const char *presha,
		struct pgload_result *res, struct gha_err *err);
void pgload_free(struct pgload *L);

/* The SHA-256 of an input's content as pgload_file computes it. */
int content_sha256(const char *path, char out[65], uint64_t *bytes, struct gha_err *err);
/* The source named by a file: its base name up to the first '.'
 * ("data/silver/2015-01-01-0.events.tsv.gz" -> "2015-01-01-0"). NULL when
 * that is empty. malloc'd. */
char *source_of(const char *path);
/* "COPY t, line 3, column c: ..." -> 3 and "c" (col may be left empty).
 * 0, or -1 when ctx names no line. */
int copy_context(const char *ctx, uint64_t *line, char *col, size_t colsz);

#endif
