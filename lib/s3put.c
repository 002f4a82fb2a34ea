/* s3put.c: PutObject with AWS Signature V4 (lib/sigv4.c) over libcurl.
 * The payload is hashed before it is sent (x-amz-content-sha256), so S3
 * refuses a body damaged on the way. Secrets are never printed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "s3put.h"
#include "sfhttp.h"
#include "sha256.h"
#include "sigv4.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int
s3_init(struct s3 *s, const char *url, struct gha_err *err)
{
	const char *b, *slash, *ep;
	struct buf t;

	memset(s, 0, sizeof(*s));
	if (strncmp(url, "s3://", 5) || !url[5] || url[5] == '/')
		return gha_seterr(err, GHA_USAGE, "--s3: s3://BUCKET[/PREFIX], not '%s'", url);
	b = url + 5;
	slash = strchr(b, '/');
	s->bucket = slash ? strndup(b, (size_t)(slash - b)) : xstrdup(b);
	if (!s->bucket)
		abort();
	buf_init(&t);
	if (slash) {
		const char *p = slash;

		while (*p == '/')
			p++;
		buf_adds(&t, p);
		while (t.len && t.p[t.len - 1] == '/')
			t.len--;
		if (t.len)
			buf_addc(&t, '/');
	}
	buf_addc(&t, 0);
	s->prefix = t.p;
	s->access_key = env("AWS_ACCESS_KEY_ID");
	s->secret_key = env("AWS_SECRET_ACCESS_KEY");
	s->session_token = env("AWS_SESSION_TOKEN");
	s->region = env("AWS_REGION") ? env("AWS_REGION") : env("AWS_DEFAULT_REGION") ?
		    env("AWS_DEFAULT_REGION") : "us-east-1";
	s->max_tries = 6;
	s->backoff_ms = 250;
	if (!s->access_key || !s->secret_key) {
		s3_free(s);
		return gha_seterr(err, GHA_USAGE, "--exec: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
				  "must be set (the S3 stage's credentials)");
	}
	buf_init(&t);
	if ((ep = env("AWS_ENDPOINT_URL_S3")) || (ep = env("AWS_ENDPOINT_URL"))) {
		const char *h = strstr(ep, "://");

		if (!h || strncmp(ep, "http", 4)) {
			s3_free(s);
			return gha_seterr(err, GHA_USAGE, "AWS_ENDPOINT_URL: http[s]://HOST[:PORT], not '%s'", ep);
		}
		buf_adds(&t, ep);
		while (t.len && t.p[t.len - 1] == '/')
			t.len--;
		buf_addc(&t, 0);
		s->endpoint = t.p;
		s->host = strndup(h + 3, strcspn(h + 3, "/"));
		s->path_style = 1;
	} else {
		buf_printf(&t, "https://%s.s3.%s.amazonaws.com", s->bucket, s->region);
		buf_addc(&t, 0);
		s->endpoint = t.p;
		s->host = xstrdup(t.p + 8);
	}
	if (!s->host)
		abort();
	return 0;
}

void
s3_free(struct s3 *s)
{
	sfhttp_close(&s->curl);
	free(s->endpoint);
	free(s->host);
	free(s->bucket);
	free(s->prefix);
	s->endpoint = s->host = s->bucket = s->prefix = NULL;
}

static const char *
find(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (p[i] == s[0] && !memcmp(p + i, s, k))
			return p + i;
	return NULL;
}

static void
xml_text(const char *body, size_t n, const char *tag, char *out, size_t size)
{
	char open[32], close[32];
	const char *p, *e, *end = body + n;
	size_t k = 0;

	out[0] = 0;
	if (!size)
		return;
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if (!(p = find(body, n, open)))
		return;
	p += strlen(open);
	if (!(e = find(p, (size_t)(end - p), close)))
		return;
	for (; p < e && k + 1 < size; p++)
		if (*p >= 0x20 && *p < 0x7f)
			out[k++] = *p;
	out[k] = 0;
}

void
s3_parse_error(const char *body, size_t n, char *code, size_t codesize, char *msg, size_t msgsize)
{
	xml_text(body, n, "Code", code, codesize);
	xml_text(body, n, "Message", msg, msgsize);
}

static int
file_sha256(FILE *fp, char out[65], long long *size)
{
	struct sha256 h;
	char b[1 << 16];
	size_t n;

	*size = 0;
	sha256_init(&h);
	while ((n = fread(b, 1, sizeof(b), fp)) > 0) {
		sha256_update(&h, b, n);
		*size += (long long)n;
	}
	if (ferror(fp)) {
		sha256_free(&h);
		return -1;
	}
	sha256_hex(&h, out);
	return 0;
}

/* One signed request; *status set. */
static int
request(struct s3 *s, const char *method, const char *key, FILE *fp, long long len,
	const char *sha, long *status, struct buf *resp, struct gha_err *err)
{
	char date[17];
	time_t t = time(NULL);
	struct tm tm;
	struct buf path, url, auth, h_auth, h_sha, h_date, h_tok;
	struct sigv4_header sh[4];
	const char *hdrs[6];
	int nh = 0, r;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", &tm);
	buf_init(&path);
	buf_init(&url);
	buf_init(&auth);
	buf_init(&h_auth);
	buf_init(&h_sha);
	buf_init(&h_date);
	buf_init(&h_tok);
	if (s->path_style) {
		buf_addc(&path, '/');
		sigv4_uri_encode(s->bucket, 0, &path);
	}
	buf_addc(&path, '/');
	sigv4_uri_encode(s->prefix, 1, &path);
	sigv4_uri_encode(key, 0, &path);
	buf_addc(&path, 0);
	buf_printf(&url, "%s%s", s->endpoint, path.p);
	buf_addc(&url, 0);
	sh[nh++] = (struct sigv4_header){ "host", s->host };
	sh[nh++] = (struct sigv4_header){ "x-amz-content-sha256", sha };
	sh[nh++] = (struct sigv4_header){ "x-amz-date", date };
	if (s->session_token)
		sh[nh++] = (struct sigv4_header){ "x-amz-security-token", s->session_token };
	{
		struct sigv4_req q = { method, path.p, "", sh, nh, sha, date, s->region, "s3",
				       s->access_key, s->secret_key };

		if (sigv4_sign(&q, &auth, NULL, err)) {
			r = -1;
			goto out;
		}
	}
	buf_addc(&auth, 0);
	buf_printf(&h_auth, "Authorization: %s", auth.p);
	buf_addc(&h_auth, 0);
	buf_printf(&h_sha, "x-amz-content-sha256: %s", sha);
	buf_addc(&h_sha, 0);
	buf_printf(&h_date, "x-amz-date: %s", date);
	buf_addc(&h_date, 0);
	nh = 0;
	hdrs[nh++] = h_auth.p;
	hdrs[nh++] = h_sha.p;
	hdrs[nh++] = h_date.p;
	if (s->session_token) {
		buf_printf(&h_tok, "x-amz-security-token: %s", s->session_token);
		buf_addc(&h_tok, 0);
		hdrs[nh++] = h_tok.p;
	}
	if (fp)
		hdrs[nh++] = "Content-Type: application/gzip";
	hdrs[nh] = NULL;
	{
		struct sfhttp_req q = { method, url.p, hdrs, NULL, 0, fp, len };

		r = sfhttp(&s->curl, &q, status, resp, err);
	}
out:
	buf_free(&path);
	buf_free(&url);
	buf_free(&auth);
	if (h_auth.p)
		memset(h_auth.p, 0, h_auth.cap);
	if (h_tok.p)
		memset(h_tok.p, 0, h_tok.cap);
	buf_free(&h_auth);
	buf_free(&h_sha);
	buf_free(&h_date);
	buf_free(&h_tok);
	return r;
}

int
s3_put_file(struct s3 *s, const char *path, const char *name, int *present, struct gha_err *err)
{
	static const char empty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	FILE *fp;
	char sha[65], code[64], msg[200];
	long long len;
	long status;
	struct buf resp;
	unsigned wait = s->backoff_ms;
	int tries = 0, head = 1, ret = -1;

	*present = 0;
	if (!(fp = fopen(path, "rb")))
		return gha_seterr(err, errno == ENOENT ? GHA_NOINPUT : GHA_IOERR, "%s:", path);
	if (file_sha256(fp, sha, &len)) {
		fclose(fp);
		return gha_seterr(err, GHA_IOERR, "read error on '%s':", path);
	}
	buf_init(&resp);
	for (;;) {
		struct gha_err e;

		if (!head && fseek(fp, 0, SEEK_SET)) {
			gha_seterr(err, GHA_IOERR, "%s:", path);
			break;
		}
		if (request(s, head ? "HEAD" : "PUT", name, head ? NULL : fp, len, head ? empty : sha,
			    &status, &resp, &e)) {
			if (e.code == GHA_TEMPFAIL && ++tries < s->max_tries) {
				s->retries++;
				sfhttp_sleep_ms(wait);
				wait *= 2;
				continue;
			}
			*err = e;
			break;
		}
		if (head) {
			if (status == 200) {
				*present = 1;
				s->present++;
				ret = 0;
				break;
			}
			if (status == 404 || status == 403) {
				head = 0;	/* 403: no ListBucket right, so a missing key looks so */
				continue;
			}
		} else if (status == 200) {
			s->puts++;
			s->bytes += (unsigned long long)len;
			ret = 0;
			break;
		}
		if ((status == 429 || status >= 500) && ++tries < s->max_tries) {
			s->retries++;
			sfhttp_sleep_ms(sfhttp_retry_wait(s->curl, wait));
			wait *= 2;
			continue;
		}
		s3_parse_error(resp.p ? resp.p : "", resp.len, code, sizeof(code), msg, sizeof(msg));
		gha_seterr(err, status == 429 || status >= 500 ? GHA_TEMPFAIL : GHA_UNAVAILABLE,
			   "s3: %s s3://%s/%s%s: HTTP %ld%s%s%s%s", head ? "HEAD" : "PUT", s->bucket, s->prefix,
			   name, status, code[0] ? " " : "", code, msg[0] ? ": " : "", msg);
		break;
	}
	fclose(fp);
	buf_free(&resp);
	return ret;
}
