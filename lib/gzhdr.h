/* gzhdr.h: a gzip member header, fed in pieces (RFC 1952); used inside
 * libgha by lineread.c and gzverify.c. */
#ifndef GHA_GZHDR_H
#define GHA_GZHDR_H

#include <stddef.h>

struct gzhdr {
	int state;
	unsigned flg, hcrc;
	size_t got, need, xlen;
	unsigned long crc;
	unsigned char fixed[10];
};
void gzhdr_init(struct gzhdr *h);
/* Consume header bytes from p; returns how many, or -1 with *why. */
long gzhdr_feed(struct gzhdr *h, const unsigned char *p, size_t n, const char **why);
int gzhdr_done(const struct gzhdr *h);

#endif
