/* utf8.h: internal to libgha. */
#ifndef GHA_UTF8_H
#define GHA_UTF8_H
#include <stddef.h>
/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when invalid. */
size_t utf8_seqlen(const unsigned char *p, const unsigned char *end);
#endif
