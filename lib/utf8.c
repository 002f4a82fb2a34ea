/* utf8.c: UTF-8 validation per RFC 3629 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
#include "gha.h"
#include "utf8.h"

size_t
utf8_seqlen(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t avail = (size_t)(end - p);

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return avail >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
		if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

int
utf8_valid(const unsigned char *s, size_t n)
{
	const unsigned char *end = s + n;

	while (s < end) {
		size_t k;

		if (*s < 0x80) {
			s++;
			continue;
		}
		k = utf8_seqlen(s, end);
		if (!k)
			return 0;
		s += k;
	}
	return 1;
}
