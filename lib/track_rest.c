/* track_rest.c: placeholder until the REST backend lands (next commit). */
#include "gha.h"
#include "track_impl.h"

int
track_rest_start(struct track *t, const char *url, const char *experiment, struct gha_err *err)
{
	(void)t;
	(void)experiment;
	return gha_seterr(err, GHA_UNAVAILABLE, "%s: the MLflow REST backend is not built yet", url);
}
