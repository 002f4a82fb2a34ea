/* sfhttp.h: one HTTP request over a libcurl easy handle, for the S3 and
 * Snowflake clients of gha-load --exec (bounded answers, no redirects). */
#ifndef GHA_SFHTTP_H
#define GHA_SFHTTP_H

#include <stdio.h>

#include "gha.h"

struct sfhttp_req {
	const char *method;	/* GET, POST, PUT, HEAD */
	const char *url;
	const char *const *headers;	/* "Name: value", NULL-terminated */
	const char *body;	/* POST body, or NULL */
	size_t body_len;
	FILE *upload;		/* PUT body read from here, upload_len bytes */
	long long upload_len;
};

/* Send r on curl (a CURL *; made on first use when *curl is NULL). 0
 * with *status and the answer's body in resp (at most 64 MiB), or -1
 * with err when no HTTP answer came (err->code 69 for a connection
 * refused or a bad URL, 75 for one lost or timed out). */
int sfhttp(void **curl, const struct sfhttp_req *r, long *status, struct buf *resp,
	   struct gha_err *err);
void sfhttp_close(void **curl);
/* The wait before a retry of the last request on curl: wait_ms, or the
 * answer's Retry-After (seconds or a date) when it asks for longer, at
 * most 120 s. */
unsigned sfhttp_retry_wait(void *curl, unsigned wait_ms);
/* Sleep ms milliseconds. */
void sfhttp_sleep_ms(unsigned ms);

#endif
