/* sigv4.c: AWS Signature Version 4 for one request: the canonical
 * request, the string to sign, the signing key derived by HMAC-SHA256
 * from the secret and the credential scope, and the signature. Checked
 * against AWS's published S3 examples (tests/unit/test_sigv4.c) and, in
 * the tests, by a server that recomputes it independently. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "sigv4.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = 0;
}

void
sigv4_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(p, n, md);
	hex(md, sizeof(md), out);
}

static void
hmac(const unsigned char *key, size_t klen, const char *msg, size_t mlen, unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &len);
}

void
sigv4_uri_encode(const char *s, int keep_slash, struct buf *out)
{
	static const char d[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, d[c >> 4]);
			buf_addc(out, d[c & 15]);
		}
	}
}

struct hdr {
	char *name;
	const char *value;
};

static int
hdr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hdr *)a)->name, ((const struct hdr *)b)->name);
}

/* A header value as SigV4 signs it: blanks trimmed, inner runs one space. */
static void
add_value(struct buf *b, const char *v)
{
	int space = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = 1;
			continue;
		}
		if (space)
			buf_addc(b, ' ');
		space = 0;
		buf_addc(b, *v);
	}
}

int
sigv4_sign(const struct sigv4_req *r, struct buf *out, struct buf *canonical, struct gha_err *err)
{
	struct hdr h[32];
	struct buf c, sts, signed_h;
	char creq_hash[65], sig[65], day[9];
	unsigned char k[32], *secret;
	size_t slen;
	int i;

	if (r->nheaders > 32 || r->nheaders < 0 || strlen(r->amzdate) != 16)
		return gha_seterr(err, GHA_USAGE, "sigv4: at most 32 headers and a YYYYMMDDTHHMMSSZ date");
	for (i = 0; i < r->nheaders; i++) {
		h[i].name = xstrdup(r->headers[i].name);
		for (char *s = h[i].name; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		h[i].value = r->headers[i].value;
	}
	qsort(h, (size_t)r->nheaders, sizeof(h[0]), hdr_cmp);
	buf_init(&c);
	buf_init(&sts);
	buf_init(&signed_h);
	/* the canonical request */
	buf_printf(&c, "%s\n%s\n%s\n", r->method, r->path, r->query ? r->query : "");
	for (i = 0; i < r->nheaders; i++) {
		buf_adds(&c, h[i].name);
		buf_addc(&c, ':');
		add_value(&c, h[i].value);
		buf_addc(&c, '\n');
		if (i)
			buf_addc(&signed_h, ';');
		buf_adds(&signed_h, h[i].name);
	}
	buf_addc(&signed_h, 0);
	buf_printf(&c, "\n%s\n%s", signed_h.p, r->payload_sha256);
	sigv4_sha256_hex(c.p, c.len, creq_hash);
	memcpy(day, r->amzdate, 8);
	day[8] = 0;
	/* the string to sign */
	buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", r->amzdate, day,
		   r->region, r->service, creq_hash);
	/* the signing key: HMAC chain from "AWS4" + secret */
	slen = strlen(r->secret_key) + 4;
	secret = xmalloc(slen + 1);
	memcpy(secret, "AWS4", 4);
	memcpy(secret + 4, r->secret_key, slen - 4);
	hmac(secret, slen, day, 8, k);
	memset(secret, 0, slen);
	free(secret);
	hmac(k, 32, r->region, strlen(r->region), k);
	hmac(k, 32, r->service, strlen(r->service), k);
	hmac(k, 32, "aws4_request", 12, k);
	hmac(k, 32, sts.p, sts.len, k);
	hex(k, 32, sig);
	buf_printf(out, "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, Signature=%s",
		   r->access_key, day, r->region, r->service, signed_h.p, sig);
	if (canonical)
		buf_add(canonical, c.p, c.len);
	for (i = 0; i < r->nheaders; i++)
		free(h[i].name);
	buf_free(&c);
	buf_free(&sts);
	buf_free(&signed_h);
	return 0;
}
