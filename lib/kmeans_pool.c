/* kmeans_pool.c: a fixed pool of worker threads for km_pool_run. Tasks are
 * handed out by an atomic counter; which thread runs a task never changes
 * a result, since each task writes only its own slots. */
#include <pthread.h>
#include <stdatomic.h>

#include "kmeans.h"

struct km_pool {
	int nthreads;
	pthread_t *th;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	uint64_t gen;		/* bumped for each run */
	int busy;		/* workers still in the current run */
	int quit;
	void (*fn)(void *, size_t);
	void *ctx;
	size_t ntasks;
	atomic_size_t next;
};

static void
work(struct km_pool *p)
{
	size_t t;

	while ((t = atomic_fetch_add(&p->next, 1)) < p->ntasks)
		p->fn(p->ctx, t);
}

static void *
worker(void *arg)
{
	struct km_pool *p = arg;
	uint64_t seen = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->gen == seen)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->gen;
		pthread_mutex_unlock(&p->mu);
		work(p);
		pthread_mutex_lock(&p->mu);
		if (--p->busy == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct km_pool *
km_pool_new(int threads)
{
	struct km_pool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	atomic_init(&p->next, 0);
	if (threads > 1) {
		p->th = xcalloc((size_t)threads - 1, sizeof(*p->th));
		for (int i = 0; i < threads - 1; i++) {
			if (pthread_create(&p->th[i], NULL, worker, p))
				break;	/* fewer workers: slower, same results */
			p->nthreads++;
		}
	}
	return p;
}

void
km_pool_run(struct km_pool *p, size_t ntasks, void (*fn)(void *, size_t), void *ctx)
{
	if (!p || p->nthreads == 0 || ntasks < 2) {
		for (size_t t = 0; t < ntasks; t++)
			fn(ctx, t);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->ctx = ctx;
	p->ntasks = ntasks;
	atomic_store(&p->next, 0);
	p->busy = p->nthreads;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	work(p);
	pthread_mutex_lock(&p->mu);
	while (p->busy > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
km_pool_free(struct km_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p->th);
	free(p);
}
