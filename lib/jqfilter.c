/* jqfilter.c: a user's jq expression as a record predicate. libjq
 * compiles every program (its error messages are the ones users know)
 * and runs those outside the fast subset (fastfilter.c); the fast path
 * runs the rest on the scanner's spans. Only --filter pays for libjq's
 * parser; the default path never does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "gha.h"
#include "fastfilter.h"
#include "jqfilter.h"

struct jqfilter {
	jq_state *jq;
	struct buf msg;
	struct fastfilter *fast;
	char why[200];		/* why not fast */
	uint64_t nfast, nlibjq;
};

static void
on_error(void *data, jv msg)
{
	struct jqfilter *f = data;

	/* compile errors come as several messages: keep them all */
	if (f->msg.len)
		buf_adds(&f->msg, "; ");
	if (jv_get_kind(msg) == JV_KIND_STRING) {
		const char *p;

		/* one line: jq's messages carry the program text after a newline */
		for (p = jv_string_value(msg); *p; p++)
			buf_addc(&f->msg, *p == '\n' ? ' ' : *p);
	} else {
		jv s = jv_dump_string(jv_copy(msg), 0);

		buf_adds(&f->msg, jv_string_value(s));
		jv_free(s);
	}
	jv_free(msg);
}

struct jqfilter *
jqfilter_new(const char *prog, struct gha_err *err)
{
	struct jqfilter *f = xcalloc(1, sizeof(*f));

	buf_init(&f->msg);
	f->jq = jq_init();
	if (!f->jq) {
		gha_seterr(err, GHA_UNAVAILABLE, "cannot initialise libjq");
		free(f);
		return NULL;
	}
	jq_set_error_cb(f->jq, on_error, f);
	/* libjq 1.6's jq_init leaves these unset: 'input' and 'debug' read
	 * them, and 'include' wants a library path (none: no modules) */
	jq_set_input_cb(f->jq, NULL, NULL);
	jq_set_debug_cb(f->jq, NULL, NULL);
	jq_set_attr(f->jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	jq_set_attr(f->jq, jv_string("JQ_ORIGIN"), jv_string("."));
	if (!jq_compile(f->jq, prog)) {
		gha_seterr(err, GHA_USAGE, "invalid jq filter '%s': %s", prog,
			   f->msg.len ? f->msg.p : "compile error");
		jqfilter_free(f);
		return NULL;
	}
	{
		const char *e = getenv("GHA_JQ_FAST");

		if (e && !strcmp(e, "0"))
			snprintf(f->why, sizeof(f->why), "GHA_JQ_FAST=0 in the environment");
		else
			f->fast = fastfilter_new(prog, f->why, sizeof(f->why));
	}
	return f;
}

struct fastfilter *
jqfilter_fast(struct jqfilter *f)
{
	return f->fast;
}

void
jqfilter_drop_fast(struct jqfilter *f, const char *why)
{
	fastfilter_free(f->fast);
	f->fast = NULL;
	snprintf(f->why, sizeof(f->why), "%s", why);
}

void
jqfilter_explain(const struct jqfilter *f, struct buf *b)
{
	int i, j, n, first = 1;

	if (!f->fast) {
		buf_printf(b, "libjq: %s", f->why);
		return;
	}
	buf_adds(b, "fast: evaluated on members read in the validating pass (");
	n = fastfilter_npaths(f->fast);
	for (i = 0; i < n; i++) {
		const char *p = fastfilter_path(f->fast, i);
		size_t len = strlen(p);

		/* the paths a program names, not the prefixes added for them */
		for (j = 0; j < n; j++)
			if (!strncmp(fastfilter_path(f->fast, j), p, len) &&
			    fastfilter_path(f->fast, j)[len] == '.')
				break;
		if (j < n)
			continue;
		buf_printf(b, "%s.%s", first ? "" : ", ", p);
		first = 0;
	}
	buf_adds(b, first ? "none)" : ")");
	buf_adds(b, "; a record jq would read otherwise (a duplicate member, a lone "
		 "surrogate escape, deep nesting) or an error goes to libjq");
}

void
jqfilter_counts(const struct jqfilter *f, uint64_t *fast, uint64_t *libjq)
{
	*fast = f->nfast;
	*libjq = f->nlibjq;
}

int
jqfilter_match_scan(struct jqfilter *f, const struct jscan *js, const char *text, size_t n,
		    struct gha_err *err)
{
	if (f->fast) {
		int r = fastfilter_eval(f->fast, js, text, n);

		if (r >= 0) {
			f->nfast++;
			return r;
		}
	}
	f->nlibjq++;
	return jqfilter_match(f, text, n, err);
}

int
jqfilter_match(struct jqfilter *f, const char *text, size_t n, struct gha_err *err)
{
	jv in = jv_parse_sized(text, (int)n), out;
	int r = 0;

	f->msg.len = 0;
	if (!jv_is_valid(in)) {
		jv_free(in);
		return gha_seterr(err, GHA_DATAERR, "libjq cannot parse the record");
	}
	jq_start(f->jq, in, 0);
	out = jq_next(f->jq);
	if (jv_is_valid(out)) {
		jv_kind k = jv_get_kind(out);

		r = k != JV_KIND_FALSE && k != JV_KIND_NULL;
	} else if (jv_invalid_has_msg(jv_copy(out))) {
		jv m = jv_invalid_get_msg(out);

		out = jv_invalid();
		if (jv_get_kind(m) == JV_KIND_STRING)
			gha_seterr(err, GHA_DATAERR, "jq error: %s", jv_string_value(m));
		else
			gha_seterr(err, GHA_DATAERR, "jq error");
		jv_free(m);
		r = -1;
	}
	/* jq_start resets the state, so later outputs need no draining */
	jv_free(out);
	return r;
}

void
jqfilter_free(struct jqfilter *f)
{
	if (!f)
		return;
	if (f->jq)
		jq_teardown(&f->jq);
	fastfilter_free(f->fast);
	buf_free(&f->msg);
	free(f);
}
