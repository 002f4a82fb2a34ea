/* test_dedupe_exact.c: events with an id are keyed by (id, created_at)
 * exactly, not by a hash of it, so two different events never dedupe by
 * a collision; Timeline records (no id) are hashed in a key space of
 * their own. Times from 2015-01-01T00:00:00Z = 1420070400, by hand. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "dedupe.h"
#include "event.h"
#include "json.h"
#include "tap.h"

static struct jscan js;

static int
key_of(const char *text, struct h128 *k)
{
	size_t n = strlen(text), vs, ve;
	const char *code, *why;
	struct event ev;

	if (json_scan(&js, text, n, 0, &vs, &ve) != (long)n)
		return -1;
	if (event_check(&js, text, n, &ev, &code, &why))
		return -1;
	*k = ev.key;
	return 0;
}

static int
event_key(const char *id, const char *created, struct h128 *k)
{
	char t[512];

	snprintf(t, sizeof(t),
		 "{\"id\":\"%s\",\"type\":\"PushEvent\",\"actor\":{\"id\":1,\"login\":\"a\"},"
		 "\"repo\":{\"id\":2,\"name\":\"a/b\"},\"created_at\":\"%s\"}", id, created);
	return key_of(t, k);
}

int
main(void)
{
	const uint64_t top = (uint64_t)1 << 63;
	const uint64_t t15 = 1420070400 + 15 * 3600;	/* 2015-01-01T15:00:00Z */
	struct h128 a, b, tl;
	struct dedupe d;
	char id[32];
	uint64_t i, n = 200000, added = 0;
	int r;

	jscan_init(&js, event_keys, event_nkeys);

	r = event_key("2489651045", "2015-01-01T15:00:00Z", &a);
	ok(r == 0 && a.hi == (2489651045u | top) && a.lo == t15,
	   "the key is (id | top bit, created_at) exactly: hi %016llx lo %llu",
	   (unsigned long long)a.hi, (unsigned long long)a.lo);
	r = event_key("9223372036854775807", "1970-01-01T00:00:00Z", &b);
	ok(r == 0 && b.hi == UINT64_MAX && b.lo == 0, "the largest id and time 0 are held exactly");
	r = event_key("0", "1970-01-01T00:00:00Z", &b);
	ok(r == 0 && b.hi == top && b.lo == 0, "id 0 at time 0: not the empty key, not nudged");

	/* a Timeline record: hashed, top bit clear, so never equal to an id key */
	r = key_of("{\"type\":\"PushEvent\",\"actor\":\"a\",\"repository\":{\"name\":\"b\","
		   "\"owner\":\"a\"},\"created_at\":\"2014-01-01T00:00:00-08:00\"}", &tl);
	ok(r == 0 && !(tl.hi & top), "a record without id is hashed with the top bit clear");

	/* a hashed key with the very bits of an id key but the flag: both kept */
	dedupe_init(&d);
	b = a;
	b.hi &= ~top;
	ok(dedupe_add(&d, a) == 1 && dedupe_add(&d, b) == 1 && dedupe_add(&d, a) == 0,
	   "the two key spaces never meet: an id key and the same bits unflagged are two keys");
	dedupe_free(&d);

	/* many different ids in one second (the keys share lo): none is
	 * taken for another; the same (id, created_at) again always is */
	dedupe_init(&d);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%llu", (unsigned long long)(i * 7919 + 1));
		if (event_key(id, "2025-10-08T00:00:00Z", &a) == 0)
			added += (uint64_t)dedupe_add(&d, a);
	}
	ok(added == n, "%llu different ids in one second: all kept (%llu)", (unsigned long long)n,
	   (unsigned long long)added);
	added = 0;
	for (i = 0; i < n; i += 1000) {
		snprintf(id, sizeof(id), "%llu", (unsigned long long)(i * 7919 + 1));
		if (event_key(id, "2025-10-08T00:00:00Z", &a) == 0)
			added += (uint64_t)dedupe_add(&d, a);
	}
	ok(added == 0, "the same (id, created_at) again: a duplicate every time");
	/* GitHub reset ids on 2025-10-08: one id, two times, two events */
	r = event_key("1", "2025-10-09T00:00:00Z", &a);
	ok(r == 0 && dedupe_add(&d, a) == 1, "a reused id at another time is a new event");
	r = event_key("0001", "2025-10-08T00:00:00Z", &a);
	ok(r == 0 && dedupe_add(&d, a) == 0, "\"0001\" and 1 are one id");
	dedupe_free(&d);
	jscan_free(&js);
	return tap_done();
}
