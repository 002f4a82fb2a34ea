/* fuzz_ledger.c: the fetch ledger's line parser (ledger_match), as
 * ledger_last_ok feeds it: lines of at most 2047 bytes, NUL-terminated,
 * newline kept. The input's first line is the hour asked for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "inmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	char hour[64], line[2048], etag[256], lastmod[64];
	size_t k;

	nl = memchr(p, '\n', size);
	k = nl ? (size_t)(nl - p) : size;
	if (k >= sizeof(hour))
		k = sizeof(hour) - 1;
	memcpy(hour, p, k);
	hour[k] = '\0';
	p = nl ? nl + 1 : end;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (k > sizeof(line) - 1)
			k = sizeof(line) - 1;	/* as fgets cuts it */
		memcpy(line, p, k);
		line[k] = '\0';
		p += k;
		memset(etag, 'x', sizeof(etag));
		memset(lastmod, 'x', sizeof(lastmod));
		if (ledger_match(line, hour, etag, lastmod) &&
		    (memchr(etag, '\t', strnlen(etag, 256)) || strnlen(etag, 256) == 256 ||
		     strnlen(lastmod, 64) == 64))
			abort();	/* a validator spans fields or is unterminated */
	}
	return 0;
}
