/* fshut.c: a checked close of an output stream at exit. */
#include <errno.h>
#include <stdio.h>

#include "gha.h"

int
fshut(FILE *fp, const char *name)
{
	int bad = 0, pipe_gone = 0;

	if (fflush(fp) == EOF || ferror(fp)) {
		bad = 1;
		pipe_gone = errno == EPIPE;
	}
	if (fclose(fp) == EOF && !bad) {
		bad = 1;
		pipe_gone = errno == EPIPE;
	}
	if (pipe_gone)
		return GHA_OK;
	if (bad) {
		gha_warn("write error on '%s':", name);
		return GHA_IOERR;
	}
	return GHA_OK;
}
