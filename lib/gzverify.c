/* gzverify.c: a downloaded hour is good only if every gzip member inflates
 * with a correct CRC and length trailer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>

#include "gha.h"

#define INSZ (256 * 1024)
#define OUTSZ (1024 * 1024)

int
gz_verify(const char *path, char sha[65], uint64_t *usize, struct gha_err *err)
{
	struct inflate_state *zs = xmalloc(sizeof(*zs));
	unsigned char *in = xmalloc(INSZ), *out = xmalloc(OUTSZ);
	struct sha256 h;
	uint64_t off = 0;	/* compressed bytes before in[0] */
	size_t len = 0, pos = 0;
	int fd, state = 0, rc = -1;	/* state 0: between members; 1: header; 2: data */
	struct gzhdr hdr;

	*usize = 0;
	sha256_init(&h);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		gha_seterr(err, errno == ENOENT ? GHA_NOINPUT : GHA_IOERR, "cannot open '%s':", path);
		goto out;
	}
	for (;;) {
		if (pos == len) {
			ssize_t n;

			off += len;
			do
				n = read(fd, in, INSZ);
			while (n < 0 && errno == EINTR);
			if (n < 0) {
				gha_seterr(err, GHA_IOERR, "%s: read error:", path);
				goto out;
			}
			len = (size_t)n;
			pos = 0;
			sha256_update(&h, in, len);
			if (n == 0) {
				if (state != 0)
					gha_seterr(err, GHA_DATAERR,
						   "%s: truncated gzip stream at byte %llu", path,
						   (unsigned long long)off);
				else if (off == 0)
					gha_seterr(err, GHA_DATAERR, "%s: empty file, not gzip", path);
				else
					rc = 0;
				goto out;
			}
		}
		if (state == 0) {
			if (in[pos] == 0 && off + pos > 0) {	/* zero padding after a member */
				pos++;
				continue;
			}
			if (in[pos] != 0x1f) {
				gha_seterr(err, GHA_DATAERR, "%s: %s at byte %llu", path,
					   off + pos ? "trailing garbage after gzip data" : "not gzip",
					   (unsigned long long)(off + pos));
				goto out;
			}
			gzhdr_init(&hdr);
			state = 1;
		}
		if (state == 1) {
			const char *why;
			long k = gzhdr_feed(&hdr, in + pos, len - pos, &why);

			if (k < 0) {
				gha_seterr(err, GHA_DATAERR, "%s: %s near byte %llu", path, why,
					   (unsigned long long)(off + pos));
				goto out;
			}
			pos += (size_t)k;
			if (!gzhdr_done(&hdr))
				continue;
			isal_inflate_init(zs);
			zs->crc_flag = ISAL_GZIP_NO_HDR_VER;
			state = 2;
		}
		zs->next_in = in + pos;
		zs->avail_in = (uint32_t)(len - pos);
		do {
			int r;

			zs->next_out = out;
			zs->avail_out = OUTSZ;
			r = isal_inflate(zs);
			*usize += OUTSZ - zs->avail_out;
			if (r < 0) {
				gha_seterr(err, GHA_DATAERR, "%s: corrupt gzip data near byte %llu%s", path,
					   (unsigned long long)(off + (size_t)(zs->next_in - in)),
					   r == ISAL_INCORRECT_CHECKSUM ? " (CRC or length mismatch)" : "");
				goto out;
			}
		} while (zs->avail_out == 0 && zs->block_state != ISAL_BLOCK_FINISH);
		pos = (size_t)(zs->next_in - in);
		if (zs->block_state == ISAL_BLOCK_FINISH)
			state = 0;
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		sha256_hex(&h, sha);
	free(zs);
	free(in);
	free(out);
	return rc;
}
