/* event.c: the fields that identify a GitHub event, era by era.
 *
 *   archive2011  2011 to early 2012: Events API shape, api.github.dev URLs
 *   timeline     2012-2014 Timeline: no id, actor a login string (or null),
 *                repository object, created_at with a -08:00-style offset
 *   events       2015 on, Events API: id, actor and repo objects
 *   trimmed      since 2025-10-07: Events API with trimmed payloads
 */
#include <string.h>

#include "gha.h"
#include "event.h"
#include "hash.h"
#include "json.h"
#include "timefmt.h"

const char *const era_names[] = { "none", "archive2011", "timeline", "events", "trimmed" };
_Static_assert(sizeof(era_names) / sizeof(era_names[0]) == ERA_TRIMMED + 1,
	       "era_names[] and enum era differ");
const char *const event_keys[] = { "id", "type", "created_at", "actor", "repo",
				   "repository", "payload", "org", "public" };
const int event_nkeys = (int)(sizeof(event_keys) / sizeof(event_keys[0]));
_Static_assert(sizeof(event_keys) / sizeof(event_keys[0]) == EK_PUBLIC + 1,
	       "event_keys[] and the EK_ enum differ");

/* 2025-10-07T00:00:00Z: GitHub trimmed push and pull-request payloads */
#define TRIM_EPOCH 1759795200
/* 2015-01-01T00:00:00Z: GH Archive switched to the Events API */
#define EVENTS_EPOCH 1420070400

static int
has(const struct jspan *v)
{
	return v->type != J_NONE;
}

static int
bad(const char **code, const char **why, const char *c, const char *w)
{
	*code = c;
	*why = w;
	return -1;
}

static int
contains(const struct jspan *v, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = v->p, *end = v->p + v->len;

	while ((p = memchr(p, needle[0], (size_t)(end - p))) && (size_t)(end - p) >= n) {
		if (!memcmp(p, needle, n))
			return 1;
		p++;
	}
	return 0;
}

/* Digits of the id, quotes removed; 0 when not a decimal integer. */
static size_t
id_digits(const struct jspan *v, const char **d)
{
	const char *p = v->p;
	size_t n = v->len, i;

	if (v->type == J_STRING) {
		p++;
		n -= 2;
	} else if (v->type != J_NUMBER) {
		return 0;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	/* "007" and 7 are one id */
	while (n > 1 && p[0] == '0') {
		p++;
		n--;
	}
	/* a bigint, as gha-silver writes it */
	if (n > 19 || (n == 19 && memcmp(p, "9223372036854775807", 19) > 0))
		return 0;
	*d = p;
	return n;
}

int
event_check(const struct jscan *js, const char *text, size_t n, struct event *ev,
	    const char **code, const char **why)
{
	const struct jspan *v = js->val;
	const struct jspan *id = &v[EK_ID], *type = &v[EK_TYPE], *ca = &v[EK_CREATED_AT];
	const struct jspan *actor = &v[EK_ACTOR], *repo = &v[EK_REPO];

	memset(ev, 0, sizeof(*ev));
	if (js->dupkey)
		return bad(code, why, "duplicate-member", "an event member appears twice");
	if (!has(type))
		return bad(code, why, "missing-field", "missing member 'type'");
	if (type->type != J_STRING || type->len < 3)
		return bad(code, why, "bad-field", "'type' is not a non-empty string");
	if (!has(ca))
		return bad(code, why, "missing-field", "missing member 'created_at'");
	if (ca->type != J_STRING || ts_parse(ca->p + 1, ca->len - 2, &ev->created))
		return bad(code, why, "bad-field", "'created_at' is not an RFC 3339 timestamp");
	ev->type = *type;
	if (v[EK_PAYLOAD].type != J_NONE && v[EK_PAYLOAD].type != J_OBJECT &&
	    v[EK_PAYLOAD].type != J_NULL)
		return bad(code, why, "bad-field", "'payload' is not an object");

	if (has(id) && id->type != J_NULL) {
		const char *d = NULL;
		size_t nd = id_digits(id, &d);
		char key[40];

		if (!nd)
			return bad(code, why, "bad-field",
				   "'id' is not a decimal integer from 0 to 2^63-1");
		if (actor->type != J_OBJECT)
			return bad(code, why, has(actor) ? "bad-field" : "missing-field",
				   has(actor) ? "'actor' is not an object" : "missing member 'actor'");
		if (repo->type != J_OBJECT)
			return bad(code, why, has(repo) ? "bad-field" : "missing-field",
				   has(repo) ? "'repo' is not an object" : "missing member 'repo'");
		if (ev->created >= TRIM_EPOCH)
			ev->era = ERA_TRIMMED;
		else if (ev->created < EVENTS_EPOCH &&
			 (contains(repo, "api.github.dev") || contains(actor, "api.github.dev")))
			ev->era = ERA_ARCHIVE2011;
		else
			ev->era = ERA_EVENTS;
		/* GitHub reused ids in 2025: the key is (id, created_at) */
		memcpy(key, d, nd);
		key[nd] = '|';
		memcpy(key + nd + 1, &ev->created, sizeof(ev->created));
		ev->key = hash128(key, nd + 1 + sizeof(ev->created), 1);
		ev->has_id = 1;
		return 0;
	}
	/* no id: the Timeline shape, or an Events API record that lost it */
	if (actor->type == J_OBJECT || has(repo))
		return bad(code, why, "missing-field", "missing member 'id'");
	if (has(actor) && actor->type != J_STRING && actor->type != J_NULL)
		return bad(code, why, "bad-field", "'actor' is not a login string");
	if (has(&v[EK_REPOSITORY]) && v[EK_REPOSITORY].type != J_OBJECT &&
	    v[EK_REPOSITORY].type != J_NULL)
		return bad(code, why, "bad-field", "'repository' is not an object");
	ev->era = ERA_TIMELINE;
	/* without an id only byte-identical records are duplicates */
	ev->key = hash128(text, n, 2);
	return 0;
}
