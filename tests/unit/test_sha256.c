/* test_sha256.c: SHA-256 (libcrypto behind lib/sha256.c) against the FIPS
 * 180-2 / NIST examples, every length around the padding edges against
 * sha256sum(1), and split updates against one-shot hashing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "sha256.h"
#include "tap.h"

static void
hex_of(const void *p, size_t n, char out[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, p, n);
	sha256_hex(&s, out);
}

static void
vec(const char *msg, const char *want, const char *what)
{
	char out[65];

	memset(out, 'X', sizeof(out));
	hex_of(msg, strlen(msg), out);
	ok(!strcmp(out, want), "sha256 %s", what);
}

int
main(void)
{
	char out[65], out2[65];
	size_t i;
	int bad;

	vec("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "of nothing");
	vec("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "of abc");
	vec("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "of the 448-bit message");
	vec("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", "of the 896-bit message");
	{
		char *m = malloc(1000000);
		struct sha256 s;

		memset(m, 'a', 1000000);
		hex_of(m, 1000000, out);
		ok(!strcmp(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
		   "sha256 of a million a");
		/* the same in pieces of 1, 63, 64, 65 ... bytes */
		sha256_init(&s);
		for (i = 0; i < 1000000;) {
			size_t k = (i * 7 + 1) % 200;

			if (k > 1000000 - i)
				k = 1000000 - i;
			sha256_update(&s, m + i, k);
			i += k;
		}
		sha256_hex(&s, out2);
		ok(!strcmp(out, out2), "in uneven pieces, the same");
		free(m);
	}

	/* lengths 0..200 against sha256sum(1) */
	{
		unsigned char buf[200];
		char path[] = "/tmp/gha-test-sha-XXXXXX", cmd[200], want[80];
		FILE *fp, *p;
		int fd = mkstemp(path);

		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)(i * 131 + 7);
		bad = 0;
		if (fd < 0 || system("command -v sha256sum >/dev/null 2>&1") != 0) {
			ok(1, "# SKIP sha256sum not available");
		} else {
			for (i = 0; i <= sizeof(buf); i++) {
				fp = fopen(path, "wb");
				fwrite(buf, 1, i, fp);
				fclose(fp);
				snprintf(cmd, sizeof(cmd), "sha256sum < '%s'", path);
				p = popen(cmd, "r");
				if (!p || !fgets(want, sizeof(want), p)) {
					bad++;
					if (p)
						pclose(p);
					continue;
				}
				pclose(p);
				want[64] = '\0';
				hex_of(buf, i, out);
				if (strcmp(out, want))
					bad++;
			}
			ok(bad == 0, "every length 0..200 agrees with sha256sum (%d wrong)", bad);
		}
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
	}

	/* splitting a message anywhere gives the same digest */
	{
		unsigned char m[300];

		for (i = 0; i < sizeof(m); i++)
			m[i] = (unsigned char)(255 - i);
		hex_of(m, sizeof(m), out);
		bad = 0;
		for (i = 0; i <= sizeof(m); i++) {
			struct sha256 s;

			sha256_init(&s);
			sha256_update(&s, m, i);
			sha256_update(&s, m + i, 0);
			sha256_update(&s, m + i, sizeof(m) - i);
			sha256_hex(&s, out2);
			if (strcmp(out, out2))
				bad++;
		}
		ok(bad == 0, "every split point of 300 bytes gives the same digest");
		ok(strlen(out) == 64 && strspn(out, "0123456789abcdef") == 64, "lower-case hex, 64 digits");
	}
	return tap_done();
}
