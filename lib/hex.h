/* hex.h: hex digits, for the decoders of escapes (COPY text, YAML,
 * percent-encoded paths, Snowflake's plan). */
#ifndef GHA_HEX_H
#define GHA_HEX_H

/* the value of hex digit c, or -1 (locale-free) */
static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
