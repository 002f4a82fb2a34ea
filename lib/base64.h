/* base64.h: base64 (RFC 4648, with padding). */
#ifndef GHA_BASE64_H
#define GHA_BASE64_H

#include "gha.h"

void base64_add(struct buf *b, const unsigned char *s, size_t n);	/* appends */

#endif
