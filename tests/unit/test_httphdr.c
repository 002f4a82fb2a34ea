/* test_httphdr.c: http_header reads only the bytes it is given, as
 * libcurl hands over header lines without a terminating NUL. */
#include <string.h>

#include "gha.h"
#include "httphdr.h"
#include "tap.h"

static char etag[256], lastmod[64];
static int64_t first;

static void
hdr(const char *p, size_t len)
{
	http_header(p, len, etag, sizeof(etag), lastmod, sizeof(lastmod), &first);
}

#define H(s) hdr(s, strlen(s))

int
main(void)
{
	char big[600];
	/* the line ends after "bytes 5"; what follows in memory is not its */
	static const char cut[] = "Content-Range: bytes 5" "99-1000/2000\r\n";

	H("HTTP/1.1 206 Partial Content\r\n");
	ok(first == -1 && !etag[0] && !lastmod[0], "a status line clears everything");
	H("ETag: \"abc-1\"\r\n");
	ok(!strcmp(etag, "\"abc-1\""), "ETag without its line end: %s", etag);
	H("last-modified:\tThu, 01 Jan 2015 16:00:00 GMT\r\n");
	ok(!strcmp(lastmod, "Thu, 01 Jan 2015 16:00:00 GMT"), "Last-Modified, any case: %s", lastmod);
	H("Content-Range: bytes 100-199/200\r\n");
	ok(first == 100, "Content-Range: the first byte");
	hdr(cut, strlen("Content-Range: bytes 5"));
	ok(first == -1, "Content-Range cut at the line's end: no number read past it (%lld)",
	   (long long)first);
	H("Content-Range: bytes */2000\r\n");
	ok(first == -1, "Content-Range without a range: -1");
	H("Content-Range: bytes 99999999999999999999-1/2\r\n");
	ok(first == -1, "Content-Range past int64: -1");
	H("ETagX: nope\r\n");
	ok(!strcmp(etag, "\"abc-1\""), "a longer name is another header");
	memset(big, 'e', sizeof(big));
	memcpy(big, "ETag: ", 6);
	hdr(big, sizeof(big));
	ok(strlen(etag) == sizeof(etag) - 1, "a long ETag is cut to its buffer");
	H("HTTP/2 200\r\n");
	ok(first == -1 && !etag[0] && !lastmod[0], "the next response starts clean");
	return tap_done();
}
