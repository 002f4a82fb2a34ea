/* trackresp.h: MLflow REST answers, read (track_rest.c; fuzzed by
 * tests/fuzz/fuzz_mlflowresp.c). Each takes the body as received, at
 * most TRACKRESP_MAX bytes (the caller stops reading beyond), checks it
 * is one JSON object and copies out what gha needs, checked against
 * MLflow's id rules. Nothing is kept from the body. */
#ifndef GHA_TRACKRESP_H
#define GHA_TRACKRESP_H

#include "gha.h"

#define TRACKRESP_MAX (1u << 20)

/* {"error_code": "...", "message": "..."}: 1 with both copied (truncated
 * to fit; the code to [A-Z_] only), 0 when the body is not that. */
int trackresp_error(const char *body, size_t n, char *code, size_t codesz, char *msg,
		    size_t msgsz);

/* experiments/get-by-name: {"experiment": {"experiment_id", "lifecycle_stage", ...}}
 * experiments/create:      {"experiment_id": "..."}
 * 0 with *id (malloc'ed) and, when given, *deleted (lifecycle_stage is
 * "deleted"); -1 when absent or not an id MLflow makes. */
int trackresp_experiment(const char *body, size_t n, char **id, int *deleted);
int trackresp_created(const char *body, size_t n, char **id);

/* runs/create: {"run": {"info": {"run_id", "experiment_id", "artifact_uri", ...}}}
 * 0 with run_id (at most 256 characters, MLflow's rule) copied into
 * run_id[257] and *artifact_uri (malloc'ed, NULL when absent); -1 else. */
int trackresp_run(const char *body, size_t n, char run_id[257], char **artifact_uri);

/* MLflow's id rules: ^[a-zA-Z0-9][\w-]{0,max-1}$ */
int trackresp_valid_id(const char *s, size_t max);

#endif
