/* gha-kmeans: k-means clustering of any COPY text table with a header
 * (gold's repo_daily, contributors, actor_profiles ...): fit a model with
 * quality metrics, or assign new rows with a saved model. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gha.h"
#include "kmeans.h"
#include "kmeans_track.h"
#include "outfile.h"

static const char usage_text[] =
	"usage: gha-kmeans fit (-c COLS | -f SET) [--id COL] (-k K | --k-range A..B)\n"
	"                  [--scale none|zscore|log1p] [--missing drop|zero|mean] [--sum-by-id]\n"
	"                  [--n-init N] [--max-iter N] [--tol X] [--seed S] [--threads N]\n"
	"                  [--silhouette-max N] [-m MODEL] [-o ASSIGN] [-C CENTROIDS]\n"
	"                  [-s METRICS] [--track DIR|URL | --no-track] [--experiment NAME]\n"
	"                  [--run-name NAME] [-q] [FILE|-]\n"
	"       gha-kmeans predict -m MODEL [--id COL] [--threads N] [-o ASSIGN] [-q] [FILE|-]\n"
	"Cluster the rows of COPY text with a header line (gzip or plain, a file or\n"
	"stdin) by the named numeric columns, or assign rows with a saved model.\n"
	"\n"
	"  -c, --columns COLS        features: header names, comma-separated; NAME[N]\n"
	"                            reads a list of N numbers as N shares of their sum\n"
	"  -f, --features SET        a ready-made set: repos (repo_daily), contributors\n"
	"                            (contributors), profiles (actor_profiles)\n"
	"      --id COL              the column naming each row (default: its line)\n"
	"  -k, --k K                 clusters\n"
	"      --k-range A..B        fit each k from A to B, keep the best silhouette\n"
	"      --scale NAME          none, zscore (default) or log1p (then zscore)\n"
	"      --missing NAME        a NULL field: drop the row (default), zero, mean\n"
	"      --sum-by-id           sum the rows that share an id (days of a window)\n"
	"      --n-init N            restarts, the lowest inertia kept (default 10)\n"
	"      --max-iter N          iterations per restart (default 300)\n"
	"      --tol X               stop when centres move less (default 1e-4)\n"
	"      --seed S              random seed (default 0)\n"
	"      --threads N           worker threads (default: online CPUs, at most 8)\n"
	"      --silhouette-max N    exact silhouette up to N rows, else a sample of N\n"
	"                            (default 5000)\n"
	"  -m, --model FILE          fit: write the model; predict: read it\n"
	"  -o, --output FILE         assignments: id, cluster, distance (default stdout)\n"
	"  -C, --centroids FILE      centroids in the features' original units\n"
	"  -s, --metrics FILE        metrics as JSON\n"
	"      --track DIR|URL       record the run in MLflow: a file store DIR or a\n"
	"                            tracking server URL (default: $MLFLOW_TRACKING_URI)\n"
	"      --no-track            record nothing, even with $MLFLOW_TRACKING_URI\n"
	"      --experiment NAME     the MLflow experiment (default gha-kmeans)\n"
	"      --run-name NAME       the MLflow run's name\n"
	"  -q, --quiet               no summary on stderr\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

struct preset {
	const char *name, *cols, *id;
	enum km_scale scale;
	int sum;
};
static const struct preset presets[] = {
	{ "repos", "events,stars,forks,pushes,prs_opened,issues_opened,comments,contributors",
	  "repo_name", KM_SCALE_LOG1P, 1 },
	{ "contributors", "events,pushes,prs_opened,reviews,issues_opened,comments,repos,active_days",
	  "actor_login", KM_SCALE_LOG1P, 0 },
	{ "profiles", "events_by_hour[24]", "actor_login", KM_SCALE_NONE, 0 },
};

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

struct opts {
	int predict, quiet, sum, notrack, threads, scale_set, kset, rangeset;
	const char *cols, *id, *model, *out, *centroids, *metrics, *track, *experiment, *runname;
	const char *input;
	size_t kmin, kmax, sil_max;
	enum km_scale scale;
	enum km_missing missing;
	struct km_fitopt fo;
	double fit_secs, metric_secs;	/* for the summary (make bench reads it) */
	double fit_cpu;			/* CPU seconds of the fits, all threads */
};

static int
num_opt(const char *name, const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || end == s || *end || *v < lo || *v > hi) {
		gha_warn("%s: '%s' is not a whole number from %lld to %lld", name, s, lo, hi);
		return -1;
	}
	return 0;
}

static int
word_opt(const char *name, const char *s, const char *const *words, int n, int *v)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, words[i]))
			return *v = i, 0;
	gha_warn("%s: '%s' is not one of %s, %s, %s", name, s, words[0], words[1], words[2]);
	return -1;
}

static int
range_opt(const char *s, size_t *a, size_t *b)
{
	unsigned long x, y;
	int used = 0;

	if (sscanf(s, "%lu..%lu%n", &x, &y, &used) != 2 || s[used] || x < 1 || y < x || y > KM_MAXK) {
		gha_warn("--k-range: '%s' is not A..B with 1 <= A <= B <= %d", s, KM_MAXK);
		return -1;
	}
	*a = x;
	*b = y;
	return 0;
}

static int
parse(int argc, char **argv, struct opts *o)
{
	static const char *const scales[] = { "none", "zscore", "log1p" };
	static const char *const missings[] = { "drop", "zero", "mean" };
	static const struct option longopts[] = {
		{ "centroids", required_argument, NULL, 'C' },
		{ "columns", required_argument, NULL, 'c' },
		{ "experiment", required_argument, NULL, 'E' },
		{ "features", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "id", required_argument, NULL, 'I' },
		{ "k", required_argument, NULL, 'k' },
		{ "k-range", required_argument, NULL, 'K' },
		{ "max-iter", required_argument, NULL, 'X' },
		{ "metrics", required_argument, NULL, 's' },
		{ "missing", required_argument, NULL, 'M' },
		{ "model", required_argument, NULL, 'm' },
		{ "n-init", required_argument, NULL, 'N' },
		{ "no-track", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "run-name", required_argument, NULL, 'R' },
		{ "scale", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'e' },
		{ "silhouette-max", required_argument, NULL, 'L' },
		{ "sum-by-id", no_argument, NULL, 'u' },
		{ "threads", required_argument, NULL, 'T' },
		{ "tol", required_argument, NULL, 't' },
		{ "track", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct preset *ps = NULL;
	long long v;
	int c, w;
	char *end;

	while ((c = getopt_long(argc, argv, "C:c:f:hk:m:o:qs:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->centroids = optarg; break;
		case 'c': o->cols = optarg; break;
		case 'E': o->experiment = optarg; break;
		case 'e':
			if (num_opt("--seed", optarg, 0, LLONG_MAX, &v))
				return GHA_USAGE;
			o->fo.seed = (uint64_t)v;
			break;
		case 'f':
			for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
				if (!strcmp(optarg, presets[i].name))
					ps = &presets[i];
			if (!ps) {
				gha_warn("--features: '%s' is not repos, contributors or profiles", optarg);
				return GHA_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return -1;
		case 'I': o->id = optarg; break;
		case 'K':
			if (range_opt(optarg, &o->kmin, &o->kmax))
				return GHA_USAGE;
			o->rangeset = 1;
			break;
		case 'k':
			if (num_opt("-k", optarg, 1, KM_MAXK, &v))
				return GHA_USAGE;
			o->kmin = o->kmax = (size_t)v;
			o->kset = 1;
			break;
		case 'L':
			if (num_opt("--silhouette-max", optarg, 2, 1000000, &v))
				return GHA_USAGE;
			o->sil_max = (size_t)v;
			break;
		case 'M':
			if (word_opt("--missing", optarg, missings, 3, &w))
				return GHA_USAGE;
			o->missing = (enum km_missing)w;
			break;
		case 'm': o->model = optarg; break;
		case 'N':
			if (num_opt("--n-init", optarg, 1, 10000, &v))
				return GHA_USAGE;
			o->fo.n_init = (int)v;
			break;
		case 'n': o->notrack = 1; break;
		case 'o': o->out = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'R': o->runname = optarg; break;
		case 'r': o->track = optarg; break;
		case 'S':
			if (word_opt("--scale", optarg, scales, 3, &w))
				return GHA_USAGE;
			o->scale = (enum km_scale)w;
			o->scale_set = 1;
			break;
		case 's': o->metrics = optarg; break;
		case 'T':
			if (num_opt("--threads", optarg, 1, 256, &v))
				return GHA_USAGE;
			o->threads = (int)v;
			break;
		case 't':
			errno = 0;
			o->fo.tol = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->fo.tol >= 0) || !isfinite(o->fo.tol)) {
				gha_warn("--tol: '%s' is not a number >= 0", optarg);
				return GHA_USAGE;
			}
			break;
		case 'u': o->sum = 1; break;
		case 'V': printf("gha-kmeans %s\n", GHA_VERSION); return -1;
		case 'X':
			if (num_opt("--max-iter", optarg, 1, 1000000, &v))
				return GHA_USAGE;
			o->fo.max_iter = (int)v;
			break;
		default: fputs(usage_text, stderr); return GHA_USAGE;
		}
	}
	if (o->kset && o->rangeset) {
		gha_warn("-k and --k-range: give one of them");
		return GHA_USAGE;
	}
	if (ps) {
		if (o->cols) {
			gha_warn("-c and -f: give one of them");
			return GHA_USAGE;
		}
		o->cols = ps->cols;
		o->id = o->id ? o->id : ps->id;
		o->scale = o->scale_set ? o->scale : ps->scale;
		o->sum |= ps->sum;
	}
	if (optind + 1 < argc) {
		gha_warn("one input at most (FILE or -)");
		return GHA_USAGE;
	}
	o->input = optind < argc ? argv[optind] : "-";
	if (o->predict) {
		if (!o->model || o->cols || o->kmin || o->centroids || o->metrics) {
			gha_warn("predict takes -m MODEL, --id, --threads, -o, -q and an input");
			return GHA_USAGE;
		}
		return 0;
	}
	if (!o->cols || !o->kmin) {
		gha_warn("fit needs -c COLS (or -f SET) and -k K (or --k-range A..B)");
		return GHA_USAGE;
	}
	if (o->sum && !o->id) {
		gha_warn("--sum-by-id needs --id COL");
		return GHA_USAGE;
	}
	return 0;
}

static int
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static int
check_outputs(const struct opts *o)
{
	const char *outs[4] = { o->out ? o->out : "-", o->centroids, o->metrics, o->predict ? NULL : o->model };
	const char *ins[2] = { o->input, o->predict ? o->model : NULL };
	struct gha_err err;

	if (outfile_check(outs, 4, ins, o->predict ? 2 : 1, &err)) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	return 0;
}

static int
predict(struct opts *o, struct km_pool *pool)
{
	struct km_model m;
	struct km_data dt;
	struct km_readopt ro;
	struct gha_err err;
	int *label = NULL, ret = GHA_OK;
	double *dist = NULL;

	if (km_model_load(&m, o->model, &err)) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	km_data_init(&dt);
	ro.cols = &m.cols;
	ro.id = o->id ? o->id : m.id;
	ro.missing = m.prep.missing;
	ro.log1p = m.prep.scale == KM_SCALE_LOG1P;
	ro.hash = 0;
	if (km_read(&dt, o->input, &ro, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
		goto out;
	}
	if (m.sum_by_id)
		km_data_sum_by_id(&dt);
	km_prep_apply(&m.prep, dt.x, dt.n);
	label = xmalloc((dt.n ? dt.n : 1) * sizeof(int));
	dist = xmalloc((dt.n ? dt.n : 1) * sizeof(double));
	km_assign(pool, dt.x, dt.n, dt.d, m.c, m.k, label, dist);
	if (km_write_assign(o->out ? o->out : "-", &dt, ro.id, label, dist, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
		goto out;
	}
	if (!o->quiet)
		gha_warn("%s: %zu rows assigned to %zu clusters, %llu dropped for a NULL",
			 strcmp(o->input, "-") ? o->input : "<stdin>", dt.n, m.k,
			 (unsigned long long)dt.dropped);
out:
	free(label);
	free(dist);
	km_data_free(&dt);
	km_model_free(&m);
	return ret;
}

/* Fit each k of the range; the best silhouette wins (ties: the smaller k;
 * a k without a silhouette never wins over one with). */
static int
fit_sweep(struct opts *o, struct km_pool *pool, const struct km_data *dt, struct km_fit *best,
	  struct km_metrics *bm, struct km_sweep **sweep, size_t *nsweep)
{
	struct gha_err err;
	size_t nk = o->kmax - o->kmin + 1;

	*sweep = o->kmin == o->kmax ? NULL : xcalloc(nk, sizeof(**sweep));
	*nsweep = 0;
	memset(best, 0, sizeof(*best));
	for (size_t k = o->kmin; k <= o->kmax; k++) {
		struct km_fit f;
		struct km_metrics m;
		double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t1;
		int r;

		o->fo.k = k;
		r = km_fit_run(pool, dt->x, dt->n, dt->d, &o->fo, &f, &err);
		o->fit_secs += (t1 = now()) - t0;
		o->fit_cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (r) {
			if (*nsweep && *sweep) {
				if (!o->quiet)
					gha_warn("k=%zu and above not fitted: %s", k, err.msg);
				break;
			}
			gha_warn("%s: %s", strcmp(o->input, "-") ? o->input : "<stdin>", err.msg);
			return err.code;
		}
		km_metrics(pool, dt->x, dt->n, dt->d, f.label, k, o->sil_max, o->fo.seed, &m);
		o->metric_secs += now() - t1;
		if (*sweep) {
			struct km_sweep *s = &(*sweep)[(*nsweep)++];

			s->k = k;
			s->inertia = f.inertia;
			s->iter = f.iter;
			s->m = m;
		}
		if (!best->c || (!isnan(m.silhouette) && (isnan(bm->silhouette) || m.silhouette > bm->silhouette))) {
			km_fit_free(best);
			*best = f;
			*bm = m;
		} else {
			km_fit_free(&f);
		}
	}
	return 0;
}

static void
summary(const struct opts *o, const struct km_data *dt, const struct km_fit *f,
	const struct km_metrics *m, const struct km_sweep *sw, size_t nsw, size_t elbow)
{
	const char *in = strcmp(o->input, "-") ? o->input : "<stdin>";

	for (size_t q = 0; q < nsw; q++)
		gha_warn("k=%zu: inertia %.6g, silhouette %.4f, davies-bouldin %.4f%s%s", sw[q].k,
			 sw[q].inertia, sw[q].m.silhouette, sw[q].m.davies_bouldin,
			 sw[q].k == f->k ? " (chosen: best silhouette)" : "",
			 sw[q].k == elbow ? " (elbow)" : "");
	gha_warn("%s: %zu rows (%llu read, %llu dropped for a NULL), k=%zu: inertia %.6g after %d "
		 "iterations, silhouette %.4f%s, davies-bouldin %.4f, calinski-harabasz %.6g; "
		 "fit %.3f s (%.3f s CPU), metrics %.3f s", in, dt->n,
		 (unsigned long long)dt->in, (unsigned long long)dt->dropped, f->k, f->inertia, f->iter,
		 m->silhouette, m->sil_sampled ? " (sampled)" : "", m->davies_bouldin,
		 m->calinski_harabasz, o->fit_secs, o->fit_cpu, o->metric_secs);
}

static int
fit(struct opts *o, struct km_pool *pool)
{
	struct km_cols cols;
	struct km_data dt;
	struct km_readopt ro;
	struct km_model model;
	struct km_fit f;
	struct km_metrics m;
	struct km_sweep *sweep = NULL;
	struct km_report rep;
	struct gha_err err;
	struct buf json;
	size_t nsweep = 0, elbow = 0;
	const char *trackto = o->notrack ? NULL : o->track ? o->track : getenv("MLFLOW_TRACKING_URI");
	int ret;

	if (trackto && !*trackto)
		trackto = NULL;
	if (km_cols_parse(&cols, o->cols, &err)) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	km_model_init(&model);
	model.cols = cols;
	model.id = o->id ? xstrdup(o->id) : NULL;
	model.sum_by_id = o->sum;
	km_data_init(&dt);
	memset(&f, 0, sizeof(f));
	buf_init(&json);
	ro.cols = &model.cols;
	ro.id = o->id;
	ro.missing = o->missing;
	ro.log1p = o->scale == KM_SCALE_LOG1P;
	ro.hash = trackto != NULL || o->metrics;
	if (km_read(&dt, o->input, &ro, &err)) {
		gha_warn("%s", err.msg);
		ret = err.code;
		goto out;
	}
	if (o->sum)
		km_data_sum_by_id(&dt);
	if (dt.n == 0) {
		gha_warn("%s: no rows to cluster (%llu read, %llu dropped for a NULL)",
			 strcmp(o->input, "-") ? o->input : "<stdin>", (unsigned long long)dt.in,
			 (unsigned long long)dt.dropped);
		ret = GHA_DATAERR;
		goto out;
	}
	km_prep_init(&model.prep, dt.d, o->scale, o->missing);
	km_prep_learn(&model.prep, &dt);
	km_prep_apply(&model.prep, dt.x, dt.n);
	if ((ret = fit_sweep(o, pool, &dt, &f, &m, &sweep, &nsweep)))
		goto out;
	elbow = sweep ? km_elbow(sweep, nsweep) : f.k;
	model.k = f.k;
	model.d = dt.d;
	model.c = xmalloc(f.k * dt.d * sizeof(double));
	memcpy(model.c, f.c, f.k * dt.d * sizeof(double));
	rep = (struct km_report){ &dt, &model, &f, &m, &o->fo, o->sil_max, sweep, nsweep, elbow,
				  strcmp(o->input, "-") ? o->input : "<stdin>" };
	km_report_json(&rep, &json);
	if (km_write_assign(o->out ? o->out : "-", &dt, o->id, f.label, f.dist, &err) ||
	    (o->centroids && km_write_centroids(o->centroids, &model, f.size, &err)) ||
	    (o->metrics && write_atomic(o->metrics, json.p, json.len, &err)) ||
	    (o->model && km_write_model(o->model, &model, &err))) {
		gha_warn("%s", err.msg);
		ret = err.code;
		goto out;
	}
	if (!o->quiet)
		summary(o, &dt, &f, &m, sweep, nsweep, elbow);
	if (trackto) {
		struct km_track_run tr = { trackto, o->experiment ? o->experiment : "gha-kmeans",
					   o->runname, &rep, o->centroids, o->metrics, o->model,
					   json.p, json.len };

		if (km_track(&tr, &err)) {
			gha_warn("tracking: %s", err.msg);
			ret = err.code;
		}
	}
out:
	free(sweep);
	buf_free(&json);
	km_fit_free(&f);
	km_data_free(&dt);
	km_model_free(&model);
	return ret;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct km_pool *pool;
	int ret;

	gha_setprog("gha-kmeans");
	memset(&o, 0, sizeof(o));
	o.fo.n_init = 10;
	o.fo.max_iter = 300;
	o.fo.tol = 1e-4;
	o.sil_max = 5000;
	o.scale = KM_SCALE_ZSCORE;
	if (argc > 1 && (!strcmp(argv[1], "fit") || !strcmp(argv[1], "predict"))) {
		o.predict = argv[1][0] == 'p';
		argv[1] = argv[0];
		argc--;
		argv++;
	} else if (argc < 2 || (strcmp(argv[1], "-h") && strcmp(argv[1], "--help") &&
				strcmp(argv[1], "-V") && strcmp(argv[1], "--version"))) {
		if (argc > 1 && argv[1][0] != '-')
			gha_warn("unknown command '%s': fit or predict", argv[1]);
		fputs(usage_text, stderr);
		return GHA_USAGE;
	}
	ret = parse(argc, argv, &o);
	if (ret < 0)
		return fshut(stdout, "<stdout>");
	if (ret)
		return ret;
	if ((ret = check_outputs(&o)))
		return ret;
	pool = km_pool_new(o.threads ? o.threads : default_threads());
	ret = o.predict ? predict(&o, pool) : fit(&o, pool);
	km_pool_free(pool);
	return gha_exit_worse(ret, fshut(stdout, "<stdout>"));
}
