/* fetch.h: the gha-fetch transfer engine (libcurl multi). */
#ifndef GHA_FETCH_H
#define GHA_FETCH_H

#include "gha.h"
#include "gz.h"

struct fetch_opts {
	const char *dir, *base, *cacert;
	long jobs, retries, connect_timeout, timeout, stall;
	int quiet, verbose, refresh, no_ledger;
	int mark_missing;	/* skip hours whose DIR/HOUR.missing names this base */
};
enum { FETCH_PENDING, FETCH_ACTIVE, FETCH_DONE };
enum fetch_result {
	FETCH_NONE, FETCH_OK, FETCH_PRESENT, FETCH_NOTMOD, FETCH_MISSING, FETCH_KNOWN,
	FETCH_MARKED,	/* recorded missing against this base URL: not asked again */
	FETCH_TEMP, FETCH_CORRUPT, FETCH_HTTP, FETCH_LIBCURL, FETCH_LOCAL,
	FETCH_DROPPED	/* DIR/HOUR.dropped: ingested, its file removed on purpose */
};
/* One hour of the range: a few bytes, whatever the range's length. The
 * transfer state (paths, libcurl handle, gzip check buffers) lives in
 * fetch.c, for at most o->jobs hours at a time. */
struct fetch_hour {
	int64_t hour;
	double next_at;		/* a retry waits until then */
	int lockfd;		/* DIR/.locks/HOUR, held until done */
	short attempts;		/* requests made */
	unsigned char state, result;
};
char *joinpath(const char *dir, const char *a, const char *b);	/* dir/a b, malloc'd */
void redact(const char *url, char *out, size_t n);	/* hides user:password@ */
void fetch_hours_init(struct fetch_hour *h, size_t n, int64_t first);
void fetch_hours_free(struct fetch_hour *h, size_t n);	/* releases locks */
/* Run every hour to a result; curl_global_init must have been called.
 * GHA_OK, GHA_IOERR when a ledger line could not be written, or -1 when
 * libcurl cannot start (the hours keep FETCH_NONE). */
int fetch_run(const struct fetch_opts *o, struct fetch_hour *hours, size_t n);

#endif
