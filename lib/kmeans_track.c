/* kmeans_track.c: placeholder until lib/track*.c (branch mlflow) is
 * merged: tracking reports itself unavailable. */
#include "kmeans_track.h"

int
km_track(const struct km_track_run *r, struct gha_err *err)
{
	(void)r;
	return gha_seterr(err, GHA_UNAVAILABLE, "not built in yet (lib/track*.c)");
}
