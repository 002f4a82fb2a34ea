/* loadddl.c: the CREATE TABLE of a table gha-load --create makes.
 *
 * The DDL is the tools' own: what `gha-silver --ddl` (and `gha-gold --ddl`
 * when installed) print, run from the directory gha-load itself is in
 * (then from PATH). This is the one place to change when the schema
 * registry (lib/schema.c) can give it in process. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gha.h"
#include "loadddl.h"

static struct buf ddl_text;	/* the last body returned */

/* Run "dir/tool --ddl" (dir NULL: PATH) into out; 0 when it exited 0. */
static int
run_ddl(const char *dir, const char *tool, struct buf *out)
{
	int fd[2], st;
	pid_t pid;
	char path[PATH_MAX], chunk[4096];
	ssize_t n;

	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, tool);
	else
		snprintf(path, sizeof(path), "%s", tool);
	if (pipe(fd))
		return -1;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		char *const argv[] = { path, (char *)"--ddl", NULL };

		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (dir)
			execv(path, argv);
		else
			execvp(path, argv);
		_exit(127);
	}
	close(fd[1]);
	out->len = 0;
	while ((n = read(fd[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	buf_addc(out, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* In the DDL text, the body "(...)" of CREATE TABLE [IF NOT EXISTS] name */
static int
find_body(const char *text, const char *name, struct buf *body)
{
	const char *p = text;
	size_t n = strlen(name);

	while ((p = strstr(p, "CREATE TABLE "))) {
		const char *q = p + 13, *e;

		if (!strncmp(q, "IF NOT EXISTS ", 14))
			q += 14;
		p = q;
		if (strncmp(q, name, n) || (q[n] != ' ' && q[n] != '('))
			continue;
		q = strchr(q + n, '(');
		e = q ? strstr(q, "\n);") : NULL;
		if (!e)
			return -1;
		body->len = 0;
		buf_add(body, q, (size_t)(e - q) + 2);
		buf_addc(body, 0);
		return 0;
	}
	return -1;
}

const char *
load_ddl(const char *table, struct gha_err *err)
{
	static const char *const tools[] = { "gha-silver", "gha-gold" };
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct buf text;
	int found = 0;

	self[n > 0 ? n : 0] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	buf_init(&text);
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]) && !found; i++) {
		if (run_ddl(slash ? self : NULL, tools[i], &text) && run_ddl(NULL, tools[i], &text))
			continue;
		found = !find_body(text.p, table, &ddl_text);
	}
	buf_free(&text);
	if (!found) {
		gha_seterr(err, GHA_DATAERR, "--create: no DDL for a table named '%s' "
			   "(gha-silver --ddl and gha-gold --ddl list the known ones); create it yourself",
			   table);
		return NULL;
	}
	return ddl_text.p;
}
