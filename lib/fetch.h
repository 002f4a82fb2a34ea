/* fetch.h: the gha-fetch transfer engine (libcurl multi). */
#ifndef GHA_FETCH_H
#define GHA_FETCH_H

#include "gha.h"
#include "gz.h"

struct fetch_opts {
	const char *dir, *base, *cacert;
	long jobs, retries, connect_timeout, timeout, stall;
	int quiet, verbose, refresh, no_ledger;
};
enum { FETCH_PENDING, FETCH_ACTIVE, FETCH_DONE };
enum fetch_result {
	FETCH_NONE, FETCH_OK, FETCH_PRESENT, FETCH_NOTMOD, FETCH_MISSING, FETCH_KNOWN,
	FETCH_TEMP, FETCH_CORRUPT, FETCH_HTTP, FETCH_LOCAL
};
/* One hour to fetch. Callers read hour, name, the paths and result;
 * the rest is the transfer's state, for fetch.c alone. */
struct fetch_job {
	int64_t hour;
	char name[32];
	char *final, *part, *meta, *lock;
	int state, result, attempts, lockfd;
	double next_at;
	void *easy;
	FILE *fp;
	int64_t resume, range_start;
	int started_body, discard, badrange, badgz;
	char etag[256], lastmod[64], detail[256];
	char resume_etag[256];	/* the validator the .part was resumed with */
	void *hdrs;
	uint64_t got;
	struct gzcheck chk;	/* fed as bytes arrive */
};
char *joinpath(const char *dir, const char *a, const char *b);	/* dir/a b, malloc'd */
void redact(const char *url, char *out, size_t n);	/* hides user:password@ */
void fetch_job_init(struct fetch_job *j, const char *dir, int64_t hour);
void fetch_job_free(struct fetch_job *j);
/* Run every job to a result; curl_global_init must have been called. */
int fetch_run(const struct fetch_opts *o, struct fetch_job *jobs, size_t n);

#endif
