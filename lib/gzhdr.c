/* gzhdr.c: a gzip member header (RFC 1952), parsed as bytes arrive.
 * ISA-L's own header parser accepts reserved flag bits and mis-checks
 * FHCRC when a long FNAME spans its input buffers; we parse the header
 * here and let ISA-L inflate and check the trailer. */
#include <zlib.h>

#include "gha.h"
#include "gzhdr.h"

enum { H_FIXED, H_XLEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_DONE };

#define FHCRC 0x02
#define FEXTRA 0x04
#define FNAME 0x08
#define FCOMMENT 0x10

void
gzhdr_init(struct gzhdr *h)
{
	h->state = H_FIXED;
	h->got = 0;
	h->need = 10;
	h->crc = crc32(0L, Z_NULL, 0);
}

static int
next_state(struct gzhdr *h, int from)
{
	int s;

	for (s = from; s < H_DONE; s++) {
		if ((s == H_XLEN && (h->flg & FEXTRA)) || (s == H_NAME && (h->flg & FNAME)) ||
		    (s == H_COMMENT && (h->flg & FCOMMENT)) || (s == H_HCRC && (h->flg & FHCRC)))
			break;
	}
	h->state = s;
	h->got = 0;
	h->need = s == H_XLEN || s == H_HCRC ? 2 : 0;
	return s;
}

long
gzhdr_feed(struct gzhdr *h, const unsigned char *p, size_t n, const char **why)
{
	size_t i = 0;

	while (i < n && h->state != H_DONE) {
		unsigned char c = p[i];

		if (h->state != H_HCRC)
			h->crc = crc32(h->crc, &c, 1);
		switch (h->state) {
		case H_FIXED:
			h->fixed[h->got++] = c;
			if (h->got == 10) {
				if (h->fixed[0] != 0x1f || h->fixed[1] != 0x8b) {
					*why = "not gzip (bad magic)";
					return -1;
				}
				if (h->fixed[2] != 8) {
					*why = "unsupported gzip compression method";
					return -1;
				}
				h->flg = h->fixed[3];
				if (h->flg & 0xe0) {
					*why = "invalid gzip header: reserved flag bits set";
					return -1;
				}
				next_state(h, H_XLEN);
			}
			break;
		case H_XLEN:
			h->xlen = h->got ? h->xlen | (size_t)c << 8 : c;
			if (++h->got == 2) {
				h->need = h->xlen;
				h->state = H_EXTRA;
				h->got = 0;
				if (h->need == 0)
					next_state(h, H_NAME);
			}
			break;
		case H_EXTRA:
			if (++h->got == h->need)
				next_state(h, H_NAME);
			break;
		case H_NAME:
		case H_COMMENT:
			if (c == 0)
				next_state(h, h->state + 1);
			break;
		case H_HCRC:
			h->hcrc = h->got ? h->hcrc | (unsigned)c << 8 : c;
			if (++h->got == 2) {
				if (h->hcrc != (h->crc & 0xffff)) {
					*why = "gzip header CRC mismatch";
					return -1;
				}
				h->state = H_DONE;
			}
			break;
		}
		i++;
	}
	return (long)i;
}

int
gzhdr_done(const struct gzhdr *h)
{
	return h->state == H_DONE;
}
