/* test_jsonout.c: json_addstr and base64_add. JSON output is checked
 * byte for byte where the form is fixed, and otherwise by a small
 * RFC 8259 string decoder written here; base64 against the RFC 4648
 * test vectors and a decoder written here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "base64.h"
#include "json.h"
#include "jsonout.h"
#include "tap.h"
#include "testutil.h"


/* Decode a JSON string literal (with quotes) made of escapes and bytes
 * other than controls; returns the decoded length, or -1. Only \u below
 * U+0080 is expected from the writer, so others are kept as UTF-8. */
static long
jdecode(const char *s, size_t n, char *out)
{
	size_t i;
	long o = 0;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return -1;
	for (i = 1; i < n - 1; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"')
			return -1;
		if (c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		if (++i >= n - 1)
			return -1;
		switch (s[i]) {
		case '"': out[o++] = '"'; break;
		case '\\': out[o++] = '\\'; break;
		case '/': out[o++] = '/'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u': {
			int k, v = 0;

			if (i + 4 >= n - 1)
				return -1;
			for (k = 1; k <= 4; k++) {
				int h = hexv(s[i + (size_t)k]);

				if (h < 0)
					return -1;
				v = v * 16 + h;
			}
			if (v >= 0x80)
				return -1;
			out[o++] = (char)v;
			i += 4;
			break;
		}
		default:
			return -1;
		}
	}
	return o;
}

static void
str_is(const char *in, size_t n, const char *want, const char *what)
{
	struct buf b;

	buf_init(&b);
	json_addstr(&b, in, n);
	ok(b.len == strlen(want) && !memcmp(b.p, want, b.len), "json_addstr %s: %s (got %s)", what, want,
	   b.p);
	buf_free(&b);
}

static void
test_addstr(void)
{
	struct buf b;
	int i, bad;
	struct jscan js;
	size_t vs, ve;

	str_is("", 0, "\"\"", "empty");
	str_is("abc", 3, "\"abc\"", "plain");
	str_is("a\"b", 3, "\"a\\\"b\"", "quote");
	str_is("a\\b", 3, "\"a\\\\b\"", "backslash");
	str_is("\n\r\t", 3, "\"\\n\\r\\t\"", "newline, CR, tab");
	str_is("\b\f", 2, "\"\\b\\f\"", "backspace, form feed");
	str_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	       "UTF-8 passes through");
	str_is("a/b", 3, "\"a/b\"", "slash needs no escape");
	str_is("\\\"\\", 3, "\"\\\\\\\"\\\\\"", "backslash quote backslash");

	/* each control character comes out escaped and decodes back */
	bad = 0;
	for (i = 0; i < 0x20; i++) {
		char c = (char)i, dec[16];
		long dn;

		buf_init(&b);
		json_addstr(&b, &c, 1);
		dn = jdecode(b.p, b.len, dec);
		if (dn != 1 || dec[0] != c)
			bad++;
		buf_free(&b);
	}
	ok(bad == 0, "all 32 control characters are escaped and decode back (%d wrong)", bad);
	buf_init(&b);
	json_addstr(&b, "\x01\x1f", 2);
	ok(b.len == 14 && (!strcmp(b.p, "\"\\u0001\\u001f\"") || !strcmp(b.p, "\"\\u0001\\u001F\"")),
	   "\\x01 and \\x1f as \\u0001 \\u001f (%s)", b.p);
	buf_free(&b);
	buf_init(&b);
	json_addstr(&b, "a\0b", 3);
	ok(b.len == 10 && !memcmp(b.p, "\"a\\u0000b\"", 10), "NUL as \\u0000 (%s)", b.p);
	buf_free(&b);

	/* appends to what the buffer holds */
	buf_init(&b);
	buf_adds(&b, "{\"k\":");
	json_addstr(&b, "v", 1);
	buf_addc(&b, '}');
	ok(!strcmp(b.p, "{\"k\":\"v\"}") && b.len == 9, "appends after existing text");
	buf_free(&b);

	/* n, not the NUL, bounds the input */
	buf_init(&b);
	json_addstr(&b, "abcdef", 3);
	ok(!strcmp(b.p, "\"abc\""), "n bounds the input");
	buf_free(&b);

	/* random valid UTF-8 with all ASCII bytes: valid JSON that decodes back */
	jscan_init(&js, NULL, 0);
	bad = 0;
	{
		uint64_t r = 0x123456789ABCDEFULL;

		for (i = 0; i < 5000; i++) {
			char in[200], dec[1400];
			size_t n = 0, k = (size_t)(i % 60);
			long dn;

			while (k--) {
				r ^= r << 13;
				r ^= r >> 7;
				r ^= r << 17;
				if (r % 5 == 0) {
					memcpy(in + n, "\xc3\xa9", 2);	/* é */
					n += 2;
				} else {
					in[n++] = (char)(r >> 20 & 0x7f);
				}
			}
			buf_init(&b);
			json_addstr(&b, in, n);
			dn = jdecode(b.p, b.len, dec);
			if (dn != (long)n || memcmp(dec, in, n) ||
			    json_scan(&js, b.p, b.len, 0, &vs, &ve) != (long)b.len)
				bad++;
			buf_free(&b);
		}
	}
	ok(bad == 0, "5000 random strings: valid JSON that decodes to the input (%d wrong)", bad);
	jscan_free(&js);
}

static void
b64_is(const char *in, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b);
	base64_add(&b, (const unsigned char *)in, n);
	ok(b.len == strlen(want) && (b.len == 0 || !memcmp(b.p, want, b.len)), "base64 of %zu bytes = %s (got %.*s)",
	   n, want, (int)b.len, b.len ? b.p : "");
	buf_free(&b);
}



static void
test_base64(void)
{
	unsigned char all[256], dec[400];
	struct buf b;
	int i, bad = 0;

	/* RFC 4648 section 10 */
	b64_is("", 0, "");
	b64_is("f", 1, "Zg==");
	b64_is("fo", 2, "Zm8=");
	b64_is("foo", 3, "Zm9v");
	b64_is("foob", 4, "Zm9vYg==");
	b64_is("fooba", 5, "Zm9vYmE=");
	b64_is("foobar", 6, "Zm9vYmFy");
	/* the last two alphabet characters and zero bytes */
	b64_is("\xfb\xff", 2, "+/8=");
	b64_is("\xff\xfe\xfd", 3, "//79");
	b64_is("\0", 1, "AA==");
	b64_is("\0\0\0", 3, "AAAA");
	b64_is("\x14\xfb\x9c\x03\xd9\x7e", 6, "FPucA9l+");	/* RFC 4648 section 9 */
	b64_is("\x14\xfb\x9c\x03\xd9", 5, "FPucA9k=");
	b64_is("\x14\xfb\x9c\x03", 4, "FPucAw==");

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	for (i = 0; i <= 256; i++) {
		long n;

		buf_init(&b);
		base64_add(&b, all + (256 - i), (size_t)i);
		n = b64dec(b.p ? b.p : "", b.len, dec);
		if (b.len != (size_t)(i + 2) / 3 * 4 || n != i || memcmp(dec, all + (256 - i), (size_t)i))
			bad++;
		buf_free(&b);
	}
	ok(bad == 0, "every length 0..256 of all byte values round trips (%d wrong)", bad);

	buf_init(&b);
	buf_adds(&b, "x=");
	base64_add(&b, (const unsigned char *)"foo", 3);
	ok(!strcmp(b.p, "x=Zm9v"), "appends after existing text");
	buf_free(&b);
}

int
main(void)
{
	test_addstr();
	test_base64();
	return tap_done();
}
