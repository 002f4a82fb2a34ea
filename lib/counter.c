/* counter.c: small name -> count tables for stats output. Linear
 * search: event types number a few dozen. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "counter.h"
#include "jsonout.h"
#include "utf8.h"

void
counter_init(struct counter *c)
{
	c->v = NULL;
	c->len = c->cap = 0;
}

void
counter_free(struct counter *c)
{
	size_t i;

	for (i = 0; i < c->len; i++)
		free(c->v[i].name);
	free(c->v);
	counter_init(c);
}

void
counter_add(struct counter *c, const char *name, size_t len, uint64_t n)
{
	size_t i;

	for (i = 0; i < c->len; i++)
		if (strlen(c->v[i].name) == len && !memcmp(c->v[i].name, name, len)) {
			c->v[i].n += n;
			return;
		}
	/* "(other)" itself may go one past the limit */
	if (c->len >= COUNTER_MAX && !(len == 7 && !memcmp(name, "(other)", 7))) {
		counter_add(c, "(other)", 7, n);
		return;
	}
	if (c->len == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->len].name = xmalloc(len + 1);
	memcpy(c->v[c->len].name, name, len);
	c->v[c->len].name[len] = '\0';
	c->v[c->len].n = n;
	c->len++;
}

static int
byname(const void *a, const void *b)
{
	return strcmp(((const struct cnt *)a)->name, ((const struct cnt *)b)->name);
}

void
counter_json(const struct counter *c, struct buf *b)
{
	struct cnt *v = xmalloc((c->len ? c->len : 1) * sizeof(*v));
	size_t i;

	if (c->len)
		memcpy(v, c->v, c->len * sizeof(*v));
	qsort(v, c->len, sizeof(*v), byname);
	buf_addc(b, '{');
	for (i = 0; i < c->len; i++) {
		if (i)
			buf_addc(b, ',');
		if (utf8_valid((const unsigned char *)v[i].name, strlen(v[i].name)))
			json_addstr(b, v[i].name, strlen(v[i].name));
		else
			json_addstr(b, "(invalid UTF-8)", 15);
		buf_printf(b, ":%llu", (unsigned long long)v[i].n);
	}
	buf_addc(b, '}');
	free(v);
}
