/* unit.h: a tiny harness for platprobe's unit tests (tests/unit/unit_*.c, one per module).
 * Each check prints one line that tests/run.sh counts:
 *     PASS name
 *     FAIL name: file:line: why
 * and main() ends with `return unit_done();` (1 if anything failed, else 0).
 *
 *   CHECK(name, cond)                  cond must be true
 *   CHECK_STR(name, got, expected)     C strings equal (NULL allowed; printed escaped)
 *   CHECK_MEM(name, got, glen, exp, elen)  byte strings equal
 *   CHECK_CONTAINS(name, got, needle)  C string got contains needle
 *   CHECK_U64(name, got, expected)     unsigned 64-bit integers equal
 *   CHECK_I64(name, got, expected)     signed 64-bit integers equal
 *   UNIT_NAME(fmt, ...)                a formatted check name (for table-driven loops)
 * Names should be unique within a program and hold no newline. */
#ifndef UNIT_H
#define UNIT_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Every helper may go unused in one test program; -Wall -Werror must not mind. */
#define UNIT_FN static __attribute__((unused))

UNIT_FN int unit_nfailed;
UNIT_FN int unit_nchecks;

/* Returns a formatted name from a small ring of static buffers (enough for one check's args). */
UNIT_FN const char *unit_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
UNIT_FN const char *unit_name(const char *fmt, ...)
{
	static char ring[8][512];
	static unsigned next;
	char *b = ring[next++ % 8];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof ring[0], fmt, ap);
	va_end(ap);
	for (char *p = b; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return b;
}
#define UNIT_NAME(...) unit_name(__VA_ARGS__)

/* Prints bytes as a C-like quoted literal, so a got/expected line stays one line. */
UNIT_FN void unit_put_mem(const char *s, size_t n)
{
	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

UNIT_FN int unit_report(int ok, const char *name, const char *file, int line)
{
	unit_nchecks++;
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		unit_nfailed++;
		printf("FAIL %s: %s:%d: ", name, file, line);
	}
	return ok;
}

UNIT_FN int unit_check(int ok, const char *name, const char *file, int line, const char *expr)
{
	if (!unit_report(ok, name, file, line))
		printf("check failed: %s\n", expr);
	fflush(stdout);
	return ok;
}

UNIT_FN int unit_check_mem(const char *got, size_t glen, const char *exp, size_t elen,
                          const char *name, const char *file, int line)
{
	int ok = (got == NULL && exp == NULL) ||
	         (got && exp && glen == elen && memcmp(got, exp, glen) == 0);
	if (!unit_report(ok, name, file, line)) {
		fputs("got ", stdout);
		unit_put_mem(got, glen);
		fputs(", expected ", stdout);
		unit_put_mem(exp, elen);
		putchar('\n');
	}
	fflush(stdout);
	return ok;
}

UNIT_FN int unit_check_str(const char *got, const char *exp, const char *name, const char *file,
                          int line)
{
	return unit_check_mem(got, got ? strlen(got) : 0, exp, exp ? strlen(exp) : 0, name, file,
	                      line);
}

UNIT_FN int unit_check_contains(const char *got, const char *needle, const char *name,
                                const char *file, int line)
{
	int ok = got && needle && strstr(got, needle) != NULL;
	if (!unit_report(ok, name, file, line)) {
		fputs("got ", stdout);
		unit_put_mem(got, got ? strlen(got) : 0);
		fputs(", expected it to contain ", stdout);
		unit_put_mem(needle, needle ? strlen(needle) : 0);
		putchar('\n');
	}
	fflush(stdout);
	return ok;
}

UNIT_FN int unit_check_u64(uint64_t got, uint64_t exp, const char *name, const char *file, int line)
{
	int ok = got == exp;
	if (!unit_report(ok, name, file, line))
		printf("got %" PRIu64 " (0x%" PRIx64 "), expected %" PRIu64 " (0x%" PRIx64 ")\n", got,
		       got, exp, exp);
	fflush(stdout);
	return ok;
}

UNIT_FN int unit_check_i64(int64_t got, int64_t exp, const char *name, const char *file, int line)
{
	int ok = got == exp;
	if (!unit_report(ok, name, file, line))
		printf("got %" PRId64 ", expected %" PRId64 "\n", got, exp);
	fflush(stdout);
	return ok;
}

/* Each macro evaluates its arguments once and returns whether the check passed. */
#define CHECK(name, cond) unit_check(!!(cond), (name), __FILE__, __LINE__, #cond)
#define CHECK_STR(name, got, expected) \
	unit_check_str((got), (expected), (name), __FILE__, __LINE__)
#define CHECK_MEM(name, got, glen, expected, elen) \
	unit_check_mem((got), (glen), (expected), (elen), (name), __FILE__, __LINE__)
#define CHECK_CONTAINS(name, got, needle) \
	unit_check_contains((got), (needle), (name), __FILE__, __LINE__)
#define CHECK_U64(name, got, expected) \
	unit_check_u64((uint64_t)(got), (uint64_t)(expected), (name), __FILE__, __LINE__)
#define CHECK_I64(name, got, expected) \
	unit_check_i64((int64_t)(got), (int64_t)(expected), (name), __FILE__, __LINE__)

/* Prints a summary line (not counted by run.sh) and returns main's exit status. */
UNIT_FN int unit_done(void)
{
	printf("# %d checks, %d failed\n", unit_nchecks, unit_nfailed);
	fflush(stdout);
	return unit_nfailed ? 1 : 0;
}

#endif
