/* track_impl.h: what track.c (the contract, validation) shares with its
 * backends, track_file.c (an MLflow file store) and track_rest.c (MLflow's
 * REST API). Not for callers: they use track.h. */
#ifndef GHA_TRACK_IMPL_H
#define GHA_TRACK_IMPL_H

#include "track.h"

/* MLflow's limits (mlflow/utils/validation.py) */
#define TRACK_MAX_KEY 250
#define TRACK_MAX_PARAM_VAL 6000
#define TRACK_MAX_TAG_VAL 5000
#define TRACK_MAX_EXP_NAME 500
#define TRACK_BATCH_METRICS 1000
#define TRACK_BATCH_PARAMS 100
#define TRACK_BATCH_TAGS 100
#define TRACK_BATCH_TOTAL 1000
#define TRACK_BATCH_BYTES 1000000

struct track_kv {
	char *key, *value;
};

struct track_ops {
	int (*param)(struct track *t, const char *key, const char *value, struct gha_err *err);
	int (*tag)(struct track *t, const char *key, const char *value, struct gha_err *err);
	int (*metric)(struct track *t, const char *key, double value, int64_t step,
		      int64_t ts_ms, struct gha_err *err);
	int (*artifact)(struct track *t, const char *path, const char *name, struct gha_err *err);
	int (*end)(struct track *t, enum track_status st, int64_t end_ms, struct gha_err *err);
	void (*free)(struct track *t);
};

struct track {
	const struct track_ops *ops;
	void *be;			/* the backend's state */
	char run_id[257];	/* 32 hex digits from us; a server may say more */
	char *exp_id;
	char *run_name;
	char *user;
	int64_t start_ms;
	int ended;
	struct track_kv *params;	/* logged so far: a repeat must agree */
	size_t nparams, capparams;
};

/* The backends' starts: fill t->run_id, t->exp_id, t->ops, t->be. */
int track_file_start(struct track *t, const char *dir, const char *experiment,
		     struct gha_err *err);
int track_rest_start(struct track *t, const char *url, const char *experiment,
		     struct gha_err *err);

/* track.c's helpers */
int64_t track_now_ms(void);
/* 0, or -1 when no random bytes could be had */
int track_random(void *p, size_t n);
/* A double as Python's repr() writes it (what FileStore's metric lines
 * hold): shortest round-trip digits, "1e-05", "2.0", "inf", "nan". */
void track_fmt_double(struct buf *b, double v);
/* MLflow's rule for a param, metric or tag key (and a relative artifact
 * path's components): 0, or -1 with err (64) */
int track_check_key(const char *what, const char *key, struct gha_err *err);
/* The tags MLflow's client adds to every run it creates (mlflow.runName,
 * mlflow.user, mlflow.source.name, mlflow.source.type), through t->ops. */
int track_system_tags(struct track *t, struct gha_err *err);

/* track_yaml.c: the few YAML forms meta.yaml needs. */
/* Append s as a YAML scalar that yaml.safe_load reads back as the string s
 * (plain when safe, else quoted). */
void yaml_addstr(struct buf *b, const char *s);
/* The value of top-level key KEY in a YAML mapping text (block style, as
 * yaml.safe_dump writes it): plain, single- or double-quoted, folded over
 * continuation lines. 1 and *out (malloc'ed) when found as a string, 0
 * when absent or not a scalar. null/~ come back as absent. */
int yaml_get(const char *text, size_t n, const char *key, char **out);

#endif
