/* test_utf8.c: utf8_valid against RFC 3629, checked exhaustively for all
 * one-, two- and three-byte inputs and widely for four-byte ones against
 * a reference that decodes code points (not byte ranges). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "utf8.h"
#include "tap.h"

#define L(s) s, sizeof(s) - 1

/* Reference: decode each sequence to a code point, then apply the rules
 * (shortest form, no surrogates, at most U+10FFFF). */
static int
ref_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len, j;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			len = 2;
			cp = c & 0x1F;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			cp = c & 0x0F;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (j = 1; j < len; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

/* utf8_valid on an exact-size heap copy, so overreads are caught. */
static int
v(const void *s, size_t n)
{
	unsigned char *c = malloc(n ? n : 1);
	int r;

	if (n)
		memcpy(c, s, n);
	r = utf8_valid(c, n);
	free(c);
	return r;
}

int
main(void)
{
	static const struct { const char *s; size_t n; } good[] = {
		{ L("") }, { L("a") }, { L("hello, world") }, { L("\0") }, { L("a\0b") },
		{ L("\x7f") }, { L("\xc2\x80") }, { L("\xdf\xbf") }, { L("\xe0\xa0\x80") },
		{ L("\xed\x9f\xbf") }, { L("\xee\x80\x80") }, { L("\xef\xbf\xbf") },
		{ L("\xef\xbf\xbd") }, { L("\xf0\x90\x80\x80") }, { L("\xf4\x8f\xbf\xbf") },
		{ L("caf\xc3\xa9") }, { L("\xe2\x82\xac") }, { L("\xf0\x9f\x98\x80") },
		{ L("\xef\xbb\xbf") },	/* a BOM is a valid character */
		{ L("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e") },
	};
	static const struct { const char *s; size_t n; const char *why; } bad[] = {
		{ L("\x80"), "lone continuation" }, { L("\xbf"), "lone continuation" },
		{ L("\xc0\x80"), "overlong NUL" }, { L("\xc1\xbf"), "overlong 2-byte" },
		{ L("\xe0\x80\x80"), "overlong 3-byte" }, { L("\xe0\x9f\xbf"), "overlong U+07FF" },
		{ L("\xf0\x80\x80\x80"), "overlong 4-byte" }, { L("\xf0\x8f\xbf\xbf"), "overlong U+FFFF" },
		{ L("\xed\xa0\x80"), "surrogate U+D800" }, { L("\xed\xbf\xbf"), "surrogate U+DFFF" },
		{ L("\xed\xa0\xbd\xed\xb8\x80"), "CESU-8 surrogate pair" },
		{ L("\xf4\x90\x80\x80"), "U+110000" }, { L("\xf5\x80\x80\x80"), "F5 lead" },
		{ L("\xf7\xbf\xbf\xbf"), "F7 lead" }, { L("\xf8\x88\x80\x80\x80"), "5-byte form" },
		{ L("\xfc\x84\x80\x80\x80\x80"), "6-byte form" }, { L("\xfe"), "FE" }, { L("\xff"), "FF" },
		{ L("\xc3"), "truncated 2-byte" }, { L("\xe2\x82"), "truncated 3-byte" },
		{ L("\xf0\x9f\x98"), "truncated 4-byte" }, { L("\xe2"), "truncated 3-byte, 1 of 3" },
		{ L("\xc3\x61"), "bad continuation" }, { L("\xe2\x28\xa1"), "bad 2nd of 3" },
		{ L("\xe2\x82\x28"), "bad 3rd of 3" }, { L("\xf0\x9f\x98\x28"), "bad 4th of 4" },
		{ L("\xf0\x28\x8c\xbc"), "bad 2nd of 4" }, { L("\xc3\xc3\xa9"), "lead then lead" },
		{ L("abc\xc3"), "truncated at the end" }, { L("\xa9" "abc"), "continuation first" },
		{ L("caf\xc3\xa9\x80"), "extra continuation" },
	};
	size_t i;
	uint32_t a, b, c;
	long wrong;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(v(good[i].s, good[i].n) == 1, "valid #%zu (%zu bytes)", i, good[i].n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(v(bad[i].s, bad[i].n) == 0, "invalid: %s", bad[i].why);

	/* the result is exactly 1 or 0 */
	ok(utf8_valid((const unsigned char *)"ok", 2) == 1, "returns 1, not just non-zero");

	/* a length shorter than the buffer cuts a sequence */
	ok(utf8_valid((const unsigned char *)"\xc3\xa9", 1) == 0, "n cuts a 2-byte sequence");
	ok(utf8_valid((const unsigned char *)"\xf0\x9f\x98\x80", 3) == 0, "n cuts a 4-byte sequence");
	ok(utf8_valid((const unsigned char *)"\xff", 0) == 1, "n = 0 looks at nothing");

	/* exhaustive: every 1-, 2- and 3-byte input */
	wrong = 0;
	for (a = 0; a < 256; a++) {
		unsigned char s[1] = { (unsigned char)a };

		if (utf8_valid(s, 1) != ref_valid(s, 1))
			wrong++;
	}
	ok(wrong == 0, "all 256 one-byte inputs agree with the reference");
	wrong = 0;
	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++) {
			unsigned char s[2] = { (unsigned char)a, (unsigned char)b };

			if (utf8_valid(s, 2) != ref_valid(s, 2))
				wrong++;
		}
	ok(wrong == 0, "all 65536 two-byte inputs agree with the reference (%ld wrong)", wrong);
	wrong = 0;
	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < 256; c++) {
				unsigned char s[3] = { (unsigned char)a, (unsigned char)b, (unsigned char)c };

				if (utf8_valid(s, 3) != ref_valid(s, 3))
					wrong++;
			}
	ok(wrong == 0, "all 16777216 three-byte inputs agree with the reference (%ld wrong)", wrong);

	/* four bytes: every lead from E0 up with every second byte, and the
	 * third and fourth from the bytes that sit on the class edges */
	{
		static const unsigned char edge[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
						      0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xf4, 0xff };
		size_t x, y;

		wrong = 0;
		for (a = 0xc0; a < 256; a++)
			for (b = 0; b < 256; b++)
				for (x = 0; x < sizeof(edge); x++)
					for (y = 0; y < sizeof(edge); y++) {
						unsigned char s[4] = { (unsigned char)a, (unsigned char)b,
								       edge[x], edge[y] };

						if (utf8_valid(s, 4) != ref_valid(s, 4))
							wrong++;
					}
		ok(wrong == 0, "four-byte inputs around every class edge agree (%ld wrong)", wrong);
	}

	/* every code point, encoded, is valid; embedded in text too */
	wrong = 0;
	for (a = 0; a <= 0x10FFFF; a++) {
		unsigned char s[6];
		size_t n;

		if (a >= 0xD800 && a <= 0xDFFF)
			continue;
		s[0] = 'x';
		if (a < 0x80) {
			s[1] = (unsigned char)a;
			n = 2;
		} else if (a < 0x800) {
			s[1] = (unsigned char)(0xC0 | a >> 6);
			s[2] = (unsigned char)(0x80 | (a & 0x3F));
			n = 3;
		} else if (a < 0x10000) {
			s[1] = (unsigned char)(0xE0 | a >> 12);
			s[2] = (unsigned char)(0x80 | (a >> 6 & 0x3F));
			s[3] = (unsigned char)(0x80 | (a & 0x3F));
			n = 4;
		} else {
			s[1] = (unsigned char)(0xF0 | a >> 18);
			s[2] = (unsigned char)(0x80 | (a >> 12 & 0x3F));
			s[3] = (unsigned char)(0x80 | (a >> 6 & 0x3F));
			s[4] = (unsigned char)(0x80 | (a & 0x3F));
			n = 5;
		}
		s[n++] = 'y';
		if (!utf8_valid(s, n))
			wrong++;
		/* n - 2 drops 'y' and the last byte of a multibyte sequence */
		if (n > 3 && utf8_valid(s, n - 2))
			wrong++;
	}
	ok(wrong == 0, "every scalar value encodes valid, and cut short invalid (%ld wrong)", wrong);

	/* random mixtures */
	{
		uint64_t r = 88172645463325252ULL;
		unsigned char s[64];
		int k;

		wrong = 0;
		for (k = 0; k < 300000; k++) {
			size_t n = (size_t)(k % 64), j;

			for (j = 0; j < n; j++) {
				r ^= r << 13;
				r ^= r >> 7;
				r ^= r << 17;
				/* mostly ASCII and continuation bytes, so valid runs happen */
				s[j] = (unsigned char)(r % 5 == 0 ? 0x80 | (r >> 8 & 0x3f) : r >> 16);
			}
			if (utf8_valid(s, n) != ref_valid(s, n))
				wrong++;
		}
		ok(wrong == 0, "300000 random strings agree with the reference (%ld wrong)", wrong);
	}
	return tap_done();
}
