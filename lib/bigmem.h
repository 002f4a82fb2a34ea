/* bigmem.h: arrays that grow large and are used whole (gold's facts and
 * symbols, their hash slots). */
#ifndef GHA_BIGMEM_H
#define GHA_BIGMEM_H

#include <stddef.h>

/* p (NULL for a new array) of old bytes grown to n bytes; the new bytes
 * are zero. Aborts with a message when memory runs out, as xmalloc. */
void *big_grow(void *p, size_t old, size_t n);
/* zeroed */
void *big_alloc(size_t n);
/* p of n bytes, as big_grow or big_alloc made it (NULL: nothing) */
void big_free(void *p, size_t n);

#endif
