/* fuzz_fastfilter.c: the fast filter path against libjq. An input is a
 * jq program, a NUL byte, then a JSON document. When the recognizer
 * takes the program, libjq compiles it too, the document is scanned with
 * the program's member paths, and whenever the fast path decides, its
 * answer must be libjq's on the same text (abort otherwise).
 *
 * libjq 1.6 compiles its builtins anew for every program (~20 ms), so
 * compiled programs are kept in a small cache keyed by their text
 * (mutations of the document reuse them); memory stays bounded: at most
 * CACHE programs, programs of at most 256 bytes, documents of 64 KB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "fastfilter.h"
#include "jqfilter.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CACHE 8
#define MAXPROG 256
#define MAXDOC (64 << 10)

struct entry {
	char prog[MAXPROG + 1];
	struct jqfilter *jf;	/* NULL: libjq refused it */
	unsigned long used;
};
static struct entry cache[CACHE];
static unsigned long clock_;

/* at exit, before LeakSanitizer's last look: libjq's states hold
 * memory LSan cannot trace to the cache */
static void
drop_cache(void)
{
	int i;

	for (i = 0; i < CACHE; i++) {
		jqfilter_free(cache[i].jf);
		cache[i].jf = NULL;
		cache[i].used = 0;
	}
}

static struct entry *
lookup(const char *prog)
{
	struct entry *e = &cache[0];
	struct gha_err err;
	static int registered;
	int i;

	if (!registered++)
		atexit(drop_cache);

	for (i = 0; i < CACHE; i++) {
		if (cache[i].used && !strcmp(cache[i].prog, prog)) {
			cache[i].used = ++clock_;
			return &cache[i];
		}
		if (cache[i].used < e->used)
			e = &cache[i];
	}
	jqfilter_free(e->jf);
	memcpy(e->prog, prog, strlen(prog) + 1);
	e->jf = jqfilter_new(prog, &err);
	e->used = ++clock_;
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	char prog[MAXPROG + 1], why[200];
	struct fastfilter *ff;
	struct entry *e;
	const char *doc, **paths;
	size_t plen, dlen, vs, ve;
	struct jscan js;
	int *slots, np, i, fast, ref;
	struct gha_err err;

	if (!nul)
		return 0;
	plen = (size_t)(nul - (const char *)data);
	doc = nul + 1;
	dlen = size - plen - 1;
	if (plen > MAXPROG || dlen > MAXDOC)
		return 0;
	memcpy(prog, data, plen);
	prog[plen] = '\0';
	/* the recognizer alone first: cheap, on any text; libjq only for
	 * a program it takes, on a document it decides */
	ff = fastfilter_new(prog, why, sizeof(why));
	if (!ff)
		return 0;
	np = fastfilter_npaths(ff);
	paths = xcalloc((size_t)np + 1, sizeof(*paths));
	slots = xcalloc((size_t)np + 1, sizeof(*slots));
	for (i = 0; i < np; i++) {
		paths[i] = fastfilter_path(ff, i);
		slots[i] = i;
	}
	jscan_init(&js, paths, np);
	fastfilter_bind(ff, slots);
	/* an object, as every event is by the time a filter sees it */
	if (json_scan(&js, doc, dlen, 0, &vs, &ve) > 0 && doc[vs] == '{' &&
	    (fast = fastfilter_eval(ff, &js, doc + vs, ve - vs)) >= 0) {
		e = lookup(prog);
		/* libjq refusing what the recognizer took is no finding: the
		 * tools never get there (libjq compiles first) */
		if (e->jf) {
			ref = jqfilter_match(e->jf, doc + vs, ve - vs, &err);
			if (fast != ref) {
				fprintf(stderr, "fast %d, libjq %d: %s on %.*s\n", fast, ref, prog,
					(int)(ve - vs), doc + vs);
				abort();
			}
		}
	}
	fastfilter_free(ff);
	jscan_free(&js);
	free(paths);
	free(slots);
	return 0;
}
