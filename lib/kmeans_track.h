/* kmeans_track.h: one gha-kmeans fit recorded as an MLflow run through
 * track.h: params (k, scale, missing, seed, n_init, max_iter, tol,
 * columns, rows, input sha256), metrics (for --k-range one value per k
 * as steps k), tags and artifacts (centroids, metrics JSON, model). */
#ifndef GHA_KMEANS_TRACK_H
#define GHA_KMEANS_TRACK_H

#include "kmeans.h"

struct km_track_run {
	const char *target;	/* a file store directory or a tracking URL */
	const char *experiment, *run_name;
	const struct km_report *rep;
	const char *centroids, *metrics, *model;	/* files written, or NULL */
	const char *json;	/* the metrics JSON, logged when not written */
	size_t jsonlen;
};
/* 0, or -1 with err (track.h's codes). The run ends FINISHED, or FAILED
 * when something could not be logged. */
int km_track(const struct km_track_run *r, struct gha_err *err);

#endif
