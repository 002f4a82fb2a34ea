/* cli.h: helpers for parsing command lines. */
#ifndef GHA_CLI_H
#define GHA_CLI_H

int parse_rate(const char *s, double *rate);	/* "0.001" or "0.1%" */

#endif
