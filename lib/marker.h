/* marker.h: DIR/HOUR.missing, an hour recorded as missing upstream.
 * The marker holds the base URL (credentials hidden) the hour was missing
 * at, so another base URL asks again. */
#ifndef GHA_MARKER_H
#define GHA_MARKER_H

#include "gha.h"

/* 1 when the marker at path records url, else 0 (none, another URL, or
 * an older marker without one) */
int marker_matches(const char *path, const char *url);
int marker_write(const char *path, const char *url, struct gha_err *err);

#endif
