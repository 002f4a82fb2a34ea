/* profile.c: an actor's activity by hour of day, and its region fit.
 * The facts of one actor come sorted by hour, so distinct active hours
 * and days are counted as changes of hour and day. */
#include <string.h>

#include "bykey.h"

/* later (t, symbol a) than (u, symbol b): time, then the greater text
 * (bytes, then length), so the latest login is a total order whatever
 * the order of the facts */
static int
later(const struct gsyms *s, int64_t t, uint32_t a, int64_t u, uint32_t b)
{
	size_t na, nb;
	const char *pa, *pb;
	int c;

	if (t != u)
		return t > u;
	pa = gsym_text(s, a, &na);
	pb = gsym_text(s, b, &nb);
	if (!pa || !pb)
		return pa != NULL;
	c = memcmp(pa, pb, na < nb ? na : nb);
	return c ? c > 0 : na > nb;
}

void
gold_profile(const struct gold_bykey *g, size_t from, size_t to, struct gold_profile *p)
{
	const struct gold_facts *f = g->f;
	int64_t hour = INT64_MIN, day = INT64_MIN, login_at = INT64_MIN;
	size_t j;

	memset(p, 0, sizeof(*p));
	for (j = from; j < to; j++) {
		const struct gfact *x = &f->v[g->idx[j]];
		int h = gold_hod(x->k.hour);

		p->events += x->n;
		p->by_hour[h] += x->n;
		if (x->k.hour != hour) {
			hour = x->k.hour;
			p->hours++;
			p->active[h]++;
		}
		if (gold_day(x->k.hour) != day) {
			day = gold_day(x->k.hour);
			p->days++;
		}
		if (!p->login || later(&f->sy, x->tmax, x->k.actor, login_at, p->login)) {
			p->login = x->k.actor;
			login_at = x->tmax;
		}
	}
	region_infer(p->active, p->days, &p->fit);
}
