/* test_outfile_check.c: outfile_check, the guard every tool runs before
 * it opens an output: no output may be an input (same device and inode,
 * through hard and symbolic links, or the stdin/stdout streams), and no
 * two outputs may be one file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "outfile.h"
#include "tap.h"

static char dir[] = "/tmp/gha-test-outcheck-XXXXXX";

static char *
at(const char *name)
{
	static char p[8][4200];
	static int k;
	char *r = p[k++ & 7];

	snprintf(r, 4200, "%s/%s", dir, name);
	return r;
}

int
main(void)
{
	struct gha_err err;
	const char *in[2], *out[3];
	int fd, saved;
	FILE *fp;

	if (!mkdtemp(dir))
		return 1;
	fp = fopen(at("in"), "w");
	fputs("x\n", fp);
	fclose(fp);
	if (link(at("in"), at("hard")) || symlink("in", at("sym")))
		return 1;

	in[0] = at("in");
	out[0] = at("new");
	out[1] = NULL;
	ok(outfile_check(out, 2, in, 1, &err) == 0, "a new output, no clash: 0");
	out[0] = at("in");
	ok(outfile_check(out, 1, in, 1, &err) == -1 && err.code == GHA_USAGE,
	   "the input itself: -1, 64 (%s)", err.msg);
	out[0] = at("hard");
	ok(outfile_check(out, 1, in, 1, &err) == -1, "a hard link to the input: refused");
	out[0] = at("sym");
	ok(outfile_check(out, 1, in, 1, &err) == -1, "a symbolic link to the input: refused");
	out[0] = at("./in");
	ok(outfile_check(out, 1, in, 1, &err) == -1, "another spelling of the input: refused");
	out[0] = "/dev/null";
	in[1] = "/dev/null";
	ok(outfile_check(out, 1, in, 2, &err) == 0, "devices are no files: /dev/null in and out is fine");

	/* two outputs on one file */
	out[0] = at("a");
	out[1] = at("a");
	ok(outfile_check(out, 2, in, 1, &err) == -1 && strstr(err.msg, "one file"),
	   "one name twice (not made yet): refused");
	out[0] = at("hard");
	out[1] = at("in");
	in[0] = at("other");
	ok(outfile_check(out, 2, in, 1, &err) == -1 && strstr(err.msg, "one file"),
	   "two outputs, hard links of one file: refused (%s)", err.msg);

	/* the streams: "-" is stdin among inputs, stdout among outputs */
	fflush(stdout);
	saved = dup(0);
	fd = open(at("in"), O_RDONLY);
	dup2(fd, 0);
	close(fd);
	in[0] = "-";
	out[0] = at("sym");
	ok(outfile_check(out, 1, in, 1, &err) == -1 && strstr(err.msg, "<stdin>"),
	   "an output that is the file on stdin: refused (%s)", err.msg);
	dup2(saved, 0);
	close(saved);

	unlink(at("sym"));
	unlink(at("hard"));
	unlink(at("in"));
	rmdir(dir);
	return tap_done();
}
