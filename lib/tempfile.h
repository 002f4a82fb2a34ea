/* tempfile.h: one registry of the temporary files (and directories) a
 * process holds, removed on SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE
 * and at exit; and durable renames (as git's tempfile.c and sigchain.c). */
#ifndef GHA_TEMPFILE_H
#define GHA_TEMPFILE_H

#include <stdio.h>

#include "gha.h"

struct tempfile;
struct tempreg;

/* A new file beside PATH, named PATH.tmp.XXXXXX (random), made with
 * O_CREAT|O_EXCL (never through a planted link), with the mode of the
 * regular file PATH replaces (or 0666 & ~umask), and registered. NULL
 * with err (74) when it cannot be made. */
struct tempfile *tempfile_create(const char *path, struct gha_err *err);
int tempfile_fd(const struct tempfile *t);
const char *tempfile_name(const struct tempfile *t);	/* the temporary's name */
/* A stdio stream on the temporary; tempfile_commit and _abort close it. */
FILE *tempfile_fdopen(struct tempfile *t, const char *mode);
/* Flush, fsync, close, rename onto PATH, fsync PATH's directory; t is
 * freed either way; on failure the temporary is gone and err says why. */
int tempfile_commit(struct tempfile *t, struct gha_err *err);
/* Close and unlink; t is freed. NULL is fine. */
void tempfile_abort(struct tempfile *t);

/* Register an existing path (a file, or with is_dir an empty directory)
 * to remove on a signal or at exit; forget it when it is kept or gone.
 * Removal is in reverse order of registration. Returns a handle. */
struct tempreg *tempfile_register(const char *path, int is_dir);
void tempfile_forget(struct tempreg *r);	/* NULL is fine */

/* Remove every registered temporary now, as a signal would (a process
 * done with its private files before it goes on). */
void tempfile_remove_all(void);

/* fsync FROM, rename it to TO, fsync TO's directory: the new name
 * survives a power loss with the whole content. 0 or -1 with err. */
int durable_rename(const char *from, const char *to, struct gha_err *err);
/* fsync the directory holding PATH (EINVAL from filesystems that cannot
 * is not an error). */
int fsync_parent(const char *path);

#endif
