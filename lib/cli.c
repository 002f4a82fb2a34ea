/* cli.c: parsing what users type on command lines. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "cli.h"

int
parse_rate(const char *s, double *rate)
{
	char *end;
	double v;

	/* decimals only: strtod would take 0x1, inf and nan too */
	if (!*s || strspn(s, "0123456789.") == 0 || strpbrk(s, "xXnNiIpP"))
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !(v >= 0 && v <= 1))
		return -1;
	*rate = v;
	return 0;
}
