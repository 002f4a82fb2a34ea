/* track.h: experiment tracking where MLflow can show it.
 *
 * One run at a time per handle. track_start picks the backend from its
 * target: an http:// or https:// URL logs through MLflow's REST API
 * (libcurl); anything else is a directory written as an MLflow file store
 * (the layout FileStore reads: DIR/EXPERIMENT_ID/RUN_ID/{meta.yaml,params,
 * metrics,tags,artifacts}). NULL target: $MLFLOW_TRACKING_URI when set,
 * else "./mlruns".
 *
 * Every call returns 0, or -1 with err filled (code an enum gha_exit:
 * 69 for a server that refused or could not be reached after retries,
 * 74 for a local write error, 64 for a bad key or value). A failed call
 * leaves the handle usable for track_end(…, TRACK_FAILED, …).
 * Values are buffered and sent (REST: runs/log-batch within MLflow's
 * limits) or written atomically at the latest at track_end. */
#ifndef TRACK_H
#define TRACK_H

#include <stdint.h>
#include "gha.h"

struct track;

enum track_status { TRACK_FINISHED, TRACK_FAILED, TRACK_KILLED };

struct track *track_start(const char *target, const char *experiment,
			  const char *run_name, struct gha_err *err);
/* The run's id (32 hex digits), valid until track_free. */
const char *track_run_id(const struct track *t);
const char *track_experiment_id(const struct track *t);
int track_param(struct track *t, const char *key, const char *value,
		struct gha_err *err);
int track_tag(struct track *t, const char *key, const char *value,
	      struct gha_err *err);
/* ts_ms: milliseconds since the epoch, 0 for now. */
int track_metric(struct track *t, const char *key, double value,
		 int64_t step, int64_t ts_ms, struct gha_err *err);
/* Copy the file at path into the run's artifacts as name (a relative
 * path, "/" allowed, no ".." component). */
int track_artifact(struct track *t, const char *path, const char *name,
		   struct gha_err *err);
/* Flush what is buffered and set the run's status and end time. */
int track_end(struct track *t, enum track_status st, struct gha_err *err);
void track_free(struct track *t);

#endif
