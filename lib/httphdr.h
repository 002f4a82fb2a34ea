/* httphdr.h: the response headers gha-fetch acts on. */
#ifndef GHA_HTTPHDR_H
#define GHA_HTTPHDR_H

#include <stddef.h>
#include <stdint.h>

/* One header line as libcurl hands it over: p[0..len), not NUL-terminated,
 * CR LF included. A status line ("HTTP/...") starts a new response and
 * forgets the last one's values; ETag and Last-Modified are copied (cut
 * to their buffers); Content-Range gives the first byte of the part, -1
 * when there is none or it is not a number. */
void http_header(const char *p, size_t len, char *etag, size_t etagsz, char *lastmod,
		 size_t lmsz, int64_t *range_start);

#endif
