/* test_buf.c: the growable byte buffer and the x* allocators. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "tap.h"

int
main(void)
{
	struct buf b;
	size_t i;
	int bad;

	buf_init(&b);
	ok(b.p == NULL && b.len == 0 && b.cap == 0, "buf_init: empty, no allocation");

	buf_add(&b, "abc", 3);
	ok(b.len == 3 && !strcmp(b.p, "abc") && b.cap > 3, "buf_add, NUL-terminated");
	buf_addc(&b, 'd');
	ok(b.len == 4 && !strcmp(b.p, "abcd"), "buf_addc");
	buf_adds(&b, "ef");
	ok(b.len == 6 && !strcmp(b.p, "abcdef"), "buf_adds");
	buf_add(&b, "", 0);
	ok(b.len == 6 && !strcmp(b.p, "abcdef"), "adding nothing");
	buf_add(&b, "\0x", 2);
	ok(b.len == 8 && !memcmp(b.p, "abcdef\0x", 9), "embedded NUL kept, still terminated");
	buf_printf(&b, "[%d|%s|%05.1f]", -42, "str", 3.14159);
	ok(b.len == 8 + 15 && !strcmp(b.p + 8, "[-42|str|003.1]"), "buf_printf appends (%s)", b.p + 8);
	buf_free(&b);
	ok(b.p == NULL && b.len == 0 && b.cap == 0, "buf_free resets");

	/* buf_printf with a long result grows the buffer */
	buf_init(&b);
	buf_adds(&b, "x");
	buf_printf(&b, "%0300d", 7);
	ok(b.len == 301 && b.p[300] == '7' && b.p[301] == '\0' && b.p[1] == '0', "buf_printf of 300 bytes");
	buf_printf(&b, "%s", "");
	ok(b.len == 301, "buf_printf of nothing");
	buf_free(&b);

	/* buf_addc on a fresh buffer */
	buf_init(&b);
	buf_addc(&b, 'z');
	ok(b.len == 1 && !strcmp(b.p, "z"), "buf_addc on an empty buffer");
	buf_free(&b);

	/* buf_reserve gives room for extra bytes plus the NUL */
	buf_init(&b);
	buf_reserve(&b, 1000);
	ok(b.cap >= 1001 && b.len == 0, "buf_reserve(1000): cap %zu", b.cap);
	{
		char *p = b.p;

		for (i = 0; i < 1000; i++)
			buf_addc(&b, 'q');
		ok(b.p == p, "no reallocation within the reserve");
	}
	buf_free(&b);

	/* a million appends of growing sizes keep every byte */
	buf_init(&b);
	bad = 0;
	for (i = 0; i < 3000; i++) {
		char chunk[600];
		size_t n = i % 600;

		memset(chunk, (int)('a' + i % 26), n);
		buf_add(&b, chunk, n);
	}
	{
		size_t off = 0;

		for (i = 0; i < 3000; i++) {
			size_t n = i % 600, k;

			for (k = 0; k < n; k++)
				if (b.p[off + k] != (char)('a' + i % 26))
					bad++;
			off += n;
		}
		ok(bad == 0 && off == b.len && b.p[b.len] == '\0' && b.cap > b.len,
		   "3000 appends, %zu bytes, all in place", b.len);
	}
	/* reuse after len = 0, as callers do */
	b.len = 0;
	buf_adds(&b, "again");
	ok(!strcmp(b.p, "again"), "reuse after len = 0");
	buf_free(&b);

	/* the allocators */
	{
		char *p = xmalloc(0), *q = xcalloc(0, 0), *r = xcalloc(10, 4), *s = xstrdup("dup");
		int zero = 1;

		ok(p != NULL && q != NULL, "xmalloc(0) and xcalloc(0, 0) return memory");
		for (i = 0; i < 40; i++)
			zero &= r[i] == 0;
		ok(zero, "xcalloc zeroes");
		ok(!strcmp(s, "dup") && s != (const char *)"dup", "xstrdup copies");
		p = xrealloc(p, 100);
		memset(p, 1, 100);
		p = xrealloc(p, 0);
		ok(p != NULL, "xrealloc to 0 returns memory");
		free(p);
		free(q);
		free(r);
		free(s);
	}
	return tap_done();
}
