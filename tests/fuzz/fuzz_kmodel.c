/* fuzz_kmodel.c: gha-kmeans model files (km_model_parse). A model that
 * parses must format back to text that parses to the same text again
 * (nothing is lost or invented), and must be usable: a row is scaled and
 * assigned to a centroid. Memory grows with the input only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "kmeans.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct km_model m, m2;
	struct gha_err err;
	struct buf b, b2;
	double *row, dist;
	int label;

	if (km_model_parse(&m, (const char *)data, size, "fuzz", &err))
		return 0;
	buf_init(&b);
	buf_init(&b2);
	km_model_format(&m, &b);
	if (km_model_parse(&m2, b.p, b.len, "again", &err))
		abort();	/* our own output must parse */
	km_model_format(&m2, &b2);
	if (b.len != b2.len || memcmp(b.p, b2.p, b.len))
		abort();	/* and say the same thing */
	row = xcalloc(m.d, sizeof(double));
	km_prep_apply(&m.prep, row, 1);
	km_assign(NULL, row, 1, m.d, m.c, m.k, &label, &dist);
	if (label < 0 || (size_t)label >= m.k)
		abort();
	free(row);
	km_model_free(&m2);
	km_model_free(&m);
	buf_free(&b);
	buf_free(&b2);
	return 0;
}
