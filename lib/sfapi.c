/* sfapi.c: the Snowflake SQL API client of gha-load --exec.
 *
 * Each statement gets a random requestId; a retry sends the same id with
 * retry=true, so a statement whose answer was lost (a 503 after it ran)
 * is not run again. 202 means still running: GET the statement's handle
 * until 200 (done) or 422 (failed). Errors carry Snowflake's code and
 * message; the JWT is never printed. */
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "json.h"
#include "jsonout.h"
#include "sfapi.h"
#include "sfhttp.h"

#define TOKEN_LIFE 3540		/* Snowflake takes at most an hour */
#define TOKEN_RENEW 3000	/* a new one after 50 minutes */

void
sfapi_answer_init(struct sfapi_answer *a)
{
	memset(a, 0, sizeof(*a));
	buf_init(&a->message);
	buf_init(&a->value);
}

void
sfapi_answer_free(struct sfapi_answer *a)
{
	buf_free(&a->message);
	buf_free(&a->value);
}

/* a short string member into a fixed field: printable ASCII only */
static void
short_str(const struct jspan *v, char *out, size_t size)
{
	struct buf b;
	size_t k = 0;

	out[0] = 0;
	if (v->type != J_STRING)
		return;
	buf_init(&b);
	if (json_unescape(v, &b) == 0)
		for (size_t i = 0; i < b.len && k + 1 < size; i++)
			if (b.p[i] > 0x20 && b.p[i] < 0x7f)
				out[k++] = b.p[i];
	out[k] = 0;
	buf_free(&b);
}

int
sfapi_parse(const char *body, size_t n, struct sfapi_answer *a)
{
	static const char *const paths[] = { "code", "message", "sqlState", "statementHandle", "data" };
	struct jscan js;
	size_t vs, ve;
	int ret = -1;

	a->code[0] = a->sqlstate[0] = a->handle[0] = 0;
	a->message.len = a->value.len = 0;
	a->has_message = a->has_value = 0;
	jscan_init(&js, paths, 5);
	if (json_scan(&js, body, n, 0, &vs, &ve) < 0 || body[vs] != '{')
		goto out;
	short_str(&js.val[0], a->code, sizeof(a->code));
	short_str(&js.val[2], a->sqlstate, sizeof(a->sqlstate));
	short_str(&js.val[3], a->handle, sizeof(a->handle));
	if (js.val[1].type == J_STRING && json_unescape_text(js.val[1].p + 1, js.val[1].len - 2, &a->message) == 0) {
		buf_addc(&a->message, 0);
		a->has_message = 1;
	}
	if (js.val[4].type == J_ARRAY) {
		const char *c1 = NULL, *c2 = NULL;
		struct jspan row, cell;

		if (json_array_next(&js.val[4], &c1, &row) && row.type == J_ARRAY &&
		    json_array_next(&row, &c2, &cell) && cell.type == J_STRING &&
		    json_unescape_text(cell.p + 1, cell.len - 2, &a->value) == 0) {
			buf_addc(&a->value, 0);
			a->has_value = 1;
		}
	}
	ret = 0;
out:
	jscan_free(&js);
	return ret;
}

int
sfapi_init(struct sfapi *s, const char *account, const char *url, struct gha_err *err)
{
	struct buf b;

	(void)err;
	memset(s, 0, sizeof(*s));
	buf_init(&s->token);
	buf_init(&b);
	if (url && *url) {
		buf_adds(&b, url);
		while (b.len && b.p[b.len - 1] == '/')
			b.len--;
	} else {
		buf_printf(&b, "https://%s.snowflakecomputing.com", account);
	}
	buf_addc(&b, 0);
	s->base = b.p;
	s->max_tries = 6;
	s->backoff_ms = 250;
	s->poll_ms = 100;
	return 0;
}

void
sfapi_free(struct sfapi *s)
{
	sfhttp_close(&s->curl);
	sfjwt_free(&s->jwt);
	free(s->base);
	if (s->token.p)
		memset(s->token.p, 0, s->token.cap);
	buf_free(&s->token);
	s->base = NULL;
}

static int
fresh_token(struct sfapi *s, int force, struct gha_err *err)
{
	time_t t = time(NULL);

	if (!force && s->token.len && t - s->token_made < TOKEN_RENEW)
		return 0;
	s->token.len = 0;
	if (sfjwt_make(&s->jwt, t, TOKEN_LIFE, &s->token, err))
		return -1;
	buf_addc(&s->token, 0);
	s->token_made = t;
	return 0;
}

static void
uuid4(char out[37])
{
	unsigned char r[16];

	if (RAND_bytes(r, sizeof(r)) != 1) {
		/* no entropy: fall back on time and address, still unique here */
		uint64_t x = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)out;

		for (int i = 0; i < 16; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			r[i] = (unsigned char)(x >> 56);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
		 r[13], r[14], r[15]);
}

static void
opt_member(struct buf *b, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	buf_printf(b, ",\"%s\":", name);
	json_addstr_lossy(b, v, strlen(v));
}

/* an error answer as a message: Snowflake's code, SQL state and message */
static int
answer_err(struct gha_err *err, int code, long status, const struct sfapi_answer *a, const char *what)
{
	return gha_seterr(err, code, "snowflake: %s: HTTP %ld%s%s%s%s: %.160s", what, status,
			  a->code[0] ? ", code " : "", a->code, a->sqlstate[0] ? ", SQL state " : "",
			  a->sqlstate, a->has_message ? a->message.p : "(no message)");
}

static int
retryable(long status)
{
	return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

int
sfapi_exec(struct sfapi *s, const char *sql, struct buf *value, struct gha_err *err)
{
	struct buf body, url, resp, auth;
	struct sfapi_answer a;
	char reqid[37];
	const char *hdrs[6];
	long status = 0;
	int tries = 0, reauth = 0, ret = -1, polling = 0;
	unsigned wait = s->backoff_ms, poll = s->poll_ms;

	buf_init(&body);
	buf_init(&url);
	buf_init(&resp);
	buf_init(&auth);
	sfapi_answer_init(&a);
	uuid4(reqid);
	buf_adds(&body, "{\"statement\":");
	json_addstr_lossy(&body, sql, strlen(sql));
	buf_adds(&body, ",\"timeout\":3600");
	opt_member(&body, "database", s->database);
	opt_member(&body, "schema", s->schema);
	opt_member(&body, "warehouse", s->warehouse);
	opt_member(&body, "role", s->role);
	buf_adds(&body, "}");
	for (;;) {
		struct sfhttp_req r = { 0 };
		struct gha_err e;

		if (fresh_token(s, 0, err))
			goto out;
		auth.len = 0;
		buf_printf(&auth, "Authorization: Bearer %s", s->token.p);
		buf_addc(&auth, 0);
		hdrs[0] = auth.p;
		hdrs[1] = "X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT";
		hdrs[2] = "Accept: application/json";
		hdrs[3] = "Content-Type: application/json";
		hdrs[4] = NULL;
		url.len = 0;
		if (polling) {
			buf_printf(&url, "%s/api/v2/statements/%s", s->base, a.handle);
			r.method = "GET";
		} else {
			buf_printf(&url, "%s/api/v2/statements?requestId=%s%s", s->base, reqid,
				   tries ? "&retry=true" : "");
			r.method = "POST";
			r.body = body.p;
			r.body_len = body.len;
		}
		buf_addc(&url, 0);
		r.url = url.p;
		r.headers = hdrs;
		s->requests++;
		if (sfhttp(&s->curl, &r, &status, &resp, &e)) {
			if (e.code != GHA_TEMPFAIL || ++tries >= s->max_tries) {
				*err = e;
				goto out;
			}
			s->retries++;
			sfhttp_sleep_ms(wait);
			wait = wait < 8000 ? wait * 2 : wait;
			continue;
		}
		if (sfapi_parse(resp.p ? resp.p : "", resp.len, &a))
			sfapi_parse("{}", 2, &a);	/* not JSON: no code, no message */
		if (status == 200) {
			if (value) {
				value->len = 0;
				if (a.has_value)
					buf_add(value, a.value.p, a.value.len);
				else
					buf_addc(value, 0);
			}
			ret = 0;
			goto out;
		}
		if (status == 202) {
			if (!a.handle[0]) {
				answer_err(err, GHA_UNAVAILABLE, status, &a, "202 without a statementHandle");
				goto out;
			}
			polling = 1;
			s->polls++;
			sfhttp_sleep_ms(poll);
			poll = poll < 2000 ? poll * 2 : poll;
			continue;
		}
		if (status == 401 && !reauth) {
			/* an expired or refused token: one new one, then give up */
			reauth = 1;
			if (fresh_token(s, 1, err))
				goto out;
			continue;
		}
		if (retryable(status) && ++tries < s->max_tries) {
			s->retries++;
			sfhttp_sleep_ms(sfhttp_retry_wait(s->curl, wait));
			wait = wait < 8000 ? wait * 2 : wait;
			continue;
		}
		if (status == 422 || status == 400)
			answer_err(err, GHA_DATAERR, status, &a, "the statement failed");
		else if (status == 401 || status == 403)
			answer_err(err, GHA_UNAVAILABLE, status, &a, "not authenticated (SNOWFLAKE_ACCOUNT, "
				   "SNOWFLAKE_USER, the key and its RSA_PUBLIC_KEY registered?)");
		else if (retryable(status))
			answer_err(err, GHA_TEMPFAIL, status, &a, "still failing after retries");
		else
			answer_err(err, GHA_UNAVAILABLE, status, &a, "unexpected answer");
		goto out;
	}
out:
	sfapi_answer_free(&a);
	buf_free(&body);
	buf_free(&url);
	buf_free(&resp);
	if (auth.p)
		memset(auth.p, 0, auth.cap);
	buf_free(&auth);
	return ret;
}
