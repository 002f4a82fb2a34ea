/* fuzz_hour.c: the time parsers: ts_parse (RFC 3339, every created_at),
 * hour_parse and hour_parse_range (command lines, file names). Oracles:
 * what parses formats back to text that parses to the same second, and
 * a range is one hour or one whole day. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64], out[32];
	int64_t t, u, lo, hi;

	if (ts_parse((const char *)data, size, &t) == 0) {
		ts_format(t, out);
		if (ts_parse(out, strlen(out), &u) || u != t)
			abort();	/* a time we accept, written so we cannot read it */
	}
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (hour_parse(s, &t) == 0) {
		if (t % HOUR_SECS)
			abort();
		hour_format(t, out);
		if (hour_parse(out, &u) || u != t)
			abort();
	}
	if (hour_parse_range(s, &lo, &hi) == 0) {
		if (hi != lo && hi != lo + 23 * HOUR_SECS)
			abort();
		hour_format(lo, out);
		if (hour_parse(out, &u) || u != lo)
			abort();
	}
	return 0;
}
