/* sha256.c: SHA-256 for the fetch ledger's checksums, from OpenSSL's
 * libcrypto (already linked through libcurl), which picks the CPU's SHA
 * extensions or vector code itself. */
#include <openssl/evp.h>

#include "gha.h"
#include "sha256.h"

void
sha256_init(struct sha256 *s)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	/* fails only when memory runs out, as xmalloc would */
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		gha_warn("sha256: out of memory");
		abort();
	}
	s->ctx = ctx;
}

void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
	if (n && EVP_DigestUpdate(s->ctx, data, n) != 1)
		abort();	/* cannot fail for an in-memory digest */
}

void
sha256_hex(struct sha256 *s, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0, i;

	if (EVP_DigestFinal_ex(s->ctx, md, &n) != 1 || n != 32)
		abort();
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	sha256_free(s);
}

void
sha256_free(struct sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}
