/* pp_dialect.c: MSVC-style compiler drivers (cl.exe, clang-cl): telling one from its own output,
 * its command line (/c, /Fo, /showIncludes), and its output turned into what the gcc-style
 * readers take: diagnostics as FILE:LINE:COL: error: lines, included headers as a depfile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

int pp_msvc_detect(const pp_proc_result *r)
{
	/* clang-cl's -v shows the cc1 line with its diagnostics format; cl.exe prints its banner
	 * (with no /nologo) and refuses gcc's options by its own message number. */
	static const char *const marks[] = { "-fdiagnostics-format msvc",
		"Microsoft (R) C/C++ Optimizing Compiler", "Command line warning D9002" };
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
		if (strstr(pp_buf_str(&r->errout), marks[i]) || strstr(pp_buf_str(&r->out), marks[i]))
			return 1;
	return 0;
}

int pp_msvc_ask(const pp_strv *cc, const pp_strv *flags, int clang, const pp_options *o,
                const char *dir)
{
	/* gcc takes "/nologo" for a file it cannot find and fails; an MSVC-style driver
	 * preprocesses the file to stdout, marker and all. */
	static const char mark[] = "pp_msvc_dialect_marker";
	char *src = pp_xasprintf("%s/dialect.c", dir);
	int msvc = 0;
	if (pp_write_temp(src, mark, sizeof mark - 1, NULL) == 0) {
		pp_strv argv = { 0 };
		for (size_t i = 0; i < cc->n; i++)
			pp_strv_push(&argv, cc->v[i]);
		for (size_t i = 0; i < flags->n; i++)
			pp_strv_push(&argv, flags->v[i]);
		pp_strv_push(&argv, "/nologo");
		pp_strv_push(&argv, "/E");
		if (clang)
			pp_strv_push(&argv, "--");
		pp_strv_push(&argv, src);
		pp_log_argv(o, argv.v);
		pp_proc_opts po = { o->timeout, 1, dir };
		pp_proc_result r;
		pp_proc_run(argv.v, &po, &r);
		msvc = r.exited && r.status == 0 && strstr(pp_buf_str(&r.out), mark);
		pp_proc_result_free(&r);
		pp_strv_free(&argv);
	}
	free(src);
	return msvc;
}

void pp_msvc_argv(pp_strv *argv, const pp_strv *cc, const pp_strv *flags, const pp_strv *libs,
                  int clang, const char *src, const char *out, int link, int deps)
{
	for (size_t i = 0; i < cc->n; i++)
		pp_strv_push(argv, cc->v[i]);
	/* -I and -D are spelled alike in both dialects, so the flags pass as they are. */
	for (size_t i = 0; i < flags->n; i++)
		pp_strv_push(argv, flags->v[i]);
	pp_strv_push(argv, "/nologo");
	pp_strv_push(argv, "/w");
	if (clang) {
		/* clang-cl: -v names the target and the programs it ran (the cache's key), and every
		 * error is reported (clang stops at 20 by default). */
		pp_strv_push(argv, "-v");
		pp_strv_push(argv, "/clang:-ferror-limit=0");
	}
	if (deps)
		pp_strv_push(argv, "/showIncludes");
	if (!link)
		pp_strv_push(argv, "/c");
	pp_strv_push_own(argv, pp_xasprintf("%s%s", link ? "/Fe" : "/Fo", out));
	/* clang-cl reads a path such as /data/tmp/probe.c as the option /D; after "--" all are
	 * inputs. cl.exe's own paths (C:\...) cannot be taken for options. */
	if (clang)
		pp_strv_push(argv, "--");
	pp_strv_push(argv, src);
	if (link)
		for (size_t i = 0; i < libs->n; i++)
			pp_strv_push(argv, libs->v[i]);
}

/* "FILE(LINE,COL): error: msg" (clang-cl) or "FILE(LINE): error C2065: msg" (cl.exe) as gcc
 * writes it, "FILE:LINE:COL: error: msg"; any other line as it is. */
static void pp_msvc_line(pp_buf *b, const char *p, size_t len)
{
	const char *open = memchr(p, '(', len);
	while (open) {
		const char *q = open + 1, *end = p + len;
		unsigned long line = 0, col = 0;
		int digits = 0;
		for (; q < end && *q >= '0' && *q <= '9'; q++, digits++)
			line = line * 10 + (unsigned long)(*q - '0');
		if (digits && q < end && *q == ',')
			for (q++; q < end && *q >= '0' && *q <= '9'; q++)
				col = col * 10 + (unsigned long)(*q - '0');
		if (digits && end - q >= 3 && !memcmp(q, "): ", 3)) {
			q += 3;
			static const char *const kinds[] = { "fatal error", "error", "warning", "note" };
			for (size_t k = 0; k < 4; k++) {
				size_t n = strlen(kinds[k]);
				if ((size_t)(end - q) > n && !memcmp(q, kinds[k], n) &&
				    (q[n] == ':' || q[n] == ' ')) {
					const char *msg = q + n;
					if (*msg == ' ') /* cl.exe's " C2065:" message number */
						msg += strcspn(msg, ":");
					msg += *msg == ':';
					msg += *msg == ' ';
					pp_buf_add(b, p, (size_t)(open - p));
					pp_buf_addf(b, ":%lu:", line);
					if (col)
						pp_buf_addf(b, "%lu:", col);
					pp_buf_addf(b, " %s: ", kinds[k]);
					pp_buf_add(b, msg, (size_t)(end - msg));
					return;
				}
			}
		}
		open = memchr(open + 1, '(', (size_t)(end - open - 1));
	}
	pp_buf_add(b, p, len);
}

void pp_msvc_output(pp_proc_result *r, const char *src, const char *out, const char *depfile)
{
	static const char note[] = "Note: including file:";
	pp_buf diag = PP_BUF_INIT, dep = PP_BUF_INIT;
	if (depfile) {
		pp_dep_escape(&dep, out);
		pp_buf_adds(&dep, ":");
		pp_buf_adds(&dep, " ");
		pp_dep_escape(&dep, src);
	}
	/* cl.exe writes everything to stdout, clang-cl its diagnostics to stderr. */
	const pp_buf *streams[2] = { &r->out, &r->errout };
	for (int s = 0; s < 2; s++)
		for (const char *p = pp_buf_str(streams[s]); *p;) {
			size_t len = strcspn(p, "\n");
			size_t n = len && p[len - 1] == '\r' ? len - 1 : len;
			if (n >= sizeof note - 1 && !memcmp(p, note, sizeof note - 1)) {
				const char *h = p + sizeof note - 1;
				while (*h == ' ')
					h++;
				if (depfile && h < p + n) {
					char *path = pp_xstrndup(h, (size_t)(p + n - h));
					pp_buf_adds(&dep, " \\\n ");
					pp_dep_escape(&dep, path);
					free(path);
				}
			} else {
				pp_msvc_line(&diag, p, n);
				pp_buf_addc(&diag, '\n');
			}
			p += len + (p[len] == '\n');
		}
	pp_buf_free(&r->errout);
	r->errout = diag;
	if (depfile) {
		pp_buf_addc(&dep, '\n');
		FILE *f = fopen(depfile, "w");
		if (f) {
			fwrite(dep.s, 1, dep.len, f);
			fclose(f);
		}
	}
	pp_buf_free(&dep);
}
