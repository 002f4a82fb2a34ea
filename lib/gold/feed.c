/* feed.c: silver rows into facts in two threads. A reader thread reads
 * and splits the lines and parses each row (gold_event_parse: the part
 * that can reject a row, so rejects and the quarantine stay in one
 * thread), copying the row's texts into a batch; this thread interns
 * them and adds the facts. The two halves cost about the same, so on two
 * cores reading takes about half the time. Batches are handed over in
 * order through a small ring, so the facts are added in input order and
 * every output byte is as with one thread. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gold.h"

#define FEED_ROWS 4096
#define FEED_TEXT (1u << 20)
#define FEED_RING 3

struct batch {
	struct gold_pre e[FEED_ROWS];
	size_t n;
	char *text;
	size_t tlen, tcap;
	int full;		/* filled, not yet taken */
	int last;		/* the reader's last batch */
};

struct feed {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[FEED_RING];
	struct copyin *c;
	const struct botlist *bots;
	int rc;			/* the reader's copyin_next error: -1, err set */
	struct gha_err err;
	struct gfact x[FEED_ROWS];	/* this thread's: a batch's facts, */
	uint64_t h[FEED_ROWS];		/* and their hashes */
};

/* PF rows ahead, the symbols' hash slots are prefetched, then what they
 * point at (and the facts' the same way, in gfacts_add_batch): the
 * lookups of a batch wait for memory together, not one after another
 * (the tables are far larger than the caches) */
#define PF 16

static void
add_batch(struct gold_facts *f, const struct batch *b, struct gfact *x, uint64_t *h)
{
	size_t j, n = b->n;

	for (j = 0; j < n; j++) {
		if (j + PF < n)
			gold_event_prefetch(f, &b->e[j + PF], 0);
		if (j + PF / 2 < n)
			gold_event_prefetch(f, &b->e[j + PF / 2], 1);
		if (j + PF / 4 < n)
			gold_event_prefetch(f, &b->e[j + PF / 4], 2);
		gold_event_intern_h(f, &b->e[j], &x[j]);
	}
	gfacts_add_batch(f, x, h, n);
}

static size_t
text_bytes(const struct gold_pre *e)
{
	size_t i, n = 0;

	for (i = 0; i < GP_N; i++)
		if (e->p[i])
			n += e->n[i];
	return n;
}

/* copy e's texts into b (room checked by the caller) */
static void
keep(struct batch *b, struct gold_pre *e)
{
	size_t i;

	for (i = 0; i < GP_N; i++) {
		if (!e->p[i])
			continue;
		memcpy(b->text + b->tlen, e->p[i], e->n[i]);
		e->p[i] = b->text + b->tlen;
		b->tlen += e->n[i];
	}
	b->e[b->n++] = *e;
}

static void *
reader(void *arg)
{
	struct feed *fd = arg;
	struct gold_pre cur;
	int carry = 0, end = 0;
	size_t i = 0;

	while (!end) {
		struct batch *b = &fd->b[i];

		pthread_mutex_lock(&fd->mu);
		while (b->full)
			pthread_cond_wait(&fd->cv, &fd->mu);
		pthread_mutex_unlock(&fd->mu);
		b->n = b->tlen = 0;
		if (carry) {	/* the row that did not fit the last batch */
			size_t need = text_bytes(&cur);

			if (need > b->tcap) {
				b->tcap = need;
				b->text = xrealloc(b->text, b->tcap);
			}
			keep(b, &cur);
			carry = 0;
		}
		while (b->n < FEED_ROWS) {
			const char *code, *why;
			int k = copyin_next(fd->c, &fd->err);

			if (k <= 0) {
				if (k < 0)
					fd->rc = -1;
				end = 1;
				break;
			}
			if (gold_event_parse(fd->c, fd->bots, &cur, &code, &why)) {
				copyin_reject(fd->c, code, why);
				continue;
			}
			if (b->tlen + text_bytes(&cur) > b->tcap) {
				carry = 1;	/* its texts stay valid: no read until then */
				break;
			}
			keep(b, &cur);
		}
		for (size_t j = 0; j < b->n; j++)
			gold_event_hash(&b->e[j]);
		pthread_mutex_lock(&fd->mu);
		b->full = 1;
		b->last = end;
		pthread_cond_broadcast(&fd->cv);
		pthread_mutex_unlock(&fd->mu);
		i = (i + 1) % FEED_RING;
	}
	return NULL;
}

int
gold_feed(struct gold_facts *f, struct copyin *c, const struct botlist *bots, uint64_t *used,
	  struct gha_err *err)
{
	struct feed *fd = xcalloc(1, sizeof(*fd));
	pthread_t th;
	size_t i;
	int last = 0, rc;

	fd->c = c;
	fd->bots = bots;
	pthread_mutex_init(&fd->mu, NULL);
	pthread_cond_init(&fd->cv, NULL);
	for (i = 0; i < FEED_RING; i++) {
		fd->b[i].tcap = FEED_TEXT;
		fd->b[i].text = xmalloc(FEED_TEXT);
	}
	if (pthread_create(&th, NULL, reader, fd)) {
		/* no thread: the same work in this one */
		struct gold_pre e;
		struct gfact x;
		int k;

		while ((k = copyin_next(c, err)) > 0) {
			const char *code, *why;

			if (gold_event_parse(c, bots, &e, &code, &why)) {
				copyin_reject(c, code, why);
				continue;
			}
			gold_event_intern(f, &e, &x);
			gfacts_add(f, &x);
			(*used)++;
		}
		fd->rc = k < 0 ? -1 : 0;
		if (k < 0)
			fd->err = *err;
		last = -1;
	}
	for (i = 0; !last; i = (i + 1) % FEED_RING) {
		struct batch *b = &fd->b[i];

		pthread_mutex_lock(&fd->mu);
		while (!b->full)
			pthread_cond_wait(&fd->cv, &fd->mu);
		pthread_mutex_unlock(&fd->mu);
		add_batch(f, b, fd->x, fd->h);
		*used += b->n;
		pthread_mutex_lock(&fd->mu);
		last = b->last;
		b->full = 0;
		pthread_cond_broadcast(&fd->cv);
		pthread_mutex_unlock(&fd->mu);
	}
	if (last > 0)
		pthread_join(th, NULL);
	rc = fd->rc;
	if (rc)
		*err = fd->err;
	for (i = 0; i < FEED_RING; i++)
		free(fd->b[i].text);
	pthread_mutex_destroy(&fd->mu);
	pthread_cond_destroy(&fd->cv);
	free(fd);
	return rc;
}
