/* lineread.h: a streaming line reader over gzip (detected by its magic
 * bytes, not its name) or plain input. Lines may be any length (past
 * LR_MAXLINE only their first bytes are kept, see below); a missing
 * final newline is fine; a trailing CR is removed (and reported in
 * line.crlf). On a truncated or corrupt gzip stream every complete line
 * is delivered first; then lr_next returns -1 with the damage and its
 * compressed byte offset in err. */
#ifndef GHA_LINEREAD_H
#define GHA_LINEREAD_H

#include "gha.h"

struct line {
	const char *p;		/* not NUL-terminated; valid until the next call */
	size_t len;
	uint64_t lineno;	/* 1-based */
	uint64_t offset;	/* byte offset of the line in the uncompressed stream */
	int crlf;		/* the line ended in CR LF */
	int partial;		/* last line of a damaged stream: may be cut short */
	int overlong;		/* longer than LR_MAXLINE: p holds its first bytes */
	uint64_t size;		/* the whole line's length, CR excluded */
};
/* A line over LR_MAXLINE bytes (a CR before its newline included) is
 * delivered as its first LR_KEEP bytes, flagged overlong, the rest read
 * past without being kept: a gzip bomb cannot grow one line unbounded. */
#define LR_MAXLINE (64u << 20)
#define LR_KEEP (64u << 10)
struct lineread;
/* path NULL or "-" reads stdin; returns NULL with err filled (66 or 74). */
struct lineread *lr_open(const char *path, struct gha_err *err);
/* 1: a line; 0: end of input; -1: error in err (65 damaged gzip, 74 read). */
int lr_next(struct lineread *lr, struct line *ln, struct gha_err *err);
/* 0 for a whole line; -1 with err (65, "NAME:LINE: line too long ...")
 * for an overlong one, which holds only its first bytes: a reader that
 * does not quarantine lines must not take it for the line. */
int lr_whole(const struct line *ln, const char *name, struct gha_err *err);
int lr_is_gzip(const struct lineread *lr);
uint64_t lr_bytes_in(const struct lineread *lr);	/* compressed bytes read */
uint64_t lr_bytes_out(const struct lineread *lr);	/* uncompressed bytes delivered */
void lr_close(struct lineread *lr);

#endif
