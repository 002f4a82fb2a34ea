/* track.c: experiment tracking (track.h): picks the backend from the
 * target, checks keys and values by MLflow's rules before any backend
 * sees them (so a file store and a server refuse the same things), keeps
 * params (MLflow refuses a param logged twice with another value) and
 * adds the system tags MLflow's own client sets. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <sys/random.h>
#include <sys/time.h>
#include <unistd.h>

#include "gha.h"
#include "track.h"
#include "track_impl.h"
#include "utf8.h"

int64_t
track_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
track_random(void *p, size_t n)
{
	unsigned char *c = p;

	while (n > 0) {
		ssize_t k = getrandom(c, n, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

void
track_fmt_double(struct buf *b, double v)
{
	char tmp[40], digits[24];
	int p, exp10, nd = 0, i;
	const char *s;
	char *end;

	if (isnan(v)) {
		buf_adds(b, "nan");
		return;
	}
	if (isinf(v)) {
		buf_adds(b, v < 0 ? "-inf" : "inf");
		return;
	}
	if (v == 0) {
		buf_adds(b, signbit(v) ? "-0.0" : "0.0");
		return;
	}
	/* the fewest significant digits that read back as v */
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	s = tmp;
	if (*s == '-') {
		buf_addc(b, '-');
		s++;
	}
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			digits[nd++] = *s;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	exp10 = (int)strtol(s + 1, &end, 10);
	/* Python's repr: scientific below 1e-4 and from 1e16 */
	if (exp10 < -4 || exp10 >= 16) {
		buf_addc(b, digits[0]);
		if (nd > 1) {
			buf_addc(b, '.');
			buf_add(b, digits + 1, (size_t)nd - 1);
		}
		buf_printf(b, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
		return;
	}
	if (exp10 < 0) {
		buf_adds(b, "0.");
		for (i = -1; i > exp10; i--)
			buf_addc(b, '0');
		buf_add(b, digits, (size_t)nd);
		return;
	}
	for (i = 0; i <= exp10; i++)
		buf_addc(b, i < nd ? digits[i] : '0');
	buf_addc(b, '.');
	if (nd > exp10 + 1)
		buf_add(b, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
	else
		buf_addc(b, '0');
}

/* MLflow: ^[/\w.\- ]*$ (ASCII here: \w's Unicode letters would be file
 * names in another encoding's eyes), and the name must be its own
 * normalized path: no "", ".", "..", leading "/", "//", "./" parts. */
int
track_check_key(const char *what, const char *key, struct gha_err *err)
{
	size_t n = strlen(key), i;
	const char *seg;

	if (n == 0)
		return gha_seterr(err, GHA_USAGE, "%s: an empty name", what);
	if (n > TRACK_MAX_KEY)
		return gha_seterr(err, GHA_USAGE, "%s '%.40s...': %zu characters, over MLflow's %d",
				  what, key, n, TRACK_MAX_KEY);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
		      c == ' ' || c == '/'))
			return gha_seterr(err, GHA_USAGE,
					  "%s '%s': MLflow allows only letters, digits, '_', '-', '.', ' ' and '/'",
					  what, key);
	}
	for (seg = key;;) {
		const char *sl = strchr(seg, '/');
		size_t k = sl ? (size_t)(sl - seg) : strlen(seg);

		if (k == 0 || (k == 1 && seg[0] == '.') || (k == 2 && seg[0] == '.' && seg[1] == '.'))
			return gha_seterr(err, GHA_USAGE,
					  "%s '%s': not a normalized relative path (MLflow stores names as files)",
					  what, key);
		if (!sl)
			break;
		seg = sl + 1;
	}
	return 0;
}

static int
check_value(const char *what, const char *key, const char *value, size_t max,
	    struct gha_err *err)
{
	size_t n = strlen(value);

	if (!utf8_valid((const unsigned char *)value, n))
		return gha_seterr(err, GHA_USAGE, "%s '%s': the value is not UTF-8", what, key);
	/* MLflow counts characters, not bytes */
	{
		size_t chars = 0, i;

		for (i = 0; i < n; i++)
			chars += ((unsigned char)value[i] & 0xC0) != 0x80;
		if (chars > max)
			return gha_seterr(err, GHA_USAGE,
					  "%s '%s': a value of %zu characters, over MLflow's %zu",
					  what, key, chars, max);
	}
	return 0;
}

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* The length of a URI scheme and its ':' at s (RFC 3986: a letter, then
 * letters, digits, '+', '-', '.'), 0 when s does not start with one. */
static size_t
scheme_len(const char *s)
{
	size_t i = 0;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	       (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' ? i + 1 : 0;
}

static char *
user_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u && *u)
		return xstrdup(u);
	pw = getpwuid(getuid());
	return xstrdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

static char *
default_run_name(int64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	char when[32];
	struct buf b;
	const char *prog = gha_progname && *gha_progname ? gha_progname : "gha";

	gmtime_r(&s, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	buf_init(&b);
	buf_printf(&b, "%s-%s", prog, when);
	buf_addc(&b, '\0');
	return b.p;
}

struct track *
track_start(const char *target, const char *experiment, const char *run_name,
	    struct gha_err *err)
{
	struct track *t;
	int rc;

	if (!target || !*target) {
		target = getenv("MLFLOW_TRACKING_URI");
		if (!target || !*target)
			target = "./mlruns";
	}
	if (strncmp(target, "file://", 7) == 0)
		target += 7;
	else if (strncmp(target, "file:", 5) == 0)
		target += 5;
	if (experiment && !*experiment)
		experiment = NULL;
	if (experiment && strlen(experiment) > TRACK_MAX_EXP_NAME) {
		gha_seterr(err, GHA_USAGE, "experiment name over MLflow's %d characters",
			   TRACK_MAX_EXP_NAME);
		return NULL;
	}
	if (experiment && !utf8_valid((const unsigned char *)experiment, strlen(experiment))) {
		gha_seterr(err, GHA_USAGE, "experiment name: not UTF-8");
		return NULL;
	}
	if (run_name && *run_name &&
	    check_value("run name", "mlflow.runName", run_name, TRACK_MAX_TAG_VAL, err) < 0)
		return NULL;
	/* sqlite:///mlflow.db, databricks, postgresql://...: MLflow's other
	 * stores are not written here, and never made into a folder by that
	 * name */
	if (!is_url(target) && scheme_len(target) > 1 && strncmp(target, "file:", 5) != 0) {
		gha_seterr(err, GHA_USAGE,
			   "tracking URI '%.*s...': only http(s):// servers and file store folders "
			   "are supported (log to an MLflow server in front of that store)",
			   (int)scheme_len(target), target);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->start_ms = track_now_ms();
	t->user = user_name();
	t->run_name = run_name && *run_name ? xstrdup(run_name) : default_run_name(t->start_ms);
	if (is_url(target))
		rc = track_rest_start(t, target, experiment, err);
	else
		rc = track_file_start(t, target, experiment, err);
	if (rc < 0) {
		track_free(t);
		return NULL;
	}
	return t;
}

const char *
track_run_id(const struct track *t)
{
	return t->run_id;
}

const char *
track_experiment_id(const struct track *t)
{
	return t->exp_id;
}

static int
usable(struct track *t, struct gha_err *err)
{
	if (t->ended)
		return gha_seterr(err, GHA_USAGE, "run %s: already ended", t->run_id);
	return 0;
}

int
track_param(struct track *t, const char *key, const char *value, struct gha_err *err)
{
	size_t i;

	if (usable(t, err) < 0 || track_check_key("param", key, err) < 0 ||
	    check_value("param", key, value, TRACK_MAX_PARAM_VAL, err) < 0)
		return -1;
	for (i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i].key, key) == 0) {
			if (strcmp(t->params[i].value, value) == 0)
				return 0;
			return gha_seterr(err, GHA_USAGE,
					  "param '%s': already logged as '%.60s' (MLflow never changes a param)",
					  key, t->params[i].value);
		}
	if (t->ops->param(t, key, value, err) < 0)
		return -1;
	if (t->nparams == t->capparams) {
		t->capparams = t->capparams ? 2 * t->capparams : 16;
		t->params = xrealloc(t->params, t->capparams * sizeof(*t->params));
	}
	t->params[t->nparams].key = xstrdup(key);
	t->params[t->nparams].value = xstrdup(value);
	t->nparams++;
	return 0;
}

int
track_tag(struct track *t, const char *key, const char *value, struct gha_err *err)
{
	if (usable(t, err) < 0 || track_check_key("tag", key, err) < 0 ||
	    check_value("tag", key, value, TRACK_MAX_TAG_VAL, err) < 0)
		return -1;
	if (t->ops->tag(t, key, value, err) < 0)
		return -1;
	/* MLflow keeps run_name and this tag the same */
	if (strcmp(key, "mlflow.runName") == 0 && strcmp(t->run_name, value) != 0) {
		free(t->run_name);
		t->run_name = xstrdup(value);
	}
	return 0;
}

int
track_metric(struct track *t, const char *key, double value, int64_t step, int64_t ts_ms,
	     struct gha_err *err)
{
	if (usable(t, err) < 0 || track_check_key("metric", key, err) < 0)
		return -1;
	if (ts_ms < 0)
		return gha_seterr(err, GHA_USAGE, "metric '%s': a negative timestamp", key);
	return t->ops->metric(t, key, value, step, ts_ms ? ts_ms : track_now_ms(), err);
}

int
track_artifact(struct track *t, const char *path, const char *name, struct gha_err *err)
{
	if (usable(t, err) < 0 || track_check_key("artifact", name, err) < 0)
		return -1;
	return t->ops->artifact(t, path, name, err);
}

int
track_end(struct track *t, enum track_status st, struct gha_err *err)
{
	int64_t now = track_now_ms();

	if (usable(t, err) < 0)
		return -1;
	if (st != TRACK_FINISHED && st != TRACK_FAILED && st != TRACK_KILLED)
		return gha_seterr(err, GHA_USAGE, "run %s: no such status %d", t->run_id, (int)st);
	t->ended = 1;
	return t->ops->end(t, st, now < t->start_ms ? t->start_ms : now, err);
}

int
track_system_tags(struct track *t, struct gha_err *err)
{
	const char *prog = gha_progname && *gha_progname ? gha_progname : "gha";

	if (t->ops->tag(t, "mlflow.runName", t->run_name, err) < 0 ||
	    t->ops->tag(t, "mlflow.user", t->user, err) < 0 ||
	    t->ops->tag(t, "mlflow.source.name", prog, err) < 0 ||
	    t->ops->tag(t, "mlflow.source.type", "LOCAL", err) < 0)
		return -1;
	return 0;
}

void
track_free(struct track *t)
{
	size_t i;

	if (!t)
		return;
	if (t->ops && t->ops->free)
		t->ops->free(t);
	for (i = 0; i < t->nparams; i++) {
		free(t->params[i].key);
		free(t->params[i].value);
	}
	free(t->params);
	free(t->exp_id);
	free(t->run_name);
	free(t->user);
	free(t);
}
