/* inject.c: an LD_PRELOAD shim that makes chosen calls fail on demand, so
 * the tests can walk every output path of a tool through each failure (in
 * the manner of curl's torture tests and jq's failure shim).
 *
 *   GHA_INJECT=CLASS:N[+][:ERRNO][,CLASS:N...]
 *
 * fails the Nth call of CLASS (every call from the Nth on with "+"),
 * setting errno to ERRNO (a name: EIO by default, ENOMEM for malloc;
 * ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EFBIG; not EINTR: callers need not
 * retry), or KILL: the process gets SIGKILL at that call instead, as
 * from kill -9 at that point of its work (t0160). The classes:
 *
 *   write   write, writev, pwrite, fwrite, fputs, fputc, putc, puts,
 *           printf, fprintf, vprintf, vfprintf (glibc's stdio calls its
 *           own internal write, which a preload cannot reach, so the stdio
 *           calls are failed where the program makes them)
 *   flush   fflush
 *   close   fclose, close
 *   rename  rename, renameat
 *   fsync   fsync, fdatasync
 *   open    open, openat, fopen, fdopen, freopen, creat, mkstemp for
 *           writing (O_WRONLY, O_RDWR or O_CREAT; "w", "a" or "+")
 *   malloc  malloc, calloc, realloc, from main on (not in the libraries'
 *           constructors)
 *
 * Only calls on regular files count (not on standard error, pipes,
 * terminals or sockets), so the count follows the tool's outputs and does
 * not move with its messages. A stdio call that fails sets the stream's
 * error flag, as a real write error does; fclose and close still close
 * (the descriptor is gone whatever close returns).
 *
 * GHA_INJECT_LOG=FILE appends "CLASS FUNC PATH" for each failure made, so
 * a test knows the fault was reached and on which file; GHA_INJECT_COUNT=
 * FILE appends "CLASS N" at exit for every class, the number of calls seen.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef _IO_NO_WRITES
#define _IO_NO_WRITES 0x0008	/* glibc's libio.h: a stream not open for writing */
#endif

enum { C_WRITE, C_FLUSH, C_CLOSE, C_RENAME, C_FSYNC, C_OPEN, C_MALLOC, C_N };
static const char *const class_names[C_N] = {
	"write", "flush", "close", "rename", "fsync", "open", "malloc"
};

struct rule {
	unsigned long nth;	/* 0: none */
	int from_on;		/* fail every call from nth on */
	int err;
};

#define ERR_KILL (-9)	/* not an errno: SIGKILL at the call */

static struct rule rules[C_N];
static unsigned long counts[C_N];
static int parsed;
/* inside the shim (its log, dlsym): calls are neither counted nor failed */
static __thread int in_shim __attribute__((tls_model("initial-exec")));

static const struct { const char *name; int err; } errnos[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EDQUOT", EDQUOT }, { "EROFS", EROFS },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EPERM", EPERM }, { "EFBIG", EFBIG },
	{ "KILL", ERR_KILL },
};

/* no malloc here: this runs inside malloc too */
static void
parse(void)
{
	const char *s = getenv("GHA_INJECT");

	parsed = 1;
	while (s && *s) {
		size_t len = strcspn(s, ":,");
		int c, k;

		for (c = 0; c < C_N; c++)
			if (strlen(class_names[c]) == len && !strncmp(s, class_names[c], len))
				break;
		s += len;
		if (c == C_N || *s != ':')
			goto bad;
		s++;
		rules[c].nth = strtoul(s, (char **)&s, 10);
		rules[c].err = c == C_MALLOC ? ENOMEM : EIO;
		if (*s == '+') {
			rules[c].from_on = 1;
			s++;
		}
		if (*s == ':') {
			s++;
			len = strcspn(s, ",");
			for (k = 0; k < (int)(sizeof(errnos) / sizeof(errnos[0])); k++)
				if (strlen(errnos[k].name) == len && !strncmp(s, errnos[k].name, len))
					break;
			if (k == (int)(sizeof(errnos) / sizeof(errnos[0])))
				goto bad;
			rules[c].err = errnos[k].err;
			s += len;
		}
		if (*s == ',')
			s++;
		else if (*s)
			goto bad;
	}
	return;
bad:
	{
		static const char msg[] = "inject: bad GHA_INJECT, want CLASS:N[+][:ERRNO],...\n";

		(void)!write(2, msg, sizeof(msg) - 1);
		_exit(125);
	}
}

/* the shim's own I/O goes straight to the kernel: not counted, not failed */
static void
logline(const char *var, const char *line)
{
	const char *log = getenv(var);
	long fd;

	if (!log)
		return;
	fd = syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	(void)!syscall(SYS_write, (int)fd, line, strlen(line));
	syscall(SYS_close, (int)fd);
}

static void
fd_path(int fd, char *out, size_t n)
{
	char proc[64];
	long k;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	k = syscall(SYS_readlink, proc, out, n - 1);
	if (k < 0)
		k = snprintf(out, n, "fd%d", fd) > 0 ? (long)strlen(out) : 0;
	out[k] = '\0';
}

/* a call on FD counts: a regular file other than standard error */
static int
counted_fd(int fd)
{
	struct stat st;

	return fd >= 0 && fd != 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* Count a call of class C; nonzero (errno set, logged) when it must fail.
 * PATH names the file, or FD does (PATH NULL). */
static int
hit(int c, const char *func, const char *path, int fd)
{
	unsigned long k;
	char line[4600], p[4096];

	if (!parsed)
		parse();
	if (in_shim)
		return 0;
	k = __atomic_add_fetch(&counts[c], 1, __ATOMIC_SEQ_CST);
	if (!rules[c].nth || k < rules[c].nth || (k > rules[c].nth && !rules[c].from_on))
		return 0;
	in_shim = 1;
	if (!path) {
		fd_path(fd, p, sizeof(p));
		path = p;
	}
	snprintf(line, sizeof(line), "%s %s %s\n", class_names[c], func, path);
	logline("GHA_INJECT_LOG", line);
	if (rules[c].err == ERR_KILL)
		syscall(SYS_kill, (long)getpid(), (long)SIGKILL);
	in_shim = 0;
	errno = rules[c].err;
	return 1;
}

static int
stream_hit(int c, const char *func, FILE *fp)
{
	int fd = fp ? fileno(fp) : -1;

	if (!counted_fd(fd))
		return 0;
	if (fp->_flags & _IO_NO_WRITES)	/* a read-only stream */
		return 0;
	if (!hit(c, func, NULL, fd))
		return 0;
	fp->_flags |= _IO_ERR_SEEN;	/* what a failed write leaves: ferror() */
	return 1;
}

__attribute__((destructor)) static void
report_counts(void)
{
	char line[512];
	int c, n = 0;

	if (!getenv("GHA_INJECT_COUNT"))
		return;
	for (c = 0; c < C_N; c++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s %lu\n", class_names[c],
			      counts[c]);
	logline("GHA_INJECT_COUNT", line);
}

/* dlsym may allocate: that malloc must not be the one that fails */
#define REAL(ret, name, args) \
	static ret (*real_##name) args; \
	if (!real_##name) { \
		in_shim++; \
		*(void **)&real_##name = dlsym(RTLD_NEXT, #name); \
		in_shim--; \
	}

/* ---- write ---- */

ssize_t
write(int fd, const void *p, size_t n)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	if (counted_fd(fd) && hit(C_WRITE, "write", NULL, fd))
		return -1;
	return real_write(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
	if (counted_fd(fd) && hit(C_WRITE, "pwrite", NULL, fd))
		return -1;
	return real_pwrite(fd, p, n, off);
}

ssize_t
writev(int fd, const struct iovec *v, int n)
{
	REAL(ssize_t, writev, (int, const struct iovec *, int));
	if (counted_fd(fd) && hit(C_WRITE, "writev", NULL, fd))
		return -1;
	return real_writev(fd, v, n);
}

size_t
fwrite(const void *p, size_t size, size_t n, FILE *fp)
{
	REAL(size_t, fwrite, (const void *, size_t, size_t, FILE *));
	if (size && n && stream_hit(C_WRITE, "fwrite", fp))
		return 0;
	return real_fwrite(p, size, n, fp);
}

int
fputs(const char *s, FILE *fp)
{
	REAL(int, fputs, (const char *, FILE *));
	if (stream_hit(C_WRITE, "fputs", fp))
		return EOF;
	return real_fputs(s, fp);
}

int
puts(const char *s)
{
	REAL(int, puts, (const char *));
	if (stream_hit(C_WRITE, "puts", stdout))
		return EOF;
	return real_puts(s);
}

int
fputc(int ch, FILE *fp)
{
	REAL(int, fputc, (int, FILE *));
	if (stream_hit(C_WRITE, "fputc", fp))
		return EOF;
	return real_fputc(ch, fp);
}

int
putc(int ch, FILE *fp)
{
	REAL(int, putc, (int, FILE *));
	if (stream_hit(C_WRITE, "putc", fp))
		return EOF;
	return real_putc(ch, fp);
}

int
putchar(int ch)
{
	REAL(int, putchar, (int));
	if (stream_hit(C_WRITE, "putchar", stdout))
		return EOF;
	return real_putchar(ch);
}

int
vfprintf(FILE *fp, const char *fmt, va_list ap)
{
	REAL(int, vfprintf, (FILE *, const char *, va_list));
	if (stream_hit(C_WRITE, "vfprintf", fp))
		return -1;
	return real_vfprintf(fp, fmt, ap);
}

int
fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(fp, fmt, ap);
	va_end(ap);
	return r;
}

int
vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* _FORTIFY_SOURCE builds call these instead */
int __fprintf_chk(FILE *fp, int flag, const char *fmt, ...);
int __printf_chk(int flag, const char *fmt, ...);
int __vfprintf_chk(FILE *fp, int flag, const char *fmt, va_list ap);

int
__vfprintf_chk(FILE *fp, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vfprintf(fp, fmt, ap);
}

int
__fprintf_chk(FILE *fp, int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	(void)flag;
	va_start(ap, fmt);
	r = vfprintf(fp, fmt, ap);
	va_end(ap);
	return r;
}

int
__printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	(void)flag;
	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- flush, close ---- */

int
fflush(FILE *fp)
{
	REAL(int, fflush, (FILE *));
	if (fp && stream_hit(C_FLUSH, "fflush", fp))
		return EOF;
	return real_fflush(fp);
}

int
fclose(FILE *fp)
{
	REAL(int, fclose, (FILE *));
	if (stream_hit(C_CLOSE, "fclose", fp)) {
		int e = errno;

		real_fclose(fp);
		errno = e;
		return EOF;
	}
	return real_fclose(fp);
}

int
close(int fd)
{
	REAL(int, close, (int));
	if (counted_fd(fd) && (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY &&
	    hit(C_CLOSE, "close", NULL, fd)) {
		int e = errno;

		real_close(fd);
		errno = e;
		return -1;
	}
	return real_close(fd);
}

/* ---- rename, fsync ---- */

int
rename(const char *from, const char *to)
{
	REAL(int, rename, (const char *, const char *));
	if (hit(C_RENAME, "rename", to, -1))
		return -1;
	return real_rename(from, to);
}

int
renameat(int fd1, const char *from, int fd2, const char *to)
{
	REAL(int, renameat, (int, const char *, int, const char *));
	if (hit(C_RENAME, "renameat", to, -1))
		return -1;
	return real_renameat(fd1, from, fd2, to);
}

int
fsync(int fd)
{
	REAL(int, fsync, (int));
	if (counted_fd(fd) && hit(C_FSYNC, "fsync", NULL, fd))
		return -1;
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(int, fdatasync, (int));
	if (counted_fd(fd) && hit(C_FSYNC, "fdatasync", NULL, fd))
		return -1;
	return real_fdatasync(fd);
}

/* ---- open for writing ---- */

static int
writing_flags(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT);
}

static int
writing_mode(const char *mode)
{
	return mode && (strpbrk(mode, "wa+") != NULL);
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t m = 0;

	REAL(int, open, (const char *, int, ...));
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		m = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (writing_flags(flags) && hit(C_OPEN, "open", path, -1))
		return -1;
	return real_open(path, flags, m);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int
openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t m = 0;

	REAL(int, openat, (int, const char *, int, ...));
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		m = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (writing_flags(flags) && hit(C_OPEN, "openat", path, -1))
		return -1;
	return real_openat(dirfd, path, flags, m);
}

int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int
creat(const char *path, mode_t m)
{
	REAL(int, creat, (const char *, mode_t));
	if (hit(C_OPEN, "creat", path, -1))
		return -1;
	return real_creat(path, m);
}

FILE *
fopen(const char *path, const char *mode)
{
	REAL(FILE *, fopen, (const char *, const char *));
	if (writing_mode(mode) && hit(C_OPEN, "fopen", path, -1))
		return NULL;
	return real_fopen(path, mode);
}

FILE *fopen64(const char *path, const char *mode) __attribute__((alias("fopen")));

FILE *
fdopen(int fd, const char *mode)
{
	REAL(FILE *, fdopen, (int, const char *));
	if (writing_mode(mode) && counted_fd(fd) && hit(C_OPEN, "fdopen", NULL, fd))
		return NULL;
	return real_fdopen(fd, mode);
}

FILE *
freopen(const char *path, const char *mode, FILE *fp)
{
	REAL(FILE *, freopen, (const char *, const char *, FILE *));
	if (writing_mode(mode) && hit(C_OPEN, "freopen", path ? path : "-", -1))
		return NULL;
	return real_freopen(path, mode, fp);
}

int
mkstemp(char *tmpl)
{
	REAL(int, mkstemp, (char *));
	if (hit(C_OPEN, "mkstemp", tmpl, -1))
		return -1;
	return real_mkstemp(tmpl);
}

/* ---- malloc ---- */

/* mallocs are counted from main on: the libraries' constructors (libjq's
 * jv_mem_uninit_setup) do not check theirs, and they are not ours to fix */
static int in_main;
static int (*real_main)(int, char **, char **);

static int
main_hook(int argc, char **argv, char **envp)
{
	in_main = 1;
	return real_main(argc, argv, envp);
}

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
		      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void), void *stack);

int
__libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
		  void (*init)(void), void (*fini)(void), void (*rtld_fini)(void), void *stack)
{
	REAL(int, __libc_start_main, (int (*)(int, char **, char **), int, char **,
				      void (*)(void), void (*)(void), void (*)(void), void *));
	real_main = main;
	return real___libc_start_main(main_hook, argc, argv, init, fini, rtld_fini, stack);
}

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

void *
malloc(size_t n)
{
	if (in_main && hit(C_MALLOC, "malloc", "-", -1))
		return NULL;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	if (in_main && hit(C_MALLOC, "calloc", "-", -1))
		return NULL;
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	if (in_main && hit(C_MALLOC, "realloc", "-", -1))
		return NULL;
	return __libc_realloc(p, n);
}
