/* sfexec.c: carrying out a Snowflake plan. Chunks are uploaded before
 * the transaction that names them; the transaction itself checks the
 * manifest, replaces the source's rows and counts them (lib/sfplan.c),
 * so whatever stops gha-load (a kill, a lost connection) leaves either
 * the old rows or the new ones, and a rerun converges: chunks already in
 * the bucket are not sent again (HEAD), a source already loaded is not
 * loaded again. */
#include <stdio.h>
#include <string.h>

#include "sfexec.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int
sfexec_open(struct sfexec *x, const char *s3url, struct gha_err *err)
{
	const char *account = env("SNOWFLAKE_ACCOUNT"), *user = env("SNOWFLAKE_USER");
	const char *key = env("SNOWFLAKE_PRIVATE_KEY_FILE") ? env("SNOWFLAKE_PRIVATE_KEY_FILE")
			  : env("SNOWFLAKE_PRIVATE_KEY_PATH");
	const char *url = env("GHA_SNOWFLAKE_URL"), *host = env("SNOWFLAKE_HOST");
	struct buf u;
	int r;

	memset(x, 0, sizeof(*x));
	if (!account || !user || !key)
		return gha_seterr(err, GHA_USAGE, "--exec: SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER and "
				  "SNOWFLAKE_PRIVATE_KEY_FILE must be set (key-pair authentication)");
	if (s3_init(&x->s3, s3url, err))
		return -1;
	x->open_s3 = 1;
	buf_init(&u);
	if (!url && host) {
		buf_printf(&u, "https://%s", host);
		buf_addc(&u, 0);
		url = u.p;
	}
	r = sfapi_init(&x->api, account, url, err);
	buf_free(&u);
	if (r)
		return -1;
	x->open_api = 1;
	if (sfjwt_load(&x->api.jwt, account, user, key, env("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"), err))
		return -1;
	x->api.warehouse = env("SNOWFLAKE_WAREHOUSE");
	x->api.database = env("SNOWFLAKE_DATABASE");
	x->api.schema = env("SNOWFLAKE_SCHEMA");
	x->api.role = env("SNOWFLAKE_ROLE");
	return 0;
}

int
sfexec_prepare(struct sfexec *x, const struct sfplan *p, struct gha_err *err)
{
	int upto = p->nin ? p->in[0].stmt : p->nstmt;

	for (int i = 0; i < upto; i++)
		if (sfapi_exec(&x->api, p->stmt[i], NULL, err))
			return -1;
	return 0;
}

int
sfexec_input(struct sfexec *x, const struct sfplan *p, int i, int *loaded, uint64_t *rows,
	     int *uploaded, struct gha_err *err)
{
	const struct sfplan_input *in = &p->in[i];
	struct buf path, v;
	int r = 0, present;

	*uploaded = 0;
	buf_init(&path);
	for (int k = in->chunk0; k < in->chunk0 + in->nchunks && !r; k++) {
		path.len = 0;
		buf_printf(&path, "%s/%s", p->dir, p->chunk[k]);
		buf_addc(&path, 0);
		r = s3_put_file(&x->s3, path.p, p->chunk[k], &present, err);
		*uploaded += !r && !present;
	}
	buf_free(&path);
	if (r)
		return -1;
	buf_init(&v);
	if (sfapi_exec(&x->api, p->stmt[in->stmt], &v, err)) {
		buf_free(&v);
		return -1;
	}
	*rows = 0;
	r = sfplan_outcome(v.p, rows);
	*loaded = r == 1;
	/* 'mismatch N' was rolled back by the block itself */
	if (r < 0 || (r == 1 && *rows != in->rows)) {
		gha_seterr(err, GHA_DATAERR, "snowflake: the load of %llu rows answered '%.80s' "
			   "(rolled back)", (unsigned long long)in->rows, v.p);
		buf_free(&v);
		return -1;
	}
	buf_free(&v);
	return 0;
}

void
sfexec_close(struct sfexec *x)
{
	if (x->open_s3)
		s3_free(&x->s3);
	if (x->open_api)
		sfapi_free(&x->api);
	x->open_s3 = x->open_api = 0;
}
