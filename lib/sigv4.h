/* sigv4.h: AWS Signature Version 4 (the Authorization header), as S3's
 * PutObject needs it. Over libcrypto's HMAC and SHA-256. */
#ifndef GHA_SIGV4_H
#define GHA_SIGV4_H

#include "gha.h"

struct sigv4_header {
	const char *name;	/* any case: signed in lower case */
	const char *value;	/* trimmed, inner runs of blanks made one */
};

struct sigv4_req {
	const char *method;		/* "PUT" */
	const char *path;		/* URI-encoded already ("/bucket/part-x.csv.gz") */
	const char *query;		/* canonical query string, "" when none */
	const struct sigv4_header *headers;	/* every header to sign, host included */
	int nheaders;
	const char *payload_sha256;	/* hex, or "UNSIGNED-PAYLOAD" */
	const char *amzdate;		/* YYYYMMDDTHHMMSSZ, as in x-amz-date */
	const char *region, *service;	/* "us-east-1", "s3" */
	const char *access_key, *secret_key;
};

/* Append the Authorization header's value ("AWS4-HMAC-SHA256
 * Credential=..., SignedHeaders=..., Signature=...") to out. With
 * canonical non-NULL, the canonical request is appended there too (for
 * tests). 0, or -1 with err on more than 32 headers. */
int sigv4_sign(const struct sigv4_req *r, struct buf *out, struct buf *canonical,
	       struct gha_err *err);
/* Append s URI-encoded as SigV4 wants: every byte but A-Z a-z 0-9 - . _ ~
 * as %XX (upper case), '/' kept when keep_slash. */
void sigv4_uri_encode(const char *s, int keep_slash, struct buf *out);
/* The hex SHA-256 of n bytes. */
void sigv4_sha256_hex(const void *p, size_t n, char out[65]);

#endif
