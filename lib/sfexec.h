/* sfexec.h: gha-load --target snowflake --exec: a plan (lib/sfplan.c)
 * carried out: its chunks PUT to the S3 bucket behind an external stage,
 * its statements run through the SQL API. */
#ifndef GHA_SFEXEC_H
#define GHA_SFEXEC_H

#include "s3put.h"
#include "sfapi.h"
#include "sfplan.h"

struct sfexec {
	struct s3 s3;
	struct sfapi api;
	int open_s3, open_api;
};

/* Settings from the environment (see gha-load(1)): SNOWFLAKE_ACCOUNT,
 * SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_FILE (or _PATH) and
 * SNOWFLAKE_PRIVATE_KEY_PASSPHRASE, SNOWFLAKE_WAREHOUSE, _DATABASE,
 * _SCHEMA, _ROLE, SNOWFLAKE_HOST or GHA_SNOWFLAKE_URL; the AWS_* of
 * s3_init. 0, or -1 with err (64 for a missing setting). */
int sfexec_open(struct sfexec *x, const char *s3url, struct gha_err *err);
/* Run the statements before the first input's (format, tables). */
int sfexec_prepare(struct sfexec *x, const struct sfplan *p, struct gha_err *err);
/* Upload input i's chunks and run its transaction: *loaded 1 (with
 * *rows) or 0 (the manifest had it). *uploaded counts the chunks PUT. */
int sfexec_input(struct sfexec *x, const struct sfplan *p, int i, int *loaded, uint64_t *rows,
		 int *uploaded, struct gha_err *err);
void sfexec_close(struct sfexec *x);

#endif
