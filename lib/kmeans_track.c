/* kmeans_track.c: a gha-kmeans fit as an MLflow run, through track.h
 * (which picks the file store or the REST API). The centroids, metrics
 * and model are always logged as artifacts: those the user did not ask
 * for are written to a private temporary directory first. */
#include <errno.h>
#include <math.h>
#include <unistd.h>

#include "kmeans_track.h"
#include "outfile.h"
#include "tempfile.h"
#include "track.h"

static const char *const scale_names[] = { "none", "zscore", "log1p" };
static const char *const missing_names[] = { "drop", "zero", "mean" };

static int
param_u(struct track *t, const char *k, unsigned long long v, struct gha_err *err)
{
	char s[32];

	snprintf(s, sizeof(s), "%llu", v);
	return track_param(t, k, s, err);
}

/* a metric, unless undefined (MLflow has no null) */
static int
metric(struct track *t, const char *k, double v, int64_t step, struct gha_err *err)
{
	return isfinite(v) ? track_metric(t, k, v, step, 0, err) : 0;
}

static int
log_values(struct track *t, const struct km_track_run *r, struct gha_err *err)
{
	const struct km_report *rep = r->rep;
	const struct km_fit *f = rep->fit;
	const struct km_model *m = rep->model;
	struct buf cols;
	char s[64];
	int bad;

	buf_init(&cols);
	km_cols_join(&m->cols, &cols);
	buf_addc(&cols, 0);
	bad = param_u(t, "k", (unsigned long long)f->k, err) ||
	      track_param(t, "columns", cols.p, err) ||
	      track_param(t, "id", m->id ? m->id : "", err) ||
	      track_param(t, "scale", scale_names[m->prep.scale], err) ||
	      track_param(t, "missing", missing_names[m->prep.missing], err) ||
	      param_u(t, "n_init", (unsigned long long)rep->o->n_init, err) ||
	      param_u(t, "max_iter", (unsigned long long)rep->o->max_iter, err) ||
	      (snprintf(s, sizeof(s), "%g", rep->o->tol), track_param(t, "tol", s, err)) ||
	      param_u(t, "silhouette_max", (unsigned long long)rep->sil_max, err) ||
	      param_u(t, "rows", (unsigned long long)rep->dt->n, err) ||
	      track_param(t, "input", rep->input, err) ||
	      track_param(t, "input_sha256", rep->dt->sha256[0] ? rep->dt->sha256 : "", err);
	buf_free(&cols);
	if (bad)
		return -1;
	snprintf(s, sizeof(s), "%llu", (unsigned long long)rep->o->seed);
	if (track_param(t, "seed", s, err))
		return -1;
	if (rep->sweep) {
		snprintf(s, sizeof(s), "%zu..%zu", rep->sweep[0].k, rep->sweep[rep->nsweep - 1].k);
		if (track_param(t, "k_range", s, err) ||
		    param_u(t, "elbow_k", (unsigned long long)rep->elbow_k, err))
			return -1;
	}
	if (track_tag(t, "gha.version", GHA_VERSION, err) || track_tag(t, "gha.command", "fit", err) ||
	    metric(t, "inertia", f->inertia, 0, err) || metric(t, "silhouette", rep->m->silhouette, 0, err) ||
	    metric(t, "davies_bouldin", rep->m->davies_bouldin, 0, err) ||
	    metric(t, "calinski_harabasz", rep->m->calinski_harabasz, 0, err) ||
	    metric(t, "iterations", f->iter, 0, err) ||
	    metric(t, "rows_dropped", (double)rep->dt->dropped, 0, err))
		return -1;
	for (size_t q = 0; q < rep->nsweep; q++) {
		const struct km_sweep *w = &rep->sweep[q];
		int64_t k = (int64_t)w->k;

		if (metric(t, "sweep_inertia", w->inertia, k, err) ||
		    metric(t, "sweep_silhouette", w->m.silhouette, k, err) ||
		    metric(t, "sweep_davies_bouldin", w->m.davies_bouldin, k, err) ||
		    metric(t, "sweep_calinski_harabasz", w->m.calinski_harabasz, k, err))
			return -1;
	}
	return 0;
}

/* the three files, written to dir where the user did not write them */
static int
log_artifacts(struct track *t, const struct km_track_run *r, const char *dir, struct gha_err *err)
{
	struct buf p;
	int ret = -1;

	buf_init(&p);
	const char *met = r->metrics, *cen = r->centroids, *mod = r->model;

	if (!met) {
		buf_printf(&p, "%s/metrics.json", dir);
		if (write_atomic(p.p, r->json, r->jsonlen, err))
			goto out;
		met = p.p;
	}
	if (track_artifact(t, met, "metrics.json", err))
		goto out;
	p.len = 0;
	if (!cen) {
		buf_printf(&p, "%s/centroids.tsv", dir);
		if (km_write_centroids(p.p, r->rep->model, r->rep->fit->size, err))
			goto out;
		cen = p.p;
	}
	if (track_artifact(t, cen, "centroids.tsv", err))
		goto out;
	p.len = 0;
	if (!mod) {
		buf_printf(&p, "%s/model.txt", dir);
		if (km_write_model(p.p, r->rep->model, err))
			goto out;
		mod = p.p;
	}
	if (track_artifact(t, mod, "model.txt", err))
		goto out;
	ret = 0;
out:
	buf_free(&p);
	return ret;
}

static void
rm_dir(const char *dir)
{
	static const char *const names[] = { "metrics.json", "centroids.tsv", "model.txt" };
	struct buf p;

	buf_init(&p);
	for (int i = 0; i < 3; i++) {
		p.len = 0;
		buf_printf(&p, "%s/%s", dir, names[i]);
		unlink(p.p);
	}
	buf_free(&p);
	rmdir(dir);
}

int
km_track(const struct km_track_run *r, struct gha_err *err)
{
	struct track *t;
	struct gha_err e2;
	struct buf dir;
	struct tempreg *reg = NULL;
	const char *tmp = getenv("TMPDIR");
	int ret;

	if (!(t = track_start(r->target, r->experiment, r->run_name, err)))
		return -1;
	buf_init(&dir);
	buf_printf(&dir, "%s/gha-kmeans.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.p)) {
		ret = gha_seterr(err, GHA_IOERR, "cannot make a temporary directory in %s:",
				 tmp && *tmp ? tmp : "/tmp");
	} else {
		reg = tempfile_register(dir.p, 1);
		ret = log_values(t, r, err) || log_artifacts(t, r, dir.p, err) ? -1 : 0;
		rm_dir(dir.p);
		tempfile_forget(reg);
	}
	buf_free(&dir);
	if (ret) {
		track_end(t, TRACK_FAILED, &e2);
	} else if (track_end(t, TRACK_FINISHED, err)) {
		ret = -1;
	}
	track_free(t);
	return ret;
}
