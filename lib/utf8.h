/* utf8.h: UTF-8 validation and encoding. */
#ifndef GHA_UTF8_H
#define GHA_UTF8_H

#include <stddef.h>

struct buf;

int utf8_valid(const unsigned char *s, size_t n); /* 1 when valid UTF-8 */
/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when invalid. */
size_t utf8_seqlen(const unsigned char *p, const unsigned char *end);
/* Append code point cp as UTF-8. */
void utf8_put(struct buf *b, unsigned cp);
/* A JSON \uXXXX escape at p (a surrogate pair as one): the code point in
 * *cp, lone surrogates as U+FFFD; returns the bytes used, 0 if malformed. */
size_t json_u_escape(const char *p, const char *end, unsigned *cp);

#endif
