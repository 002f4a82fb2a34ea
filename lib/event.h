/* event.h: what makes a JSON object a GitHub event, era by era. */
#ifndef GHA_EVENT_H
#define GHA_EVENT_H

#include "hash.h"
#include "json.h"

enum era { ERA_NONE, ERA_ARCHIVE2011, ERA_TIMELINE, ERA_EVENTS, ERA_TRIMMED };
extern const char *const era_names[];
/* The top-level members event_check needs, in this order; pass to jscan_init. */
extern const char *const event_keys[];
extern const int event_nkeys;
enum { EK_ID, EK_TYPE, EK_CREATED_AT, EK_ACTOR, EK_REPO, EK_REPOSITORY, EK_PAYLOAD, EK_ORG, EK_PUBLIC };
struct event {
	enum era era;
	int64_t created;		/* UTC seconds */
	struct jspan type;		/* the type string, quotes included */
	struct h128 key;		/* dedupe key: (id, created_at), or the bytes */
	int has_id;
};
/* 0 when js (from a successful json_scan of text[0..n)) holds an event;
 * else -1 with *code (a short stable word) and *why (a sentence). */
int event_check(const struct jscan *js, const char *text, size_t n, struct event *ev,
		const char **code, const char **why);

#endif
