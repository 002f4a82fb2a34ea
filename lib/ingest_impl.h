/* ingest_impl.h: what ingest.c and docjoin.c share; private to them. */
#ifndef GHA_INGEST_IMPL_H
#define GHA_INGEST_IMPL_H

#include "ingest.h"
#include "lineread.h"

/* ingest.c: the per-record steps docjoin.c hands records back to */
void ingest_reject(struct ingest *g, const struct line *ln, size_t at, const char *code,
		   const char *why, const char *raw, size_t len);
void ingest_value(struct ingest *g, const struct line *ln, size_t at, const char *p, size_t n);
void ingest_feed(struct ingest *g, const struct line *ln);

/* docjoin.c: a document spread over lines, gathered */
struct docjoin *docjoin_new(void);
void docjoin_free(struct docjoin *d);
int docjoin_active(const struct docjoin *d);
int docjoin_start(struct ingest *g, const struct line *ln, size_t rn, const char *code,
		  const char *why);
void docjoin_line(struct ingest *g, const struct line *ln);	/* while active */
void docjoin_give_up(struct ingest *g);				/* the input ended */

#endif
