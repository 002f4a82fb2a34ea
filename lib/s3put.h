/* s3put.h: upload files to an S3 bucket with SigV4-signed PutObject, as
 * gha-load --exec stages its chunks for a Snowflake external stage. */
#ifndef GHA_S3PUT_H
#define GHA_S3PUT_H

#include "gha.h"

struct s3 {
	void *curl;
	char *endpoint;		/* scheme://host[:port], no trailing / */
	char *host;		/* the Host header curl sends, as signed */
	char *bucket;
	char *prefix;		/* "" or "dir/sub/" */
	int path_style;		/* /bucket/key (a custom endpoint) or bucket.host/key */
	const char *region, *access_key, *secret_key, *session_token;
	int max_tries;		/* 429/5xx/lost connections (default 6) */
	unsigned backoff_ms;	/* default 250, doubled */
	unsigned long long puts, present, retries, bytes;
};

/* From an s3://BUCKET[/PREFIX] URL and the environment: AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION or
 * AWS_DEFAULT_REGION (default us-east-1), AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL (path-style requests there). 0, or -1 with err (64). */
int s3_init(struct s3 *s, const char *s3url, struct gha_err *err);
/* PUT the file at path as PREFIX + name, unless an object of that name is
 * there already (HEAD 200: content-named, so the same bytes). *present
 * set when skipped. 0, or -1 with err (S3's Code and Message). */
int s3_put_file(struct s3 *s, const char *path, const char *name, int *present, struct gha_err *err);
void s3_free(struct s3 *s);
/* S3's XML error body: the text of <Code> and <Message> (at most size-1
 * bytes each, printable ASCII), "" when absent. */
void s3_parse_error(const char *body, size_t n, char *code, size_t codesize, char *msg, size_t msgsize);

#endif
