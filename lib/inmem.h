/* inmem.h: in-memory entry points of the parsers, the ones their file
 * and network paths wrap. The fuzz targets (tests/fuzz/) and unit tests
 * drive the parsers through these: no files, no threads. */
#ifndef GHA_INMEM_H
#define GHA_INMEM_H

#include "gha.h"

struct entset;
struct ingest;
struct lineread;

/* lineread.c: lines from p[0..n), gzip or plain as lr_open decides;
 * no thread, no descriptor. The bytes are taken chunk at a time and cut
 * into blocks of chunk bytes (0: the sizes lr_open uses), so small
 * chunks drive the paths where a line or a gzip header spans reads.
 * p must outlive the reader; name appears in messages (NULL: <memory>). */
struct lineread *lr_open_mem(const void *p, size_t n, const char *name, size_t chunk);
/* Lines over maxline bytes (LR_MAXLINE) keep their first keep bytes
 * (LR_KEEP): small values let tests and fuzzing reach that path. */
void lr_set_maxline(struct lineread *lr, size_t maxline, size_t keep);

/* entmerge.c: entset_merge_file over lines already open; name for
 * messages. Returns an exit code. */
int entset_merge_lr(struct entset *s, int *kind_set, struct lineread *lr, const char *name);

/* ingest.c: ingest_file over lines already open; name for messages and
 * stats; regular: a named file (not stdin), so 0 bytes is an error. */
int ingest_lr(struct ingest *g, struct lineread *lr, const char *name, int regular);

/* ledger.c: one line of the fetch ledger (NUL-terminated, cut at tabs
 * in place): 1 when it is an ok or not-modified attempt for hour, its
 * ETag and Last-Modified copied out ("" for "-"). */
int ledger_match(char *line, const char *hour, char etag[256], char lastmod[64]);

#endif
