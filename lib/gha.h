/* gha.h: the core of libgha that every file shares: exit codes, error
 * messages and the error struct, allocation, byte buffers, checked stream
 * shutdown. Each module has its own header (json.h, ingest.h, ...). */
#ifndef GHA_H
#define GHA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
/* the headers that declare what banned.h bans, before it (see there) */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GHA_VERSION "0.1.0"

/* Exit statuses, sysexits-style; every man page repeats this table. */
enum gha_exit {
	GHA_OK = 0,		/* success */
	GHA_PARTIAL = 1,	/* done, but some input rejected beyond tolerance */
	GHA_USAGE = 64,		/* bad command line */
	GHA_DATAERR = 65,	/* input is not what it must be */
	GHA_NOINPUT = 66,	/* an input file cannot be opened */
	GHA_UNAVAILABLE = 69,	/* a service or library is unavailable */
	GHA_IOERR = 74,		/* read or write error */
	GHA_TEMPFAIL = 75	/* temporary failure: retrying may succeed */
};

/* Rank exit codes by severity, so "the worst of all files" is one max(). */
int gha_exit_worse(int a, int b);

/* err.c: messages "gha-NAME: ..." on stderr. A format ending in ':'
 * appends strerror(errno). */
extern const char *gha_progname;
void gha_setprog(const char *argv0);
void gha_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An error filled by library code; main decides what to do with it. */
struct gha_err {
	int code;		/* an enum gha_exit value, 0 when none */
	char msg[256];
};
int gha_seterr(struct gha_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* xalloc.c: allocation that aborts with a message when memory runs out. */
void *xalloc_check(void *p);	/* p, or that message and abort() when NULL */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* fshut.c: flush and check a stream at exit; returns an exit code. EPIPE
 * counts as success: the reader went away, as with head(1). */
int fshut(FILE *fp, const char *name);

/* buf.c: a growable byte buffer. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include "banned.h"

#endif
