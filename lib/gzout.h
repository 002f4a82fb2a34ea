/* gzout.h: a stdio stream that writes gzip (ISA-L level 2, no name, mtime 0:
 * the same bytes run after run, as with gzip -n) into another. */
#ifndef GHA_GZOUT_H
#define GHA_GZOUT_H

#include <stdio.h>

/* A stream whose bytes go deflated to `to`; fclose() on it ends the gzip
 * stream and flushes `to` and reports any write error, as EOF with its
 * errno (writes before do not fail), but leaves `to` open. NULL when
 * it cannot start. */
FILE *gzout_open(FILE *to);
/* 1 when PATH names a gzip file (ends in ".gz") */
int gzout_wanted(const char *path);

#endif
