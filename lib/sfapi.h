/* sfapi.h: Snowflake's SQL API (POST /api/v2/statements) with key-pair
 * JWT authentication: a statement submitted, polled while the server
 * answers 202, retried on 429 and 5xx with bounded backoff under the same
 * requestId (retry=true: Snowflake does not run it twice). */
#ifndef GHA_SFAPI_H
#define GHA_SFAPI_H

#include <time.h>

#include "gha.h"
#include "sfjwt.h"

struct sfapi {
	void *curl;
	char *base;		/* https://ACCOUNT.snowflakecomputing.com, no trailing / */
	struct sfjwt jwt;
	struct buf token;	/* the current JWT */
	time_t token_made;
	const char *database, *schema, *warehouse, *role;	/* NULL: the user's defaults */
	int max_tries;		/* per request, for 429/5xx/lost connections (default 6) */
	unsigned backoff_ms;	/* the first wait between tries, doubled each time (default 250) */
	unsigned poll_ms;	/* the first wait between polls, doubled to 2 s (default 100) */
	unsigned long long requests, retries, polls;	/* for --stats */
};

/* What an answer of the SQL API says, as far as gha-load needs it. */
struct sfapi_answer {
	char code[16];		/* "090001" done, "333334" running; an error's code */
	char sqlstate[8];
	char handle[128];	/* statementHandle */
	struct buf message;	/* message, NUL-terminated when has_message */
	struct buf value;	/* data[0][0], NUL-terminated when has_value */
	int has_message, has_value;
};

/* Parse an answer's body (JSON). 0, or -1 when it is not a JSON object;
 * members absent or of another type are left empty. Bounded by n. */
int sfapi_parse(const char *body, size_t n, struct sfapi_answer *a);
void sfapi_answer_init(struct sfapi_answer *a);
void sfapi_answer_free(struct sfapi_answer *a);

/* base is made from account unless url is given (a proxy, a test). */
int sfapi_init(struct sfapi *s, const char *account, const char *url, struct gha_err *err);
/* Run one statement; its first value (data[0][0]), if any, in value
 * (NUL-terminated). 0, or -1 with err: 65 when Snowflake refused the
 * statement (its code and message in err), 69 on authentication, 75 when
 * the tries ran out. */
int sfapi_exec(struct sfapi *s, const char *sql, struct buf *value, struct gha_err *err);
void sfapi_free(struct sfapi *s);

#endif
