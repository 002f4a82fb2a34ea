/* sha256.h: SHA-256, streamed (over OpenSSL's libcrypto). */
#ifndef GHA_SHA256_H
#define GHA_SHA256_H

#include <stddef.h>

struct sha256 {
	void *ctx;	/* an EVP_MD_CTX */
};
void sha256_init(struct sha256 *s);	/* allocates: end with sha256_hex or sha256_free */
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_hex(struct sha256 *s, char out[65]);	/* finishes and frees s */
void sha256_free(struct sha256 *s);	/* abandons s; no-op after sha256_hex */

#endif
