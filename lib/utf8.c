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

void
utf8_put(struct buf *b, unsigned cp)
{
	char u[4];

	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

static int
hex4(const char *p, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= '0' && c <= '9')
			*v = *v * 16 + (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v = *v * 16 + ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

size_t
json_u_escape(const char *p, const char *end, unsigned *cp)
{
	unsigned lo;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, cp))
		return 0;
	if (*cp >= 0xd800 && *cp <= 0xdbff && end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
	    !hex4(p + 8, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
		return 12;
	}
	if (*cp >= 0xd800 && *cp <= 0xdfff)
		*cp = 0xfffd;	/* a lone surrogate: RFC 8259 allows it, UTF-8 cannot hold it */
	return 6;
}
