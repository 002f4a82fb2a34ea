/* fetch.c: the transfer engine of gha-fetch: libcurl's multi interface
 * runs up to jobs transfers at once; each hour is downloaded to NAME.part,
 * resumed with a validated Range request where the server allows, checked
 * (status, length, every gzip member's CRC and size) and only then renamed
 * to its final name. Temporary failures retry with exponential backoff and
 * jitter, honouring Retry-After. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gha.h"
#include "fetch.h"
#include "gz.h"
#include "httphdr.h"
#include "ledger.h"
#include "tempfile.h"
#include "timefmt.h"
#include "marker.h"

/* One transfer: the state of an hour while its request runs, in one of
 * o.jobs slots reused hour after hour, so memory follows -j, not the
 * length of the range. */
struct fetch_job {
	struct fetch_hour *h;	/* NULL: a free slot */
	char name[32];
	char *final, *part, *meta;
	CURL *easy;		/* kept for the next hour of the slot */
	FILE *fp;
	int64_t resume, range_start;
	int started_body, discard, badrange, badgz, werr;
	char etag[256], lastmod[64], detail[256];
	char resume_etag[256];	/* the validator the .part was resumed with */
	struct curl_slist *hdrs;
	uint64_t got;
	struct gzcheck chk;	/* fed as bytes arrive; buffers made on first use */
	int chk_ready;
};

static struct fetch_opts o;
static char shown_base[2048];	/* the base URL with credentials hidden */
static int tty;
static uint64_t total_bytes;
static double t_start;
static int ledger_failed;	/* a ledger line not written: exit 74 */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* URLs in messages without any user:password@ */
void
redact(const char *url, char *out, size_t n)
{
	const char *s = strstr(url, "://"), *at, *slash;

	if (s && (at = strchr(s + 3, '@')) && (!(slash = strchr(s + 3, '/')) || at < slash))
		snprintf(out, n, "%.*s***@%s", (int)(s + 3 - url), url, at + 1);
	else
		snprintf(out, n, "%s", url);
}

static void
clean(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			*s = ' ';
}

static void
ledger(struct fetch_job *j, const char *status, long http, const char *sha)
{
	struct ledger_rec r;
	struct gha_err err;

	if (o.no_ledger)
		return;	/* -O: a private directory, no ledger */
	memset(&r, 0, sizeof(r));
	r.hour = j->name;
	r.status = status;
	r.http = http;
	r.bytes = j->got;
	r.attempt = j->h->attempts;
	snprintf(r.sha256, sizeof(r.sha256), "%s", sha ? sha : "");
	snprintf(r.etag, sizeof(r.etag), "%s", j->etag);
	snprintf(r.lastmod, sizeof(r.lastmod), "%s", j->lastmod);
	snprintf(r.detail, sizeof(r.detail), "%s", j->detail);
	clean(r.etag);
	clean(r.lastmod);
	clean(r.detail);
	if (ledger_append(o.dir, &r, &err)) {
		gha_warn("%s", err.msg);
		ledger_failed = 1;
	}
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct fetch_job *j = ud;

	http_header(p, size * n, j->etag, sizeof(j->etag), j->lastmod, sizeof(j->lastmod),
		    &j->range_start);
	return size * n;
}

/* -vv: libcurl's trace, headers included, but never a credential */
static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
	static const char mark[] = { [CURLINFO_TEXT] = '*', [CURLINFO_HEADER_IN] = '<',
				     [CURLINFO_HEADER_OUT] = '>' };
	const struct fetch_job *j = ud;
	const char *p = data, *end = data + size;

	(void)h;
	if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		while (len && (p[len - 1] == '\r' || p[len - 1] == '\n'))
			len--;
		if (len) {
			const char *hide = "";

			if ((len >= 14 && !strncasecmp(p, "Authorization:", 14)) ||
			    (len >= 20 && !strncasecmp(p, "Proxy-Authorization:", 20))) {
				len = (size_t)((const char *)memchr(p, ':', len) - p) + 1;
				hide = " ***";
			}
			fprintf(stderr, "%s: %s: %c %.*s%s\n", gha_progname, j->name, mark[type],
				(int)len, p, hide);
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* resume validators beside the .part, so a rerun after kill -9 can resume */
static void
save_meta(struct fetch_job *j)
{
	FILE *fp = fopen(j->meta, "w");
	int bad;

	if (!fp)
		return;
	bad = fprintf(fp, "%s\n%s\n", j->etag, j->lastmod) < 0;
	if (fclose(fp) == EOF || bad)
		unlink(j->meta);	/* a cut validator could pass If-Range: none, start over */
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct fetch_job *j = ud;
	size_t len = size * n;

	if (!j->started_body) {
		long code = 0;

		j->started_body = 1;
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
		/* error pages never reach the .part */
		j->discard = code != 0 && code != 200 && code != 206;
		if (!j->discard) {
			/* not the part we asked for, or of another file (a server
			 * that ignores If-Range) */
			if (code == 206 && (j->range_start != j->resume ||
					    (j->resume_etag[0] && j->etag[0] &&
					     strcmp(j->resume_etag, j->etag)))) {
				j->badrange = 1;
				return 0;
			}
			/* the server sent it all again; file:// (code 0) never
			 * does ranges, so a whole .part got a second copy appended,
			 * and two gzip members pass the check */
			if ((code == 200 || code == 0) && j->resume > 0) {
				if (ftruncate(fileno(j->fp), 0) < 0) {
					j->werr = errno;
					return 0;
				}
				fseek(j->fp, 0, SEEK_SET);
				j->resume = 0;
				gzcheck_reset(&j->chk);
			}
			if (j->etag[0] || j->lastmod[0])
				save_meta(j);
		}
	}
	if (j->discard)
		return len;
	if (fwrite(p, 1, len, j->fp) != len) {
		j->werr = errno;	/* the message comes later: errno will not last */
		return 0;	/* CURLE_WRITE_ERROR */
	}
	/* verify while downloading: a bad stream stops the transfer now */
	if (gzcheck_feed(&j->chk, p, len) < 0) {
		j->badgz = 1;
		return 0;
	}
	j->got += len;
	total_bytes += len;
	return len;
}

static off_t
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static void
read_meta(struct fetch_job *j, char *etag, size_t en, char *lastmod, size_t ln)
{
	FILE *fp = fopen(j->meta, "r");

	etag[0] = lastmod[0] = '\0';
	if (!fp)
		return;
	if (fgets(etag, (int)en, fp))
		etag[strcspn(etag, "\r\n")] = '\0';
	if (fgets(lastmod, (int)ln, fp))
		lastmod[strcspn(lastmod, "\r\n")] = '\0';
	fclose(fp);
}

/* The bytes of an interrupted download go through the check first: -1
 * when they cannot be read or are not the start of good gzip data (then
 * the hour starts over instead of appending to bad bytes). */
static int
feed_part(struct fetch_job *j)
{
	FILE *fp = fopen(j->part, "rb");
	char buf[65536];
	size_t k;
	int bad = 0;

	if (!fp)
		return -1;
	while (!bad && (k = fread(buf, 1, sizeof(buf), fp)) > 0)
		bad = gzcheck_feed(&j->chk, buf, k) < 0;
	if (bad && o.verbose)
		gha_warn("%s: the .part is not good gzip data: starting over", j->name);
	bad |= ferror(fp);
	fclose(fp);
	return bad ? -1 : 0;
}

/* A cheap look at a file already present: gzip magic and room for a
 * header and trailer. Verifying it all would cost a second per hour. */
static int
looks_gzip(const char *path)
{
	unsigned char m[2];
	FILE *fp = fopen(path, "rb");
	int ok;

	if (!fp)
		return 0;
	ok = fread(m, 1, 2, fp) == 2 && m[0] == 0x1f && m[1] == 0x8b;
	fclose(fp);
	return ok && file_size(path) >= 20;
}

/* An option libcurl must take: a libcurl without it (too old, built
 * without a feature) would quietly do something else, such as follow a
 * redirect to a scheme we refuse. */
#define SETOPT(opt, val)                                                              \
	do {                                                                          \
		CURLcode c_ = curl_easy_setopt(j->easy, opt, val);                    \
		if (c_ != CURLE_OK) {                                                 \
			gha_warn("%s: libcurl refuses option %s: %s", j->name, #opt,  \
				 curl_easy_strerror(c_));                             \
			goto libcurl_failed;                                          \
		}                                                                     \
	} while (0)

/* DIR/HOUR.dropped: make ingest KEEP_RAW=0 removed the hour's file once
 * its bronze was made and read back; it is not fetched again */
static int
drop_marked(const char *name)
{
	char *mk = joinpath(o.dir, name, ".dropped");
	int yes = access(mk, F_OK) == 0;

	free(mk);
	return yes;
}

/* 0: started; 1: nothing to do (present, or recorded missing); -1: failed
 * before a request (the result says why) */
static int
start(CURLM *multi, struct fetch_job *j)
{
	char url[2048], etag[256], lastmod[64], hdr[400];
	off_t have;
	CURLMcode mc;

	if (!o.refresh && access(j->final, F_OK) == 0) {
		if (looks_gzip(j->final)) {
			j->h->result = FETCH_PRESENT;
			return 1;
		}
		/* not ours (only verified files get the name): fetch it again */
		gha_warn("%s: '%s' is there but is not gzip: downloading it again", j->name,
			 j->final);
	} else if (!o.refresh && drop_marked(j->name)) {
		j->h->result = FETCH_DROPPED;
		return 1;
	} else if (o.mark_missing) {
		char *mk = joinpath(o.dir, j->name, ".missing");
		int same = marker_matches(mk, shown_base);

		free(mk);
		if (same) {
			j->h->result = FETCH_MARKED;
			return 1;
		}
	}
	if (!j->chk_ready) {
		gzcheck_init(&j->chk);
		j->chk_ready = 1;
	}
	if (!j->easy && !(j->easy = curl_easy_init())) {
		gha_warn("%s: cannot make a libcurl handle", j->name);
		j->h->result = FETCH_LIBCURL;
		return -1;
	}
	curl_easy_reset(j->easy);
	{
		/* never through a link planted at the .part's known name */
		int fd = open(j->part, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0666);

		j->fp = fd >= 0 ? fdopen(fd, "ab") : NULL;
		if (!j->fp && fd >= 0) {
			int e = errno;

			close(fd);
			errno = e;	/* for the message below */
		}
	}
	if (!j->fp) {
		gha_warn("cannot open '%s':", j->part);
		j->h->result = FETCH_LOCAL;
		return -1;
	}
	j->got = 0;
	j->started_body = j->discard = j->badrange = j->badgz = j->werr = 0;
	j->etag[0] = j->lastmod[0] = '\0';
	j->resume_etag[0] = '\0';
	j->range_start = -1;
	j->detail[0] = '\0';
	j->resume = 0;
	j->hdrs = NULL;
	snprintf(url, sizeof(url), "%s/%s.json.gz", o.base, j->name);
	SETOPT(CURLOPT_URL, url);
	SETOPT(CURLOPT_PRIVATE, j);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, j);
	SETOPT(CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(CURLOPT_HEADERDATA, j);
	SETOPT(CURLOPT_USERAGENT, "gha-fetch/" GHA_VERSION);
	SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
	SETOPT(CURLOPT_MAXREDIRS, 5L);
	/* a libcurl without HTTP/2 says no: HTTP/1.1 does as well */
	curl_easy_setopt(j->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	SETOPT(CURLOPT_CONNECTTIMEOUT, o.connect_timeout);
	SETOPT(CURLOPT_TIMEOUT, o.timeout);
	SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1024L);
	SETOPT(CURLOPT_LOW_SPEED_TIME, o.stall);
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https,file");
	/* an https mirror never sends us to plain http */
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, strncasecmp(o.base, "https:", 6) ? "http,https" : "https");
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (o.cacert)
		SETOPT(CURLOPT_CAINFO, o.cacert);
	if (j->h->attempts > 0)	/* a retry never reuses the connection that failed */
		SETOPT(CURLOPT_FRESH_CONNECT, 1L);
	if (o.verbose > 1) {
		curl_easy_setopt(j->easy, CURLOPT_VERBOSE, 1L);
		curl_easy_setopt(j->easy, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(j->easy, CURLOPT_DEBUGDATA, j);
	}
	have = file_size(j->part);
	read_meta(j, etag, sizeof(etag), lastmod, sizeof(lastmod));
	gzcheck_reset(&j->chk);
	if (have > 0 && (etag[0] || lastmod[0]) && feed_part(j) == 0) {
		/* resume, but only if the file upstream is the same one */
		/* our own Range header: libcurl's resume fails outright on a 200,
		 * where we can simply start over in the same request */
		j->resume = have;
		if (etag[0] && etag[0] != 'W')
			snprintf(j->resume_etag, sizeof(j->resume_etag), "%s", etag);
		snprintf(hdr, sizeof(hdr), "Range: bytes=%lld-", (long long)have);
		j->hdrs = curl_slist_append(j->hdrs, hdr);
		snprintf(hdr, sizeof(hdr), "If-Range: %s", etag[0] ? etag : lastmod);
		j->hdrs = curl_slist_append(j->hdrs, hdr);
		snprintf(j->detail, sizeof(j->detail), "resume from %lld", (long long)have);
	} else if (have > 0) {
		gzcheck_reset(&j->chk);
		if (ftruncate(fileno(j->fp), 0) < 0) {
			gha_warn("cannot truncate '%s':", j->part);
			fclose(j->fp);
			j->fp = NULL;
			j->h->result = FETCH_LOCAL;
			return -1;
		}
	}
	if (o.refresh && access(j->final, F_OK) == 0 &&
	    ledger_last_ok(o.dir, j->name, etag, lastmod)) {
		if (etag[0]) {
			snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
			j->hdrs = curl_slist_append(j->hdrs, hdr);
		}
		if (lastmod[0]) {
			snprintf(hdr, sizeof(hdr), "If-Modified-Since: %s", lastmod);
			j->hdrs = curl_slist_append(j->hdrs, hdr);
		}
	}
	if (j->hdrs)
		SETOPT(CURLOPT_HTTPHEADER, j->hdrs);
	mc = curl_multi_add_handle(multi, j->easy);
	if (mc != CURLM_OK) {
		/* not added, so never finished: fail the hour now, or the run
		 * would wait for it forever */
		gha_warn("%s: cannot start the transfer: %s", j->name, curl_multi_strerror(mc));
		goto libcurl_failed;
	}
	j->h->attempts++;
	j->h->state = FETCH_ACTIVE;
	return 0;

libcurl_failed:
	curl_slist_free_all(j->hdrs);
	j->hdrs = NULL;
	fclose(j->fp);
	j->fp = NULL;
	j->h->result = FETCH_LIBCURL;
	return -1;
}
#undef SETOPT

static int
retryable(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_RANGE_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	/* garbage left on a reused connection reads as a bad status line:
	 * the retry goes out on a fresh connection */
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;
	}
}

static void
schedule_retry(struct fetch_job *j, double retry_after)
{
	/* exponential backoff with jitter: 0.5..1 of min(60, 2^attempt) s */
	double wait = fmin(60.0, 0.5 * pow(2.0, j->h->attempts - 1));

	wait *= 0.5 + 0.5 * ((double)rand() / RAND_MAX);
	if (retry_after > wait)
		wait = fmin(retry_after, 600.0);
	j->h->next_at = now() + wait;
	j->h->state = FETCH_PENDING;
}

static void
unlock(struct fetch_hour *h)
{
	if (h->lockfd >= 0) {
		close(h->lockfd);
		h->lockfd = -1;
	}
}

static void
hour_done(struct fetch_hour *h, int result)
{
	h->result = (unsigned char)result;
	h->state = FETCH_DONE;
	unlock(h);
}

static void
done(struct fetch_job *j, int result)
{
	hour_done(j->h, result);
}

/* What a finished transfer was, and what to do about it: finish()
 * classifies (filling j->detail), the table says what follows. */
enum outcome {
	O_BADRANGE,	/* a 206 for other bytes than asked */
	O_BADGZ,	/* the stream failed its check while it came */
	O_WRITE,	/* the .part could not be written */
	O_MISSING,	/* 404 or 410 (file://: no such file) */
	O_NOTMOD,	/* 304: the hour we have is current */
	O_BUSY,		/* 429 or 5xx */
	O_416,		/* nothing past the .part's end: it may be whole */
	O_HTTPFAIL,	/* another HTTP status */
	O_RANGEERR,	/* the server cannot do ranges: start over */
	O_NETRETRY,	/* a libcurl error worth retrying */
	O_NETFAIL,	/* a libcurl error that is not */
	O_SHORT,	/* fewer bytes than Content-Length */
	O_BODY		/* a whole body: verify it */
};
enum next { N_DONE, N_RETRY, N_VERIFY };
struct action {
	unsigned drop_part : 1, drop_meta : 1;	/* remove the .part, its validators */
	unsigned warn : 1;			/* say so on stderr */
	const char *more;			/* after the detail in that message */
	enum next next;
	const char *ledger;			/* N_DONE: the ledger's status */
	int result;				/* N_DONE: the hour's result */
};
static const struct action actions[] = {
	[O_BADRANGE] = { 1, 1, 0, "", N_RETRY, NULL, 0 },
	[O_BADGZ] = { 0, 0, 0, "", N_VERIFY, NULL, 0 },
	[O_WRITE] = { 0, 0, 1, "", N_DONE, "error", FETCH_LOCAL },
	[O_MISSING] = { 1, 1, 0, "", N_DONE, "missing", FETCH_MISSING },
	[O_NOTMOD] = { 1, 0, 0, "", N_DONE, "not-modified", FETCH_NOTMOD },
	[O_BUSY] = { 0, 0, 0, "", N_RETRY, NULL, 0 },
	[O_416] = { 0, 0, 0, "", N_VERIFY, NULL, 0 },
	[O_HTTPFAIL] = { 1, 1, 1, " from the server", N_DONE, "failed", FETCH_HTTP },
	[O_RANGEERR] = { 1, 1, 0, "", N_RETRY, NULL, 0 },
	[O_NETRETRY] = { 0, 0, 0, "", N_RETRY, NULL, 0 },
	[O_NETFAIL] = { 0, 0, 1, "", N_DONE, "failed", FETCH_HTTP },
	[O_SHORT] = { 0, 0, 0, "", N_RETRY, NULL, 0 },
	[O_BODY] = { 0, 0, 0, "", N_VERIFY, NULL, 0 },
};

static enum outcome
classify(struct fetch_job *j, CURLcode code, long http, curl_off_t clen, int bad_close)
{
	if (j->badrange) {
		snprintf(j->detail, sizeof(j->detail), "206 for bytes %lld- when %lld- was asked",
			 (long long)j->range_start, (long long)j->resume);
		return O_BADRANGE;
	}
	if (j->badgz)
		return O_BADGZ;	/* the check reports what is wrong */
	if (bad_close || code == CURLE_WRITE_ERROR) {
		snprintf(j->detail, sizeof(j->detail), "write error on %s: %s", j->part,
			 j->werr ? strerror(j->werr) : "libcurl could not write");
		return O_WRITE;
	}
	if ((code == CURLE_OK && (http == 404 || http == 410)) ||
	    code == CURLE_FILE_COULDNT_READ_FILE) {	/* file:// has no 404 */
		j->detail[0] = '\0';
		return O_MISSING;
	}
	if (code == CURLE_OK && http == 304)
		return O_NOTMOD;
	if (code == CURLE_OK && (http == 429 || http >= 500)) {
		snprintf(j->detail, sizeof(j->detail), "HTTP %ld", http);
		return O_BUSY;
	}
	if (code == CURLE_OK && http == 416 && j->resume > 0) {
		/* killed between the last byte and the rename, say */
		snprintf(j->detail, sizeof(j->detail), "HTTP 416 at %lld: the .part is whole?",
			 (long long)j->resume);
		j->got = 0;
		return O_416;
	}
	if (code == CURLE_OK && http != 0 && http != 200 && http != 206) {
		snprintf(j->detail, sizeof(j->detail), "HTTP %ld", http);
		return O_HTTPFAIL;
	}
	if (code != CURLE_OK) {
		snprintf(j->detail, sizeof(j->detail), "%s", curl_easy_strerror(code));
		if (code == CURLE_RANGE_ERROR)
			return O_RANGEERR;
		return retryable(code) ? O_NETRETRY : O_NETFAIL;
	}
	if (clen >= 0 && (uint64_t)clen != j->got) {
		snprintf(j->detail, sizeof(j->detail), "got %llu of %lld bytes",
			 (unsigned long long)j->got, (long long)clen);
		return O_SHORT;
	}
	return O_BODY;
}

/* A temporary failure: try again later, or give up after --retries. */
static void
retry_or_give_up(struct fetch_job *j, long http, curl_off_t ra)
{
	if (j->h->attempts > o.retries) {
		gha_warn("%s: giving up after %d attempt%s: %s", j->name, j->h->attempts,
			 j->h->attempts > 1 ? "s" : "", j->detail);
		ledger(j, "failed", http, NULL);
		done(j, FETCH_TEMP);
		return;
	}
	if (o.verbose)
		gha_warn("%s: %s; retrying", j->name, j->detail);
	ledger(j, "retry", http, NULL);
	schedule_retry(j, (double)ra);
}

/* A body came: check the gzip stream end to end, then give the hour its
 * final name. */
static void
verify_and_land(struct fetch_job *j, long http)
{
	char sha[65];
	uint64_t usize;
	struct gha_err err;

	if (gzcheck_finish(&j->chk, sha, &usize, &err)) {
		/* a bad body is not resumable: the next try starts over */
		snprintf(j->detail, sizeof(j->detail), "%s", err.msg);
		unlink(j->part);
		unlink(j->meta);
		if (err.code == GHA_DATAERR && j->h->attempts <= o.retries) {
			ledger(j, "retry", http, NULL);
			schedule_retry(j, 0);
			return;
		}
		gha_warn("%s: %s", j->name, j->detail);
		ledger(j, err.code == GHA_DATAERR ? "corrupt" : "error", http, NULL);
		done(j, err.code == GHA_DATAERR ? FETCH_CORRUPT : FETCH_LOCAL);
		return;
	}
	j->got = (uint64_t)file_size(j->part);
	/* verified whole, the .part needs no validators to resume: they go
	 * first, so a kill -9 after the rename leaves the hour and nothing
	 * else (a present hour is never fetched again to sweep them) */
	unlink(j->meta);
	/* fsync the hour, rename, fsync the directory: after a power loss
	 * the final name holds the whole verified hour or is not there */
	if (durable_rename(j->part, j->final, &err)) {
		snprintf(j->detail, sizeof(j->detail), "%s", err.msg);
		gha_warn("%s: %s", j->name, j->detail);
		ledger(j, "error", http, NULL);
		done(j, FETCH_LOCAL);
		return;
	}
	snprintf(j->detail, sizeof(j->detail), "%llu bytes uncompressed", (unsigned long long)usize);
	ledger(j, "ok", http, sha);
	if (o.verbose)
		gha_warn("%s: ok, %llu bytes in %d attempt%s", j->name, (unsigned long long)j->got,
			 j->h->attempts, j->h->attempts > 1 ? "s" : "");
	done(j, FETCH_OK);
}

static void
finish(CURLM *multi, struct fetch_job *j, CURLcode code)
{
	long http = 0;
	curl_off_t ra = 0, clen = -1;
	int bad_close;
	const struct action *a;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &ra);
	curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
	curl_multi_remove_handle(multi, j->easy);
	curl_slist_free_all(j->hdrs);
	j->hdrs = NULL;
	bad_close = fclose(j->fp) != 0;
	if (bad_close && !j->werr)
		j->werr = errno;
	j->fp = NULL;
	a = &actions[classify(j, code, http, clen, bad_close)];
	if (a->drop_part)
		unlink(j->part);
	if (a->drop_meta)
		unlink(j->meta);
	switch (a->next) {
	case N_RETRY:
		retry_or_give_up(j, http, ra);
		break;
	case N_VERIFY:
		verify_and_land(j, http);
		break;
	case N_DONE:
		if (a->warn)
			gha_warn("%s: %s%s", j->name, j->detail, a->more);
		if (a->result == FETCH_MISSING && hour_known_missing(j->h->hour)) {
			ledger(j, "known-missing", http, NULL);
			done(j, FETCH_KNOWN);
		} else {
			ledger(j, a->ledger, http, NULL);
			done(j, a->result);
		}
		break;
	}
}

/* Another gha-fetch may be on this hour: take its lock or wait a turn. */
static int
lock_hour(struct fetch_hour *h, const char *name)
{
	char *path = joinpath(o.dir, ".locks/", name);

	h->lockfd = open(path, O_RDWR | O_CREAT, 0644);
	if (h->lockfd < 0) {
		gha_warn("cannot open lock '%s':", path);
		free(path);
		return -1;
	}
	free(path);
	if (flock(h->lockfd, LOCK_EX | LOCK_NB) < 0) {
		close(h->lockfd);
		h->lockfd = -1;
		return 1;
	}
	return 0;
}

static void
progress(size_t d, size_t n, int final)
{
	double el = now() - t_start, rate;

	if (!tty || o.quiet)
		return;
	rate = el > 0 ? (double)total_bytes / el : 0;
	fprintf(stderr, "\r%s: %zu/%zu hours, %.1f MB, %.1f MB/s", gha_progname, d, n,
		(double)total_bytes / 1e6, rate / 1e6);
	if (d > 0 && d < n)
		fprintf(stderr, ", ETA %.0f s", el / (double)d * (double)(n - d));
	fputs(final ? "\n" : "   ", stderr);
}

char *
joinpath(const char *dir, const char *a, const char *b)
{
	struct buf p;

	buf_init(&p);
	buf_printf(&p, "%s/%s%s", dir, a, b);
	return p.p;
}

/* put hour h in the free slot j */
static void
slot_take(struct fetch_job *j, struct fetch_hour *h)
{
	j->h = h;
	hour_format(h->hour, j->name);
	j->final = joinpath(o.dir, j->name, ".json.gz");
	j->part = joinpath(o.dir, j->name, ".json.gz.part");
	j->meta = joinpath(o.dir, j->name, ".json.gz.part.meta");
}

static void
slot_release(struct fetch_job *j)
{
	free(j->final);
	free(j->part);
	free(j->meta);
	j->final = j->part = j->meta = NULL;
	j->h = NULL;
}

/* Try to start hour h: 0 a transfer runs, 1 it must wait (its lock is
 * busy), -1 it is done already (present, recorded missing, or failed). */
static int
try_hour(CURLM *multi, struct fetch_job *slots, struct fetch_hour *h, double t)
{
	char name[32];
	struct fetch_job *j = slots;
	int r;

	if (h->lockfd < 0) {
		hour_format(h->hour, name);
		r = lock_hour(h, name);
		if (r < 0) {
			hour_done(h, FETCH_LOCAL);
			return -1;
		}
		if (r > 0) {	/* another run has it: look again soon */
			h->next_at = t + 0.2;
			return 1;
		}
	}
	while (j->h)	/* the caller saw a free slot */
		j++;
	slot_take(j, h);
	r = start(multi, j);
	if (r != 0) {
		hour_done(h, h->result);
		slot_release(j);
		return -1;
	}
	return 0;
}

int
fetch_run(const struct fetch_opts *opts, struct fetch_hour *hours, size_t n)
{
	CURLM *multi;
	struct fetch_job *slots;
	/* hours started and not done: the active ones and those waiting for
	 * a retry or a lock, each holding a lock file descriptor; at most
	 * twice -j, so neither memory nor descriptors follow the range */
	size_t *waiting, nwait = 0, cap, next = 0, ndone = 0, i, k;
	long active = 0;
	double last = 0;

	o = *opts;
	redact(o.base, shown_base, sizeof(shown_base));
	multi = curl_multi_init();
	if (!multi) {
		gha_warn("cannot initialise libcurl's multi interface");
		return -1;
	}
	tty = isatty(2);
	total_bytes = 0;
	curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, o.jobs);
	slots = xcalloc((size_t)o.jobs, sizeof(*slots));
	cap = (size_t)o.jobs * 2;
	waiting = xcalloc(cap, sizeof(*waiting));
	t_start = now();
	while (ndone < n) {
		int still, q, finished = 0;
		CURLMsg *m;
		double t = now(), wake = t + 1.0;

		/* first the hours whose wait is over, then new ones, in order */
		for (k = 0; k < nwait && active < o.jobs;) {
			struct fetch_hour *h = &hours[waiting[k]];
			int r;

			if (h->next_at > t) {
				if (h->next_at < wake)
					wake = h->next_at;
				k++;
				continue;
			}
			r = try_hour(multi, slots, h, t);
			if (r > 0) {
				if (h->next_at < wake)
					wake = h->next_at;
				k++;
				continue;
			}
			waiting[k] = waiting[--nwait];
			if (r == 0)
				active++;
			else
				ndone++;
		}
		while (next < n && active < o.jobs && (size_t)active + nwait < cap) {
			struct fetch_hour *h = &hours[next++];
			int r = try_hour(multi, slots, h, t);

			if (r == 0) {
				active++;
			} else if (r > 0) {
				waiting[nwait++] = (size_t)(h - hours);
				if (h->next_at < wake)
					wake = h->next_at;
			} else {
				ndone++;
			}
		}
		curl_multi_perform(multi, &still);
		while ((m = curl_multi_info_read(multi, &q))) {
			struct fetch_job *j;
			struct fetch_hour *h;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			h = j->h;
			finish(multi, j, m->data.result);
			slot_release(j);
			active--;
			finished = 1;
			if (h->state == FETCH_DONE)
				ndone++;
			else	/* a retry: it keeps its lock and waits */
				waiting[nwait++] = (size_t)(h - hours);
		}
		if (now() - last > 0.25) {
			progress(ndone, n, 0);
			last = now();
		}
		/* a slot just freed: fill it before waiting */
		if (ndone < n && !finished) {
			int ms = (int)((wake - now()) * 1000);

			curl_multi_poll(multi, NULL, 0, ms < 1 ? 1 : ms, NULL);
		}
	}
	progress(ndone, n, 1);
	for (i = 0; i < (size_t)o.jobs; i++) {
		if (slots[i].easy)
			curl_easy_cleanup(slots[i].easy);
		if (slots[i].chk_ready)
			gzcheck_free(&slots[i].chk);
	}
	free(slots);
	free(waiting);
	curl_multi_cleanup(multi);
	return ledger_failed ? GHA_IOERR : GHA_OK;
}

void
fetch_hours_init(struct fetch_hour *h, size_t n, int64_t first)
{
	size_t i;

	memset(h, 0, n * sizeof(*h));
	for (i = 0; i < n; i++) {
		h[i].hour = first + (int64_t)i * HOUR_SECS;
		h[i].lockfd = -1;
		h[i].state = FETCH_PENDING;
		h[i].result = FETCH_NONE;
	}
}

void
fetch_hours_free(struct fetch_hour *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		unlock(&h[i]);
}
