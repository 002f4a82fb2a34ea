/* sfjwt.h: Snowflake key-pair authentication: a JWT signed RS256 with the
 * user's RSA private key, as the SQL API takes it (Authorization: Bearer,
 * X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT). */
#ifndef GHA_SFJWT_H
#define GHA_SFJWT_H

#include <time.h>

#include "gha.h"

struct sfjwt {
	void *key;		/* an EVP_PKEY */
	char *qualified;	/* ACCOUNT.USER, upper case */
	char fingerprint[64];	/* SHA256:<base64 of the SHA-256 of the public key's DER> */
};

/* Load the PEM private key (PKCS#8 or PKCS#1; encrypted ones need
 * passphrase). account: the account identifier (its part before a '.',
 * upper case, is what the claims name). 0, or -1 with err (66: no such
 * file, 65: not an RSA private key or a wrong passphrase). */
int sfjwt_load(struct sfjwt *j, const char *account, const char *user, const char *keyfile,
	       const char *passphrase, struct gha_err *err);
/* A token valid from now for lifetime seconds (Snowflake takes at most
 * 3600): header.payload.signature, base64url, appended to out. */
int sfjwt_make(const struct sfjwt *j, time_t now, int lifetime, struct buf *out, struct gha_err *err);
void sfjwt_free(struct sfjwt *j);
/* base64url without padding (RFC 7515), appended. */
void base64url_add(struct buf *b, const unsigned char *s, size_t n);

#endif
