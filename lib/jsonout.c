/* jsonout.c: writing JSON strings for reports. */
#include "gha.h"
#include "jsonout.h"
#include "utf8.h"

void
json_addstr(struct buf *b, const char *s, size_t n)
{
	/* the bytes JSON text must escape: controls, '"', '\\', and DEL */
	static const unsigned char esc[256] = {
		[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
		[0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
		[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
		[0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
		[0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
	};
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;

	buf_reserve(b, n + 2);
	buf_addc(b, '"');
	while (i < n) {
		unsigned char c = 0;

		/* the bytes that need no escape, copied at once (one table
		 * look-up a byte: the rejects' whole text goes through here) */
		for (run = i; run < n && !esc[(unsigned char)s[run]]; run++)
			;
		if (run < n)
			c = (unsigned char)s[run];
		buf_add(b, s + i, run - i);
		if (run == n)
			break;
		i = run + 1;
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			buf_add(b, u, 6);
		}
		}
	}
	buf_addc(b, '"');
}

/* File names and the like need not be UTF-8: invalid bytes become U+FFFD
 * so the JSON stays valid. */
void
json_addstr_lossy(struct buf *b, const char *s, size_t n)
{
	struct buf t;
	size_t i = 0;

	if (utf8_valid((const unsigned char *)s, n)) {
		json_addstr(b, s, n);
		return;
	}
	buf_init(&t);
	while (i < n) {
		size_t k = utf8_seqlen((const unsigned char *)s + i, (const unsigned char *)s + n);

		if (k) {
			buf_add(&t, s + i, k);
			i += k;
		} else {
			buf_add(&t, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	json_addstr(b, t.p, t.len);
	buf_free(&t);
}
