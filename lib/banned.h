/* banned.h: functions we never call, turned into compile errors (as git
 * does). Each has a safer form: snprintf/buf_printf for sprintf, memcpy
 * with a known length or snprintf("%s") for the string copies, strtol
 * with its end pointer and errno for atoi (which cannot report an error),
 * gmtime_r/localtime_r (or ts_format) for the time functions with a
 * shared static result, and strtok_r or plain loops for strtok.
 *
 * gha.h includes this last, after the system headers that declare these
 * functions, so that a later #include of them is a no-op. */
#ifndef GHA_BANNED_H
#define GHA_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef strtok
#define strtok(x, y) BANNED(strtok)

#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)

#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef atof
#define atof(x) BANNED(atof)

#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef ctime_r
#define ctime_r(t, buf) BANNED(ctime_r)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef asctime_r
#define asctime_r(t, buf) BANNED(asctime_r)

#endif
