/* test_track.c: lib/track.h. With no arguments, a TAP test of the file
 * store (layout read back by hand here; tests/t0900-track.t checks it
 * again with tests/mlflow/filestore_check.py, MLflow's rules in Python).
 * With arguments, a driver the shell tests use:
 *   test_track drive TARGET EXPERIMENT NMETRICS [ARTIFACT]
 *       log a fixed run, print "RUN_ID EXPERIMENT_ID", exit with the code
 *   test_track hang TARGET EXPERIMENT
 *       start a run, log, print "started RUN_ID" and wait to be killed */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gha.h"
#include "tap.h"
#include "track.h"
#include "track_impl.h"

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char tmp[4096];
	size_t k;

	if (!fp)
		return NULL;
	buf_init(&b);
	while ((k = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_add(&b, tmp, k);
	fclose(fp);
	buf_addc(&b, '\0');
	return b.p;
}

static char *
pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
pathf(const char *fmt, ...)
{
	static char p[4][4096];
	static int i;
	va_list ap;

	i = (i + 1) % 4;
	va_start(ap, fmt);
	vsnprintf(p[i], sizeof(p[i]), fmt, ap);
	va_end(ap);
	return p[i];
}

/* the host part of the temporary folder's name */
static const char *
host(void)
{
	static char h[256];

	if (!h[0] && (gethostname(h, sizeof(h) - 1) < 0 || !h[0]))
		snprintf(h, sizeof(h), "localhost");
	return h;
}

static int
exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

static int
streq_file(const char *path, const char *want)
{
	char *s = slurp(path);
	int r = s && strcmp(s, want) == 0;

	if (!r)
		printf("# %s: got [%s], want [%s]\n", path, s ? s : "(none)", want);
	free(s);
	return r;
}

static void
fmt_cases(void)
{
	static const struct {
		double v;
		const char *want;
	} c[] = {
		/* what Python 3's repr(float) prints for each */
		{ 0.1, "0.1" }, { 1e-05, "1e-05" }, { 0.0001, "0.0001" }, { 2.0, "2.0" },
		{ 100.0, "100.0" }, { 1.5, "1.5" }, { 1e16, "1e+16" }, { 1e22, "1e+22" },
		{ 123456789012345678.0, "1.2345678901234568e+17" }, { 9999999999999998.0, "9999999999999998.0" },
		{ -0.0, "-0.0" }, { 0.0, "0.0" }, { -2.5e-7, "-2.5e-07" }, { 1.0 / 3, "0.3333333333333333" },
		{ 5e-324, "5e-324" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 12345.678, "12345.678" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf b;

		buf_init(&b);
		track_fmt_double(&b, c[i].v);
		buf_addc(&b, '\0');
		ok(strcmp(b.p, c[i].want) == 0, "metric value %s written as Python's repr (got %s)",
		   c[i].want, b.p);
		buf_free(&b);
	}
}

static void
yaml_cases(void)
{
	static const char *const s[] = {
		"Default", "exp one", "123", "0", "true", "Yes", "null", "a: b", "it's", "line\nbreak",
		"tab\there", "#hash", "- dash", "  lead", "trail ", "\"dq\"", "back\\slash", "naïve é",
		"file:///tmp/x y", "", "~", "1e3", "2026-12-01",
	};
	size_t i;
	char *v = NULL;
	const char *mlflow_folded =
		"artifact_location: file:///x\nname: a rather long experiment name that PyYAML\n"
		"  folded over two lines\nother: 1\n";
	const char *mlflow_dq = "name: \"caf\\xE9 \\u00e9\\\" x\"\n";

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct buf b;
		int r;

		buf_init(&b);
		buf_adds(&b, "before: 1\nname: ");
		yaml_addstr(&b, s[i]);
		buf_adds(&b, "\nz: 2\n");
		r = yaml_get(b.p, b.len, "name", &v);
		ok(r == 1 && strcmp(v, s[i]) == 0, "YAML string [%s] reads back (as [%s])", s[i],
		   r == 1 ? v : "-");
		free(v);
		v = NULL;
		buf_free(&b);
	}
	ok(yaml_get(mlflow_folded, strlen(mlflow_folded), "name", &v) == 1 &&
	   strcmp(v, "a rather long experiment name that PyYAML folded over two lines") == 0,
	   "a plain value folded over an indented line reads as one line");
	free(v);
	ok(yaml_get(mlflow_dq, strlen(mlflow_dq), "name", &v) == 1 &&
	   strcmp(v, "caf\xc3\xa9 \xc3\xa9\" x") == 0, "double-quoted escapes decode");
	free(v);
	ok(yaml_get("deleted_time: null\n", 19, "deleted_time", &v) == 0, "null is absent");
	ok(yaml_get("named: x\n", 9, "name", &v) == 0, "a longer key is not the key");
}

static void
key_cases(void)
{
	static const char *const good[] = { "a", "k_means/inertia", "a.b-c d", "x/y/z", "..a" };
	static const char *const bad[] = { "", "/a", "a/", "a//b", "../a", "a/./b", ".", "..",
					   "a\tb", "caf\xc3\xa9", "a:b", "a\\b" };
	char longk[252];
	struct gha_err e;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&e, 0, sizeof(e));
		ok(track_check_key("param", good[i], &e) == 0, "key [%s] accepted", good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		ok(track_check_key("param", bad[i], &e) < 0 && e.code == GHA_USAGE,
		   "key [%s] refused with 64 (%s)", bad[i], e.msg);
	}
	memset(longk, 'k', 250);
	longk[250] = '\0';
	ok(track_check_key("param", longk, &e) == 0, "a 250-character key is accepted");
	longk[250] = 'k';
	longk[251] = '\0';
	ok(track_check_key("param", longk, &e) < 0, "a 251-character key is refused");
}

/* the fixed run the shell tests check: params, tags, metrics over steps,
 * an artifact */
static int
drive(const char *target, const char *exp, long nmetrics, const char *artifact)
{
	struct gha_err e = { 0, "" };
	struct track *t = track_start(target, exp, "drive-run", &e);
	long i;
	int rc = 0;

	if (!t) {
		fprintf(stderr, "test_track: %s\n", e.msg);
		return e.code ? e.code : 1;
	}
	rc |= track_param(t, "k", "8", &e);
	rc |= track_param(t, "scale", "zscore", &e);
	rc |= track_param(t, "input/file", "gold/repo_daily.tsv", &e);
	rc |= track_tag(t, "gha.version", "0.1.0-test", &e);
	/* TEST_TRACK_NPARAMS more params p0000..., each TEST_TRACK_PARAMLEN
	 * characters long: batches split by count and by bytes */
	if (getenv("TEST_TRACK_NPARAMS")) {
		long np = strtol(getenv("TEST_TRACK_NPARAMS"), NULL, 10);
		long len = getenv("TEST_TRACK_PARAMLEN") ? strtol(getenv("TEST_TRACK_PARAMLEN"), NULL, 10) : 1;
		char key[32], *val = xmalloc((size_t)len + 1);

		for (i = 0; i < np && rc == 0; i++) {
			snprintf(key, sizeof(key), "p%04ld", i);
			memset(val, 'a' + (int)(i % 26), (size_t)len);
			val[len] = '\0';
			rc |= track_param(t, key, val, &e);
		}
		free(val);
	}
	rc |= track_tag(t, "note", "quotes ' \" and unicode \xc3\xa9", &e);
	for (i = 0; i < nmetrics && rc == 0; i++) {
		rc |= track_metric(t, "inertia", 1000.0 / (double)(i + 1), i, 1700000000000 + i, &e);
		rc |= track_metric(t, "k_sweep/silhouette", 0.5 + (double)i * 1e-3, i, 1700000000000 + i, &e);
	}
	rc |= track_metric(t, "odd", NAN, 0, 1700000000000, &e);
	rc |= track_metric(t, "odd", INFINITY, 1, 1700000000001, &e);
	rc |= track_metric(t, "odd", -INFINITY, 2, 1700000000002, &e);
	if (artifact && rc == 0)
		rc |= track_artifact(t, artifact, "model/centroids.tsv", &e);
	/* the ids first: a test looks the run up even when it failed */
	printf("%s %s\n", track_run_id(t), track_experiment_id(t));
	if (rc) {
		fprintf(stderr, "test_track: %s\n", e.msg);
		track_end(t, TRACK_FAILED, &e);
		track_free(t);
		return 69;
	}
	if (track_end(t, TRACK_FINISHED, &e) < 0) {
		fprintf(stderr, "test_track: %s\n", e.msg);
		track_free(t);
		return e.code ? e.code : 1;
	}
	track_free(t);
	return 0;
}

static int
hang(const char *target, const char *exp)
{
	struct gha_err e = { 0, "" };
	struct track *t = track_start(target, exp, "hang-run", &e);

	if (!t) {
		fprintf(stderr, "test_track: %s\n", e.msg);
		return 1;
	}
	track_param(t, "k", "3", &e);
	track_metric(t, "m", 1.0, 0, 0, &e);
	printf("started %s\n", track_run_id(t));
	fflush(stdout);
	for (;;)
		pause();
}

static void
file_store(const char *dir)
{
	struct gha_err e = { 0, "" };
	char root[4096], src[4096];
	struct track *t, *t2;
	char run[33], exp[32], *meta;
	FILE *fp;
	int i;

	snprintf(root, sizeof(root), "%s/mlruns", dir);
	t = track_start(root, "exp one", "run-a", &e);
	ok(t != NULL, "track_start on a new folder (%s)", e.msg);
	if (!t)
		return;
	snprintf(run, sizeof(run), "%s", track_run_id(t));
	snprintf(exp, sizeof(exp), "%s", track_experiment_id(t));
	ok(strlen(run) == 32 && strspn(run, "0123456789abcdef") == 32 && run[12] == '4',
	   "run id: 32 hex digits, a UUID4 (%s)", run);
	ok(strlen(exp) == 18 && exp[0] != '0' && strspn(exp, "0123456789") == 18,
	   "experiment id: 18 digits, no leading 0 (%s)", exp);
	meta = slurp(pathf("%s/0/meta.yaml", root));
	ok(meta && strstr(meta, "name: Default\n") && strstr(meta, "experiment_id: '0'\n"),
	   "the Default experiment 0/ is made");
	free(meta);
	meta = slurp(pathf("%s/%s/meta.yaml", root, exp));
	ok(meta && strstr(meta, "name: exp one\n") && strstr(meta, "lifecycle_stage: active\n"),
	   "the experiment's meta.yaml names it");
	free(meta);
	ok(track_param(t, "k", "8", &e) == 0, "param");
	ok(track_param(t, "k", "8", &e) == 0, "the same param again, same value: fine");
	ok(track_param(t, "k", "9", &e) < 0 && e.code == GHA_USAGE, "another value: 64 (%s)", e.msg);
	ok(track_param(t, "../x", "1", &e) < 0 && e.code == GHA_USAGE, "a key leaving its folder: 64");
	ok(track_tag(t, "group/name", "v1", &e) == 0, "a tag with a '/' in its key");
	for (i = 0; i < 3; i++)
		track_metric(t, "loss", 1.0 / (i + 1), i, 1700000000000 + i, &e);
	ok(track_metric(t, "loss", 0.1, 3, -1, &e) < 0, "a negative timestamp is refused");
	snprintf(src, sizeof(src), "%s/art.txt", dir);
	fp = fopen(src, "w");
	fputs("centroids\n", fp);
	fclose(fp);
	ok(track_artifact(t, src, "model/c.txt", &e) == 0, "artifact (%s)", e.msg);
	ok(track_artifact(t, src, "../c.txt", &e) < 0, "an artifact name with '..' is refused");
	ok(!exists(pathf("%s/%s/%s", root, exp, run)), "before track_end: no run folder");
	ok(exists(pathf("%s/%s/.tmp.%s.%s.%ld/params/k", root, exp, run, host(), (long)getpid())),
	   "the run is built in a hidden temporary folder");
	ok(track_end(t, TRACK_FINISHED, &e) == 0, "track_end (%s)", e.msg);
	ok(track_end(t, TRACK_FINISHED, &e) < 0, "a second track_end is refused");
	track_free(t);
	ok(!exists(pathf("%s/%s/.tmp.%s.%s.%ld", root, exp, run, host(), (long)getpid())),
	   "after: no temporary folder");
	ok(streq_file(pathf("%s/%s/%s/params/k", root, exp, run), "8"), "params/k holds 8, no newline");
	ok(streq_file(pathf("%s/%s/%s/tags/group/name", root, exp, run), "v1"), "tags/group/name");
	ok(streq_file(pathf("%s/%s/%s/tags/mlflow.runName", root, exp, run), "run-a"),
	   "tags/mlflow.runName");
	ok(streq_file(pathf("%s/%s/%s/tags/mlflow.source.type", root, exp, run), "LOCAL"),
	   "tags/mlflow.source.type");
	ok(streq_file(pathf("%s/%s/%s/metrics/loss", root, exp, run),
		      "1700000000000 1.0 0\n1700000000001 0.5 1\n1700000000002 0.3333333333333333 2\n"),
	   "metrics/loss: 'timestamp value step' lines in logging order");
	ok(streq_file(pathf("%s/%s/%s/artifacts/model/c.txt", root, exp, run), "centroids\n"),
	   "artifacts/model/c.txt");
	meta = slurp(pathf("%s/%s/%s/meta.yaml", root, exp, run));
	ok(meta && strstr(meta, "status: 3\n"), "meta.yaml: status 3 (FINISHED)");
	{
		char *v = NULL;
		int got;

		got = meta && yaml_get(meta, strlen(meta), "run_id", &v) == 1;
		ok(got && strcmp(v, run) == 0, "meta.yaml: run_id");
		free(v);
		v = NULL;
		got = meta && yaml_get(meta, strlen(meta), "artifact_uri", &v) == 1;
		ok(got && strncmp(v, "file:///", 8) == 0 &&
		   strstr(v, pathf("/%s/%s/artifacts", exp, run)) != NULL, "meta.yaml: artifact_uri (%s)",
		   got ? v : "-");
		free(v);
		v = NULL;
		got = meta && yaml_get(meta, strlen(meta), "experiment_id", &v) == 1;
		ok(got && strcmp(v, exp) == 0, "meta.yaml: experiment_id");
		free(v);
	}
	free(meta);

	/* the same name again: the same experiment; a failed run is marked */
	t2 = track_start(root, "exp one", NULL, &e);
	ok(t2 && strcmp(track_experiment_id(t2), exp) == 0, "the same name finds the same experiment");
	if (t2) {
		ok(track_end(t2, TRACK_FAILED, &e) == 0, "a failed run");
		meta = slurp(pathf("%s/%s/%s/meta.yaml", root, exp, track_run_id(t2)));
		ok(meta && strstr(meta, "status: 4\n"), "is stored with status 4 (FAILED)");
		free(meta);
		track_free(t2);
	}
	/* never ended: nothing */
	t2 = track_start(root, NULL, NULL, &e);
	ok(t2 && strcmp(track_experiment_id(t2), "0") == 0, "no experiment name: Default, id 0");
	if (t2) {
		snprintf(run, sizeof(run), "%s", track_run_id(t2));
		track_param(t2, "a", "b", &e);
		track_free(t2);
		ok(!exists(pathf("%s/0/%s", root, run)) &&
		   !exists(pathf("%s/0/.tmp.%s.%s.%ld", root, run, host(), (long)getpid())),
		   "a run freed without track_end leaves nothing");
	}
	/* MLflow's other stores are refused, never made a folder */
	{
		char cwd[4096];

		if (getcwd(cwd, sizeof(cwd)) && chdir(dir) == 0) {
			t2 = track_start("sqlite:///mlflow.db", "x", NULL, &e);
			ok(!t2 && e.code == GHA_USAGE && !exists("sqlite:"),
			   "sqlite:///mlflow.db: 64, no folder 'sqlite:' (%s)", e.msg);
			t2 = track_start(pathf("file://%s/viauri", dir), "x", NULL, &e);
			ok(t2 != NULL && exists(pathf("%s/viauri/0/meta.yaml", dir)), "a file:// URI is a folder");
			track_free(t2);
			if (chdir(cwd) != 0)
				ok(0, "chdir back");
		}
	}
	/* renaming the run by its tag renames it in meta.yaml too */
	t2 = track_start(root, "exp one", "first-name", &e);
	if (t2) {
		snprintf(run, sizeof(run), "%s", track_run_id(t2));
		ok(track_tag(t2, "mlflow.runName", "second-name", &e) == 0 &&
		   track_end(t2, TRACK_KILLED, &e) == 0, "a run renamed by its mlflow.runName tag, KILLED");
		track_free(t2);
		meta = slurp(pathf("%s/%s/%s/meta.yaml", root, exp, run));
		ok(meta && strstr(meta, "run_name: second-name\n") && strstr(meta, "status: 5\n"),
		   "meta.yaml: run_name follows the tag, status 5");
		free(meta);
	}
	/* a file where the store should be */
	fp = fopen(pathf("%s/notadir", dir), "w");
	fclose(fp);
	t2 = track_start(pathf("%s/notadir", dir), "x", NULL, &e);
	ok(!t2 && e.code == GHA_IOERR, "a file as the store: 74 (%s)", e.msg);
}

/* N processes ask for the same new experiment at once: one experiment,
 * N runs */
static void
concurrent(const char *dir)
{
	char root[4096];
	int fds[2], i, n = 6, okc = 0;
	pid_t pids[6];
	char ids[6][64];
	FILE *in;

	snprintf(root, sizeof(root), "%s/conc", dir);
	if (pipe(fds) < 0)
		return;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct gha_err e = { 0, "" };
			struct track *t;

			close(fds[0]);
			t = track_start(root, "race", NULL, &e);
			if (t && track_metric(t, "m", i, 0, 0, &e) == 0 &&
			    track_end(t, TRACK_FINISHED, &e) == 0) {
				dprintf(fds[1], "%s\n", track_experiment_id(t));
				track_free(t);
				_exit(0);
			}
			_exit(1);
		}
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	for (i = 0; i < n && fgets(ids[i], sizeof(ids[i]), in); i++)
		;
	fclose(in);
	for (int j = 0; j < n; j++) {
		int st;

		waitpid(pids[j], &st, 0);
		okc += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	ok(okc == n && i == n, "%d concurrent runs all end (%d)", n, okc);
	for (int j = 1; j < i; j++)
		if (strcmp(ids[j], ids[0]) != 0)
			okc = -1;
	ok(okc == n, "and all land in one experiment named 'race'");
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/test_track.XXXXXX";
	char cmd[256];

	gha_setprog("test_track");
	if (argc >= 5 && strcmp(argv[1], "drive") == 0)
		return drive(argv[2], argv[3], strtol(argv[4], NULL, 10), argc > 5 ? argv[5] : NULL);
	if (argc >= 4 && strcmp(argv[1], "hang") == 0)
		return hang(argv[2], argv[3]);
	fmt_cases();
	yaml_cases();
	key_cases();
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return tap_done();
	}
	file_store(dir);
	concurrent(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
