/* xalloc.c: out of memory is the one failure library code may abort on. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"

void *
xalloc_check(void *p)
{
	if (!p) {
		gha_warn("out of memory");
		abort();
	}
	return p;
}

void *
xmalloc(size_t n)
{
	return xalloc_check(malloc(n ? n : 1));
}

void *
xcalloc(size_t n, size_t size)
{
	return xalloc_check(calloc(n ? n : 1, size ? size : 1));
}

void *
xrealloc(void *p, size_t n)
{
	return xalloc_check(realloc(p, n ? n : 1));
}

char *
xstrdup(const char *s)
{
	return xalloc_check(strdup(s));
}
