/* fuzz_mlflowresp.c: MLflow REST answers as lib/track_rest.c reads them
 * (trackresp.h): error bodies, experiments, runs. The input is copied to
 * a buffer of its exact size, so a read past the answer is an ASan error;
 * what comes back is checked against MLflow's id rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "trackresp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = xmalloc(size ? size : 1), code[64], msg[160], run_id[257], *id = NULL, *uri = NULL;
	int deleted = 0;

	memcpy(b, data, size);
	if (trackresp_error(b, size, code, sizeof(code), msg, sizeof(msg)))
		if (strlen(code) >= sizeof(code) || strlen(msg) >= sizeof(msg))
			abort();
	if (trackresp_experiment(b, size, &id, &deleted) == 0) {
		if (!trackresp_valid_id(id, 64))
			abort();
		free(id);
	}
	if (trackresp_created(b, size, &id) == 0) {
		if (!trackresp_valid_id(id, 64))
			abort();
		free(id);
	}
	if (trackresp_run(b, size, run_id, &uri) == 0) {
		if (!trackresp_valid_id(run_id, 256))
			abort();
		free(uri);
	}
	free(b);
	return 0;
}
