/* pp_probe.c: the pipeline. Renders the plan, compiles it once, drops the entries the compiler's
 * diagnostics point at and recompiles (at most two more times), links once for the functions,
 * reads the answer table back (object scan, or the run's hex dump) and builds the result. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pp_internal.h"

#define PP_MAX_COMPILES 3 /* one compile, plus at most two for isolating failed entries */

typedef struct pp_job {
	const pp_spec *spec;
	const pp_options *o;
	pp_diag *d;
	pp_tmpdir tmp;
	pp_strv cc;      /* compiler words */
	pp_strv flags;   /* everything between the compiler and our own options */
	pp_strv libs;    /* link-time: $LDFLAGS, spec libs, pkg-config libs */
	char *cc_name;   /* as the user gave it, for messages and the result */
	char *triple;
	int clang;       /* add -ferror-limit=0: by the compiler's name, or learnt from its -v output */
	pp_plan plan;
	char *depfile;   /* the main compile's -MD output: the headers it read (cache, --depfile) */
	char *main_err;  /* the main compile's -v output: the programs the compiler ran */
	unsigned pass;   /* isolation passes so far; an item retyped in this pass ignores its other errors */
	char *memory;    /* the failure memory's file (object mode with a cache), NULL without */
	size_t nremembered; /* items it left out or asked another way, to be confirmed */
	int failed;      /* a fatal error was reported */
} pp_job;

static void pp_log(const pp_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pp_log(const pp_job *j, const char *fmt, ...)
{
	if (!j->o->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *line = pp_xvasprintf(fmt, ap);
	va_end(ap);
	j->o->log(j->o->log_ud, line);
	free(line);
}

static int pp_write_text(pp_job *j, const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		pp_diag_add(j->d, "platprobe: error: cannot write %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

/* First line of s that holds needle, without its trailing newline. */
static char *pp_line_with(const char *s, const char *needle)
{
	const char *hit = strstr(s, needle);
	if (!hit)
		return NULL;
	const char *a = hit;
	while (a > s && a[-1] != '\n')
		a--;
	const char *e = strchr(hit, '\n');
	return pp_xstrndup(a, e ? (size_t)(e - a) : strlen(a));
}

/* The diagnostics worth quoting when a command fails for reasons no entry explains. */
static char *pp_error_lines(const char *err)
{
	pp_buf b = PP_BUF_INIT;
	int n = 0;
	for (const char *p = err; *p && n < 12;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if ((memmem(p, len, "error", 5) || memmem(p, len, "undefined", 9) ||
		     memmem(p, len, "cannot find", 11) || memmem(p, len, "No such file", 12)) &&
		    !memmem(p, len, "COLLECT_", 8)) {
			pp_buf_adds(&b, "\n  ");
			pp_buf_add(&b, p, len);
			n++;
		}
		p = e ? e + 1 : p + len;
	}
	if (!n) {
		/* Nothing looked like an error: show the tail of what it said, each line indented. */
		size_t len = strlen(err);
		for (const char *p = len > 600 ? err + len - 600 : err; *p;) {
			size_t n = strcspn(p, "\n");
			if (n) {
				pp_buf_adds(&b, "\n  ");
				pp_buf_add(&b, p, n);
			}
			p += n + (p[n] == '\n');
		}
	}
	return pp_buf_detach(&b);
}

static int pp_is_clang(const char *cc)
{
	char real[PATH_MAX];
	char *found = pp_which(cc);
	int clang = strstr(cc, "clang") != NULL;
	if (found && realpath(found, real))
		clang = strstr(strrchr(real, '/') ? strrchr(real, '/') : real, "clang") != NULL;
	free(found);
	return clang;
}

/* qemu-user's name for a triple's architecture. */
static char *pp_qemu_arch(const char *triple)
{
	size_t n = strcspn(triple, "-");
	char *arch = pp_xstrndup(triple, n);
	static const char *const map[][2] = { { "armv7l", "arm" }, { "armv7", "arm" },
		{ "armhf", "arm" }, { "powerpc64le", "ppc64le" }, { "powerpc64", "ppc64" },
		{ "powerpc", "ppc" }, { "i686", "i386" }, { "i586", "i386" }, { "i486", "i386" },
		{ NULL, NULL } };
	for (size_t i = 0; map[i][0]; i++)
		if (strcmp(arch, map[i][0]) == 0) {
			free(arch);
			return pp_xstrdup(map[i][1]);
		}
	return arch;
}

/* The exec wrapper a cross target's program needs when none was given: wine for Windows
 * targets, qemu-user for another architecture (with the target's libraries from --sysroot or
 * Debian's /usr/TRIPLE); NULL when the program can run here as it is. */
static char *pp_guess_wrapper(const char *triple, const char *sysroot)
{
	if (!triple)
		return NULL;
	if (strstr(triple, "mingw") || strstr(triple, "windows")) {
		static const char *const wines[] = { "wine64", "/usr/lib/wine/wine64", "wine", NULL };
		for (size_t i = 0; wines[i]; i++) {
			char *w = pp_which(wines[i]);
			if (w)
				return w;
		}
		return NULL;
	}
	struct utsname u;
	char *arch = pp_qemu_arch(triple);
	char *host = uname(&u) == 0 ? pp_qemu_arch(u.machine) : pp_xstrdup("");
	int native = strcmp(arch, host) == 0 || (!strcmp(arch, "i386") && !strcmp(host, "x86_64"));
	char *wrapper = NULL;
	if (!native) {
		char *qemu = pp_xasprintf("qemu-%s", arch), *path = pp_which(qemu);
		char *libs = sysroot ? pp_xstrdup(sysroot) : pp_xasprintf("/usr/%s", triple);
		if (path)
			wrapper = access(libs, F_OK) == 0 ? pp_xasprintf("%s -L %s", path, libs)
			                                  : pp_xstrdup(path);
		free(qemu);
		free(path);
		free(libs);
	}
	free(arch);
	free(host);
	return wrapper;
}

/* Runs argv; on failure to run at all, crash or timeout reports it and returns -1. Otherwise 0,
 * with the exit status in r. */
static int pp_run_tool(pp_job *j, pp_strv *argv, const char *what, pp_proc_result *r,
                       const char *cwd)
{
	pp_log_argv(j->o, argv->v);
	pp_proc_opts po = { j->o->timeout, 1, j->tmp.path, cwd };
	pp_proc_run(argv->v, &po, r);
	if (r->started && !r->timed_out && !r->signaled && !pp_signal_pending())
		return 0;
	char *why = pp_proc_failure(r, j->o->timeout);
	if (!r->started)
		pp_diag_add(j->d, "platprobe: error: cannot run %s '%s': %s", what, argv->v[0], why);
	else if (pp_signal_pending())
		pp_diag_add(j->d, "platprobe: error: %s", why);
	else {
		char *lines = pp_error_lines(pp_buf_str(&r->errout));
		pp_diag_add(j->d, "platprobe: error: %s '%s' %s%s", what, argv->v[0], why,
		            r->signaled ? lines : "");
		free(lines);
	}
	free(why);
	j->failed = 1;
	return -1;
}

/* Runs $PKG_CONFIG (default pkg-config) with args and then the packages; 0 when it succeeded. */
static int pp_pkg_config(pp_job *j, const char *a1, const char *a2, char *const *pkgs, size_t n,
                         pp_proc_result *r)
{
	const char *pc = getenv("PKG_CONFIG");
	pp_strv argv = { 0 };
	pp_strv_split(&argv, pc && *pc ? pc : "pkg-config");
	pp_strv_push(&argv, a1);
	if (a2)
		pp_strv_push(&argv, a2);
	for (size_t i = 0; i < n; i++)
		pp_strv_push(&argv, pkgs[i]);
	int rc = pp_run_tool(j, &argv, "pkg-config", r, NULL);
	pp_strv_free(&argv);
	return rc == 0 && r->status == 0 ? 0 : -1;
}

/* pkg-config failed: asks about each package alone, to name those it cannot find and where it
 * looked (a cross build sets PKG_CONFIG_LIBDIR and PKG_CONFIG_SYSROOT_DIR). */
static void pp_pkg_missing(pp_job *j, const pp_strv *pkgs, size_t nspec, const char *why)
{
	size_t named = 0;
	pp_buf env = PP_BUF_INIT;
	static const char *const vars[] = { "PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR",
		"PKG_CONFIG_SYSROOT_DIR" };
	for (size_t v = 0; v < 3; v++)
		if (getenv(vars[v]))
			pp_buf_addf(&env, "%s%s=%s", env.len ? ", " : " (", vars[v], getenv(vars[v]));
	if (env.len)
		pp_buf_addc(&env, ')');
	for (size_t i = 0; i < pkgs->n && !j->failed; i++) {
		pp_proc_result r;
		if (pp_pkg_config(j, "--exists", "--print-errors", &pkgs->v[i], 1, &r) < 0 && !j->failed) {
			char *lines = pp_error_lines(pp_buf_str(&r.errout));
			if (i < nspec)
				pp_diag_add(j->d, "%s: error: pkg-config[%zu] \"%s\": package not found by "
				            "pkg-config%s:%s", j->spec->filename, i, pkgs->v[i],
				            pp_buf_str(&env), lines);
			else
				pp_diag_add(j->d, "platprobe: error: --pkg %s: package not found by pkg-config%s:%s",
				            pkgs->v[i], pp_buf_str(&env), lines);
			free(lines);
			named++;
		}
		pp_proc_result_free(&r);
	}
	if (!named && !j->failed)
		pp_diag_add(j->d, "%s: error: pkg-config failed:%s", j->spec->filename, why);
	pp_buf_free(&env);
	j->failed = 1;
}

/* The cflags and libs of the spec's "pkg-config" packages and of --pkg ones, from one pkg-config
 * run each; it honours PKG_CONFIG_PATH, PKG_CONFIG_LIBDIR and PKG_CONFIG_SYSROOT_DIR itself. */
static void pp_add_pkg_flags(pp_job *j)
{
	pp_strv pkgs = { 0 };
	for (size_t i = 0; i < j->spec->pkgs.n; i++)
		pp_strv_push(&pkgs, j->spec->pkgs.v[i]);
	for (size_t i = 0; i < j->o->pkgs.n; i++)
		pp_strv_push(&pkgs, j->o->pkgs.v[i]);
	static const char *const modes[] = { "--cflags", "--libs" };
	for (int m = 0; m < 2 && pkgs.n && !j->failed; m++) {
		pp_proc_result r;
		if (pp_pkg_config(j, modes[m], NULL, pkgs.v, pkgs.n, &r) == 0) {
			pp_strv_split(m == 0 ? &j->flags : &j->libs, pp_buf_str(&r.out));
		} else if (!j->failed) {
			char *lines = pp_error_lines(pp_buf_str(&r.errout));
			pp_pkg_missing(j, &pkgs, j->spec->pkgs.n, lines);
			free(lines);
		}
		pp_proc_result_free(&r);
	}
	pp_strv_free(&pkgs);
}

static void pp_job_init(pp_job *j, const pp_spec *spec, const pp_options *o, pp_diag *d)
{
	memset(j, 0, sizeof *j);
	j->spec = spec;
	j->o = o;
	j->d = d;
	const char *cc = o->cc;
	char *for_target = NULL;
	if ((!cc || !*cc) && o->target) {
		/* Debian's cross gcc, else a clang that was built with every target. */
		char *gcc = pp_xasprintf("%s-gcc", o->target), *path = pp_which(gcc);
		char *clang = path ? NULL : pp_which("clang");
		if (path)
			for_target = gcc;
		else if (clang)
			for_target = pp_xasprintf("clang --target=%s", o->target);
		else
			pp_diag_add(d, "platprobe: error: no compiler for target %s: neither %s nor clang is "
			            "on PATH", o->target, gcc);
		if (!path)
			free(gcc);
		free(path);
		free(clang);
		if (!for_target)
			j->failed = 1;
		cc = for_target;
	}
	if (!cc || !*cc)
		cc = getenv("CC");
	if (!cc || !*cc)
		cc = "cc";
	j->cc_name = pp_xstrdup(cc);
	pp_strv_split(&j->cc, cc);
	free(for_target);
	if (!j->cc.n)
		pp_strv_push(&j->cc, "cc");
	pp_strv_split(&j->flags, getenv("CPPFLAGS"));
	pp_strv_split(&j->flags, getenv("CFLAGS"));
	for (size_t i = 0; i < spec->cflags.n; i++)
		pp_strv_push(&j->flags, spec->cflags.v[i]);
	for (size_t i = 0; i < o->cflags.n; i++)
		pp_strv_push(&j->flags, o->cflags.v[i]);
	if (o->sysroot)
		pp_strv_push_own(&j->flags, pp_xasprintf("--sysroot=%s", o->sysroot));
	/* A relative include dir is the spec's own: it means the same from any build directory. */
	const char *slash = strrchr(spec->filename, '/');
	for (size_t i = 0; i < spec->include_dirs.n; i++) {
		const char *dir = spec->include_dirs.v[i];
		if (dir[0] != '/' && slash)
			pp_strv_push_own(&j->flags, pp_xasprintf("-I%.*s/%s", (int)(slash - spec->filename),
			                                         spec->filename, dir));
		else
			pp_strv_push_own(&j->flags, pp_xasprintf("-I%s", dir));
	}
	pp_strv_split(&j->libs, getenv("LDFLAGS"));
	for (size_t i = 0; i < spec->libs.n; i++) {
		const char *l = spec->libs.v[i];
		pp_strv_push_own(&j->libs, l[0] == '-' ? pp_xstrdup(l) : pp_xasprintf("-l%s", l));
	}
	j->clang = pp_is_clang(j->cc.v[0]);
	pp_plan_init(&j->plan, spec);
}

static void pp_job_free(pp_job *j)
{
	free(j->memory);
	pp_strv_free(&j->cc);
	pp_strv_free(&j->flags);
	pp_strv_free(&j->libs);
	free(j->cc_name);
	free(j->triple);
	free(j->depfile);
	free(j->main_err);
	pp_plan_free(&j->plan);
	pp_tmpdir_free(&j->tmp);
}

/* cc [flags] our-options src -o out [libs] */
/* The length of the option part of a flag that names a path (-I, -L, -isystem, --sysroot= ...),
 * 0 for any other. */
static size_t pp_path_flag(const char *w)
{
	static const char *const opts[] = { "--sysroot=", "-isysroot", "-isystem", "-iquote",
		"-idirafter", "-include", "-imacros", "-iprefix", "-I", "-L", "-B", NULL };
	for (size_t i = 0; opts[i]; i++)
		if (!strncmp(w, opts[i], strlen(opts[i])))
			return strlen(opts[i]);
	return 0;
}

/* Flag w (after prev) for a compiler run in another directory: a relative path after a path
 * option (attached, or the word after the option alone), a file name or an @file gets the
 * working directory in front. */
static char *pp_flag_from(const char *prev, const char *w, const char *cwd)
{
	size_t n = pp_path_flag(w);
	if (prev && pp_path_flag(prev) && !prev[pp_path_flag(prev)])
		n = 0; /* the path of "-I DIR" */
	else if (!n && w[0] == '-')
		return pp_xstrdup(w);
	else if (!n)
		n = w[0] == '@';
	if (!w[n] || w[n] == '/')
		return pp_xstrdup(w);
	return pp_xasprintf("%.*s%s/%s", (int)n, w, cwd, w + n);
}

/* second: a second translation unit in the same run (the failure memory's): then no -o and no
 * -MF; the objects and depfile land in the working directory under the sources' names. */
static void pp_compile_argv(pp_job *j, pp_strv *argv, const char *src, const char *out, int link,
                            int deps, const char *second)
{
	for (size_t i = 0; i < j->cc.n; i++)
		pp_strv_push(argv, j->cc.v[i]);
	char cwd[PATH_MAX];
	if (second && !getcwd(cwd, sizeof cwd))
		second = NULL; /* cannot say where relative paths lead: no second unit */
	for (size_t i = 0; i < j->flags.n; i++)
		if (second)
			pp_strv_push_own(argv, pp_flag_from(i ? j->flags.v[i - 1] : NULL, j->flags.v[i], cwd));
		else
			pp_strv_push(argv, j->flags.v[i]);
	/* Ours come last so they win: no warnings (only errors matter, and -Werror must not turn a
	 * probe's harmless casts into failures), no LTO (the table must be real bytes), -v for the
	 * target triple, and every error reported (clang stops at 20 by default). */
	pp_strv_push(argv, "-v");
	pp_strv_push(argv, "-w");
	pp_strv_push(argv, "-Wno-error");
	pp_strv_push(argv, "-fno-lto");
	if (j->clang)
		pp_strv_push(argv, "-ferror-limit=0");
	/* Debug information: whole layouts, member types and enum values are read from it
	 * (pp_dwarf.c), and the link's complaints map to entries through it; a compile that asks
	 * no struct or enum does without (-g is about a third of such a compile's time). */
	if (!deps || pp_dwarf_wanted(&j->plan))
		pp_strv_push(argv, "-g");
	if (!link)
		pp_strv_push(argv, "-c");
	if (j->depfile && deps) {
		/* The main compile lists the headers it read, for the cache and --depfile; no extra
		 * invocation. */
		pp_strv_push(argv, "-MD");
		if (!second) {
			pp_strv_push(argv, "-MF");
			pp_strv_push(argv, j->depfile);
		}
	}
	pp_strv_push(argv, src);
	if (second) {
		pp_strv_push(argv, second);
	} else {
		pp_strv_push(argv, "-o");
		pp_strv_push(argv, out);
	}
	if (link)
		for (size_t i = 0; i < j->libs.n; i++)
			pp_strv_push(argv, j->libs.v[i]);
}

/* gcc's "Target:" is the configured triple even under -m32 or -mx32; the multiarch tuple
 * Debian's gcc hands cc1 (-imultiarch i386-linux-gnu) follows those flags, so it wins when
 * present. clang's "Target:" already follows them. */
static void pp_note_triple(pp_job *j, const char *err)
{
	if (j->triple)
		return;
	const char *ma = strstr(err, " -imultiarch ");
	if (ma) {
		ma += strlen(" -imultiarch ");
		size_t n = strcspn(ma, " \t\r\n'\"");
		if (n) {
			j->triple = pp_xstrndup(ma, n);
			return;
		}
	}
	char *line = pp_line_with(err, "Target: ");
	if (line) {
		const char *t = strstr(line, "Target: ") + 8;
		j->triple = pp_xstrdup(t);
		free(line);
	}
}

static pp_item *pp_item_at_line(pp_job *j, unsigned long line)
{
	if (line < 1 || line > j->plan.nitems)
		return NULL;
	return &j->plan.items[line - 1];
}

/* A field the compiler refused may be asked another way: a bit-field by its bits (it has no size
 * or type), a flexible array member by its element (sizeof refuses its incomplete type), a path
 * whose later names were kept from macro expansion as C reads it (pp_gen.c). */
static int pp_field_retry(pp_item *it, int bitfield, const char *text)
{
	if (it->kind != PP_ITEM_FIELD || it->state != PP_LIVE)
		return 0;
	if (bitfield)
		it->kind = PP_ITEM_BITFIELD;
	else if (strstr(text, "incomplete type"))
		it->kind = PP_ITEM_FLEXFIELD;
	else if (!it->cmeaning && pp_field_hides(it->entry->fields[it->field].name))
		it->cmeaning = 1;
	else
		return 0;
	return 1;
}

/* The compiler reports an undeclared name once in a file (or function): every other entry that
 * uses it as a name fails with it, or each next pass would find one more. */
static size_t pp_fail_undeclared(pp_job *j, const char *text)
{
	size_t n, failed = 0;
	const char *name = pp_undeclared_name(text, &n);
	for (size_t i = 0; name && i < j->plan.nitems; i++) {
		pp_item *it = &j->plan.items[i];
		if (it->state == PP_LIVE && pp_item_uses_name(it, name, n)) {
			pp_fail_item(it, PP_FAILED, text);
			failed++;
		}
	}
	return failed;
}

/* Reads the compiler's diagnostics: each error (with its notes) that points into the virtual file
 * fails the items at those lines. Returns how many items it failed; *stray gets the errors that
 * point at no item (the spec's headers, flags, or platprobe's frame). */
static size_t pp_isolate(pp_job *j, const char *err, pp_buf *stray)
{
	size_t failed = 0;
	j->pass++;
	const char *p = err;
	static const char vfile[] = PP_VIRTUAL_FILE ":";
	/* Lines of the current error block that name virtual lines, and its message. */
	unsigned long lines[64];
	size_t nlines = 0;
	char *msg = NULL;
	int bitfield = 0;
	for (;;) {
		const char *e = p && *p ? strchr(p, '\n') : NULL;
		size_t len = p && *p ? (e ? (size_t)(e - p) : strlen(p)) : 0;
		int at_end = !p || !*p;
		const char *errpos = at_end ? NULL : memmem(p, len, ": error: ", 9);
		const char *fatal = at_end ? NULL : memmem(p, len, ": fatal error: ", 15);
		if (at_end || errpos || fatal) {
			/* Close the previous block. */
			if (msg) {
				if (nlines == 0) {
					pp_buf_adds(stray, "\n  ");
					pp_buf_adds(stray, msg);
				}
				for (size_t i = 0; i < nlines; i++) {
					pp_item *it = pp_item_at_line(j, lines[i]);
					if (!it || it->kind == PP_ITEM_TARGET) {
						pp_buf_adds(stray, "\n  ");
						pp_buf_adds(stray, msg);
						continue;
					}
					const char *text = strstr(msg, "error: ");
					text = text ? text + 7 : msg;
					if (it->retyped == j->pass)
						continue; /* asked another way next pass: its other errors are moot */
					if (pp_field_retry(it, bitfield, text)) {
						it->retyped = j->pass;
						failed++;
						continue;
					}
					if (it->state == PP_LIVE) {
						int nonconst = strstr(text, "not constant") ||
						               strstr(text, "not a compile-time constant");
						pp_fail_item(it, nonconst ? PP_NONCONST : PP_FAILED, text);
						failed++;
						failed += pp_fail_undeclared(j, text);
					}
				}
				free(msg);
				msg = NULL;
			}
			if (at_end)
				break;
			nlines = 0;
			msg = pp_xstrndup(p, len);
			bitfield = strstr(msg, "bit-field") != NULL || strstr(msg, "bit field") != NULL;
		}
		/* Positions count on the error line itself and on notes that trace a macro expansion
		 * back to its use; other notes ("did you forget to #include", "previous declaration")
		 * may point anywhere, even at another item. */
		int counts = msg && (p == NULL || errpos || fatal ||
		                     (memmem(p, len, "note:", 5) && memmem(p, len, "macro", 5)));
		if (counts) {
			/* Collect every virtual-file position on this line. */
			const char *q = p;
			while ((q = memmem(q, len - (size_t)(q - p), vfile, sizeof vfile - 1))) {
				q += sizeof vfile - 1;
				char *endp;
				unsigned long ln = strtoul(q, &endp, 10);
				if (endp != q && nlines < 64) {
					int dup = 0;
					for (size_t i = 0; i < nlines; i++)
						dup |= lines[i] == ln;
					if (!dup)
						lines[nlines++] = ln;
				}
				if ((size_t)(q - p) >= len)
					break;
			}
		}
		p = e ? e + 1 : NULL;
	}
	/* A struct that fails takes its fields with it. */
	for (size_t i = 0; i < j->plan.nitems; i++) {
		pp_item *it = &j->plan.items[i];
		if (pp_item_is_field(it) && it->state == PP_LIVE) {
			for (size_t k = 0; k < j->plan.nitems; k++) {
				pp_item *s = &j->plan.items[k];
				if (s->kind == PP_ITEM_STRUCT && s->entry == it->entry && s->state != PP_LIVE)
					pp_fail_item(it, PP_FAILED, "its struct cannot be answered");
			}
		}
	}
	return failed;
}

/* Reads the linker's complaints: every undefined symbol that maps to a function item (by the
 * virtual line in its debug info, else by name) marks that item as not linking. */
static size_t pp_link_failures(pp_job *j, const char *err)
{
	size_t n = 0;
	for (const char *p = err; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *line = pp_xstrndup(p, len);
		p = e ? e + 1 : NULL;
		const char *u = strstr(line, "undefined reference to ");
		const char *sym = NULL;
		if (u)
			sym = u + 23;
		else if ((u = strstr(line, "undefined symbol: ")))
			sym = u + 18;
		if (!sym) {
			free(line);
			continue;
		}
		char name[256];
		size_t k = 0;
		while (*sym && strchr("`'\"_", *sym) && k == 0 && *sym != '_')
			sym++;
		while (*sym && *sym != '\'' && *sym != '`' && *sym != '"' && *sym != ' ' && k < 255)
			name[k++] = *sym++;
		name[k] = 0;
		pp_item *hit = NULL;
		const char *v = strstr(line, PP_VIRTUAL_FILE ":");
		if (v)
			hit = pp_item_at_line(j, strtoul(v + sizeof PP_VIRTUAL_FILE, NULL, 10));
		for (size_t i = 0; !hit && i < j->plan.nitems; i++) {
			pp_item *it = &j->plan.items[i];
			if (it->kind == PP_ITEM_FUNCTION && it->state == PP_LIVE &&
			    (strcmp(it->entry->name, name) == 0 ||
			     (name[0] == '_' && strcmp(it->entry->name, name + 1) == 0)))
				hit = it;
		}
		if (hit && hit->kind == PP_ITEM_FUNCTION && hit->links != 0) {
			hit->links = 0;
			free(hit->why);
			hit->why = pp_xasprintf("declared, but does not link: undefined reference to '%s'",
			                        name);
			n++;
		}
		free(line);
	}
	return n;
}

/* The failure memory's unit's diagnostics (after the compiler's line that names its source)
 * confirm or forget the remembered items; what remains of errout is the main unit's. Its status
 * counts only its own errors: r's status is fixed up by the caller's reading of errout. Returns
 * how many remembered items compile now. */
static size_t pp_memory_split(pp_job *j, pp_buf *errout, const char *memsrc)
{
	const char *all = pp_buf_str(errout), *cut = NULL;
	for (const char *s = all; s && *s;) {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		if (memmem(s, len, "cc1", 3) && memmem(s, len, memsrc, strlen(memsrc))) {
			cut = s;
			break;
		}
		s = eol ? eol + 1 : NULL;
	}
	size_t back = pp_memory_confirm(&j->plan, cut ? cut : "");
	if (cut) {
		/* Keep the driver's lines after the unit (the assembler's -v line), drop its errors. */
		pp_buf main = PP_BUF_INIT;
		pp_buf_add(&main, all, (size_t)(cut - all));
		for (const char *s = cut; s && *s;) {
			const char *eol = strchr(s, '\n');
			size_t len = eol ? (size_t)(eol - s) : strlen(s);
			if (!memmem(s, len, "error", 5) && !memmem(s, len, memsrc, strlen(memsrc)) &&
			    !memmem(s, len, PP_MEMORY_FILE, strlen(PP_MEMORY_FILE)))
				pp_buf_add(&main, s, eol ? len + 1 : len);
			s = eol ? eol + 1 : NULL;
		}
		pp_buf_free(errout);
		*errout = main;
	}
	return back;
}

/* Compiles (object mode: -c; run mode: to a program) with entry isolation. Returns 0 with the
 * output at out, or -1 after reporting why. */
static int pp_compile(pp_job *j, const char *top, enum pp_mode mode, const char *src,
                      const char *out, int link)
{
	int relinks = 0;
	for (int pass = 0;; pass++) {
		/* The failure memory's unit first (rendering it reassigns the plan's slots), then ours;
		 * it runs in the same compiler run, once. */
		char *memsrc = NULL;
		if (j->nremembered && pass == 0 && !strcmp(top, "object.c") && !link) {
			memsrc = pp_tmpdir_file(&j->tmp, "remembered.c");
			char *mtext = pp_memory_render(&j->plan);
			int w = pp_write_text(j, memsrc, mtext);
			free(mtext);
			if (w < 0) {
				free(memsrc);
				return -1;
			}
		}
		char *text = pp_gen_render(&j->plan, top, mode);
		int w = pp_write_text(j, src, text);
		free(text);
		if (w < 0) {
			free(memsrc);
			return -1;
		}
		pp_strv argv = { 0 };
		pp_compile_argv(j, &argv, src, out, link, strcmp(top, "link.c") != 0, memsrc);
		pp_proc_result r;
		int ran = pp_run_tool(j, &argv, "compiler", &r, memsrc ? j->tmp.path : NULL);
		pp_strv_free(&argv);
		if (ran < 0) {
			free(memsrc);
			pp_proc_result_free(&r);
			return -1;
		}
		size_t back = 0;
		if (memsrc) {
			back = pp_memory_split(j, &r.errout, memsrc);
			j->nremembered = 0;
			free(memsrc);
			if (back)
				pp_log(j, "platprobe: failure memory: %zu remembered entr%s compile%s now: asked "
				       "again", back, back == 1 ? "y" : "ies", back == 1 ? "s" : "");
			/* The run failed for the memory's errors, expected; ours decide. */
			const char *rest = pp_buf_str(&r.errout);
			if (r.exited && r.status != 0 && !strstr(rest, ": error: ") &&
			    !strstr(rest, ": fatal error: ") && access(out, F_OK) == 0)
				r.status = 0;
			if (back && r.status == 0) {
				pp_proc_result_free(&r);
				continue;
			}
		}
		const char *err = pp_buf_str(&r.errout);
		pp_note_triple(j, err);
		/* A clang behind a wrapper of another name: it says so in -v, and it stopped at its
		 * default limit of 20 errors; the next pass asks for all of them. */
		if (strstr(err, "clang version") || strstr(err, "too many errors emitted"))
			j->clang = 1;
		if (r.status == 0) {
			if (strcmp(top, "link.c")) {
				free(j->main_err);
				j->main_err = pp_xstrdup(err);
			}
			pp_proc_result_free(&r);
			return 0;
		}
		pp_buf stray = PP_BUF_INIT;
		size_t dropped = 0;
		/* The linker's complaints come with "collect2: error:", so tell them apart first. */
		int link_errors = link && (strstr(err, "undefined reference to ") ||
		                           strstr(err, "undefined symbol: "));
		int compile_errors = !link_errors && (strstr(err, ": error: ") ||
		                                      strstr(err, ": fatal error: "));
		if (compile_errors)
			dropped = pp_isolate(j, err, &stray);
		else if (link_errors && relinks < 1 && (dropped = pp_link_failures(j, err)) > 0)
			relinks++;
		int last = compile_errors ? pass + 1 >= PP_MAX_COMPILES + relinks : relinks > 1;
		if (stray.len || !dropped || last) {
			/* A linker's complaints ("cannot find crt1.o") are not "error:" lines: quote all. */
			if (link && stray.len)
				pp_buf_free(&stray);
			char *lines = stray.len ? NULL : pp_error_lines(err);
			pp_diag_add(j->d, "%s: error: compiler '%s' failed%s:%s", j->spec->filename,
			            j->cc_name, dropped ? " even after dropping the entries it rejected" :
			            stray.len ? " on something no spec entry explains (headers, defines, flags)" : "",
			            stray.len ? pp_buf_str(&stray) : lines);
			free(lines);
			pp_buf_free(&stray);
			pp_proc_result_free(&r);
			j->failed = 1;
			return -1;
		}
		pp_buf_free(&stray);
		pp_proc_result_free(&r);
	}
}

/* ---- decoding ---- */

/* A slot's value; 0 when the item has no such slot. A yes/no answer is read as slot != 0: the
 * table holds C's 0 or 1, and anything else must still mean what the result (true) says. */
static uint64_t pp_slot(const pp_table *t, const pp_item *it, const char *name)
{
	long i = pp_item_slot(it, name);
	return i < 0 ? 0 : pp_table_slot(t, (size_t)i);
}

static void pp_tfacts_read(const pp_table *t, const pp_item *it, pp_tfacts *f, const char *name)
{
	memset(f, 0, sizeof *f);
	f->size = pp_slot(t, it, "size");
	f->align = pp_slot(t, it, "align");
	f->palign = pp_slot(t, it, "palign");
	uint64_t cls = pp_slot(t, it, "class"), shape = pp_slot(t, it, "shape");
	uint64_t elem = pp_slot(t, it, "elem");
	f->is_signed = -1;
	if (shape == 2) {
		f->kind = PP_K_FUNCTION;
	} else if (shape == 1 || cls == 14) {
		f->kind = PP_K_ARRAY;
		f->count = elem ? f->size / elem : 0;
	} else {
		switch (cls) {
		case 0: f->kind = PP_K_VOID; break;
		case 1: case 2: case 4: f->kind = PP_K_INT; break;
		case 3: f->kind = PP_K_ENUM; break;
		case 5: f->kind = PP_K_POINTER; break;
		case 8: f->kind = PP_K_FLOAT; break;
		case 9: f->kind = PP_K_COMPLEX; break;
		case 12: f->kind = PP_K_STRUCT; break;
		case 13: f->kind = PP_K_UNION; break;
		default: f->kind = PP_K_OTHER; break;
		}
	}
	/* GNU C's classifier calls enums integers; a name written "enum TAG" is one for sure. */
	if (f->kind == PP_K_INT && name && strncmp(name, "enum", 4) == 0 &&
	    (name[4] == ' ' || name[4] == '\t'))
		f->kind = PP_K_ENUM;
	if (f->kind == PP_K_INT || f->kind == PP_K_ENUM)
		f->is_signed = pp_slot(t, it, "signed") != 0;
}

static const unsigned char *pp_value_bytes(const pp_table *t, const pp_item *it, const char *name,
                                           size_t *n)
{
	const pp_slotname *v = pp_item_value(it, name);
	if (!v)
		return NULL;
	uint64_t off = pp_table_slot(t, v->slot), size = pp_table_slot(t, v->slot + 1);
	if (off > t->size || size > t->size - off)
		return NULL;
	*n = (size_t)size;
	return t->base + off;
}

/* Fills res from the table for one live item; on a decode-level refusal, fails the item. */
static void pp_decode_item(const pp_table *t, pp_item *it, pp_result *res, enum pp_mode mode)
{
	pp_entry *e = it->entry;
	pp_eres *er = e ? &res->e[e->sec][e->index] : NULL;
	switch (it->kind) {
	case PP_ITEM_TARGET: {
		pp_target *tg = &res->target;
		tg->pointer_size = (unsigned)pp_slot(t, it, "pointer_size");
		tg->int_size = (unsigned)pp_slot(t, it, "int_size");
		tg->long_size = (unsigned)pp_slot(t, it, "long_size");
		tg->llong_size = (unsigned)pp_slot(t, it, "llong_size");
		tg->char_signed = pp_slot(t, it, "char_signed") != 0;
		tg->ldbl_mant = (unsigned)pp_slot(t, it, "ldbl_mant");
		tg->big_endian = t->big_endian;
		uint64_t id = pp_slot(t, it, "cc_id");
		tg->compiler_version = pp_xasprintf("%s %llu.%llu.%llu", id == 2 ? "clang" :
		                                    id == 1 ? "gcc" : "unknown",
		                                    (unsigned long long)pp_slot(t, it, "cc_major"),
		                                    (unsigned long long)pp_slot(t, it, "cc_minor"),
		                                    (unsigned long long)pp_slot(t, it, "cc_patch"));
		unsigned i = tg->int_size, l = tg->long_size, p = tg->pointer_size;
		tg->data_model = pp_xstrdup(i == 4 && l == 4 && p == 4 ? "ILP32" :
		                            i == 4 && l == 8 && p == 8 ? "LP64" :
		                            i == 4 && l == 4 && p == 8 ? "LLP64" :
		                            i == 8 && l == 8 && p == 8 ? "ILP64" :
		                            i == 2 && l == 4 && p == 4 ? "LP32" : "other");
		break;
	}
	case PP_ITEM_TYPE:
	case PP_ITEM_STRUCT:
	case PP_ITEM_ENUM:
		pp_tfacts_read(t, it, &er->t, e->name);
		if (it->kind == PP_ITEM_STRUCT && er->t.kind != PP_K_STRUCT && er->t.kind != PP_K_UNION) {
			char *why = pp_xasprintf("not a struct or union (it is %s %s); list it under "
			                         "\"types\"", er->t.kind == PP_K_INT ||
			                         er->t.kind == PP_K_ARRAY ? "an" : "a",
			                         pp_kind_names[er->t.kind]);
			pp_fail_item(it, PP_FAILED, why);
			free(why);
		}
		break;
	case PP_ITEM_FIELD:
	case PP_ITEM_FLEXFIELD: {
		pp_fres *f = &er->fields[it->field];
		pp_tfacts_read(t, it, &f->t, NULL);
		f->offset = pp_slot(t, it, "offset");
		f->cmeaning = it->cmeaning;
		break;
	}
	case PP_ITEM_BITFIELD: {
		pp_fres *f = &er->fields[it->field];
		size_t n;
		const unsigned char *img = pp_value_bytes(t, it, "image", &n);
		long first = -1, last = -1;
		for (size_t byte = 0; img && byte < n; byte++)
			for (int bit = 0; bit < 8; bit++)
				if (img[byte] & (1u << bit)) {
					/* Bit numbers count from the struct's start: from each byte's least
					 * significant bit on little-endian targets, its most significant on big. */
					long pos = (long)byte * 8 + (t->big_endian ? 7 - bit : bit);
					if (first < 0 || pos < first)
						first = pos;
					if (pos > last)
						last = pos;
				}
		if (first < 0) {
			pp_fail_item(it, PP_FAILED, "a zero-width bit-field, or no bits set in its image");
			break;
		}
		f->is_bitfield = 1;
		f->bit_offset = (uint64_t)first;
		f->bit_size = (uint64_t)(last - first + 1);
		f->offset = f->bit_offset / 8;
		f->t.size = (f->bit_offset % 8 + f->bit_size + 7) / 8;
		f->t.kind = PP_K_INT;
		f->t.is_signed = -1;
		break;
	}
	case PP_ITEM_CONSTANT: {
		uint64_t cls = pp_slot(t, it, "class");
		int is_str = pp_slot(t, it, "string") != 0;
		if (mode == PP_MODE_OBJECT && !pp_slot(t, it, "constant")) {
			pp_fail_item(it, PP_NONCONST, "its value is an address or otherwise known only at "
			             "run time");
			break;
		}
		size_t n;
		const unsigned char *v = pp_value_bytes(t, it, "value", &n);
		if (!v) {
			pp_fail_item(it, PP_FAILED, "its value is missing from the answer table");
			break;
		}
		er->csize = (int)n; /* the constant's own type: constant_types in the result */
		if (is_str) {
			er->cv = PP_CV_STRING;
			er->strlen = n ? n - 1 : 0;
			er->str = pp_xstrndup((const char *)v, er->strlen);
		} else if (cls == 8) {
			int frc = pp_float_decode(v, n, t->big_endian, pp_slot(t, it, "ldouble") != 0,
			                          res->target.ldbl_mant, &er->d);
			if (frc != 0) {
				pp_fail_item(it, PP_FAILED, frc > 0 ? "a long double that a double cannot hold "
				             "exactly" : "a float of a size platprobe cannot read");
				break;
			}
			er->cv = PP_CV_FLOAT;
		} else if (cls >= 1 && cls <= 5) {
			int sgn = cls != 5 && pp_slot(t, it, "signed") != 0;
			int rc = pp_table_int(t, (size_t)(v - t->base), n, sgn, &er->u, &er->neg);
			if (rc != 0) {
				pp_fail_item(it, PP_FAILED, rc == -2 ? "an integer wider than 64 bits" :
				             "an integer of an unexpected size");
				break;
			}
			er->cv = PP_CV_INT;
			er->csigned = sgn;
			er->cptr = cls == 5;
		} else {
			pp_fail_item(it, PP_FAILED, cls == 9 ? "a complex number; constants must be integers, "
			             "floats or strings" : "not an integer, float or string (a struct, array "
			             "or function?)");
		}
		break;
	}
	case PP_ITEM_DEFINED:
		er->yes = pp_slot(t, it, "defined") != 0;
		if (!er->yes && !e->optional)
			pp_fail_item(it, PP_FAILED, "not defined");
		break;
	case PP_ITEM_FUNCTION:
		break;
	}
}

void pp_decode_table(pp_plan *p, const pp_table *t, pp_result *res, enum pp_mode mode)
{
	for (size_t i = 0; i < p->nitems; i++)
		if (p->items[i].state == PP_LIVE)
			pp_decode_item(t, &p->items[i], res, mode);
}

int pp_fres_cmp(const void *a, const void *b)
{
	const pp_fres *x = a, *y = b;
	uint64_t xo = x->is_bitfield ? x->bit_offset : x->offset * 8;
	uint64_t yo = y->is_bitfield ? y->bit_offset : y->offset * 8;
	if (xo != yo)
		return xo < yo ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

pp_result *pp_result_alloc(const pp_spec *spec)
{
	pp_result *r = pp_xcalloc(1, sizeof *r);
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		r->n[sec] = spec->nentries[sec];
		r->e[sec] = pp_xcalloc(r->n[sec], sizeof(pp_eres));
		for (size_t i = 0; i < r->n[sec]; i++) {
			const pp_entry *e = &spec->entries[sec][i];
			pp_eres *er = &r->e[sec][i];
			er->name = pp_xstrdup(e->name);
			er->answered = 1;
			if (e->nfields) {
				er->fields = pp_xcalloc(e->nfields, sizeof(pp_fres));
				er->nfields = e->nfields;
				for (size_t f = 0; f < e->nfields; f++) {
					er->fields[f].name = pp_xstrdup(e->fields[f].name);
					er->fields[f].answered = 1;
					er->fields[f].order = f;
				}
			}
		}
	}
	return r;
}

void pp_result_free(pp_result *r)
{
	if (!r)
		return;
	free(r->target.triple);
	free(r->target.compiler);
	free(r->target.compiler_version);
	free(r->target.data_model);
	pp_strv_free(&r->deps);
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		for (size_t i = 0; i < r->n[sec]; i++)
			pp_eres_clear(&r->e[sec][i]);
		free(r->e[sec]);
	}
	free(r);
}

/* Turns item states into answers and errors: a required entry that failed is an error naming it
 * and quoting the compiler; an optional one is null (false); optional fields are left out. */
int pp_settle(pp_plan *p, pp_result *res, enum pp_mode mode, pp_diag *d)
{
	int bad = 0;
	pp_buf label = PP_BUF_INIT;
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		pp_entry *e = it->entry;
		if (!e)
			continue;
		pp_eres *er = &res->e[e->sec][e->index];
		int is_field = pp_item_is_field(it);
		int ok = it->state == PP_LIVE && !(it->kind == PP_ITEM_FUNCTION && it->links == 0);
		if (it->kind == PP_ITEM_FUNCTION)
			er->yes = ok;
		if (ok)
			continue;
		if (is_field && e->fields[it->field].optional) {
			er->fields[it->field].answered = 0;
			continue;
		}
		if (is_field) {
			/* Find the struct's own item: a struct that failed already said why. */
			pp_item *s = it - 1 - it->field;
			if (s->state != PP_LIVE)
				continue;
		}
		er->answered = 0;
		if (e->optional)
			continue;
		const char *why = it->why ? it->why : "cannot be answered";
		pp_item_label(it, &label);
		if (it->state == PP_NONCONST && mode == PP_MODE_OBJECT)
			pp_diag_add(d, "%s: error: %s: not a compile-time constant, so object mode cannot "
			            "read it (answer it with --mode run): %s", p->spec->filename,
			            pp_buf_str(&label), why);
		else if (it->kind == PP_ITEM_FUNCTION)
			pp_diag_add(d, "%s: error: %s: not found: %s", p->spec->filename,
			            pp_buf_str(&label), why);
		else
			pp_diag_add(d, "%s: error: %s: %s", p->spec->filename, pp_buf_str(&label), why);
		bad = 1;
	}
	pp_buf_free(&label);
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		for (size_t i = 0; i < res->n[sec]; i++) {
			pp_eres *er = &res->e[sec][i];
			if (er->nfields)
				qsort(er->fields, er->nfields, sizeof(pp_fres), pp_fres_cmp);
		}
	return bad;
}

static int pp_hex_decode(const char *s, pp_buf *out)
{
	static const char hex[] = "0123456789abcdef";
	for (; *s && *s != '\n' && *s != '\r'; s += 2) {
		const char *a = strchr(hex, s[0]), *b = s[1] ? strchr(hex, s[1]) : NULL;
		if (!a || !b || !s[0] || !s[1])
			return -1;
		char c = (char)(((a - hex) << 4) | (b - hex));
		pp_buf_addc(out, c);
	}
	return 0;
}

/* Gets the table's bytes: from the object file, or by running the program. */
static int pp_read_back(pp_job *j, enum pp_mode mode, const char *out, pp_buf *bytes)
{
	if (mode == PP_MODE_OBJECT) {
		if (pp_buf_read_file(bytes, out) < 0) {
			pp_diag_add(j->d, "platprobe: error: compiler '%s' wrote no object file %s: %s",
			            j->cc_name, out, strerror(errno));
			return -1;
		}
		return 0;
	}
	pp_strv argv = { 0 };
	char *guess = j->o->exec_wrapper ? NULL : pp_guess_wrapper(j->triple, j->o->sysroot);
	const char *wrapper = j->o->exec_wrapper ? j->o->exec_wrapper : guess;
	if (wrapper)
		pp_strv_split(&argv, wrapper);
	pp_strv_push(&argv, out);
	free(guess);
	pp_proc_result r;
	int rc = pp_run_tool(j, &argv, wrapper ? "probe program (through the exec wrapper)" :
	                     "probe program", &r, NULL);
	if (rc == 0 && r.status != 0) {
		char *lines = pp_error_lines(pp_buf_str(&r.errout));
		pp_diag_add(j->d, "platprobe: error: the probe program exited with status %d:%s", r.status,
		            lines);
		free(lines);
		rc = -1;
	}
	if (rc == 0 && pp_hex_decode(pp_buf_str(&r.out), bytes) < 0) {
		pp_diag_add(j->d, "platprobe: error: the probe program printed something other than its "
		            "table");
		rc = -1;
	}
	pp_proc_result_free(&r);
	pp_strv_free(&argv);
	return rc;
}

static void pp_find_triple(pp_job *j)
{
	if (j->triple)
		return;
	pp_strv argv = { 0 };
	for (size_t i = 0; i < j->cc.n; i++)
		pp_strv_push(&argv, j->cc.v[i]);
	pp_strv_push(&argv, "-dumpmachine");
	pp_log_argv(j->o, argv.v);
	pp_proc_result r;
	pp_proc_opts po = { j->o->timeout, 1, j->tmp.path, NULL };
	pp_proc_run(argv.v, &po, &r);
	if (r.exited && r.status == 0 && r.out.len) {
		char *nl = strchr(r.out.s, '\n');
		j->triple = nl ? pp_xstrndup(r.out.s, (size_t)(nl - r.out.s)) : pp_xstrdup(r.out.s);
	}
	pp_proc_result_free(&r);
	pp_strv_free(&argv);
}

/* A cache hit: the cached items' states and table, decoded as a fresh table would be. */
static int pp_finish_cached(pp_job *j, enum pp_mode mode, pp_buf *bytes, const char *triple,
                            const char *object, int dwarf, pp_strv *headers, pp_result **out)
{
	pp_gen_assign(&j->plan);
	pp_table t;
	char *why = NULL;
	if (pp_scan((const unsigned char *)pp_buf_str(bytes), bytes->len, j->plan.nslots, &t, &why) < 0) {
		pp_diag_add(j->d, "platprobe: error: cached answers unreadable (%s): remove %s", why,
		            j->o->cache_dir);
		free(why);
		return PP_EANSWER;
	}
	pp_result *res = pp_result_alloc(j->spec);
	pp_decode_table(&j->plan, &t, res, mode);
	if (pp_dwarf_wanted(&j->plan)) {
		/* A cached object that cannot be read is a miss, not the user's error. */
		pp_diag *quiet = pp_diag_new();
		int bad = !object || (dwarf && !pp_dwarf_readable(object, j->plan.nitems)) ||
		          pp_dwarf_apply(&j->plan, res, object, j->spec->filename, quiet) < 0;
		pp_diag_free(quiet);
		if (bad) {
			pp_result_free(res);
			return -1;
		}
	}
	res->target.triple = pp_xstrdup(triple ? triple : "unknown");
	res->target.compiler = pp_xstrdup(j->cc_name);
	res->deps = *headers; /* what the compile read: --depfile needs them from a hit too */
	res->have_deps = 1;
	memset(headers, 0, sizeof *headers);
	int rc = pp_settle(&j->plan, res, mode, j->d) ? PP_EANSWER : PP_OK;
	*out = res;
	return rc;
}

/* The cache key: everything the answers depend on but the headers (checked by content when an
 * entry is loaded) and the programs the driver runs (checked by size and mtime). */
/* entries 0: the failure memory's key, everything but the entries. */
static void pp_cache_key(pp_job *j, char key[33], int entries)
{
	pp_hash h;
	pp_hash_init(&h);
	char format[64];
	snprintf(format, sizeof format, "platprobe %s cache 1 mode %d", PP_VERSION, (int)j->o->mode);
	pp_hash_str(&h, format);
	pp_templates_hash(&h);
	pp_hash_str(&h, j->o->exec_wrapper);
	pp_hash_str(&h, j->o->sysroot);
	for (size_t i = 0; i < j->cc.n; i++)
		pp_hash_str(&h, j->cc.v[i]);
	char *path = pp_which(j->cc.v[0]);
	char *id = path ? pp_cache_identity(path) : NULL;
	pp_hash_str(&h, path);
	pp_hash_str(&h, id);
	free(path);
	free(id);
	for (size_t i = 0; i < j->flags.n; i++)
		pp_hash_str(&h, j->flags.v[i]);
	pp_hash_str(&h, "--libs--");
	for (size_t i = 0; i < j->libs.n; i++)
		pp_hash_str(&h, j->libs.v[i]);
	const pp_spec *s = j->spec;
	for (size_t i = 0; i < s->ndefines; i++) {
		pp_hash_str(&h, s->defines[i].name);
		pp_hash_str(&h, s->defines[i].value);
	}
	pp_hash_str(&h, "--headers--");
	for (size_t i = 0; i < s->headers.n; i++)
		pp_hash_str(&h, s->headers.v[i]);
	pp_hash_str(&h, "--optional headers--");
	for (size_t i = 0; i < s->optional_headers.n; i++)
		pp_hash_str(&h, s->optional_headers.v[i]);
	for (int sec = 0; entries && sec < PP_NSECTIONS; sec++) {
		pp_hash_str(&h, pp_section_names[sec]);
		for (size_t i = 0; i < s->nentries[sec]; i++) {
			const pp_entry *e = &s->entries[sec][i];
			pp_hash_str(&h, e->name);
			pp_hash_add(&h, &e->optional, sizeof e->optional);
			pp_hash_add(&h, &e->nfields, sizeof e->nfields);
			for (size_t f = 0; f < e->nfields; f++) {
				pp_hash_str(&h, e->fields[f].name);
				pp_hash_add(&h, &e->fields[f].optional, sizeof e->fields[f].optional);
			}
		}
	}
	pp_hash_hex(&h, key);
}

/* headers: what the main compile read (our own generated file left out); the driver itself and
 * the programs it ran are dependencies too. */
static void pp_cache_save(pp_job *j, const char *key, const pp_table *t, const char *object,
                          const pp_strv *headers)
{
	pp_strv tools = { 0 };
	char *driver = pp_which(j->cc.v[0]);
	if (driver)
		pp_strv_push_own(&tools, driver);
	pp_cache_tools_from_v(j->main_err, &tools, pp_which);
	if (headers->n && pp_cache_store(j->o->cache_dir, key, &j->plan, j->triple, t->base, t->size,
	                                 headers, &tools, pp_dwarf_wanted(&j->plan) ? object : NULL,
	                                 pp_dwarf_readable(object, j->plan.nitems), j->d) == 0)
		pp_log(j, "platprobe: cache: stored %s/%s.json", j->o->cache_dir, key);
	pp_strv_free(&tools);
}

/* Object mode links once for the functions, and that link parses every header again, as long
 * as the object compile does. So it starts at once, beside the compile, from the plan as it
 * stands: when it links and the compile dropped no function, that is the answer (the probe
 * takes the longer of the two, not their sum); otherwise it is thrown away and the link runs
 * again after the compile, as it would have without it (one invocation more, only then). */
typedef struct pp_early {
	int started;
	pthread_t th;
	size_t nfn;      /* live function items when it started */
	pp_strv argv;
	pp_proc_opts po;
	pp_proc_result r;
} pp_early;

static size_t pp_live_functions(const pp_plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nitems; i++)
		n += p->items[i].kind == PP_ITEM_FUNCTION && p->items[i].state == PP_LIVE;
	return n;
}

static void *pp_early_main(void *arg)
{
	pp_early *e = arg;
	pp_proc_run(e->argv.v, &e->po, &e->r);
	return NULL;
}

static void pp_early_start(pp_job *j, pp_early *e)
{
	memset(e, 0, sizeof *e);
	e->nfn = pp_live_functions(&j->plan);
	if (!e->nfn)
		return;
	char *src = pp_tmpdir_file(&j->tmp, "link-early.c");
	char *exe = pp_tmpdir_file(&j->tmp, "link-early.exe");
	char *text = pp_gen_render(&j->plan, "link.c", PP_MODE_OBJECT);
	int w = pp_write_text(j, src, text);
	free(text);
	if (w == 0) {
		pp_compile_argv(j, &e->argv, src, exe, 1, 0, NULL);
		e->po = (pp_proc_opts){ j->o->timeout, 1, j->tmp.path, NULL };
		pp_log_argv(j->o, e->argv.v);
		e->started = pthread_create(&e->th, NULL, pp_early_main, e) == 0;
	}
	free(src);
	free(exe);
}

/* Waits for the early link; true when its answer stands: it linked every function the plan
 * still holds live (the same ones it was given). */
static int pp_early_finish(pp_job *j, pp_early *e)
{
	if (!e->started)
		return 0;
	pthread_join(e->th, NULL);
	e->started = 0;
	return e->r.started && e->r.exited && e->r.status == 0 && !pp_signal_pending() &&
	       pp_live_functions(&j->plan) == e->nfn;
}

static void pp_early_free(pp_job *j, pp_early *e)
{
	pp_early_finish(j, e);
	pp_proc_result_free(&e->r);
	pp_strv_free(&e->argv);
}

int pp_probe(const pp_spec *spec, const pp_options *o, pp_result **out, pp_diag *d)
{
	*out = NULL;
	pp_job j;
	pp_job_init(&j, spec, o, d);
	if (j.failed) {
		pp_job_free(&j);
		return PP_EANSWER;
	}
	enum pp_mode mode = o->mode;
	pp_add_pkg_flags(&j);
	char key[33] = "";
	/* "libraries" answers depend on the installed libraries, not on what the compile read, and
	 * come from a link of their own: such a spec is probed afresh every time. */
	int cacheable = spec->nentries[PP_LIBRARIES] == 0;
	if (o->cache_dir && !cacheable)
		pp_log(&j, "platprobe: cache: not used (\"libraries\" are looked up on every run)");
	if (o->cache_dir && cacheable && !j.failed) {
		pp_cache_key(&j, key, 1);
		pp_buf cached = PP_BUF_INIT;
		const char *why = NULL;
		char *triple = NULL, *object = NULL;
		int dwarf = 0;
		pp_strv headers = { 0 };
		if (pp_cache_load(o->cache_dir, key, &j.plan, &triple, &cached, &object, &dwarf, &headers,
		                  &why) == 0) {
			pp_log(&j, "platprobe: cache: hit %s/%s.json", o->cache_dir, key);
			int rc = pp_finish_cached(&j, mode, &cached, triple, object, dwarf, &headers, out);
			pp_strv_free(&headers);
			free(triple);
			free(object);
			pp_buf_free(&cached);
			if (rc >= 0) {
				pp_job_free(&j);
				return rc;
			}
			why = "its object is unreadable";
			pp_plan_free(&j.plan); /* the entry's states went into it: start afresh */
			pp_plan_init(&j.plan, spec);
		} else {
			pp_buf_free(&cached);
		}
		pp_log(&j, "platprobe: cache: miss (%s)", why);
	}
	if (*key && mode == PP_MODE_OBJECT && pp_proc_can_chdir()) {
		char mkey[33];
		pp_cache_key(&j, mkey, 0);
		j.memory = pp_xasprintf("%s/%s.failures.json", o->cache_dir, mkey);
		j.nremembered = pp_memory_load(j.memory, &j.plan);
		if (j.nremembered)
			pp_log(&j, "platprobe: failure memory: %zu entr%s left out, checked beside the "
			       "compile (%s)", j.nremembered, j.nremembered == 1 ? "y" : "ies", j.memory);
	}
	j.tmp.keep = o->keep_temps;
	if (pp_tmpdir_make(&j.tmp, d) < 0) {
		pp_job_free(&j);
		return PP_EANSWER;
	}
	if (o->keep_temps)
		pp_log(&j, "platprobe: keeping temp files in %s", j.tmp.path);
	if (*key || o->deps)
		j.depfile = pp_tmpdir_file(&j.tmp, "probe.d");
	char *src = pp_tmpdir_file(&j.tmp, mode == PP_MODE_RUN ? "probe-run.c" : "probe.c");
	/* ".exe": a Windows target's driver would add it to any other name. */
	char *obj = pp_tmpdir_file(&j.tmp, mode == PP_MODE_RUN ? "probe-run.exe" : "probe.o");
	pp_result *res = NULL;
	pp_strv deps = { 0 };
	int rc = PP_EANSWER, libs_bad = 0, early_linked = 0;
	pp_early early = { 0 };
	if (j.failed)
		goto done;
	if (mode == PP_MODE_OBJECT)
		pp_early_start(&j, &early);
	int crc = pp_compile(&j, mode == PP_MODE_RUN ? "run.c" : "object.c", mode, src, obj,
	                     mode == PP_MODE_RUN);
	early_linked = pp_early_finish(&j, &early);
	if (crc < 0 || (j.depfile && pp_dep_read(j.depfile, j.tmp.path, &deps, d) < 0))
		goto done;
	if (j.memory && !pp_signal_pending())
		pp_memory_save(j.memory, &j.plan); /* what this compile refused, before decoding */
	pp_buf bytes = PP_BUF_INIT;
	if (pp_read_back(&j, mode, obj, &bytes) < 0) {
		pp_buf_free(&bytes);
		goto done;
	}
	pp_table t;
	char *why = NULL;
	if (pp_scan((const unsigned char *)pp_buf_str(&bytes), bytes.len, j.plan.nslots, &t, &why) < 0) {
		pp_diag_add(d, "platprobe: error: %s", why);
		free(why);
		pp_buf_free(&bytes);
		goto done;
	}
	res = pp_result_alloc(spec);
	res->deps = deps; /* for the cache and --depfile */
	res->have_deps = j.depfile != NULL;
	memset(&deps, 0, sizeof deps);
	pp_decode_table(&j.plan, &t, res, mode);
	if (pp_dwarf_wanted(&j.plan) && pp_dwarf_apply(&j.plan, res, obj, spec->filename, d) < 0) {
		pp_buf_free(&bytes);
		goto done;
	}

	/* Object mode links once, for every declared function at once (beside the compile when
	 * that link stands). */
	if (mode == PP_MODE_OBJECT && early_linked)
		pp_log(&j, "platprobe: the link beside the compile found every function");
	else if (mode == PP_MODE_OBJECT && pp_live_functions(&j.plan)) {
		char *lsrc = pp_tmpdir_file(&j.tmp, "link.c");
		char *lexe = pp_tmpdir_file(&j.tmp, "link.exe");
		int lrc = pp_compile(&j, "link.c", PP_MODE_OBJECT, lsrc, lexe, 1);
		free(lsrc);
		free(lexe);
		if (lrc < 0) {
			pp_buf_free(&bytes);
			goto done;
		}
	}
	if (spec->nentries[PP_LIBRARIES]) {
		pp_linkenv env = { spec, o, d, &j.cc, &j.flags, &j.libs, &j.tmp };
		libs_bad = pp_libs_probe(&env, res);
		if (libs_bad < 0)
			goto done;
	}
	pp_find_triple(&j);
	res->target.triple = pp_xstrdup(j.triple ? j.triple : "unknown");
	res->target.compiler = pp_xstrdup(j.cc_name);
	rc = pp_settle(&j.plan, res, mode, d) || libs_bad ? PP_EANSWER : PP_OK;
	if (rc == PP_OK && *key && !pp_signal_pending())
		pp_cache_save(&j, key, &t, obj, &res->deps);
	pp_buf_free(&bytes);
	*out = res;
	res = NULL;
done:
	pp_early_free(&j, &early);
	pp_result_free(res);
	pp_strv_free(&deps);
	free(src);
	free(obj);
	if (pp_signal_pending() && rc == PP_OK)
		rc = PP_EANSWER;
	pp_job_free(&j);
	return rc;
}

const char *pp_result_triple(const pp_result *r)
{
	return r->target.triple;
}

/* ---- several targets at once ---- */

typedef struct pp_many {
	const pp_spec *spec;
	pp_options *const *opts;
	size_t n;
	pp_result **results;
	pp_diag **diags;
	int *status;
	pthread_mutex_t lock;
	size_t next;
} pp_many;

static void *pp_many_worker(void *arg)
{
	pp_many *m = arg;
	for (;;) {
		pthread_mutex_lock(&m->lock);
		size_t i = m->next++;
		pthread_mutex_unlock(&m->lock);
		if (i >= m->n)
			return NULL;
		m->status[i] = pp_probe(m->spec, m->opts[i], &m->results[i], m->diags[i]);
	}
}

static const char *pp_target_label(const pp_options *o, const pp_result *r)
{
	if (r)
		return r->target.triple;
	if (o->target)
		return o->target;
	return o->cc ? o->cc : "default";
}

int pp_probe_many(const pp_spec *spec, pp_options *const *opts, size_t n, pp_result **results,
                  pp_diag *d)
{
	pp_many m;
	memset(&m, 0, sizeof m);
	m.spec = spec;
	m.opts = opts;
	m.n = n;
	m.results = results;
	m.diags = pp_xcalloc(n, sizeof(pp_diag *));
	m.status = pp_xcalloc(n, sizeof(int));
	for (size_t i = 0; i < n; i++)
		m.diags[i] = pp_diag_new();
	pthread_mutex_init(&m.lock, NULL);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cores > 0 ? (size_t)cores : 1;
	if (nthreads > n)
		nthreads = n;
	pthread_t *th = pp_xcalloc(nthreads, sizeof(pthread_t));
	size_t started = 0;
	for (size_t t = 0; t < nthreads; t++)
		if (pthread_create(&th[t], NULL, pp_many_worker, &m) == 0)
			started++;
	if (!started)
		pp_many_worker(&m); /* no threads to be had: one after the other */
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	int worst = PP_OK;
	for (size_t i = 0; i < n; i++) {
		const char *label = pp_target_label(opts[i], results[i]);
		for (size_t k = 0; k < pp_diag_count(m.diags[i]); k++)
			pp_diag_add(d, "[%s] %s", label, pp_diag_message(m.diags[i], k));
		if (m.status[i] > worst)
			worst = m.status[i];
		if (m.status[i] != PP_OK) {
			pp_result_free(results[i]);
			results[i] = NULL;
		}
		pp_diag_free(m.diags[i]);
	}
	pthread_mutex_destroy(&m.lock);
	free(th);
	free(m.diags);
	free(m.status);
	return worst;
}
