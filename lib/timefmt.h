/* timefmt.h: RFC 3339 timestamps as GitHub writes them (timefmt.c), and
 * GH Archive hours (hour.c, missing.c). */
#ifndef GHA_TIMEFMT_H
#define GHA_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Decimal digits of v into out (room for 21); returns the length. */
size_t fmt_i64(char *out, int64_t v);
/* Parse "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" to UTC seconds.
 * Returns 0, or -1 when malformed or out of range. */
int ts_parse(const char *s, size_t n, int64_t *utc);
/* Write "YYYY-MM-DDTHH:MM:SSZ" (21 bytes incl. NUL; room for 32) */
void ts_format(int64_t utc, char out[32]);
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* hour.c: GH Archive hours "YYYY-MM-DD-H", hour not zero-padded. An
 * hour is kept as UTC seconds at its start. */
int hour_parse(const char *s, int64_t *t);	/* 0, or -1 */
/* Also accepts "YYYY-MM-DDTHH" and a whole day "YYYY-MM-DD" (first,
 * last hour of the day in *lo, *hi). */
int hour_parse_range(const char *s, int64_t *lo, int64_t *hi);
void hour_format(int64_t t, char out[32]);	/* "2015-01-01-0" */
int64_t hour_of(int64_t utc);			/* start of the hour holding utc */
#define HOUR_SECS 3600

/* missing.c: hours GH Archive does not have (404 upstream, known). */
int hour_known_missing(int64_t hour);

#endif
