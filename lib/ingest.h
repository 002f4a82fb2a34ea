/* ingest.h: the validating read loop gha-bronze and gha-silver share:
 * lines from files, records split at }{, JSON and era checks, the
 * quarantine, (id, created_at) dedupe. Each valid, new event goes to
 * on_event, which returns 1 when it kept the event and 0 when it
 * filtered it out. */
#ifndef GHA_INGEST_H
#define GHA_INGEST_H

#include "dedupe.h"
#include "event.h"
#include "json.h"
#include "lineread.h"
#include "quarantine.h"

struct docjoin;

struct ingest {
	struct jscan js;	/* its first paths are event_keys */
	struct dedupe seen;
	struct quarantine *q;
	int dedupe, quiet;
	int (*on_event)(void *ctx, const struct line *ln, const char *p, size_t n,
			const struct event *ev);
	void *ctx;
	int stop;		/* set by on_event to end the run (a write error) */
	int qerr;		/* the quarantine could not be written */
	uint64_t in, out, dups, filtered, blank, warned;
	uint64_t bytes_in, bytes_raw;
	struct buf files;	/* per-file stats, JSON array members */
	/* the file being read */
	const char *name;
	uint64_t f_in, f_out, f_rej, f_dups, f_filtered, f_blank;
	struct docjoin *doc;	/* private: a document spread over lines (docjoin.c) */
};
/* paths: event_keys first, then the caller's own (NULL: just event_keys) */
void ingest_init(struct ingest *g, struct quarantine *q, const char *const *paths, int npaths);
void ingest_free(struct ingest *g);
/* Read one file (NULL or "-": stdin); returns an exit code for it. */
int ingest_file(struct ingest *g, const char *path);
/* The run's counts as JSON members ("records_in":..,), for --stats. */
void ingest_stats_json(const struct ingest *g, struct buf *b);

struct outfile;
/* Warn about rejects; GHA_PARTIAL when over maxrate and ret was OK. */
int finish_run(const struct ingest *g, double maxrate, int ret, int quiet, const char *rejpath);
/* Commit the quarantine file (if any); an exit code. */
int commit_rejects(const struct ingest *g, struct outfile *rej, const char *rejpath);

#endif
