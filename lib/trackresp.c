/* trackresp.c: reading MLflow's REST answers (trackresp.h), over the
 * validating scanner of json.c: one pass captures the members asked for
 * by path, nothing else is built. */
#include "gha.h"
#include "json.h"
#include "trackresp.h"

int
trackresp_valid_id(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '_' && c != '-')))
			return 0;
	}
	return 1;
}

/* Scan body for paths; 0 with the values in js->val, -1 when it is not
 * one JSON object. */
static int
scan(struct jscan *js, const char *const *paths, int npaths, const char *body, size_t n)
{
	size_t vs, ve;

	jscan_init(js, paths, npaths);
	if (n > TRACKRESP_MAX || json_scan(js, body, n, 0, &vs, &ve) < 0 || body[vs] != '{') {
		jscan_free(js);
		return -1;
	}
	return 0;
}

/* A captured string member, decoded; NULL when absent or not a string,
 * or holding a NUL. */
static char *
str(const struct jspan *v)
{
	struct buf b;

	if (v->type != J_STRING)
		return NULL;
	buf_init(&b);
	if (json_unescape(v, &b) < 0 || memchr(b.p ? b.p : "", '\0', b.len)) {
		buf_free(&b);
		return NULL;
	}
	buf_addc(&b, '\0');
	return b.p;
}

int
trackresp_error(const char *body, size_t n, char *code, size_t codesz, char *msg, size_t msgsz)
{
	static const char *const paths[] = { "error_code", "message" };
	struct jscan js;
	char *c, *m;
	int rc = 0;

	if (codesz)
		code[0] = '\0';
	if (msgsz)
		msg[0] = '\0';
	if (scan(&js, paths, 2, body, n) < 0)
		return 0;
	c = str(&js.val[0]);
	m = str(&js.val[1]);
	if (c && codesz) {
		size_t i, o = 0;

		/* an error code is an enum name: nothing else is printed */
		for (i = 0; c[i] && o + 1 < codesz; i++)
			if ((c[i] >= 'A' && c[i] <= 'Z') || c[i] == '_')
				code[o++] = c[i];
		code[o] = '\0';
		rc = 1;
	}
	if (m && msgsz) {
		size_t i, o = 0;

		/* one line: control characters become spaces */
		for (i = 0; m[i] && o + 1 < msgsz; i++)
			msg[o++] = (unsigned char)m[i] < 0x20 ? ' ' : m[i];
		msg[o] = '\0';
	}
	free(c);
	free(m);
	jscan_free(&js);
	return rc;
}

int
trackresp_experiment(const char *body, size_t n, char **id, int *deleted)
{
	static const char *const paths[] = { "experiment.experiment_id",
					     "experiment.lifecycle_stage" };
	struct jscan js;
	char *s, *stage;

	*id = NULL;
	if (scan(&js, paths, 2, body, n) < 0)
		return -1;
	s = str(&js.val[0]);
	stage = str(&js.val[1]);
	if (deleted)
		*deleted = stage && strcmp(stage, "deleted") == 0;
	free(stage);
	jscan_free(&js);
	if (!s || !trackresp_valid_id(s, 64)) {
		free(s);
		return -1;
	}
	*id = s;
	return 0;
}

int
trackresp_created(const char *body, size_t n, char **id)
{
	static const char *const paths[] = { "experiment_id" };
	struct jscan js;
	char *s;

	*id = NULL;
	if (scan(&js, paths, 1, body, n) < 0)
		return -1;
	s = str(&js.val[0]);
	jscan_free(&js);
	if (!s || !trackresp_valid_id(s, 64)) {
		free(s);
		return -1;
	}
	*id = s;
	return 0;
}

int
trackresp_run(const char *body, size_t n, char run_id[257], char **artifact_uri)
{
	static const char *const paths[] = { "run.info.run_id", "run.info.artifact_uri" };
	struct jscan js;
	char *s;

	*artifact_uri = NULL;
	run_id[0] = '\0';
	if (scan(&js, paths, 2, body, n) < 0)
		return -1;
	s = str(&js.val[0]);
	*artifact_uri = str(&js.val[1]);
	jscan_free(&js);
	if (!s || !trackresp_valid_id(s, 256)) {
		free(s);
		free(*artifact_uri);
		*artifact_uri = NULL;
		return -1;
	}
	memcpy(run_id, s, strlen(s) + 1);
	free(s);
	return 0;
}
