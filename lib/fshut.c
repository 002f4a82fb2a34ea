/* fshut.c: a checked close of an output stream at exit. */
#include <errno.h>
#include <stdio.h>

#include "gha.h"

int
fshut(FILE *fp, const char *name)
{
	int bad = 0;

	if (fflush(fp) == EOF || ferror(fp))
		bad = 1;
	if (bad && errno == EPIPE)
		return GHA_OK;
	if (fclose(fp) == EOF && !bad) {
		if (errno == EPIPE)
			return GHA_OK;
		bad = 1;
	}
	if (bad) {
		gha_warn("write error on '%s':", name);
		return GHA_IOERR;
	}
	return GHA_OK;
}
