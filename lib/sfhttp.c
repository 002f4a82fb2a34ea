/* sfhttp.c: a plain request/answer over libcurl. Redirects are not
 * followed: a signed request must not go elsewhere. */
#include <time.h>

#include <curl/curl.h>

#include "sfhttp.h"

#define MAX_ANSWER (64u << 20)

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;

	if (b->len + n > MAX_ANSWER)
		return 0;	/* curl then fails the transfer */
	buf_add(b, p, n * size);
	return n * size;
}

void
sfhttp_sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

int
sfhttp(void **curlp, const struct sfhttp_req *r, long *status, struct buf *resp, struct gha_err *err)
{
	CURL *c = *curlp;
	struct curl_slist *h = NULL;
	CURLcode rc;

	if (!c) {
		static int inited;

		if (!inited++)
			curl_global_init(CURL_GLOBAL_DEFAULT);
		if (!(c = *curlp = curl_easy_init()))
			return gha_seterr(err, GHA_UNAVAILABLE, "libcurl: cannot make a handle");
	}
	curl_easy_reset(c);
	for (const char *const *s = r->headers; s && *s; s++)
		h = curl_slist_append(h, *s);
	/* no "Expect: 100-continue" round trip on PUT/POST */
	h = curl_slist_append(h, "Expect:");
	resp->len = 0;
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "gha-load/" GHA_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (!strcmp(r->method, "HEAD")) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(r->method, "POST")) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
	} else if (!strcmp(r->method, "PUT")) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READDATA, r->upload);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->upload_len);
	}
	rc = curl_easy_perform(c);
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		return gha_seterr(err, rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
				  rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
				  rc == CURLE_SSL_CACERT || rc == CURLE_PEER_FAILED_VERIFICATION
				  ? GHA_UNAVAILABLE : GHA_TEMPFAIL, "%s %s: %s", r->method, r->url,
				  curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

unsigned
sfhttp_retry_wait(void *curl, unsigned wait_ms)
{
	curl_off_t ra = 0;

	if (!curl || curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &ra) != CURLE_OK || ra <= 0)
		return wait_ms;
	if (ra > 120)
		ra = 120;
	return (unsigned)ra * 1000 > wait_ms ? (unsigned)ra * 1000 : wait_ms;
}

void
sfhttp_close(void **curl)
{
	if (*curl)
		curl_easy_cleanup(*curl);
	*curl = NULL;
}
