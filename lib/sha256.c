/* sha256.c: SHA-256 for the fetch ledger's checksums, from OpenSSL's
 * libcrypto (already linked through libcurl), whose code picks the CPU's
 * SHA extensions or vector units itself.
 *
 * The SHA256_* calls, not EVP: EVP_DigestInit fetches the digest from a
 * provider, initializing libcrypto's tables on first use, and OpenSSL 3.0
 * crashes (a NULL lock) when an allocation fails in there: t0150's
 * malloc walk of gha-fetch found it. SHA256_* run the same assembly on
 * a context we allocate, with no hidden allocation. OpenSSL 3 marks them
 * deprecated, hence OPENSSL_SUPPRESS_DEPRECATED. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "gha.h"
#include "sha256.h"

void
sha256_init(struct sha256 *s)
{
	SHA256_CTX *c = xmalloc(sizeof(*c));

	SHA256_Init(c);	/* cannot fail */
	s->ctx = c;
}

void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
	if (n)
		SHA256_Update(s->ctx, data, n);
}

void
sha256_hex(struct sha256 *s, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	unsigned i;

	SHA256_Final(md, s->ctx);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	sha256_free(s);
}

void
sha256_free(struct sha256 *s)
{
	free(s->ctx);
	s->ctx = NULL;
}
