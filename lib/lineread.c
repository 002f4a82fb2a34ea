/* lineread.c: lines from gzip or plain input, whatever their length.
 *
 * A second thread reads and inflates into a ring of blocks while the
 * caller parses the previous ones: on two cores the pass costs about
 * max(inflate, parse) instead of their sum. Inflate uses ISA-L's igzip,
 * about twice as fast as zlib on GH Archive hours. A memory source
 * (lr_open_mem) runs the same producer in the caller's thread, one block
 * at a time: no thread, no descriptor, cheap enough to fuzz. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>

#include "gha.h"
#include "gzhdr.h"
#include "inmem.h"
#include "lineread.h"

#define RAWSZ (256 * 1024)
#define BLKSZ (1024 * 1024)
#define NBLK 4

struct block {
	char *p;
	size_t len;
	int full;	/* filled by the producer, not yet released */
	int last;	/* no block follows */
};

struct lineread {
	int fd, own;
	const char *name;
	int gzip;
	/* a memory source, read at most chunk bytes at a time */
	const unsigned char *mem;
	size_t memlen, mempos, chunk;
	size_t rawsz, blksz;
	/* producer side */
	struct inflate_state *zs;
	unsigned char *raw;
	size_t rawlen, rawpos;
	uint64_t rawoff;	/* compressed bytes read from fd */
	uint64_t member;	/* compressed offset where the current member starts */
	int inmember, inhdr;
	struct gzhdr hdr;
	struct gha_err fail;	/* damage or read error, reported after the data */
	/* the ring */
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t filled, freed;
	struct block blk[NBLK];
	int stop;
	/* consumer side */
	int cur;		/* block being read, -1 before the first */
	size_t pos;
	uint64_t blkbase;	/* uncompressed offset of the current block */
	uint64_t delivered;	/* uncompressed bytes handed out as lines */
	int done, reported;
	struct buf carry;	/* a line that spans blocks */
	int carry_out;		/* carry was handed out; clear on next call */
	uint64_t carry_off;
	/* a line over maxline keeps its first keep bytes; the rest is
	 * counted in skip, not stored, so memory stays bounded */
	size_t maxline, keep;
	uint64_t skip;
	char lastc;
	uint64_t lineno;
};

/* read(), but a reader that stops early (a write error) must not wait
 * for a slow or endless input (a pipe, tail -f) to fill a block: wait
 * in poll() and look at the stop flag every 100 ms. */
static ssize_t
cread(struct lineread *lr, void *p, size_t n)
{
	struct pollfd pfd;
	int r;

	if (lr->mem) {
		size_t k = lr->memlen - lr->mempos;

		if (k > n)
			k = n;
		if (k > lr->chunk)
			k = lr->chunk;
		memcpy(p, lr->mem + lr->mempos, k);
		lr->mempos += k;
		return (ssize_t)k;
	}
	pfd.fd = lr->fd;
	pfd.events = POLLIN;
	for (;;) {
		if (__atomic_load_n(&lr->stop, __ATOMIC_RELAXED)) {
			errno = ECANCELED;
			return -1;
		}
		pfd.revents = 0;
		r = poll(&pfd, 1, 100);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 0)
			break;	/* ready, hung up, or an error read() will tell */
	}
	return read(lr->fd, p, n);
}

static int
readraw(struct lineread *lr)
{
	ssize_t n;

	lr->rawpos = 0;
	lr->rawlen = 0;
	do
		n = cread(lr, lr->raw, lr->rawsz);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return gha_seterr(&lr->fail, GHA_IOERR, "%s: read error:", lr->name);
	lr->rawlen = (size_t)n;
	lr->rawoff += (uint64_t)n;
	return n > 0;
}

static const char *
isal_reason(int rc)
{
	switch (rc) {
	case ISAL_INCORRECT_CHECKSUM: return "gzip CRC or length mismatch";
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "unsupported gzip compression method";
	case ISAL_NEED_DICT: return "deflate stream needs a dictionary";
	default: return "corrupt deflate data";
	}
}

static uint64_t
rawat(const struct lineread *lr)
{
	return lr->rawoff - lr->rawlen + lr->rawpos;
}

/* Between gzip members: another member, zero padding, or garbage. */
static int
next_member(struct lineread *lr)
{
	for (;;) {
		if (lr->rawpos >= lr->rawlen) {
			int r = readraw(lr);

			if (r <= 0)
				return r;	/* clean end, or read error */
		}
		if (lr->raw[lr->rawpos] == 0) {
			lr->rawpos++;	/* zero padding some writers leave */
			continue;
		}
		if (lr->raw[lr->rawpos] != 0x1f)
			return gha_seterr(&lr->fail, GHA_DATAERR,
					  "%s: trailing garbage after gzip stream at byte %llu",
					  lr->name, (unsigned long long)rawat(lr));
		lr->inmember = lr->inhdr = 1;
		gzhdr_init(&lr->hdr);
		lr->member = rawat(lr);
		return 1;
	}
}

/* Fill dst[0..cap) as far as the input goes. Returns the length; at the
 * end of input or on damage sets *last (and lr->fail on damage). */
static size_t
produce(struct lineread *lr, char *dst, size_t cap, int *last)
{
	size_t len = 0;

	*last = 0;
	if (!lr->gzip) {
		while (len < cap) {
			ssize_t n;

			if (lr->rawpos < lr->rawlen) {	/* bytes read while sniffing */
				size_t k = lr->rawlen - lr->rawpos;

				if (k > cap - len)
					k = cap - len;
				memcpy(dst + len, lr->raw + lr->rawpos, k);
				lr->rawpos += k;
				len += k;
				continue;
			}
			do
				n = cread(lr, dst + len, cap - len);
			while (n < 0 && errno == EINTR);
			if (n <= 0) {
				if (n < 0)
					gha_seterr(&lr->fail, GHA_IOERR, "%s: read error:", lr->name);
				*last = 1;
				break;
			}
			lr->rawoff += (uint64_t)n;
			len += (size_t)n;
		}
		return len;
	}
	while (len < cap) {
		struct inflate_state *zs = lr->zs;
		int rc, r;

		if (!lr->inmember) {
			r = next_member(lr);
			if (r <= 0) {
				*last = 1;
				break;
			}
		}
		if (lr->rawpos >= lr->rawlen) {
			r = readraw(lr);
			if (r == 0 && lr->inhdr)
				gha_seterr(&lr->fail, GHA_DATAERR,
					   "%s: truncated gzip stream: input ends at byte %llu inside the header of the member starting at byte %llu",
					   lr->name, (unsigned long long)lr->rawoff,
					   (unsigned long long)lr->member);
			else if (r == 0)
				gha_seterr(&lr->fail, GHA_DATAERR,
					   "%s: truncated gzip stream: input ends at byte %llu inside the member starting at byte %llu",
					   lr->name, (unsigned long long)lr->rawoff,
					   (unsigned long long)lr->member);
			if (r <= 0) {
				*last = 1;
				break;
			}
		}
		if (lr->inhdr) {
			const char *why;
			long k = gzhdr_feed(&lr->hdr, lr->raw + lr->rawpos, lr->rawlen - lr->rawpos, &why);

			if (k < 0) {
				gha_seterr(&lr->fail, GHA_DATAERR, "%s: %s in the member at byte %llu",
					   lr->name, why, (unsigned long long)lr->member);
				*last = 1;
				break;
			}
			lr->rawpos += (size_t)k;
			if (!gzhdr_done(&lr->hdr))
				continue;
			lr->inhdr = 0;
			isal_inflate_reset(zs);
			zs->crc_flag = ISAL_GZIP_NO_HDR_VER;
		}
		zs->next_in = lr->raw + lr->rawpos;
		zs->avail_in = (uint32_t)(lr->rawlen - lr->rawpos);
		zs->next_out = (uint8_t *)dst + len;
		zs->avail_out = (uint32_t)(cap - len);
		rc = isal_inflate(zs);
		lr->rawpos = (size_t)(zs->next_in - lr->raw);
		len = (size_t)((char *)zs->next_out - dst);
		if (rc < 0) {
			gha_seterr(&lr->fail, GHA_DATAERR, "%s: %s near byte %llu", lr->name,
				   isal_reason(rc), (unsigned long long)rawat(lr));
			*last = 1;
			break;
		}
		if (zs->block_state == ISAL_BLOCK_FINISH)
			lr->inmember = 0;
	}
	return len;
}

static void *
producer(void *arg)
{
	struct lineread *lr = arg;
	int i = 0, last = 0;

	while (!last) {
		struct block *b = &lr->blk[i];

		pthread_mutex_lock(&lr->mu);
		while (b->full && !lr->stop)
			pthread_cond_wait(&lr->freed, &lr->mu);
		pthread_mutex_unlock(&lr->mu);
		if (lr->stop)
			break;
		b->len = produce(lr, b->p, lr->blksz, &last);
		b->last = last;
		pthread_mutex_lock(&lr->mu);
		b->full = 1;
		pthread_cond_signal(&lr->filled);
		pthread_mutex_unlock(&lr->mu);
		i = (i + 1) % NBLK;
	}
	return NULL;
}

/* Sniff gzip, allocate, and (for a descriptor) start the reader thread. */
static struct lineread *
start(struct lineread *lr, struct gha_err *err)
{
	int i, nblk = lr->mem ? 1 : NBLK;

	lr->raw = xmalloc(lr->rawsz);
	/* the magic bytes decide, not the name */
	while (lr->rawlen < 2) {
		ssize_t n = lr->mem ? cread(lr, lr->raw + lr->rawlen, lr->rawsz - lr->rawlen)
				    : read(lr->fd, lr->raw + lr->rawlen, lr->rawsz - lr->rawlen);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno == EISDIR)
				gha_seterr(err, GHA_NOINPUT, "%s: is a directory", lr->name);
			else
				gha_seterr(err, GHA_IOERR, "%s: read error:", lr->name);
			lr_close(lr);
			return NULL;
		}
		if (n == 0)
			break;
		lr->rawlen += (size_t)n;
		lr->rawoff += (uint64_t)n;
	}
	if (lr->rawlen >= 2 && lr->raw[0] == 0x1f && lr->raw[1] == 0x8b) {
		lr->gzip = 1;
		lr->zs = xmalloc(sizeof(*lr->zs));
		isal_inflate_init(lr->zs);
		lr->inmember = lr->inhdr = 1;
		gzhdr_init(&lr->hdr);
	}
	/* plain bytes in memory fit in a block of their own size */
	if (lr->mem && !lr->gzip && lr->blksz > lr->memlen)
		lr->blksz = lr->memlen ? lr->memlen : 1;
	for (i = 0; i < nblk; i++)
		lr->blk[i].p = xmalloc(lr->blksz);
	buf_init(&lr->carry);
	lr->maxline = LR_MAXLINE;
	lr->keep = LR_KEEP;
	lr->cur = -1;
	if (lr->mem)
		return lr;
	pthread_mutex_init(&lr->mu, NULL);
	pthread_cond_init(&lr->filled, NULL);
	pthread_cond_init(&lr->freed, NULL);
	if (pthread_create(&lr->thread, NULL, producer, lr)) {
		gha_seterr(err, GHA_IOERR, "cannot start the reader thread:");
		lr_close(lr);
		return NULL;
	}
	lr->started = 1;
	return lr;
}

struct lineread *
lr_open(const char *path, struct gha_err *err)
{
	struct lineread *lr = xcalloc(1, sizeof(*lr));

	lr->rawsz = RAWSZ;
	lr->blksz = BLKSZ;
	if (!path || !strcmp(path, "-")) {
		lr->fd = 0;
		lr->name = "<stdin>";
	} else {
		lr->fd = open(path, O_RDONLY);
		lr->name = path;
		lr->own = 1;
		if (lr->fd < 0) {
			gha_seterr(err, errno == ENOENT || errno == EACCES ? GHA_NOINPUT : GHA_IOERR,
				   "cannot open '%s':", path);
			free(lr);
			return NULL;
		}
	}
	return start(lr, err);
}

struct lineread *
lr_open_mem(const void *p, size_t n, const char *name, size_t chunk)
{
	struct lineread *lr = xcalloc(1, sizeof(*lr));
	struct gha_err err;

	lr->fd = -1;
	lr->name = name ? name : "<memory>";
	lr->mem = n ? p : (const unsigned char *)"";
	lr->memlen = n;
	lr->chunk = chunk ? chunk : BLKSZ;
	/* no buffer larger than it needs: raw never holds more than n */
	lr->rawsz = lr->chunk < RAWSZ ? lr->chunk : RAWSZ;
	if (lr->rawsz > n)
		lr->rawsz = n;
	if (lr->rawsz < 2)
		lr->rawsz = 2;	/* room for the magic bytes */
	lr->blksz = lr->chunk < BLKSZ ? lr->chunk : BLKSZ;
	return start(lr, &err);	/* cannot fail: no read error in memory */
}

int
lr_is_gzip(const struct lineread *lr)
{
	return lr->gzip;
}

uint64_t
lr_bytes_in(const struct lineread *lr)
{
	return lr->rawoff;
}

uint64_t
lr_bytes_out(const struct lineread *lr)
{
	return lr->delivered;
}

void
lr_close(struct lineread *lr)
{
	int i;

	if (!lr)
		return;
	if (lr->started) {
		pthread_mutex_lock(&lr->mu);
		__atomic_store_n(&lr->stop, 1, __ATOMIC_RELAXED);
		pthread_cond_broadcast(&lr->freed);
		pthread_mutex_unlock(&lr->mu);
		pthread_join(lr->thread, NULL);
		pthread_mutex_destroy(&lr->mu);
		pthread_cond_destroy(&lr->filled);
		pthread_cond_destroy(&lr->freed);
	}
	if (lr->own)
		close(lr->fd);
	for (i = 0; i < NBLK; i++)
		free(lr->blk[i].p);
	buf_free(&lr->carry);
	free(lr->zs);
	free(lr->raw);
	free(lr);
}

/* Hand the current block back and wait for the next; 0 when none. */
static int
next_block(struct lineread *lr)
{
	int last = 0;

	if (lr->mem) {	/* fill the one block here and now */
		struct block *b = &lr->blk[0];

		if (lr->cur >= 0) {
			lr->blkbase += b->len;
			if (b->last)
				return 0;
		}
		lr->cur = 0;
		b->len = produce(lr, b->p, lr->blksz, &b->last);
		lr->pos = 0;
		return 1;
	}
	pthread_mutex_lock(&lr->mu);
	if (lr->cur >= 0) {
		last = lr->blk[lr->cur].last;
		lr->blkbase += lr->blk[lr->cur].len;
		lr->blk[lr->cur].full = 0;
		pthread_cond_signal(&lr->freed);
	}
	if (last) {
		pthread_mutex_unlock(&lr->mu);
		return 0;
	}
	lr->cur = (lr->cur + 1) % NBLK;
	while (!lr->blk[lr->cur].full)
		pthread_cond_wait(&lr->filled, &lr->mu);
	pthread_mutex_unlock(&lr->mu);
	lr->pos = 0;
	return 1;
}

static void
deliver(struct lineread *lr, struct line *ln, const char *p, size_t len, uint64_t off)
{
	ln->p = p;
	ln->offset = off;
	ln->lineno = ++lr->lineno;
	ln->partial = 0;
	ln->crlf = 0;
	ln->len = len;
	ln->overlong = 0;
	if (len > 0 && p[len - 1] == '\r') {
		ln->len--;
		ln->crlf = 1;
	}
	ln->size = ln->len;
}

/* Add s[0..n) to the carried line. Past maxline bytes only the first
 * keep are kept; the others are counted, so a line of a gigabyte (a
 * gzip bomb inflates to one) costs no more memory than maxline. */
static void
carry_add(struct lineread *lr, const char *s, size_t n)
{
	size_t room;

	if (!n)
		return;
	lr->lastc = s[n - 1];
	if (lr->skip) {
		lr->skip += n;
		return;
	}
	if (lr->carry.len + n <= lr->maxline) {
		buf_add(&lr->carry, s, n);
		return;
	}
	room = lr->carry.len < lr->keep ? lr->keep - lr->carry.len : 0;
	if (room > n)
		room = n;
	buf_add(&lr->carry, s, room);
	lr->skip = n - room;
	if (lr->carry.len > lr->keep) {
		lr->skip += lr->carry.len - lr->keep;
		lr->carry.len = lr->keep;
	}
}

/* Hand out the carried line. */
static void
deliver_carry(struct lineread *lr, struct line *ln)
{
	lr->carry_out = 1;
	deliver(lr, ln, lr->carry.p, lr->carry.len, lr->carry_off);
	if (lr->skip) {	/* its end, CR or not, was not kept */
		ln->len = lr->carry.len;
		ln->crlf = lr->lastc == '\r';
		ln->size = lr->carry.len + lr->skip - (uint64_t)ln->crlf;
		ln->overlong = 1;
	}
}

int
lr_next(struct lineread *lr, struct line *ln, struct gha_err *err)
{
	if (lr->carry_out) {
		lr->carry.len = 0;
		lr->carry_out = 0;
		lr->skip = 0;
	}
	for (;;) {
		if (lr->cur >= 0 && !lr->done) {
			struct block *b = &lr->blk[lr->cur];
			const char *s = b->p + lr->pos;
			size_t avail = b->len - lr->pos;
			const char *nl = avail ? memchr(s, '\n', avail) : NULL;

			if (nl) {
				size_t k = (size_t)(nl - s);
				uint64_t off = lr->blkbase + lr->pos;

				lr->pos += k + 1;
				lr->delivered = lr->blkbase + lr->pos;
				if (lr->carry.len || lr->skip || k > lr->maxline) {
					if (!lr->carry.len && !lr->skip)
						lr->carry_off = off;
					carry_add(lr, s, k);
					deliver_carry(lr, ln);
				} else {
					deliver(lr, ln, s, k, off);
				}
				return 1;
			}
			if (avail) {
				if (!lr->carry.len && !lr->skip)
					lr->carry_off = lr->blkbase + lr->pos;
				carry_add(lr, s, avail);
				lr->pos = b->len;
			}
		}
		if (!lr->done && next_block(lr))
			continue;
		lr->done = 1;
		if (lr->carry.len || lr->skip) {	/* a last line with no newline */
			lr->delivered += lr->carry.len + lr->skip;
			deliver_carry(lr, ln);
			ln->partial = lr->fail.code == GHA_DATAERR;
			return 1;
		}
		if (lr->fail.code && !lr->reported) {
			lr->reported = 1;
			*err = lr->fail;
			return -1;
		}
		return 0;
	}
}

void
lr_set_maxline(struct lineread *lr, size_t maxline, size_t keep)
{
	lr->maxline = maxline ? maxline : 1;
	lr->keep = keep < 1 ? 1 : keep > lr->maxline ? lr->maxline : keep;
}

int
lr_whole(const struct line *ln, const char *name, struct gha_err *err)
{
	if (!ln->overlong)
		return 0;
	return gha_seterr(err, GHA_DATAERR, "%s:%llu: line too long (%llu bytes; at most %u)", name,
			  (unsigned long long)ln->lineno, (unsigned long long)ln->size, LR_MAXLINE);
}
