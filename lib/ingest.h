/* ingest.h: the validating read loop gha-bronze and gha-silver share:
 * lines from files, records split at }{, JSON and era checks, the
 * quarantine, (id, created_at) dedupe, the jq filter (when set). Each
 * valid, new event the filter keeps goes to on_event, which returns 1
 * when it kept the event and 0 when it filtered it out. An event the
 * filter fails on is counted in ferr (filter_errors), toward the reject
 * rate. */
#ifndef GHA_INGEST_H
#define GHA_INGEST_H

#include "dedupe.h"
#include "jqfilter.h"
#include "event.h"
#include "json.h"
#include "lineread.h"
#include "quarantine.h"

struct docjoin;

struct ingest {
	struct jscan js;	/* its first paths are event_keys */
	struct dedupe seen;
	struct quarantine *q;
	struct jqfilter *filter;	/* NULL: keep all; set with ingest_set_filter */
	const char *const *paths;	/* the scan's paths before the filter's */
	int npaths;
	int dedupe, quiet;
	int (*on_event)(void *ctx, const struct line *ln, const char *p, size_t n,
			const struct event *ev);
	void *ctx;
	int stop;		/* set by on_event to end the run (a write error) */
	int qerr;		/* the quarantine could not be written */
	uint64_t in, out, dups, filtered, ferr, blank, warned;
	uint64_t bytes_in, bytes_raw;
	struct buf files;	/* per-file stats, JSON array members */
	/* the file being read */
	const char *name;
	uint64_t f_in, f_out, f_rej, f_dups, f_filtered, f_ferr, f_blank;
	/* a file named for an hour (YYYY-MM-DD-H...): its events elsewhere */
	int f_named;
	int64_t f_hour, f_lo, f_hi;	/* the name's hour; range of the others */
	uint64_t f_mismatch, f_inhour, mismatch;
	struct buf mislabeled;		/* JSON strings: files with no event in their hour */
	struct docjoin *doc;	/* private: a document spread over lines (docjoin.c) */
};
/* paths: event_keys first, then the caller's own (NULL: just event_keys) */
void ingest_init(struct ingest *g, struct quarantine *q, const char *const *paths, int npaths);
void ingest_free(struct ingest *g);
/* Keep only the events f is truthy for (NULL: all). When f has a fast
 * path, the member paths it reads join the scan, so that it decides in
 * the same pass; when there is no room for them, f goes to libjq. */
void ingest_set_filter(struct ingest *g, struct jqfilter *f);
/* Read one file (NULL or "-": stdin); returns an exit code for it. */
int ingest_file(struct ingest *g, const char *path);
/* The run's counts as JSON members ("records_in":..,), for --stats. */
void ingest_stats_json(const struct ingest *g, struct buf *b);

/* --explain-filter: which path f takes with these scan paths (NULL:
 * event_keys), one line into b. Sets f up as ingest_set_filter would. */
void explain_filter(struct jqfilter *f, const char *const *paths, int npaths, struct buf *b);

struct outfile;
/* Warn about rejects, sum up filter errors; GHA_PARTIAL when rejects
 * and filter errors together are over maxrate and ret was OK. */
int finish_run(const struct ingest *g, double maxrate, int ret, int quiet, const char *rejpath);
/* Commit the quarantine file (if any); an exit code. */
int commit_rejects(const struct ingest *g, struct outfile *rej, const char *rejpath);

#endif
