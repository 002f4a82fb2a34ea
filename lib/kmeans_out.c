/* kmeans_out.c: what gha-kmeans writes: assignments and centroids as COPY
 * text with a header line, the metrics as JSON, the model. Files go
 * through a temporary and a rename (outfile.h); "-" is stdout. */
#include <math.h>

#include "jsonout.h"
#include "kmeans.h"
#include "outfile.h"
#include "tsv.h"

static const char *const scale_names[] = { "none", "zscore", "log1p" };
static const char *const missing_names[] = { "drop", "zero", "mean" };

static int
out_open(struct outfile *o, const char *path, struct gha_err *err)
{
	if (strcmp(path, "-")) {
		if (outfile_open(o, path, err))
			return -1;
		return 0;
	}
	memset(o, 0, sizeof(*o));
	o->fp = stdout;
	return 0;
}

static int
out_close(struct outfile *o, int bad, struct gha_err *err)
{
	if (o->fp == stdout && !o->path) {
		if (bad || fflush(stdout))
			return gha_seterr(err, GHA_IOERR, "<stdout>: write error:");
		return 0;
	}
	if (bad) {
		/* the message first: the abort forgets the path, and may set errno */
		gha_seterr(err, GHA_IOERR, "%s: write error:", o->path);
		outfile_abort(o);
		return -1;
	}
	return outfile_commit(o, err);
}

static void
tsv_num(struct tsv *t, double v)
{
	char s[40];
	int n = snprintf(s, sizeof(s), "%.17g", v);

	tsv_raw(t, s, (size_t)n);
}

int
km_write_assign(const char *path, const struct km_data *dt, const char *idname, const int *label,
		const double *dist, struct gha_err *err)
{
	struct outfile o;
	struct tsv t;
	const char *hdr[3] = { idname ? idname : "line", "cluster", "distance" };
	char tmp[32];
	int bad;

	if (out_open(&o, path, err))
		return -1;
	tsv_init(&t, o.fp, 3);
	bad = tsv_header(&t, hdr);
	for (size_t i = 0; i < dt->n && !bad; i++) {
		tsv_cstr(&t, km_id(dt, i, tmp, sizeof(tmp)));
		tsv_int(&t, label[i]);
		tsv_num(&t, dist[i]);
		bad = tsv_end(&t);
	}
	tsv_free(&t);
	return out_close(&o, bad, err);
}

int
km_write_centroids(const char *path, const struct km_model *m, const size_t *size,
		   struct gha_err *err)
{
	struct outfile o;
	struct tsv t;
	const char **hdr = xmalloc((m->d + 2) * sizeof(char *));
	double *row = xmalloc(m->d * sizeof(double));
	int bad;

	if (out_open(&o, path, err)) {
		free(hdr);
		free(row);
		return -1;
	}
	hdr[0] = "cluster";
	hdr[1] = "size";
	for (size_t j = 0; j < m->d; j++)
		hdr[j + 2] = m->cols.feat[j];
	tsv_init(&t, o.fp, (int)m->d + 2);
	bad = tsv_header(&t, hdr);
	for (size_t c = 0; c < m->k && !bad; c++) {
		memcpy(row, m->c + c * m->d, m->d * sizeof(double));
		km_prep_invert(&m->prep, row);
		tsv_int(&t, (int64_t)c);
		tsv_int(&t, (int64_t)size[c]);
		for (size_t j = 0; j < m->d; j++)
			tsv_num(&t, row[j]);
		bad = tsv_end(&t);
	}
	tsv_free(&t);
	free(hdr);
	free(row);
	return out_close(&o, bad, err);
}

int
km_write_model(const char *path, const struct km_model *m, struct gha_err *err)
{
	struct buf b;
	int r;

	buf_init(&b);
	km_model_format(m, &b);
	r = write_atomic(path, b.p, b.len, err);
	buf_free(&b);
	return r;
}

static void
jnum(struct buf *b, double v)
{
	if (isfinite(v))
		buf_printf(b, "%.17g", v);
	else
		buf_adds(b, "null");
}

static void
jmetrics(struct buf *b, const struct km_metrics *m)
{
	buf_adds(b, "\"silhouette\":");
	jnum(b, m->silhouette);
	buf_printf(b, ",\"silhouette_rows\":%zu,\"silhouette_sampled\":%s,\"davies_bouldin\":",
		   m->sil_rows, m->sil_sampled ? "true" : "false");
	jnum(b, m->davies_bouldin);
	buf_adds(b, ",\"calinski_harabasz\":");
	jnum(b, m->calinski_harabasz);
}

size_t
km_elbow(const struct km_sweep *s, size_t n)
{
	double k0, k1, i0, i1, best = -1;
	size_t at = n ? s[0].k : 0;

	if (n < 3)
		return at;
	k0 = (double)s[0].k, k1 = (double)s[n - 1].k, i0 = s[0].inertia, i1 = s[n - 1].inertia;
	for (size_t q = 0; q < n; q++) {
		double x = ((double)s[q].k - k0) / (k1 - k0);
		double y = i0 > i1 ? (i0 - s[q].inertia) / (i0 - i1) : 0;
		double dist = y - x;	/* above the chord from (0,0) to (1,1) */

		if (dist > best)
			best = dist, at = s[q].k;
	}
	return at;
}

void
km_report_json(const struct km_report *r, struct buf *b)
{
	const struct km_model *m = r->model;
	const struct km_fit *f = r->fit;

	buf_printf(b, "{\"tool\":\"gha-kmeans\",\"version\":\"%s\",\"model_version\":%d,\"input\":",
		   GHA_VERSION, KM_MODEL_VERSION);
	json_addstr_lossy(b, r->input, strlen(r->input));
	buf_adds(b, ",\"input_sha256\":");
	if (r->dt->sha256[0])
		buf_printf(b, "\"%s\"", r->dt->sha256);
	else
		buf_adds(b, "null");
	buf_printf(b, ",\"rows_in\":%llu,\"rows\":%zu,\"rows_dropped\":%llu,\"nulls_filled\":%llu,"
		   "\"columns\":", (unsigned long long)r->dt->in, r->dt->n,
		   (unsigned long long)r->dt->dropped, (unsigned long long)r->dt->nulls);
	{
		struct buf c;

		buf_init(&c);
		km_cols_join(&m->cols, &c);
		json_addstr_lossy(b, c.p ? c.p : "", c.len);
		buf_free(&c);
	}
	buf_adds(b, ",\"features\":[");
	for (size_t j = 0; j < m->d; j++) {
		if (j)
			buf_addc(b, ',');
		json_addstr_lossy(b, m->cols.feat[j], strlen(m->cols.feat[j]));
	}
	buf_printf(b, "],\"scale\":\"%s\",\"missing\":\"%s\",\"k\":%zu,\"n_init\":%d,\"max_iter\":%d,"
		   "\"tol\":%.17g,\"seed\":%llu,\"inertia\":", scale_names[m->prep.scale],
		   missing_names[m->prep.missing], f->k, r->o->n_init, r->o->max_iter, r->o->tol,
		   (unsigned long long)r->o->seed);
	jnum(b, f->inertia);
	buf_printf(b, ",\"iterations\":%d,\"converged\":%s,\"best_init\":%d,", f->iter,
		   f->converged ? "true" : "false", f->best_init);
	jmetrics(b, r->m);
	buf_printf(b, ",\"silhouette_max_rows\":%zu,\"sizes\":[", r->sil_max);
	for (size_t c = 0; c < f->k; c++)
		buf_printf(b, c ? ",%zu" : "%zu", f->size[c]);
	buf_printf(b, "],\"full_scans\":%llu,\"bound_skips\":%llu", (unsigned long long)f->full_scans,
		   (unsigned long long)f->skipped);
	if (r->sweep) {
		buf_printf(b, ",\"pick_rule\":\"silhouette\",\"chosen_k\":%zu,\"elbow_k\":%zu,\"sweep\":[",
			   f->k, r->elbow_k);
		for (size_t q = 0; q < r->nsweep; q++) {
			buf_printf(b, "%s{\"k\":%zu,\"inertia\":", q ? "," : "", r->sweep[q].k);
			jnum(b, r->sweep[q].inertia);
			buf_printf(b, ",\"iterations\":%d,", r->sweep[q].iter);
			jmetrics(b, &r->sweep[q].m);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
	}
	buf_adds(b, "}\n");
}
