/* test_jqfilter.c: a jq program as a record predicate. */
#include <stdio.h>
#include <string.h>

#include "gha.h"
#include "jqfilter.h"
#include "tap.h"

/* a message on one line, for display */
static const char *
flat(const char *s)
{
	static char b[300];
	size_t i;

	for (i = 0; s[i] && i < sizeof(b) - 1; i++)
		b[i] = s[i] == '\n' ? ' ' : s[i];
	b[i] = '\0';
	return b;
}

static int
m(struct jqfilter *f, const char *text, struct gha_err *err)
{
	memset(err, 0, sizeof(*err));
	return jqfilter_match(f, text, strlen(text), err);
}

int
main(void)
{
	struct gha_err err;
	struct jqfilter *f;
	int i, bad;

	memset(&err, 0, sizeof(err));
	f = jqfilter_new(".type == \"PushEvent\" and .repo.name == \"torvalds/linux\"", &err);
	ok(f != NULL, "compile a predicate");
	if (f) {
		ok(m(f, "{\"type\":\"PushEvent\",\"repo\":{\"name\":\"torvalds/linux\"}}", &err) == 1, "true");
		ok(m(f, "{\"type\":\"PushEvent\",\"repo\":{\"name\":\"x/y\"}}", &err) == 0, "false");
		ok(m(f, "{\"type\":\"WatchEvent\"}", &err) == 0, "missing member: false");
		ok(m(f, "{\"type\":\"PushEvent\",\"repo\":{\"name\":\"torvalds/linux\"}} trailing", &err) == -1 &&
		   err.code == GHA_DATAERR, "text that is not one JSON value: -1, 65");
		/* many calls reuse the state */
		bad = 0;
		for (i = 0; i < 2000; i++) {
			char t[100];

			snprintf(t, sizeof(t), "{\"type\":\"%s\",\"repo\":{\"name\":\"torvalds/linux\"}}",
				 i % 3 ? "PushEvent" : "ForkEvent");
			if (m(f, t, &err) != (i % 3 != 0))
				bad++;
		}
		ok(bad == 0, "2000 calls (%d wrong)", bad);
		jqfilter_free(f);
	}

	/* truthiness: only false and null are false */
	f = jqfilter_new(".x", &err);
	if (f) {
		ok(m(f, "{\"x\":false}", &err) == 0, "false is false");
		ok(m(f, "{\"x\":null}", &err) == 0, "null is false");
		ok(m(f, "{}", &err) == 0, "missing is null, false");
		ok(m(f, "{\"x\":0}", &err) == 1, "0 is true");
		ok(m(f, "{\"x\":\"\"}", &err) == 1, "\"\" is true");
		ok(m(f, "{\"x\":[]}", &err) == 1, "[] is true");
		ok(m(f, "{\"x\":{}}", &err) == 1, "{} is true");
		ok(m(f, "{\"x\":\"\\u00e9\"}", &err) == 1, "a string with an escape");
		jqfilter_free(f);
	} else {
		ok(0, "compile .x");
	}

	/* only the first output counts; no output is false */
	f = jqfilter_new(".[]", &err);
	if (f) {
		ok(m(f, "[true,false]", &err) == 1 && m(f, "[false,true]", &err) == 0, "the first output decides");
		ok(m(f, "[]", &err) == 0, "no output is false");
		jqfilter_free(f);
	}
	f = jqfilter_new("empty", &err);
	if (f) {
		ok(m(f, "{}", &err) == 0, "empty is false");
		jqfilter_free(f);
	}

	/* runtime errors */
	f = jqfilter_new(".a.b", &err);
	if (f) {
		ok(m(f, "{\"a\":1}", &err) == -1 && err.code == GHA_DATAERR && strstr(err.msg, "jq error"),
		   "indexing a number: -1, 65 (%s)", flat(err.msg));
		ok(m(f, "{\"a\":{\"b\":2}}", &err) == 1, "the next record works");
		jqfilter_free(f);
	}
	f = jqfilter_new("error(\"custom failure\")", &err);
	if (f) {
		ok(m(f, "{}", &err) == -1 && strstr(err.msg, "custom failure"), "error(): message kept (%s)", flat(err.msg));
		jqfilter_free(f);
	}

	/* compile errors */
	memset(&err, 0, sizeof(err));
	f = jqfilter_new(".[", &err);
	ok(f == NULL && err.code == GHA_USAGE && strstr(err.msg, ".[") && strlen(err.msg) > 20,
	   "a syntax error: NULL, 64, message (%s)", flat(err.msg));
	memset(&err, 0, sizeof(err));
	f = jqfilter_new("nosuchfunction(1)", &err);
	ok(f == NULL && err.code == GHA_USAGE, "an unknown function: NULL, 64 (%s)", flat(err.msg));
	jqfilter_free(NULL);
	ok(1, "jqfilter_free(NULL) is harmless");
	return tap_done();
}
