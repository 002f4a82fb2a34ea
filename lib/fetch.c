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
#include "timefmt.h"

static struct fetch_opts o;
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
	r.attempt = j->attempts;
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
				if (ftruncate(fileno(j->fp), 0) < 0)
					return 0;
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
	if (fwrite(p, 1, len, j->fp) != len)
		return 0;	/* CURLE_WRITE_ERROR */
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

/* The bytes of an interrupted download go through the check first. */
static int
feed_part(struct fetch_job *j)
{
	FILE *fp = fopen(j->part, "rb");
	char buf[65536];
	size_t k;
	int bad;

	if (!fp)
		return -1;
	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
		gzcheck_feed(&j->chk, buf, k);
	bad = ferror(fp);
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

/* 0: started; 1: nothing to do (present); -1: local error */
static int
start(CURLM *multi, struct fetch_job *j)
{
	char url[2048], etag[256], lastmod[64], hdr[400];
	off_t have;

	if (!o.refresh && access(j->final, F_OK) == 0) {
		if (looks_gzip(j->final)) {
			j->result = FETCH_PRESENT;
			return 1;
		}
		/* not ours (only verified files get the name): fetch it again */
		gha_warn("%s: '%s' is there but is not gzip: downloading it again", j->name,
			 j->final);
	}
	j->fp = fopen(j->part, "ab");
	if (!j->fp) {
		gha_warn("cannot open '%s':", j->part);
		j->result = FETCH_LOCAL;
		return -1;
	}
	j->attempts++;
	j->got = 0;
	j->started_body = j->discard = j->badrange = j->badgz = 0;
	j->resume_etag[0] = '\0';
	j->range_start = -1;
	j->detail[0] = '\0';
	j->resume = 0;
	j->hdrs = NULL;
	snprintf(url, sizeof(url), "%s/%s.json.gz", o.base, j->name);
	if (!j->easy)
		j->easy = curl_easy_init();
	else
		curl_easy_reset(j->easy);
	curl_easy_setopt(j->easy, CURLOPT_URL, url);
	curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
	curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(j->easy, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(j->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(j->easy, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(j->easy, CURLOPT_USERAGENT, "gha-fetch/" GHA_VERSION);
	curl_easy_setopt(j->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(j->easy, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(j->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(j->easy, CURLOPT_CONNECTTIMEOUT, o.connect_timeout);
	curl_easy_setopt(j->easy, CURLOPT_TIMEOUT, o.timeout);
	curl_easy_setopt(j->easy, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(j->easy, CURLOPT_LOW_SPEED_TIME, o.stall);
	curl_easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
	/* an https mirror never sends us to plain http */
	curl_easy_setopt(j->easy, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncasecmp(o.base, "https:", 6) ? "http,https" : "https");
	curl_easy_setopt(j->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(j->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o.cacert)
		curl_easy_setopt(j->easy, CURLOPT_CAINFO, o.cacert);
	if (j->attempts > 1)	/* a retry never reuses the connection that failed */
		curl_easy_setopt(j->easy, CURLOPT_FRESH_CONNECT, 1L);
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
			j->result = FETCH_LOCAL;
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
		curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->hdrs);
	curl_multi_add_handle(multi, j->easy);
	j->state = FETCH_ACTIVE;
	return 0;
}

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
	double wait = fmin(60.0, 0.5 * pow(2.0, j->attempts - 1));

	wait *= 0.5 + 0.5 * ((double)rand() / RAND_MAX);
	if (retry_after > wait)
		wait = fmin(retry_after, 600.0);
	j->next_at = now() + wait;
	j->state = FETCH_PENDING;
}

static void
unlock(struct fetch_job *j)
{
	if (j->lockfd >= 0) {
		close(j->lockfd);
		j->lockfd = -1;
	}
}

static void
done(struct fetch_job *j, int result)
{
	j->result = result;
	j->state = FETCH_DONE;
	unlock(j);
}

static void
finish(CURLM *multi, struct fetch_job *j, CURLcode code)
{
	long http = 0;
	curl_off_t ra = 0, clen = -1;
	int bad_close;
	char sha[65];
	uint64_t usize;
	struct gha_err err;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &ra);
	curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
	curl_multi_remove_handle(multi, j->easy);
	curl_slist_free_all(j->hdrs);
	j->hdrs = NULL;
	bad_close = fclose(j->fp) != 0;
	j->fp = NULL;
	if (j->badrange) {
		snprintf(j->detail, sizeof(j->detail), "206 for bytes %lld- when %lld- was asked",
			 (long long)j->range_start, (long long)j->resume);
		unlink(j->part);
		unlink(j->meta);
		goto temporary;
	}
	if (j->badgz)
		goto verify;	/* reports what is wrong with the stream */
	if (bad_close || code == CURLE_WRITE_ERROR) {
		snprintf(j->detail, sizeof(j->detail), "write error on %s: %s", j->part,
			 strerror(errno));
		gha_warn("%s: %s", j->name, j->detail);
		ledger(j, "error", http, NULL);
		done(j, FETCH_LOCAL);
		return;
	}
	if (code == CURLE_OK && (http == 404 || http == 410)) {
		unlink(j->part);
		unlink(j->meta);
		j->detail[0] = '\0';
		ledger(j, hour_known_missing(j->hour) ? "known-missing" : "missing", http, NULL);
		done(j, hour_known_missing(j->hour) ? FETCH_KNOWN : FETCH_MISSING);
		return;
	}
	if (code == CURLE_FILE_COULDNT_READ_FILE) {	/* file:// has no 404 */
		unlink(j->part);
		unlink(j->meta);
		ledger(j, hour_known_missing(j->hour) ? "known-missing" : "missing", 0, NULL);
		done(j, hour_known_missing(j->hour) ? FETCH_KNOWN : FETCH_MISSING);
		return;
	}
	if (code == CURLE_OK && http == 304) {
		unlink(j->part);
		ledger(j, "not-modified", http, NULL);
		done(j, FETCH_NOTMOD);
		return;
	}
	if (code == CURLE_OK && (http == 429 || http >= 500)) {
		snprintf(j->detail, sizeof(j->detail), "HTTP %ld", http);
		goto temporary;
	}
	if (code == CURLE_OK && http == 416 && j->resume > 0) {
		/* nothing after the end of the .part: it may be whole already
		 * (killed between the last byte and the rename); the check says */
		snprintf(j->detail, sizeof(j->detail), "HTTP 416 at %lld: the .part is whole?",
			 (long long)j->resume);
		j->got = 0;
		goto verify;
	}
	if (code == CURLE_OK && http != 0 && http != 200 && http != 206) {
		snprintf(j->detail, sizeof(j->detail), "HTTP %ld", http);
		gha_warn("%s: %s from the server", j->name, j->detail);
		unlink(j->part);
		unlink(j->meta);
		ledger(j, "failed", http, NULL);
		done(j, FETCH_HTTP);
		return;
	}
	if (code != CURLE_OK) {
		snprintf(j->detail, sizeof(j->detail), "%s", curl_easy_strerror(code));
		if (code == CURLE_RANGE_ERROR) {	/* no ranges here: start over */
			unlink(j->part);
			unlink(j->meta);
		}
		if (retryable(code))
			goto temporary;
		gha_warn("%s: %s", j->name, j->detail);
		ledger(j, "failed", http, NULL);
		done(j, FETCH_HTTP);
		return;
	}
	if (clen >= 0 && (uint64_t)clen != j->got) {
		snprintf(j->detail, sizeof(j->detail), "got %llu of %lld bytes",
			 (unsigned long long)j->got, (long long)clen);
		goto temporary;
	}
verify:
	if (gzcheck_finish(&j->chk, sha, &usize, &err)) {
		/* a bad body is not resumable: the next try starts over */
		snprintf(j->detail, sizeof(j->detail), "%s", err.msg);
		unlink(j->part);
		unlink(j->meta);
		if (err.code == GHA_DATAERR && j->attempts <= o.retries) {
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
	if (rename(j->part, j->final) < 0) {
		snprintf(j->detail, sizeof(j->detail), "cannot rename to %s: %s", j->final,
			 strerror(errno));
		gha_warn("%s: %s", j->name, j->detail);
		ledger(j, "error", http, NULL);
		done(j, FETCH_LOCAL);
		return;
	}
	unlink(j->meta);
	snprintf(j->detail, sizeof(j->detail), "%llu bytes uncompressed", (unsigned long long)usize);
	ledger(j, "ok", http, sha);
	if (o.verbose)
		gha_warn("%s: ok, %llu bytes in %d attempt%s", j->name, (unsigned long long)j->got,
			 j->attempts, j->attempts > 1 ? "s" : "");
	done(j, FETCH_OK);
	return;

temporary:
	if (j->attempts > o.retries) {
		gha_warn("%s: giving up after %d attempt%s: %s", j->name, j->attempts,
			 j->attempts > 1 ? "s" : "", j->detail);
		ledger(j, "failed", http, NULL);
		done(j, FETCH_TEMP);
		return;
	}
	if (o.verbose)
		gha_warn("%s: %s; retrying", j->name, j->detail);
	ledger(j, "retry", http, NULL);
	schedule_retry(j, (double)ra);
}

/* Another gha-fetch may be on this hour: take its lock or wait a turn. */
static int
lock_job(struct fetch_job *j)
{
	j->lockfd = open(j->lock, O_RDWR | O_CREAT, 0644);
	if (j->lockfd < 0) {
		gha_warn("cannot open lock '%s':", j->lock);
		return -1;
	}
	if (flock(j->lockfd, LOCK_EX | LOCK_NB) < 0) {
		close(j->lockfd);
		j->lockfd = -1;
		return 1;
	}
	return 0;
}

static void
progress(const struct fetch_job *jobs, size_t n, int final)
{
	size_t i, d = 0;
	double el = now() - t_start, rate;

	if (!tty || o.quiet)
		return;
	for (i = 0; i < n; i++)
		d += jobs[i].state == FETCH_DONE;
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

int
fetch_run(const struct fetch_opts *opts, struct fetch_job *jobs, size_t n)
{
	CURLM *multi = curl_multi_init();
	size_t i, left = n;
	long active = 0;
	double last = 0;

	o = *opts;
	tty = isatty(2);
	total_bytes = 0;
	curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, o.jobs);
	t_start = now();
	while (left > 0) {
		int still, q, finished = 0;
		CURLMsg *m;
		double t = now(), wake = t + 1.0;

		for (i = 0; i < n && active < o.jobs; i++) {
			struct fetch_job *j = &jobs[i];
			int r;

			if (j->state != FETCH_PENDING)
				continue;
			if (j->next_at > t) {
				if (j->next_at < wake)
					wake = j->next_at;
				continue;
			}
			if (j->lockfd < 0) {
				r = lock_job(j);
				if (r < 0) {
					done(j, FETCH_LOCAL);
					left--;
					continue;
				}
				if (r > 0) {	/* busy: look again soon */
					j->next_at = t + 0.2;
					if (j->next_at < wake)
						wake = j->next_at;
					continue;
				}
			}
			r = start(multi, j);
			if (r != 0) {
				done(j, j->result);
				left--;
				continue;
			}
			active++;
		}
		curl_multi_perform(multi, &still);
		while ((m = curl_multi_info_read(multi, &q))) {
			struct fetch_job *j;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			finish(multi, j, m->data.result);
			active--;
			finished = 1;
			if (j->state == FETCH_DONE)
				left--;
		}
		if (now() - last > 0.25) {
			progress(jobs, n, 0);
			last = now();
		}
		/* a slot just freed: fill it before waiting */
		if (left > 0 && !finished) {
			int ms = (int)((wake - now()) * 1000);

			curl_multi_poll(multi, NULL, 0, ms < 1 ? 1 : ms, NULL);
		}
	}
	progress(jobs, n, 1);
	curl_multi_cleanup(multi);
	return ledger_failed ? GHA_IOERR : GHA_OK;
}


void
fetch_job_init(struct fetch_job *j, const char *dir, int64_t hour)
{
	memset(j, 0, sizeof(*j));
	j->hour = hour;
	hour_format(hour, j->name);
	j->final = joinpath(dir, j->name, ".json.gz");
	j->part = joinpath(dir, j->name, ".json.gz.part");
	j->meta = joinpath(dir, j->name, ".json.gz.part.meta");
	j->lock = joinpath(dir, ".locks/", j->name);
	j->lockfd = -1;
	gzcheck_init(&j->chk);
}

void
fetch_job_free(struct fetch_job *j)
{
	if (j->easy)
		curl_easy_cleanup(j->easy);
	unlock(j);
	free(j->final);
	free(j->part);
	free(j->meta);
	free(j->lock);
	gzcheck_free(&j->chk);
}
