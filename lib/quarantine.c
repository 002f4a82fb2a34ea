/* quarantine.c: nothing rejected is lost. Each rejected record becomes
 * one NDJSON line holding where it came from, why, and its raw bytes:
 * as a JSON string when they are valid UTF-8, else as base64. */
#include <string.h>

#include "gha.h"
#include "base64.h"
#include "counter.h"
#include "jsonout.h"
#include "quarantine.h"
#include "utf8.h"

void
quarantine_init(struct quarantine *q, FILE *fp)
{
	q->fp = fp;
	q->n = 0;
	counter_init(&q->bycode);
	buf_init(&q->line);
}

void
quarantine_free(struct quarantine *q)
{
	counter_free(&q->bycode);
	buf_free(&q->line);
}

int
quarantine_add(struct quarantine *q, const char *file, uint64_t lineno, uint64_t offset,
	       const char *code, const char *reason, const char *raw, size_t len)
{
	struct buf *b = &q->line;

	q->n++;
	counter_add(&q->bycode, code, strlen(code), 1);
	if (!q->fp)
		return 0;
	b->len = 0;
	buf_adds(b, "{\"file\":");
	json_addstr_lossy(b, file, strlen(file));
	buf_printf(b, ",\"line\":%llu,\"offset\":%llu,\"code\":", (unsigned long long)lineno,
		   (unsigned long long)offset);
	json_addstr(b, code, strlen(code));
	buf_adds(b, ",\"reason\":");
	json_addstr(b, reason, strlen(reason));
	if (utf8_valid((const unsigned char *)raw, len)) {
		buf_adds(b, ",\"raw\":");
		json_addstr(b, raw, len);
	} else {
		buf_adds(b, ",\"raw_base64\":\"");
		base64_add(b, (const unsigned char *)raw, len);
		buf_addc(b, '"');
	}
	buf_adds(b, "}\n");
	return fwrite(b->p, 1, b->len, q->fp) == b->len ? 0 : -1;
}
