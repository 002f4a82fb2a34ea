/* jsonout.h: writing JSON text. */
#ifndef GHA_JSONOUT_H
#define GHA_JSONOUT_H

#include "gha.h"

void json_addstr(struct buf *b, const char *s, size_t n); /* quoted; s must be valid UTF-8 */
void json_addstr_lossy(struct buf *b, const char *s, size_t n);	/* bad bytes -> U+FFFD */

#endif
