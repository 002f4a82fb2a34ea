/* base64.c: base64 (RFC 4648, with padding), for bytes a report must
 * carry that are not text (the quarantine's raw_base64). */
#include "gha.h"
#include "base64.h"

void
base64_add(struct buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	buf_reserve(b, (n + 2) / 3 * 4);
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		char q[4] = { tab[v >> 18], tab[v >> 12 & 63], tab[v >> 6 & 63], tab[v & 63] };

		buf_add(b, q, 4);
	}
	if (i < n) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
		char q[4] = { tab[v >> 18], tab[v >> 12 & 63],
			      i + 1 < n ? tab[v >> 6 & 63] : '=', '=' };

		buf_add(b, q, 4);
	}
}
