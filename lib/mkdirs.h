/* mkdirs.h: mkdir -p PATH; an error when some part is not a directory. */
#ifndef GHA_MKDIRS_H
#define GHA_MKDIRS_H

#include "gha.h"

int mkdirs(const char *path, struct gha_err *err);

#endif
