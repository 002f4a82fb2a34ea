/* copyin.h: reading PostgreSQL COPY text (tab-separated, one header line,
 * backslash escapes, \N for NULL) from a file or stdin, gzip or plain.
 *
 * Columns are found by their header name: a caller binds the names it
 * wants (any subset, any order); a required name missing from the header
 * is an error naming it and the file. Rows are split on demand: only the
 * bound fields are looked at, but every row is checked for its field
 * count and for valid escapes, so a damaged row is never half used.
 *
 * Escapes, as PostgreSQL writes and reads them: \b \f \n \r \t \v \\,
 * \ooo (1 to 3 octal digits), \xhh (1 or 2 hex digits); \N alone is NULL.
 * Stricter than PostgreSQL on purpose: a backslash before any other
 * character, a trailing backslash, and an escape that decodes to NUL are
 * "bad escape" (PostgreSQL takes the first as the character itself, and
 * rejects NUL too); no writer produces them.
 *
 * Memory is bounded: a line longer than COPYIN_MAXLINE bytes is rejected
 * as "line too long" (the reader still holds it once while it skips it).
 */
#ifndef COPYIN_H
#define COPYIN_H

#include "gha.h"
#include "lineread.h"
#include "quarantine.h"

#define COPYIN_MAXLINE (64u << 20)	/* 64 MiB: far above any silver row */
#define COPYIN_MAXFIELDS 4096

struct copyin_field {
	const char *p;		/* raw bytes in the line, escapes not decoded */
	size_t n;
	int null;		/* the field is \N */
	int esc;		/* holds a backslash: decode before use */
};

struct copyin {
	const char *name;	/* for messages: the path, or "<stdin>" */
	struct lineread *lr;
	struct quarantine *q;	/* malformed rows go here (NULL: count only) */
	int nfields;		/* fields in the header */
	char **hdr;		/* header names */
	int nbind;
	int *field;		/* per bound column: its field index, or -1 */
	int *bindof;		/* per field: its bound column, or -1 */
	struct copyin_field *f;	/* per bound column, for the current row */
	struct buf *dec;	/* per bound column: decoded text */
	struct line ln;		/* the current line */
	uint64_t rows, rejected;
	const char *why;	/* why the last row was malformed */
	int qerr;		/* the quarantine could not be written */
};

void copyin_init(struct copyin *c, struct quarantine *q);
void copyin_free(struct copyin *c);
/* Parse the header line; -1 with err (65) when it is not a valid one. */
int copyin_header(struct copyin *c, const char *p, size_t n, struct gha_err *err);
/* Bind names[0..n) to columns 0..n). required[i] nonzero: a missing name
 * is an error (65, naming the column and the file). required may be NULL
 * (nothing required). A name present twice in the header is an error. */
int copyin_bind(struct copyin *c, const char *const *names, int n, const unsigned char *required,
		struct gha_err *err);
/* Split one data line into the bound fields. 0, or -1 with c->why. */
int copyin_split(struct copyin *c, const char *p, size_t n);

/* Open a file (NULL or "-": stdin), read and parse its header. 0, or -1
 * with err (66 cannot open, 65 no or bad header, 74 read error). */
int copyin_open(struct copyin *c, const char *path, struct gha_err *err);
/* Bind after copyin_open, then read rows: 1 a row (fields split), 0 end,
 * -1 error in err (damaged gzip, read error). Malformed rows are sent to
 * the quarantine and skipped, counted in c->rejected. */
int copyin_next(struct copyin *c, struct gha_err *err);
void copyin_close(struct copyin *c);
/* Reject the current row for a reason found by the caller (a bad number). */
void copyin_reject(struct copyin *c, const char *code, const char *why);

/* Values of bound column col in the current row. A column not in the
 * header reads as NULL. */
int copyin_isnull(const struct copyin *c, int col);
/* Text with escapes decoded (not NUL-terminated), NULL for \N. */
const char *copyin_text(struct copyin *c, int col, size_t *n);
/* 1 a value, 0 NULL, -1 not what it should be. */
int copyin_int64(struct copyin *c, int col, int64_t *v);
int copyin_bool(struct copyin *c, int col, int *v);		/* t / f */
int copyin_time(struct copyin *c, int col, int64_t *utc);	/* RFC 3339, UTC seconds */

/* Decode COPY text escapes of s[0..n) into out (cleared first). 0, or -1
 * on a bad escape. */
int copy_decode(const char *s, size_t n, struct buf *out);

#endif
