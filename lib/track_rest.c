/* track_rest.c: a run logged through MLflow's REST API (service.proto,
 * mlflow_artifacts.proto) with libcurl:
 *   GET  /api/2.0/mlflow/experiments/get-by-name   the experiment, or
 *   POST /api/2.0/mlflow/experiments/create        on RESOURCE_DOES_NOT_EXIST
 *   POST /api/2.0/mlflow/runs/create               the run, system tags
 *   POST /api/2.0/mlflow/runs/log-batch            params, tags, metrics in
 *        batches within MLflow's limits (100 params, 100 tags, 1000
 *        metrics, 1000 in all, 1 MB a request)
 *   PUT  /api/2.0/mlflow-artifacts/artifacts/PATH  each artifact
 *   POST /api/2.0/mlflow/runs/update               status and end_time
 * Transient failures (no connection, timeout, 408, 429, 500, 502, 503,
 * 504) are retried with exponential backoff, as MLflow's client does and
 * with its settings: MLFLOW_HTTP_REQUEST_MAX_RETRIES (7),
 * MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR (2 s), MLFLOW_HTTP_REQUEST_TIMEOUT
 * (120 s); a wait is never over 120 s. Other answers are reported with
 * MLflow's error_code and message. Credentials: MLFLOW_TRACKING_TOKEN
 * (Bearer), MLFLOW_TRACKING_USERNAME and _PASSWORD (Basic);
 * MLFLOW_TRACKING_INSECURE_TLS, MLFLOW_TRACKING_SERVER_CERT_PATH. */
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gha.h"
#include "jsonout.h"
#include "track.h"
#include "track_impl.h"
#include "trackresp.h"

struct rmetric {
	char *key;
	double value;
	int64_t ts, step;
};

struct trest {
	char *base;		/* scheme://host[:port][/prefix], no trailing '/' */
	char *shown;		/* the same without user:password@, for messages */
	CURL *h;
	struct curl_slist *hdrs, *hdrs_put;	/* JSON calls; uploads */
	char *artifact_uri;
	char *artifact_path;	/* under mlflow-artifacts/artifacts/, or NULL */
	long retries, timeout;
	double backoff;
	struct track_kv *params, *tags;
	size_t nparams, ntags, capparams, captags;
	struct rmetric *metrics;
	size_t nmetrics, capmetrics;
};

/* the answer, read up to TRACKRESP_MAX: bounded memory whatever comes */
struct sink {
	struct buf *b;
	int over;
};

static size_t
on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;

	n *= size;
	if (s->b->len + n > TRACKRESP_MAX) {
		s->over = 1;
		return 0;
	}
	buf_add(s->b, p, n);
	return n;
}

static long
env_long(const char *name, long def, long lo, long hi)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return def;
	return v;
}

static double
env_double(const char *name, double def, double lo, double hi)
{
	const char *s = getenv(name);
	char *end;
	double v;

	if (!s || !*s)
		return def;
	v = strtod(s, &end);
	if (*end || !(v >= lo && v <= hi))
		return def;
	return v;
}

static int
transient_http(long st)
{
	return st == 408 || st == 429 || st == 500 || st == 502 || st == 503 || st == 504;
}

static int
transient_curl(CURLcode c)
{
	return c == CURLE_COULDNT_CONNECT || c == CURLE_OPERATION_TIMEDOUT ||
	       c == CURLE_RECV_ERROR || c == CURLE_SEND_ERROR || c == CURLE_GOT_NOTHING ||
	       c == CURLE_PARTIAL_FILE || c == CURLE_COULDNT_RESOLVE_HOST;
}

static void
nap(double s)
{
	struct timespec ts;

	if (s > 120)
		s = 120;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One call, retried while the failure is transient. method "GET",
 * "POST" (body) or "PUT" (upload: the file's bytes). 0 with *status and
 * resp; -1 with err when no answer came (69). */
static int
call(struct trest *r, const char *method, const char *path, const struct buf *body,
     FILE *upload, curl_off_t upsize, struct buf *resp, long *status, struct gha_err *err)
{
	struct buf url;
	long attempt;
	int rc = -1;

	buf_init(&url);
	buf_printf(&url, "%s%s", r->base, path);
	buf_addc(&url, '\0');
	for (attempt = 0;; attempt++) {
		struct sink s = { resp, 0 };
		char ebuf[CURL_ERROR_SIZE];
		CURLcode c;

		resp->len = 0;
		ebuf[0] = '\0';
		curl_easy_reset(r->h);
		curl_easy_setopt(r->h, CURLOPT_URL, url.p);
		curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, upload ? r->hdrs_put : r->hdrs);
		curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(r->h, CURLOPT_WRITEDATA, &s);
		curl_easy_setopt(r->h, CURLOPT_ERRORBUFFER, ebuf);
		curl_easy_setopt(r->h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(r->h, CURLOPT_TIMEOUT, r->timeout);
		curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT, r->timeout < 30 ? r->timeout : 30L);
		curl_easy_setopt(r->h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(r->h, CURLOPT_USERAGENT, "gha/" GHA_VERSION " (lib/track_rest.c)");
		if (getenv("MLFLOW_TRACKING_USERNAME") && getenv("MLFLOW_TRACKING_PASSWORD")) {
			curl_easy_setopt(r->h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			curl_easy_setopt(r->h, CURLOPT_USERNAME, getenv("MLFLOW_TRACKING_USERNAME"));
			curl_easy_setopt(r->h, CURLOPT_PASSWORD, getenv("MLFLOW_TRACKING_PASSWORD"));
		}
		if (getenv("MLFLOW_TRACKING_INSECURE_TLS") &&
		    strcasecmp(getenv("MLFLOW_TRACKING_INSECURE_TLS"), "true") == 0) {
			curl_easy_setopt(r->h, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(r->h, CURLOPT_SSL_VERIFYHOST, 0L);
		}
		if (getenv("MLFLOW_TRACKING_SERVER_CERT_PATH"))
			curl_easy_setopt(r->h, CURLOPT_CAINFO, getenv("MLFLOW_TRACKING_SERVER_CERT_PATH"));
		if (strcmp(method, "POST") == 0) {
			curl_easy_setopt(r->h, CURLOPT_POST, 1L);
			curl_easy_setopt(r->h, CURLOPT_POSTFIELDS, body->p);
			curl_easy_setopt(r->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
		} else if (strcmp(method, "PUT") == 0) {
			if (fseeko(upload, 0, SEEK_SET) < 0) {
				gha_seterr(err, GHA_IOERR, "cannot rewind the artifact:");
				break;
			}
			curl_easy_setopt(r->h, CURLOPT_UPLOAD, 1L);
			curl_easy_setopt(r->h, CURLOPT_READDATA, upload);
			curl_easy_setopt(r->h, CURLOPT_INFILESIZE_LARGE, upsize);
		} else {
			curl_easy_setopt(r->h, CURLOPT_HTTPGET, 1L);
		}
		c = curl_easy_perform(r->h);
		*status = 0;
		if (c == CURLE_OK)
			curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, status);
		if (s.over) {
			gha_seterr(err, GHA_UNAVAILABLE, "%s %s%s: an answer over %u bytes", method, r->shown, path,
				   TRACKRESP_MAX);
			break;
		}
		if (c == CURLE_OK && !transient_http(*status)) {
			rc = 0;
			break;
		}
		if ((c != CURLE_OK && !transient_curl(c)) || attempt >= r->retries) {
			if (c != CURLE_OK)
				gha_seterr(err, GHA_UNAVAILABLE, "%s %s%s: %s (after %ld tries)", method, r->shown, path,
					   *ebuf ? ebuf : curl_easy_strerror(c), attempt + 1);
			else
				rc = 0;	/* a transient status, retries spent: the caller reports it */
			break;
		}
		/* MLflow's client (urllib3): factor * 2^(n-1), randomized a little */
		{
			unsigned char j = 0;

			track_random(&j, 1);
			nap(r->backoff * (double)(1L << (attempt < 16 ? attempt : 16)) * (1.0 + j / 1024.0));
		}
	}
	buf_free(&url);
	return rc;
}

/* A call whose answer must be 200: else -1 with MLflow's code and message */
static int
call_ok(struct trest *r, const char *method, const char *path, const struct buf *body,
	struct buf *resp, char *code, size_t codesz, struct gha_err *err)
{
	long st = 0;
	char msg[160], ecode[64];

	if (code)
		code[0] = '\0';
	if (call(r, method, path, body, NULL, 0, resp, &st, err) < 0)
		return -1;
	if (st == 200)
		return 0;
	if (trackresp_error(resp->p, resp->len, ecode, sizeof(ecode), msg, sizeof(msg))) {
		if (code)
			snprintf(code, codesz, "%s", ecode);
		return gha_seterr(err, GHA_UNAVAILABLE, "mlflow %s %s: %ld %s: %s", method, path, st,
				  ecode, msg);
	}
	return gha_seterr(err, GHA_UNAVAILABLE, "mlflow %s %s: HTTP %ld%s", method, path, st,
			  transient_http(st) ? " (retries spent)" : "");
}

static void
add_kv(struct buf *b, const char *k, const char *v)
{
	buf_adds(b, "{\"key\":");
	json_addstr(b, k, strlen(k));
	buf_adds(b, ",\"value\":");
	json_addstr(b, v, strlen(v));
	buf_addc(b, '}');
}

static void
add_metric(struct buf *b, const struct rmetric *m)
{
	buf_adds(b, "{\"key\":");
	json_addstr(b, m->key, strlen(m->key));
	buf_adds(b, ",\"value\":");
	/* proto3 JSON: a double that is not finite is a string */
	if (isnan(m->value))
		buf_adds(b, "\"NaN\"");
	else if (isinf(m->value))
		buf_adds(b, m->value < 0 ? "\"-Infinity\"" : "\"Infinity\"");
	else
		buf_printf(b, "%.17g", m->value);
	buf_printf(b, ",\"timestamp\":%lld,\"step\":%lld}", (long long)m->ts, (long long)m->step);
}

static void
free_kvs(struct track_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
}

/* Send one log-batch of what is buffered, within MLflow's limits, and
 * drop what was sent (or refused: it would be refused again). */
static int
batch(struct track *t, struct gha_err *err)
{
	struct trest *r = t->be;
	size_t np = 0, nt = 0, nm = 0, bytes = 64 + strlen(t->run_id);
	struct buf body, one, resp;
	size_t i;
	int rc;

	buf_init(&one);
	/* params, then tags, then metrics, each while every limit holds */
	while (np < r->nparams && np < TRACK_BATCH_PARAMS) {
		one.len = 0;
		add_kv(&one, r->params[np].key, r->params[np].value);
		if (bytes + one.len + 1 > TRACK_BATCH_BYTES - 1024 && np + nt + nm > 0)
			break;
		bytes += one.len + 1;
		np++;
	}
	while (np == r->nparams && nt < r->ntags && nt < TRACK_BATCH_TAGS) {
		one.len = 0;
		add_kv(&one, r->tags[nt].key, r->tags[nt].value);
		if (bytes + one.len + 1 > TRACK_BATCH_BYTES - 1024 && np + nt + nm > 0)
			break;
		bytes += one.len + 1;
		nt++;
	}
	while (np == r->nparams && nt == r->ntags && nm < r->nmetrics &&
	       np + nt + nm < TRACK_BATCH_TOTAL && nm < TRACK_BATCH_METRICS) {
		one.len = 0;
		add_metric(&one, &r->metrics[nm]);
		if (bytes + one.len + 1 > TRACK_BATCH_BYTES - 1024 && np + nt + nm > 0)
			break;
		bytes += one.len + 1;
		nm++;
	}
	buf_free(&one);
	buf_init(&body);
	buf_adds(&body, "{\"run_id\":");
	json_addstr(&body, t->run_id, strlen(t->run_id));
	buf_adds(&body, ",\"metrics\":[");
	for (i = 0; i < nm; i++) {
		if (i)
			buf_addc(&body, ',');
		add_metric(&body, &r->metrics[i]);
	}
	buf_adds(&body, "],\"params\":[");
	for (i = 0; i < np; i++) {
		if (i)
			buf_addc(&body, ',');
		add_kv(&body, r->params[i].key, r->params[i].value);
	}
	buf_adds(&body, "],\"tags\":[");
	for (i = 0; i < nt; i++) {
		if (i)
			buf_addc(&body, ',');
		add_kv(&body, r->tags[i].key, r->tags[i].value);
	}
	buf_adds(&body, "]}");
	buf_init(&resp);
	rc = call_ok(r, "POST", "/api/2.0/mlflow/runs/log-batch", &body, &resp, NULL, 0, err);
	buf_free(&resp);
	buf_free(&body);
	/* (an array never grown is NULL: memmove must not see it) */
	free_kvs(r->params, np);
	if (np)
		memmove(r->params, r->params + np, (r->nparams - np) * sizeof(*r->params));
	r->nparams -= np;
	free_kvs(r->tags, nt);
	if (nt)
		memmove(r->tags, r->tags + nt, (r->ntags - nt) * sizeof(*r->tags));
	r->ntags -= nt;
	for (i = 0; i < nm; i++)
		free(r->metrics[i].key);
	if (nm)
		memmove(r->metrics, r->metrics + nm, (r->nmetrics - nm) * sizeof(*r->metrics));
	r->nmetrics -= nm;
	return rc;
}

static int
flush_all(struct track *t, struct gha_err *err)
{
	struct trest *r = t->be;
	int rc = 0;

	while (r->nparams || r->ntags || r->nmetrics)
		if (batch(t, err) < 0)
			rc = -1;	/* the rest still goes: a refusal names its batch */
	return rc;
}

/* a batch is sent once one of its limits is reached: memory stays bounded */
static int
maybe_flush(struct track *t, struct gha_err *err)
{
	struct trest *r = t->be;

	if (r->nparams >= TRACK_BATCH_PARAMS || r->ntags >= TRACK_BATCH_TAGS ||
	    r->nmetrics >= TRACK_BATCH_METRICS || r->nparams + r->ntags + r->nmetrics >= TRACK_BATCH_TOTAL)
		return batch(t, err);
	return 0;
}

static int
r_param(struct track *t, const char *key, const char *value, struct gha_err *err)
{
	struct trest *r = t->be;

	if (r->nparams == r->capparams) {
		r->capparams = r->capparams ? 2 * r->capparams : 16;
		r->params = xrealloc(r->params, r->capparams * sizeof(*r->params));
	}
	r->params[r->nparams].key = xstrdup(key);
	r->params[r->nparams].value = xstrdup(value);
	r->nparams++;
	return maybe_flush(t, err);
}

static int
r_tag(struct track *t, const char *key, const char *value, struct gha_err *err)
{
	struct trest *r = t->be;
	size_t i;

	/* one key once a batch: the last value wins, as it would in order */
	for (i = 0; i < r->ntags; i++)
		if (strcmp(r->tags[i].key, key) == 0) {
			free(r->tags[i].value);
			r->tags[i].value = xstrdup(value);
			return 0;
		}
	if (r->ntags == r->captags) {
		r->captags = r->captags ? 2 * r->captags : 16;
		r->tags = xrealloc(r->tags, r->captags * sizeof(*r->tags));
	}
	r->tags[r->ntags].key = xstrdup(key);
	r->tags[r->ntags].value = xstrdup(value);
	r->ntags++;
	return maybe_flush(t, err);
}

static int
r_metric(struct track *t, const char *key, double value, int64_t step, int64_t ts_ms,
	 struct gha_err *err)
{
	struct trest *r = t->be;

	if (r->nmetrics == r->capmetrics) {
		r->capmetrics = r->capmetrics ? 2 * r->capmetrics : 64;
		r->metrics = xrealloc(r->metrics, r->capmetrics * sizeof(*r->metrics));
	}
	r->metrics[r->nmetrics].key = xstrdup(key);
	r->metrics[r->nmetrics].value = value;
	r->metrics[r->nmetrics].ts = ts_ms;
	r->metrics[r->nmetrics].step = step;
	r->nmetrics++;
	return maybe_flush(t, err);
}

/* the URL path of segments, each %-encoded but for '/' between them */
static void
add_path(struct buf *b, const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

static int
r_artifact(struct track *t, const char *src, const char *name, struct gha_err *err)
{
	struct trest *r = t->be;
	struct buf path, resp;
	struct stat st;
	FILE *fp;
	long status = 0;
	int rc;

	if (!r->artifact_path)
		return gha_seterr(err, GHA_UNAVAILABLE,
				  "artifact '%s': the server keeps this run's artifacts at '%s', which "
				  "gha cannot write (it uploads through mlflow-artifacts: run the server "
				  "with --serve-artifacts)", name, r->artifact_uri ? r->artifact_uri : "(none)");
	fp = fopen(src, "rb");
	if (!fp)
		return gha_seterr(err, GHA_NOINPUT, "artifact '%s':", src);
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return gha_seterr(err, GHA_NOINPUT, "artifact '%s': not a regular file", src);
	}
	buf_init(&path);
	buf_adds(&path, "/api/2.0/mlflow-artifacts/artifacts/");
	add_path(&path, r->artifact_path);
	buf_addc(&path, '/');
	add_path(&path, name);
	buf_addc(&path, '\0');
	buf_init(&resp);
	rc = call(r, "PUT", path.p, NULL, fp, (curl_off_t)st.st_size, &resp, &status, err);
	fclose(fp);
	if (rc == 0 && status != 200) {
		char code[64], msg[160];

		if (trackresp_error(resp.p, resp.len, code, sizeof(code), msg, sizeof(msg)))
			rc = gha_seterr(err, GHA_UNAVAILABLE, "mlflow PUT %s: %ld %s: %s", path.p, status,
					code, msg);
		else
			rc = gha_seterr(err, GHA_UNAVAILABLE, "mlflow PUT %s: HTTP %ld", path.p, status);
	}
	buf_free(&resp);
	buf_free(&path);
	return rc;
}

static const char *const status_name[] = {
	[TRACK_FINISHED] = "FINISHED", [TRACK_FAILED] = "FAILED", [TRACK_KILLED] = "KILLED",
};

static int
r_end(struct track *t, enum track_status st, int64_t end_ms, struct gha_err *err)
{
	struct trest *r = t->be;
	struct gha_err e2 = { 0, "" };
	struct buf body, resp;
	int rc = flush_all(t, err), rc2;

	/* what could not be logged makes the run FAILED, not FINISHED */
	if (rc < 0 && st == TRACK_FINISHED)
		st = TRACK_FAILED;
	buf_init(&body);
	buf_adds(&body, "{\"run_id\":");
	json_addstr(&body, t->run_id, strlen(t->run_id));
	buf_printf(&body, ",\"status\":\"%s\",\"end_time\":%lld}", status_name[st], (long long)end_ms);
	buf_init(&resp);
	rc2 = call_ok(r, "POST", "/api/2.0/mlflow/runs/update", &body, &resp, NULL, 0,
		      rc < 0 ? &e2 : err);
	buf_free(&resp);
	buf_free(&body);
	return rc < 0 || rc2 < 0 ? -1 : 0;
}

static void
r_free(struct track *t)
{
	struct trest *r = t->be;
	size_t i;

	if (!r)
		return;
	if (r->h)
		curl_easy_cleanup(r->h);
	curl_slist_free_all(r->hdrs);
	curl_slist_free_all(r->hdrs_put);
	free_kvs(r->params, r->nparams);
	free_kvs(r->tags, r->ntags);
	for (i = 0; i < r->nmetrics; i++)
		free(r->metrics[i].key);
	free(r->params);
	free(r->tags);
	free(r->metrics);
	free(r->base);
	free(r->shown);
	free(r->artifact_uri);
	free(r->artifact_path);
	free(r);
	t->be = NULL;
}

static const struct track_ops rest_ops = {
	r_param, r_tag, r_metric, r_artifact, r_end, r_free,
};

/* get-by-name, else create (and get-by-name again when another process
 * created it meanwhile) */
static int
experiment(struct track *t, const char *name, struct gha_err *err)
{
	struct trest *r = t->be;
	struct buf path, resp, body;
	char code[64], *esc;
	int rc, tries, deleted = 0;

	buf_init(&resp);
	for (tries = 0; tries < 2; tries++) {
		buf_init(&path);
		esc = curl_easy_escape(r->h, name, 0);
		buf_printf(&path, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=%s", esc);
		buf_addc(&path, '\0');
		curl_free(esc);
		rc = call_ok(r, "GET", path.p, NULL, &resp, code, sizeof(code), err);
		buf_free(&path);
		if (rc == 0) {
			if (trackresp_experiment(resp.p, resp.len, &t->exp_id, &deleted) < 0)
				rc = gha_seterr(err, GHA_UNAVAILABLE,
						"mlflow experiments/get-by-name: an answer without an experiment id");
			else if (deleted)
				rc = gha_seterr(err, GHA_USAGE,
						"experiment '%s' (id %s) is deleted: restore it or choose another name",
						name, t->exp_id);
			break;
		}
		if (strcmp(code, "RESOURCE_DOES_NOT_EXIST") != 0)
			break;
		memset(err, 0, sizeof(*err));
		buf_init(&body);
		buf_adds(&body, "{\"name\":");
		json_addstr(&body, name, strlen(name));
		buf_addc(&body, '}');
		rc = call_ok(r, "POST", "/api/2.0/mlflow/experiments/create", &body, &resp, code,
			     sizeof(code), err);
		buf_free(&body);
		if (rc == 0) {
			if (trackresp_created(resp.p, resp.len, &t->exp_id) < 0)
				rc = gha_seterr(err, GHA_UNAVAILABLE,
						"mlflow experiments/create: an answer without an experiment id");
			break;
		}
		if (strcmp(code, "RESOURCE_ALREADY_EXISTS") != 0)
			break;
		memset(err, 0, sizeof(*err));	/* made meanwhile: look again */
	}
	buf_free(&resp);
	return rc;
}

static int
create_run(struct track *t, struct gha_err *err)
{
	struct trest *r = t->be;
	struct buf body, resp;
	size_t i;
	int rc;

	buf_init(&body);
	buf_adds(&body, "{\"experiment_id\":");
	json_addstr(&body, t->exp_id, strlen(t->exp_id));
	buf_adds(&body, ",\"user_id\":");
	json_addstr(&body, t->user, strlen(t->user));
	buf_adds(&body, ",\"run_name\":");
	json_addstr(&body, t->run_name, strlen(t->run_name));
	buf_printf(&body, ",\"start_time\":%lld,\"tags\":[", (long long)t->start_ms);
	for (i = 0; i < r->ntags; i++) {
		if (i)
			buf_addc(&body, ',');
		add_kv(&body, r->tags[i].key, r->tags[i].value);
	}
	buf_adds(&body, "]}");
	buf_init(&resp);
	rc = call_ok(r, "POST", "/api/2.0/mlflow/runs/create", &body, &resp, NULL, 0, err);
	if (rc == 0 && trackresp_run(resp.p, resp.len, t->run_id, &r->artifact_uri) < 0)
		rc = gha_seterr(err, GHA_UNAVAILABLE, "mlflow runs/create: an answer without a run id");
	buf_free(&resp);
	buf_free(&body);
	if (rc < 0)
		return -1;
	free_kvs(r->tags, r->ntags);
	r->ntags = 0;
	/* mlflow-artifacts:/PATH or mlflow-artifacts://HOST/PATH: PATH,
	 * uploaded to the tracking server (the one this run talks to) */
	if (r->artifact_uri && strncmp(r->artifact_uri, "mlflow-artifacts:", 17) == 0) {
		const char *p = r->artifact_uri + 17;

		if (strncmp(p, "//", 2) == 0) {
			p = strchr(p + 2, '/');
			if (!p)
				p = "";
		}
		while (*p == '/')
			p++;
		r->artifact_path = xstrdup(p);
	}
	return 0;
}

int
track_rest_start(struct track *t, const char *url, const char *name, struct gha_err *err)
{
	struct trest *r;
	static int global;
	size_t n;

	if (!global) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return gha_seterr(err, GHA_UNAVAILABLE, "libcurl cannot start");
		global = 1;
	}
	r = xcalloc(1, sizeof(*r));
	t->be = r;
	t->ops = &rest_ops;
	r->base = xstrdup(url);
	n = strlen(r->base);
	while (n > 0 && r->base[n - 1] == '/')
		r->base[--n] = '\0';
	{
		/* never print a password given in the URL */
		const char *h = strstr(r->base, "://"), *at, *sl;
		struct buf b;

		h = h ? h + 3 : r->base;
		sl = strchr(h, '/');
		at = memchr(h, '@', sl ? (size_t)(sl - h) : strlen(h));
		buf_init(&b);
		buf_add(&b, r->base, (size_t)(h - r->base));
		buf_adds(&b, at ? at + 1 : h);
		buf_addc(&b, '\0');
		r->shown = b.p;
	}
	r->retries = env_long("MLFLOW_HTTP_REQUEST_MAX_RETRIES", 7, 0, 100);
	r->backoff = env_double("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 2, 0, 120);
	r->timeout = env_long("MLFLOW_HTTP_REQUEST_TIMEOUT", 120, 1, 86400);
	r->h = curl_easy_init();
	if (!r->h)
		return gha_seterr(err, GHA_UNAVAILABLE, "cannot make a libcurl handle");
	r->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	r->hdrs = curl_slist_append(r->hdrs, "Expect:");
	r->hdrs_put = curl_slist_append(NULL, "Content-Type: application/octet-stream");
	r->hdrs_put = curl_slist_append(r->hdrs_put, "Expect:");
	if (getenv("MLFLOW_TRACKING_TOKEN") && *getenv("MLFLOW_TRACKING_TOKEN")) {
		struct buf h;

		buf_init(&h);
		buf_printf(&h, "Authorization: Bearer %s", getenv("MLFLOW_TRACKING_TOKEN"));
		buf_addc(&h, '\0');
		r->hdrs = curl_slist_append(r->hdrs, h.p);
		r->hdrs_put = curl_slist_append(r->hdrs_put, h.p);
		buf_free(&h);
	}
	if (name) {
		if (experiment(t, name, err) < 0)
			return -1;
	} else {
		t->exp_id = xstrdup("0");	/* the Default experiment */
	}
	/* the system tags go with runs/create, as MLflow's client sends them */
	if (track_system_tags(t, err) < 0)
		return -1;
	return create_run(t, err);
}
