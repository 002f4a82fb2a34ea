/* sfjwt.c: the key-pair JWT Snowflake's SQL API accepts.
 *
 * iss is ACCOUNT.USER.SHA256:<fingerprint>, sub ACCOUNT.USER, both upper
 * case; the fingerprint is the base64 SHA-256 of the public key in DER
 * (SubjectPublicKeyInfo), what DESC USER shows as RSA_PUBLIC_KEY_FP. The
 * account is the identifier up to its first '.': a locator's region
 * suffix (xy12345.us-east-2.aws) is not part of it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "base64.h"
#include "sfjwt.h"

void
base64url_add(struct buf *b, const unsigned char *s, size_t n)
{
	size_t start = b->len;

	base64_add(b, s, n);
	while (b->len > start && b->p[b->len - 1] == '=')
		b->len--;
	for (size_t i = start; i < b->len; i++)
		b->p[i] = b->p[i] == '+' ? '-' : b->p[i] == '/' ? '_' : b->p[i];
}

static int
pass_cb(char *out, int size, int rwflag, void *u)
{
	const char *pw = u;
	int n;

	(void)rwflag;
	if (!pw)
		return 0;
	n = (int)strlen(pw);
	if (n > size)
		n = size;
	memcpy(out, pw, (size_t)n);
	return n;
}

int
sfjwt_load(struct sfjwt *j, const char *account, const char *user, const char *keyfile,
	   const char *passphrase, struct gha_err *err)
{
	FILE *fp;
	EVP_PKEY *k;
	unsigned char *der = NULL, md[SHA256_DIGEST_LENGTH];
	int len;
	size_t alen = strcspn(account, ".");
	struct buf b;

	memset(j, 0, sizeof(*j));
	if (!(fp = fopen(keyfile, "r")))
		return gha_seterr(err, errno == ENOENT ? GHA_NOINPUT : GHA_IOERR, "%s:", keyfile);
	k = PEM_read_PrivateKey(fp, NULL, pass_cb, (void *)(uintptr_t)passphrase);
	fclose(fp);
	ERR_clear_error();
	if (!k)
		return gha_seterr(err, GHA_DATAERR, "%s: not a PEM private key%s", keyfile,
				  passphrase ? " (or a wrong passphrase)" : " (an encrypted one needs SNOWFLAKE_PRIVATE_KEY_PASSPHRASE)");
	if (EVP_PKEY_base_id(k) != EVP_PKEY_RSA) {
		EVP_PKEY_free(k);
		return gha_seterr(err, GHA_DATAERR, "%s: not an RSA key (Snowflake's key-pair JWT is RS256)", keyfile);
	}
	if ((len = i2d_PUBKEY(k, &der)) <= 0) {
		EVP_PKEY_free(k);
		ERR_clear_error();
		return gha_seterr(err, GHA_DATAERR, "%s: cannot encode its public key", keyfile);
	}
	SHA256(der, (size_t)len, md);
	OPENSSL_free(der);
	buf_init(&b);
	buf_adds(&b, "SHA256:");
	base64_add(&b, md, sizeof(md));
	buf_addc(&b, 0);
	memcpy(j->fingerprint, b.p, b.len < sizeof(j->fingerprint) ? b.len : sizeof(j->fingerprint) - 1);
	b.len = 0;
	for (size_t i = 0; i < alen; i++)
		buf_addc(&b, (char)toupper((unsigned char)account[i]));
	buf_addc(&b, '.');
	for (const char *s = user; *s; s++)
		buf_addc(&b, (char)toupper((unsigned char)*s));
	buf_addc(&b, 0);
	j->qualified = b.p;
	j->key = k;
	return 0;
}

int
sfjwt_make(const struct sfjwt *j, time_t now, int lifetime, struct buf *out, struct gha_err *err)
{
	static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
	struct buf payload;
	EVP_MD_CTX *md;
	unsigned char *sig = NULL;
	size_t siglen = 0, start = out->len;
	int ok = 0;

	buf_init(&payload);
	buf_printf(&payload, "{\"iss\":\"%s.%s\",\"sub\":\"%s\",\"iat\":%lld,\"exp\":%lld}", j->qualified,
		   j->fingerprint, j->qualified, (long long)now, (long long)now + lifetime);
	base64url_add(out, (const unsigned char *)header, sizeof(header) - 1);
	buf_addc(out, '.');
	base64url_add(out, (const unsigned char *)payload.p, payload.len);
	buf_free(&payload);
	if ((md = EVP_MD_CTX_new()) && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, j->key) == 1 &&
	    EVP_DigestSign(md, NULL, &siglen, (unsigned char *)out->p + start, out->len - start) == 1) {
		sig = xmalloc(siglen);
		ok = EVP_DigestSign(md, sig, &siglen, (unsigned char *)out->p + start, out->len - start) == 1;
	}
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	if (!ok) {
		free(sig);
		out->len = start;
		return gha_seterr(err, GHA_UNAVAILABLE, "cannot sign the JWT (libcrypto)");
	}
	buf_addc(out, '.');
	base64url_add(out, sig, siglen);
	free(sig);
	return 0;
}

void
sfjwt_free(struct sfjwt *j)
{
	EVP_PKEY_free(j->key);
	free(j->qualified);
	j->key = NULL;
	j->qualified = NULL;
}
