/* tsv.h: PostgreSQL COPY text format: the writer (tsv.c) and field
 * decoding (copy_unescape). */
#ifndef GHA_TSV_H
#define GHA_TSV_H

#include "gha.h"

struct tsv {
	FILE *fp;
	int ncols, col;
	struct buf row;
};
void tsv_init(struct tsv *t, FILE *fp, int ncols);
void tsv_free(struct tsv *t);
int tsv_header(struct tsv *t, const char *const *names);
void tsv_str(struct tsv *t, const char *s, size_t n);	/* escapes \t \n \r \\ */
void tsv_cstr(struct tsv *t, const char *s);		/* NULL s writes \N */
void tsv_null(struct tsv *t);
void tsv_raw(struct tsv *t, const char *s, size_t n);	/* written as is */
/* The body of a JSON string (no quotes), escapes decoded, TSV-escaped;
 * \u0000, which PostgreSQL text cannot hold, becomes U+FFFD. */
void tsv_jstr(struct tsv *t, const char *s, size_t n);
void tsv_int(struct tsv *t, int64_t v);
void tsv_bool(struct tsv *t, int v);			/* t / f */
int tsv_end(struct tsv *t);				/* 0, or -1 on write error */

/* COPY text format field decoding: 0, or -1 on a bad escape. */
int copy_unescape(const char *s, size_t n, struct buf *out);

#endif
