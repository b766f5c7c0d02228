/* fuzz.h: what the fuzz targets (tests/fuzz/fuzz_*.c) share: the libFuzzer entry point, a loud
 * abort for a broken property, and the round trip every result must survive (format, read back
 * as --from reads it, format again: the same bytes in every format). */
#ifndef PP_FUZZ_H
#define PP_FUZZ_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every helper may go unused in one target; -Wall -Werror must not mind. */
#define FUZZ_FN static __attribute__((unused))

/* A property the code promises does not hold: say which, then abort so libFuzzer (or the replay
 * under make check) stops on this input. */
FUZZ_FN void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
FUZZ_FN void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: property violated: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

FUZZ_FN void fuzz_diag_clear(pp_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msg[i]);
	d->n = 0;
}

/* Where two texts that should be equal part: the first differing line of each. */
FUZZ_FN void fuzz_fail_diff(const char *what, const char *a, const char *b, const char *context)
{
	size_t line = 1, i = 0;
	for (; a[i] && a[i] == b[i]; i++)
		line += a[i] == '\n';
	size_t sa = i, sb = i;
	while (sa > 0 && a[sa - 1] != '\n')
		sa--;
	sb = sa;
	size_t ea = strcspn(a + sa, "\n"), eb = strcspn(b + sb, "\n");
	fuzz_fail("%s differs at line %zu:\n  %.*s\n  %.*s\n%s", what, line, (int)ea, a + sa, (int)eb,
	          b + sb, context ? context : "");
}

/* A C header as the header format writes it: outside comments and string or character literals,
 * every line is blank or a preprocessor directive, and every comment and literal is closed (on its
 * own line, for a literal); no comment opens inside one (-Wcomment). So no name or saved string can
 * turn into code. Returns what is wrong, or NULL. */
FUZZ_FN const char *fuzz_header_problem(const char *t)
{
	enum { CODE, COMMENT, STR, CHR } st = CODE;
	int line_start = 1, directive = 0;
	for (const char *p = t; *p; p++) {
		if (st == COMMENT) {
			if (p[0] == '/' && p[1] == '*')
				return "\"/*\" inside a comment";
			if (p[0] == '*' && p[1] == '/') {
				st = CODE;
				p++;
			}
			continue;
		}
		if (st == STR || st == CHR) {
			if (*p == '\n')
				return "a literal runs into the next line";
			if (*p == '\\' && p[1])
				p++;
			else if (*p == (st == STR ? '"' : '\''))
				st = CODE;
			continue;
		}
		if (*p == '\n') {
			line_start = 1;
			directive = 0;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			st = COMMENT;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t')
			continue;
		if (line_start && *p == '#')
			directive = 1;
		else if (!directive)
			return "code outside a directive";
		line_start = 0;
		if (*p == '"')
			st = STR;
		else if (*p == '\'')
			st = CHR;
	}
	return st == CODE ? NULL : "a comment or literal left open at the end";
}

/* Every output format the library has: json, header and those of templates/. */
FUZZ_FN size_t fuzz_formats(char ***out)
{
	char *names = pp_format_names(), *save = NULL;
	size_t n = 0;
	*out = NULL;
	for (char *w = strtok_r(names, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		*out = pp_xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = pp_xstrdup(w);
	}
	free(names);
	return n;
}

FUZZ_FN void fuzz_formats_free(char **f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

FUZZ_FN void fuzz_results_free(pp_result **r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		pp_result_free(r[i]);
	free(r);
}

/* The JSON text of n results as the CLI writes them: one result alone, several as one document. */
FUZZ_FN char *fuzz_json(pp_result *const *r, size_t n, pp_diag *d)
{
	return n == 1 ? pp_result_format(r[0], "json", NULL, d) : pp_results_format(r, n, d);
}

/* Results are only ever written where they read back: the JSON of r (n results answering spec)
 * must load with spec, the loaded results must give the same JSON, and (with all_formats) every
 * other format, with and without a prefix, must come out of them byte for byte as out of r
 * (README: --from). When a format refuses r, it must refuse the loaded results the same way. */
FUZZ_FN void fuzz_round_trip(const pp_spec *spec, pp_result *const *r, size_t n, int all_formats)
{
	pp_diag *d = pp_diag_new();
	char *json = fuzz_json(r, n, d);
	if (!json)
		fuzz_fail("json refused a result: %s", pp_diag_count(d) ? pp_diag_message(d, 0) : "");
	size_t m = 0;
	pp_result **back = pp_results_parse(spec, json, strlen(json), "round-trip.json", &m, d);
	if (!back)
		fuzz_fail("a result's own JSON does not load with its spec: %s\n%s",
		          pp_diag_count(d) ? pp_diag_message(d, 0) : "", json);
	if (m != n)
		fuzz_fail("%zu results written, %zu read back", n, m);
	char *again = fuzz_json(back, m, d);
	if (!again)
		fuzz_fail("loaded results refuse json");
	if (strcmp(json, again))
		fuzz_fail_diff("JSON after a round trip", json, again, NULL);
	char **formats;
	size_t nf = all_formats ? fuzz_formats(&formats) : 0;
	if (!all_formats)
		formats = NULL;
	static const char *const prefixes[] = { NULL, "PFX_" };
	for (size_t f = 0; f < nf; f++)
		for (size_t p = 0; p < 2; p++)
			for (size_t i = 0; i < n; i++) {
				char *a = pp_result_format(r[i], formats[f], prefixes[p], d);
				char *b = pp_result_format(back[i], formats[f], prefixes[p], d);
				const char *bad = a && !strcmp(formats[f], "header") ? fuzz_header_problem(a) : NULL;
				if (bad)
					fuzz_fail("the header format wrote %s:\n%s", bad, a);
				if ((a == NULL) != (b == NULL))
					fuzz_fail("format %s %s the result but not after a round trip", formats[f],
					          a ? "renders" : "refuses");
				if (a && strcmp(a, b)) {
					char *what = pp_xasprintf("format %s after a round trip", formats[f]);
					fuzz_fail_diff(what, a, b, json);
				}
				free(a);
				free(b);
			}
	fuzz_formats_free(formats, nf);
	fuzz_results_free(back, m);
	free(again);
	free(json);
	pp_diag_free(d);
}

#endif
