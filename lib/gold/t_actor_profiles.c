/* t_actor_profiles.c: per actor over the input, when the actor is active
 * (by UTC hour of day) and the UTC offset that fits it best (region.c). */
#include <stdio.h>
#include <string.h>

#include "bykey.h"
#include "timefmt.h"

static const struct schema_col cols[] = {
	{ "actor_id", "bigint", "actor_id; NULL for actors known by login only (Timeline era)", 0 },
	{ "actor_login", "text", "the login on the actor's latest event", 0 },
	{ "events", "bigint", "events: count(*)", 1 },
	{ "active_days", "integer", "distinct UTC days with an event", 1 },
	{ "active_hours", "integer", "distinct UTC hours with an event", 1 },
	{ "events_by_hour", "text",
	  "24 comma-separated event counts by UTC hour of day, 00 first", 1 },
	{ "active_by_hour", "text",
	  "24 comma-separated counts of active hours by UTC hour of day: for hour h, the days with an event in h", 1 },
	{ "utc_offset", "integer", "the best UTC offset (-10..13) for active_by_hour; NULL below the minimums", 0 },
	{ "confidence", "numeric", "posterior share of utc_offset's band; NULL below the minimums", 0 },
	{ "region", "text", "americas, europe_africa, asia_pacific or unknown", 1 },
};

static void
list24(struct gold_out *o, const int64_t *v64, const uint32_t *v32)
{
	char s[24 * 22];
	size_t n = 0;
	int h;

	/* fmt_i64, not snprintf: its format parsing was a tenth of the table */
	for (h = 0; h < 24; h++) {
		if (h)
			s[n++] = ',';
		n += fmt_i64(s + n, v64 ? v64[h] : (int64_t)v32[h]);
	}
	gold_out_str(o, s, n);
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	struct gold_bykey g;
	size_t at, end;

	(void)err;
	gold_bykey_init(&g, f, GB_ACTOR);
	for (at = 0; at < g.n; at = end) {
		struct gold_profile p;
		char s[32];
		const char *rn;

		end = gold_bykey_end(&g, at);
		gold_profile(&g, at, end, &p);
		gold_out_id(o, &f->sy, p.login);
		gold_out_sym(o, &f->sy, p.login);
		gold_out_int(o, p.events);
		gold_out_int(o, p.days);
		gold_out_int(o, p.hours);
		list24(o, p.by_hour, NULL);
		list24(o, NULL, p.active);
		if (p.fit.fitted) {
			gold_out_int(o, p.fit.offset);
			gold_out_str(o, s, (size_t)snprintf(s, sizeof(s), "%.3f", p.fit.confidence));
		} else {
			gold_out_null(o);
			gold_out_null(o);
		}
		rn = region_name(p.fit.region);
		gold_out_str(o, rn, strlen(rn));
		gold_out_end(o);
	}
	gold_bykey_free(&g);
	return 0;
}

static const char *const key[] = { "actor_id", "actor_login" };
const struct schema_table schema_gold_actor_profiles = SCHEMA_TABLE("gold_actor_profiles",
	"per actor: activity by UTC hour of day, the best UTC offset and region", cols, key);

const struct gold_table gold_t_actor_profiles = {
	"actor_profiles", &schema_gold_actor_profiles,
	1u << GI_CREATED_AT | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN,
	emit, NULL,
};
