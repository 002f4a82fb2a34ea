/* fuzz_http.c: the response headers gha-fetch parses (http_header), fed
 * line by line as libcurl does: each line in a buffer of its own exact
 * size, so a read past its end is an ASan error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "httphdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char etag[256], lastmod[64];
	int64_t first = -1;
	const uint8_t *p = data, *end = data + size, *nl;

	etag[0] = lastmod[0] = '\0';
	while (p < end) {
		size_t k;
		char *line;

		nl = memchr(p, '\n', (size_t)(end - p));
		k = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		line = xmalloc(k);
		memcpy(line, p, k);
		http_header(line, k, etag, sizeof(etag), lastmod, sizeof(lastmod), &first);
		free(line);
		p += k;
		if (first < -1 || strnlen(etag, sizeof(etag)) == sizeof(etag) ||
		    strnlen(lastmod, sizeof(lastmod)) == sizeof(lastmod))
			abort();
	}
	return 0;
}
