/* ingest_run.c: the end of a validating run, shared by gha-bronze and
 * gha-silver: the reject rate against --max-reject-rate, and the
 * quarantine file committed or dropped. */
#include "gha.h"
#include "ingest.h"
#include "outfile.h"

int
finish_run(const struct ingest *g, double maxrate, int ret, int quiet, const char *rejpath)
{
	uint64_t nrej = g->q->n, bad = g->q->n + g->ferr;

	if (nrej && !quiet)
		gha_warn("%llu of %llu records rejected%s%s", (unsigned long long)nrej,
			 (unsigned long long)g->in, rejpath ? "; see " : "", rejpath ? rejpath : "");
	/* not a warning about a bad record: the run lost events, -q or not */
	if (g->ferr)
		gha_warn("jq filter failed on %llu of %llu events (dropped); %llu filtered out",
			 (unsigned long long)g->ferr, (unsigned long long)g->in,
			 (unsigned long long)g->filtered);
	if (g->in && (double)bad > maxrate * (double)g->in && ret == GHA_OK) {
		gha_warn("reject rate %.4f%%%s is over --max-reject-rate %.4f%%",
			 100.0 * (double)bad / (double)g->in,
			 g->ferr ? " (filter errors included)" : "", 100.0 * maxrate);
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

void
explain_filter(struct jqfilter *f, const char *const *paths, int npaths, struct buf *b)
{
	struct ingest g;

	ingest_init(&g, NULL, paths, npaths);
	ingest_set_filter(&g, f);
	jqfilter_explain(f, b);
	ingest_free(&g);
}
