/* bigmem.c: each array in a mapping of its own, grown by mremap (no copy,
 * never old and new at once) and advised to use transparent huge pages,
 * which Debian's kernels give on request (THP "madvise"). malloc would
 * serve these arrays from the heap and grow them by copying into fresh
 * 4 KB pages: gha-gold spent a third of its time in that copy and its
 * page faults, which are dear on a virtual machine.
 *
 * The sanitizer build keeps malloc, so that ASan still sees every access. */
#define _GNU_SOURCE		/* mremap */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gha.h"
#include "bigmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define BIG_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_MALLOC 1
#endif
#endif

#ifndef BIG_MALLOC
static size_t
pages(size_t n)
{
	static size_t pg;

	if (!pg) {
		long v = sysconf(_SC_PAGESIZE);

		pg = v > 0 ? (size_t)v : 4096;
	}
	return n ? (n + pg - 1) / pg * pg : pg;
}


static void
advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);	/* advice: a refusal changes nothing */
#else
	(void)p;
	(void)n;
#endif
}
#endif

void *
big_alloc(size_t n)
{
#ifdef BIG_MALLOC
	return xcalloc(n ? n : 1, 1);
#else
	void *p = mmap(NULL, pages(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return xalloc_check(NULL);
	advise(p, pages(n));
	return p;
#endif
}

void *
big_grow(void *p, size_t old, size_t n)
{
#ifdef BIG_MALLOC
	char *q = xrealloc(p, n ? n : 1);

	if (n > old)
		memset(q + old, 0, n - old);
	return q;
#else
	void *q;

	if (!p)
		return big_alloc(n);
	if (pages(n) <= pages(old))
		return p;
#ifdef MREMAP_MAYMOVE
	q = mremap(p, pages(old), pages(n), MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return xalloc_check(NULL);
	advise(q, pages(n));
#else
	q = big_alloc(n);
	memcpy(q, p, old);
	munmap(p, pages(old));
#endif
	return q;
#endif
}

void
big_free(void *p, size_t n)
{
	if (!p)
		return;
#ifdef BIG_MALLOC
	(void)n;
	free(p);
#else
	munmap(p, pages(n));
#endif
}
