/* quarantine.h: rejected records as NDJSON, one per line:
 * {"file","line","offset","code","reason","raw" or "raw_base64"}. */
#ifndef GHA_QUARANTINE_H
#define GHA_QUARANTINE_H

#include "counter.h"

struct quarantine {
	FILE *fp;		/* NULL: count only */
	struct counter bycode;
	uint64_t n;
	struct buf line;
};
void quarantine_init(struct quarantine *q, FILE *fp);
void quarantine_free(struct quarantine *q);
int quarantine_add(struct quarantine *q, const char *file, uint64_t lineno, uint64_t offset,
		   const char *code, const char *reason, const char *raw, size_t len);

#endif
