/* test_event.c: event_check across the eras of GH Archive, the reject
 * codes, and the dedupe key. Timestamps are worked out by hand from
 * 2015-01-01T00:00:00Z = 1420070400. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "event.h"
#include "hash.h"
#include "json.h"
#include "tap.h"

static struct jscan js;

/* 0 or -1 from event_check; code set on -1 */
static int
check(const char *text, struct event *ev, const char **code)
{
	size_t n = strlen(text), vs, ve;
	const char *why = NULL;
	int r;

	*code = NULL;
	if (json_scan(&js, text, n, 0, &vs, &ve) != (long)n) {
		*code = "(not json)";
		return -2;
	}
	r = event_check(&js, text, n, ev, code, &why);
	if (r == -1 && (!*code || !why || !*why))
		*code = "(no code or reason)";
	return r;
}

static void
accepts(const char *text, enum era era, int64_t created, int has_id, const char *what)
{
	struct event ev;
	const char *code;
	int r = check(text, &ev, &code);

	ok(r == 0 && ev.era == era && ev.created == created && ev.has_id == has_id,
	   "%s: accepted as %s at %lld (r=%d %s era=%d created=%lld)", what, era_names[era],
	   (long long)created, r, code ? code : "", (int)ev.era, (long long)ev.created);
}

static void
rejects(const char *text, const char *want, const char *what)
{
	struct event ev;
	const char *code;
	int r = check(text, &ev, &code);

	ok(r == -1 && code && !strcmp(code, want), "%s: rejected as %s (r=%d, %s)", what, want, r,
	   code ? code : "(null)");
}

static struct h128
key_of(const char *text)
{
	struct event ev;
	const char *code;
	struct h128 none = { 0, 0 };

	return check(text, &ev, &code) == 0 ? ev.key : none;
}

static int
same(struct h128 a, struct h128 b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

#define ACT "\"actor\":{\"id\":665991,\"login\":\"petroav\"}"
#define REPO "\"repo\":{\"id\":28688495,\"name\":\"petroav/6.828\"}"

int
main(void)
{
	const int64_t t15 = 1420070400 + 15 * 3600;	/* 2015-01-01T15:00:00Z */
	struct event ev;
	const char *code;

	jscan_init(&js, event_keys, event_nkeys);
	ok(event_nkeys == 9 && !strcmp(event_keys[EK_ID], "id") && !strcmp(event_keys[EK_PUBLIC], "public"),
	   "event_keys in the EK_ order");
	ok(!strcmp(era_names[ERA_NONE], "none") && !strcmp(era_names[ERA_TRIMMED], "trimmed"), "era names");

	/* the Events API era */
	accepts("{\"id\":\"2489651045\",\"type\":\"CreateEvent\"," ACT "," REPO
		",\"payload\":{\"ref\":\"master\"},\"public\":true,\"created_at\":\"2015-01-01T15:00:00Z\"}",
		ERA_EVENTS, t15, 1, "a 2015 event");
	accepts("{\"id\":2489651045,\"type\":\"PushEvent\"," ACT "," REPO ",\"payload\":null,"
		"\"created_at\":\"2015-01-01T15:00:00Z\"}", ERA_EVENTS, t15, 1, "numeric id, null payload");
	accepts("{\"id\":\"1\",\"type\":\"WatchEvent\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}",
		ERA_EVENTS, t15, 1, "no payload at all");
	accepts("{\"id\":\"9223372036854775807\",\"type\":\"X\"," ACT "," REPO
		",\"created_at\":\"2015-01-01T15:00:00Z\",\"org\":{\"id\":1}}", ERA_EVENTS, t15, 1,
		"the largest id, 2^63-1");
	accepts("{\"id\":\"000009223372036854775807\",\"type\":\"X\"," ACT "," REPO
		",\"created_at\":\"2015-01-01T15:00:00Z\"}", ERA_EVENTS, t15, 1,
		"the largest id with leading zeros");
	rejects("{\"id\":\"9223372036854775808\",\"type\":\"X\"," ACT "," REPO
		",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field", "an id of 2^63");
	rejects("{\"id\":18446744073709551621,\"type\":\"X\"," ACT "," REPO
		",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field", "a 20-digit id");
	accepts("{\"id\":\"1\",\"type\":\"PushEvent\"," ACT "," REPO ",\"payload\":{},"
		"\"created_at\":\"2013-01-10T12:00:00Z\"}", ERA_EVENTS, 1357819200, 1,
		"an Events API record from 2013");
	/* trimmed payloads from 2025-10-07 = 1759795200 */
	accepts("{\"id\":\"5\",\"type\":\"PushEvent\"," ACT "," REPO ",\"payload\":{},"
		"\"created_at\":\"2025-10-07T00:00:00Z\"}", ERA_TRIMMED, 1759795200, 1, "the first trimmed second");
	accepts("{\"id\":\"5\",\"type\":\"PushEvent\"," ACT "," REPO ",\"payload\":{},"
		"\"created_at\":\"2025-10-06T23:59:59Z\"}", ERA_EVENTS, 1759795199, 1, "the last untrimmed second");
	/* 2011: api.github.dev URLs */
	accepts("{\"id\":\"1\",\"type\":\"PushEvent\",\"actor\":{\"login\":\"x\",\"url\":\"https://api.github.dev/users/x\"},"
		"\"repo\":{\"name\":\"x/y\",\"url\":\"https://api.github.dev/repos/x/y\"},\"payload\":{},"
		"\"created_at\":\"2011-02-15T00:00:00Z\"}", ERA_ARCHIVE2011, 1297728000, 1, "a 2011 event");
	/* the Timeline era: no id, actor a login */
	accepts("{\"type\":\"PushEvent\",\"actor\":\"defunkt\",\"repository\":{\"name\":\"x\"},"
		"\"payload\":{},\"public\":true,\"created_at\":\"2012-03-10T07:01:50-08:00\"}",
		ERA_TIMELINE, 1331391710, 0, "a Timeline event with a -08:00 offset");
	accepts("{\"type\":\"GistEvent\",\"actor\":null,\"created_at\":\"2014-02-15T00:00:00-08:00\"}",
		ERA_TIMELINE, 1392451200, 0, "a Timeline event with a null actor");
	accepts("{\"id\":null,\"type\":\"GistEvent\",\"actor\":\"a\",\"repository\":null,"
		"\"created_at\":\"2014-02-15T08:00:00Z\"}", ERA_TIMELINE, 1392451200, 0, "a null id");

	/* the type string is handed back with its quotes */
	if (check("{\"id\":\"1\",\"type\":\"IssuesEvent\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}",
		  &ev, &code) == 0)
		ok(ev.type.type == J_STRING && ev.type.len == 13 && !memcmp(ev.type.p, "\"IssuesEvent\"", 13),
		   "ev.type is the type string");
	else
		ok(0, "ev.type");

	/* rejects */
	rejects("{\"id\":\"1\",\"id\":\"2\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}",
		"duplicate-member", "id twice");
	rejects("{\"id\":\"1\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "missing-field", "no type");
	rejects("{\"id\":\"1\",\"type\":1," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"numeric type");
	rejects("{\"id\":\"1\",\"type\":\"\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"empty type");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT "," REPO "}", "missing-field", "no created_at");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-02-29T00:00:00Z\"}", "bad-field",
		"an impossible created_at");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":1420070400}", "bad-field",
		"a numeric created_at");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"\"}", "bad-field", "an empty created_at");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT "," REPO ",\"payload\":[],\"created_at\":\"2015-01-01T15:00:00Z\"}",
		"bad-field", "an array payload");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT "," REPO ",\"payload\":\"p\",\"created_at\":\"2015-01-01T15:00:00Z\"}",
		"bad-field", "a string payload");
	rejects("{\"id\":\"12a\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"a non-decimal id");
	rejects("{\"id\":1.5,\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"a fractional id");
	rejects("{\"id\":-1,\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"a negative id");
	rejects("{\"id\":\"\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"an empty id");
	rejects("{\"id\":\"123456789012345678901\",\"type\":\"X\"," ACT "," REPO
		",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field", "a 21-digit id");
	rejects("{\"id\":true,\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "bad-field",
		"a boolean id");
	rejects("{\"id\":\"1\",\"type\":\"X\"," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "missing-field",
		"an id but no actor");
	rejects("{\"id\":\"1\",\"type\":\"X\",\"actor\":\"a\"," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}",
		"bad-field", "an id and a string actor");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "missing-field",
		"an id but no repo");
	rejects("{\"id\":\"1\",\"type\":\"X\"," ACT ",\"repo\":[],\"created_at\":\"2015-01-01T15:00:00Z\"}",
		"bad-field", "an array repo");
	rejects("{\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}", "missing-field",
		"an Events API shape without id");
	rejects("{\"type\":\"X\",\"actor\":5,\"created_at\":\"2012-01-01T00:00:00Z\"}", "bad-field",
		"a numeric Timeline actor");
	rejects("{\"type\":\"X\",\"actor\":\"a\",\"repository\":\"r\",\"created_at\":\"2012-01-01T00:00:00Z\"}",
		"bad-field", "a string repository");

	/* dedupe keys: (id, created_at) */
	{
		struct h128 a = key_of("{\"id\":\"7\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}");
		struct h128 a2 = key_of("{\"created_at\":\"2015-01-01T15:00:00Z\",\"type\":\"Y\",\"id\":7," ACT "," REPO
					",\"payload\":{\"x\":1}}");
		struct h128 a3 = key_of("{\"id\":\"7\",\"type\":\"X\"," ACT "," REPO
					",\"created_at\":\"2015-01-01T07:00:00-08:00\"}");
		struct h128 b = key_of("{\"id\":\"7\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:01Z\"}");
		struct h128 c = key_of("{\"id\":\"8\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}");
		struct h128 d = key_of("{\"id\":\"71\",\"type\":\"X\"," ACT "," REPO ",\"created_at\":\"2015-01-01T15:00:00Z\"}");

		ok(same(a, a2), "same id and instant, other members: the same key");
		ok(same(a, a3), "the same instant written with an offset: the same key");
		ok(!same(a, b), "another second: another key");
		ok(!same(a, c) && !same(a, d), "another id: another key");
	}
	{
		struct h128 t1 = key_of("{\"type\":\"X\",\"actor\":\"a\",\"created_at\":\"2012-01-01T00:00:00Z\"}");
		struct h128 t2 = key_of("{\"type\":\"X\",\"actor\":\"a\",\"created_at\":\"2012-01-01T00:00:00Z\"}");
		struct h128 t3 = key_of("{\"type\":\"X\", \"actor\":\"a\",\"created_at\":\"2012-01-01T00:00:00Z\"}");

		ok(same(t1, t2), "Timeline: identical bytes, the same key");
		ok(!same(t1, t3), "Timeline: other bytes, another key");
	}
	jscan_free(&js);
	return tap_done();
}
