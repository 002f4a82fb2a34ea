/* fuzz_sfanswer.c: the parsers of gha-load --exec's server answers:
 * sfapi_parse (the SQL API's JSON), s3_parse_error (S3's XML error),
 * sfplan_outcome (a load transaction's value). Oracle: the fixed fields
 * are NUL-terminated printable ASCII, the message and value are no
 * longer than the input, outcome is -1, 0 or 1. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "s3put.h"
#include "sfapi.h"
#include "sfplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
printable(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		abort();	/* not terminated */
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sfapi_answer a;
	char code[64], msg[200], *s;
	uint64_t rows;
	int r;

	sfapi_answer_init(&a);
	if (sfapi_parse((const char *)data, size, &a) == 0) {
		printable(a.code, sizeof(a.code));
		printable(a.sqlstate, sizeof(a.sqlstate));
		printable(a.handle, sizeof(a.handle));
		if (a.has_message && (a.message.len > size * 3 + 1 || a.message.p[a.message.len - 1]))
			abort();
		if (a.has_value && (a.value.len > size * 3 + 1 || a.value.p[a.value.len - 1]))
			abort();
	}
	sfapi_answer_free(&a);
	s3_parse_error((const char *)data, size, code, sizeof(code), msg, sizeof(msg));
	printable(code, sizeof(code));
	printable(msg, sizeof(msg));
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	r = sfplan_outcome(s, &rows);
	if (r < -1 || r > 1)
		abort();
	free(s);
	return 0;
}
