/* sfplan.h: the offline Snowflake plan of gha-load --target snowflake:
 * COPY text re-encoded as content-named gzip CSV chunks, plus load.sql. */
#ifndef GHA_SFPLAN_H
#define GHA_SFPLAN_H

#include <stdint.h>

#include "gha.h"

struct sfplan {
	const char *dir;	/* where chunks and load.sql go */
	char *absdir;		/* dir made absolute, for PUT */
	const char *table;	/* TABLE or SCHEMA.TABLE, plain identifiers */
	char *manifest;		/* [SCHEMA.]gha_loads */
	uint64_t chunk_bytes;	/* uncompressed CSV bytes per chunk, at most */
	int create;		/* CREATE TABLE from the schema registry */
	struct buf sql;		/* load.sql, built input by input */
	struct buf ident;	/* scratch */
	int nin;
	/* --exec: the chunks go to this (external) stage instead of the
	 * table's, and no PUT is written; NULL for a plan */
	const char *stage;
	char **stmt;		/* every statement of load.sql but the PUTs, in order */
	int nstmt;
	char **chunk;		/* every chunk's file name, in order */
	int nchunk;
	struct sfplan_input {
		int chunk0, nchunks;	/* its chunks: chunk[chunk0..+nchunks) */
		int stmt;		/* its guarded transaction: stmt[stmt] */
		uint64_t rows;
	} *in;
};

struct sfplan_result {
	uint64_t rows, bytes;
	int chunks;
	char sha256[65];	/* of the input's content, as gha-load computes it */
};

/* 0, or -1 with err (64: a table name Snowflake would need quoted). */
int sfplan_init(struct sfplan *p, const char *dir, const char *table, const char *stage,
		uint64_t chunk_bytes, int create, struct gha_err *err);
/* Encode one input (NULL or "-": stdin) under source. */
int sfplan_file(struct sfplan *p, const char *path, const char *source, struct sfplan_result *res,
		struct gha_err *err);
/* The answer of an input's transaction (its RETURN value): 1 loaded
 * (*rows set), 0 unchanged, -1 anything else. */
int sfplan_outcome(const char *value, uint64_t *rows);
/* Write DIR/load.sql. */
int sfplan_finish(struct sfplan *p, struct gha_err *err);
void sfplan_free(struct sfplan *p);

/* One COPY text row as CSV for Snowflake: fields decoded from COPY
 * escapes; every non-NULL field in double quotes (a quote doubled), NULL
 * an empty unquoted field; TAB between fields; extra (already plain
 * text, or NULL) appended as one more field; LF at the end. -1 on a bad
 * escape (*badfield: its 1-based number). */
int sf_csv_row(const char *line, size_t n, const char *extra, struct buf *out, int *badfield);

#endif
