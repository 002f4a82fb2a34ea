/* err.c: the "gha-NAME: " message prefix and library error filling. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gha.h"

const char *gha_progname = "gha";

void
gha_setprog(const char *argv0)
{
	const char *s = strrchr(argv0, '/');

	gha_progname = s ? s + 1 : argv0;
}

void
gha_warn(const char *fmt, ...)
{
	int saved = errno;
	size_t n = strlen(fmt);
	va_list ap;

	fprintf(stderr, "%s: ", gha_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

int
gha_seterr(struct gha_err *e, int code, const char *fmt, ...)
{
	int saved = errno;
	size_t n = strlen(fmt), len;
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (n > 0 && fmt[n - 1] == ':' && len < sizeof(e->msg))
		snprintf(e->msg + len, sizeof(e->msg) - len, " %s", strerror(saved));
	return -1;
}

static int
rank(int code)
{
	switch (code) {
	case GHA_OK: return 0;
	case GHA_PARTIAL: return 1;
	case GHA_TEMPFAIL: return 2;
	case GHA_DATAERR: return 3;
	case GHA_NOINPUT: return 4;
	case GHA_UNAVAILABLE: return 5;
	case GHA_IOERR: return 6;
	case GHA_USAGE: return 7;
	default: return 8;
	}
}

int
gha_exit_worse(int a, int b)
{
	return rank(a) >= rank(b) ? a : b;
}
