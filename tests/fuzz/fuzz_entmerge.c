/* fuzz_entmerge.c: the entity-table merge (gha-silver --merge) over
 * COPY text in memory, and copy_unescape. Byte 0 picks a header to put
 * in front (none, actors, repos, orgs), so most inputs reach the rows.
 * Oracle: a table the merge accepted, written out, must read back and
 * write out again to the same bytes (what gha writes, gha reads). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "entity.h"
#include "tsv.h"
#include "inmem.h"
#include "lineread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* merge p[0..n) into a fresh set; on success the table written out */
static int
merge(const char *p, size_t n, char **out, size_t *outn)
{
	struct entset s;
	struct lineread *lr = lr_open_mem(p, n, "fuzz", 0);
	int kind_set = 0, r;
	FILE *fp;

	entset_init(&s, ENT_ACTORS);
	r = entset_merge_lr(&s, &kind_set, lr, "fuzz");
	lr_close(lr);
	*out = NULL;
	*outn = 0;
	if (r == GHA_OK) {
		fp = open_memstream(out, outn);
		if (!fp || entset_write(&s, fp) || fclose(fp))
			abort();
	}
	entset_free(&s);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct buf in, tmp;
	char *a, *b;
	size_t an, bn;
	int kind, i, ncols;

	if (size < 1)
		return 0;
	kind = data[0] % 4;
	in.len = 0;
	if (kind) {
		const char *const *cols = ent_columns((enum ent_kind)(kind - 1), &ncols);

		for (i = 0; i < ncols; i++) {
			if (i)
				buf_addc(&in, '\t');
			buf_adds(&in, cols[i]);
		}
		buf_addc(&in, '\n');
	}
	buf_add(&in, data + 1, size - 1);
	copy_unescape((const char *)data + 1, size - 1, &tmp);
	if (merge(in.p, in.len, &a, &an) == GHA_OK) {
		if (merge(a, an, &b, &bn) != GHA_OK || an != bn || memcmp(a, b, an)) {
			fprintf(stderr, "fuzz_entmerge: written table does not read back the same:\n"
				"first:\n%.*s\nsecond:\n%.*s\n", (int)an, a, (int)bn, b ? b : "");
			abort();
		}
		free(b);
	}
	free(a);
	return 0;
}
