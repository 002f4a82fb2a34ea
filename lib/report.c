/* report.c: small pieces every validating tool's main needs. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "cli.h"
#include "ingest.h"
#include "outfile.h"

int
parse_rate(const char *s, double *rate)
{
	char *end;
	double v;

	/* decimals only: strtod would take 0x1, inf and nan too */
	if (!*s || strspn(s, "0123456789.") == 0 || strpbrk(s, "xXnNiIpP"))
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !(v >= 0 && v <= 1))
		return -1;
	*rate = v;
	return 0;
}

int
write_atomic(const char *path, const char *data, size_t n, struct gha_err *err)
{
	struct outfile o;

	if (outfile_open(&o, path, err))
		return -1;
	if (fwrite(data, 1, n, o.fp) != n) {
		gha_seterr(err, GHA_IOERR, "write error on '%s':", path);
		outfile_abort(&o);
		return -1;
	}
	return outfile_commit(&o, err);
}

int
finish_run(const struct ingest *g, double maxrate, int ret, int quiet, const char *rejpath)
{
	uint64_t nrej = g->q->n;

	if (nrej && !quiet)
		gha_warn("%llu of %llu records rejected%s%s", (unsigned long long)nrej,
			 (unsigned long long)g->in, rejpath ? "; see " : "", rejpath ? rejpath : "");
	if (g->in && (double)nrej > maxrate * (double)g->in && ret == GHA_OK) {
		gha_warn("reject rate %.4f%% is over --max-reject-rate %.4f%%",
			 100.0 * (double)nrej / (double)g->in, 100.0 * maxrate);
		return GHA_PARTIAL;
	}
	return ret;
}

int
commit_rejects(const struct ingest *g, struct outfile *rej, const char *rejpath)
{
	struct gha_err err;

	if (!rejpath)
		return GHA_OK;
	if (g->qerr) {
		gha_warn("write error on '%s':", rejpath);
		outfile_abort(rej);
		return GHA_IOERR;
	}
	if (outfile_commit(rej, &err)) {
		gha_warn("%s", err.msg);
		return GHA_IOERR;
	}
	return GHA_OK;
}
