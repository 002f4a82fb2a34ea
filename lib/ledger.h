/* ledger.h: the fetch ledger, DIR/.gha-fetch.log: per attempt the fields
 * hour, time, status, http, bytes, sha256, attempt, etag, last_modified,
 * detail, tab-separated, "-" for none. */
#ifndef GHA_LEDGER_H
#define GHA_LEDGER_H

#include "gha.h"

struct ledger_rec {
	const char *hour, *status;
	long http;
	uint64_t bytes;
	int attempt;
	char sha256[65], etag[256], lastmod[64], detail[256];
};
int ledger_append(const char *dir, const struct ledger_rec *r, struct gha_err *err);
int ledger_last_ok(const char *dir, const char *hour, char etag[256], char lastmod[64]);

#endif
