/* pp_toolchain.c: the compiler and its surroundings for one probe: the compiler's words and flags
 * (environment, spec, pkg-config), its command lines, running it, the target's triple, and
 * getting the answer table's bytes back (the object file, or the probe program's output). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pp_job.h"

void pp_log(const pp_job *j, const char *fmt, ...)
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

int pp_write_text(pp_job *j, const char *path, const char *text)
{
	return pp_write_temp(path, text, strlen(text), j->d);
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
char *pp_error_lines(const char *err)
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
		{ "mipsisa32r6el", "mipsel" }, { "mipsisa32r6", "mips" }, { NULL, NULL } };
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
		/* A MIPS release 6 program needs a release 6 CPU; qemu's default is release 2. */
		const char *cpu = strncmp(triple, "mipsisa32r6", 11) == 0 ? " -cpu mips32r6-generic" : "";
		if (path)
			wrapper = access(libs, F_OK) == 0 ? pp_xasprintf("%s%s -L %s", path, cpu, libs)
			                                  : pp_xasprintf("%s%s", path, cpu);
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
int pp_run_tool(pp_job *j, pp_strv *argv, const char *what, pp_proc_result *r)
{
	pp_log_argv(j->o, argv->v);
	pp_proc_opts po = { j->o->timeout, 1, j->tmp.path };
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

static void *pp_bg_main(void *arg)
{
	pp_bg *b = arg;
	pp_proc_run(b->argv.v, &b->po, &b->r);
	return NULL;
}

void pp_bg_start(pp_job *j, pp_bg *b)
{
	memset(&b->r, 0, sizeof b->r);
	b->po = (pp_proc_opts){ j->o->timeout, 1, j->tmp.path };
	pp_log_argv(j->o, b->argv.v);
	b->started = pthread_create(&b->th, NULL, pp_bg_main, b) == 0;
}

void pp_bg_join(pp_bg *b)
{
	if (b->started)
		pthread_join(b->th, NULL);
	b->started = 0;
}

void pp_bg_free(pp_bg *b)
{
	pp_bg_join(b);
	pp_proc_result_free(&b->r);
	pp_strv_free(&b->argv);
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
	int rc = pp_run_tool(j, &argv, "pkg-config", r);
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
void pp_add_pkg_flags(pp_job *j)
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

void pp_job_init(pp_job *j, const pp_spec *spec, const pp_options *o, pp_diag *d)
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

void pp_job_free(pp_job *j)
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

/* cc [flags] our-options src -o out [libs]. deps: the main compile (it writes the depfile);
 * errors_only: only the diagnostics are read (the failure memory's unit), so no debug
 * information. */
void pp_compile_argv(pp_job *j, pp_strv *argv, const char *src, const char *out, int link,
                            int deps, int errors_only)
{
	if (j->msvc) {
		pp_msvc_argv(argv, &j->cc, &j->flags, &j->libs, j->clang, src, out, link,
		             j->depfile && deps);
		return;
	}
	for (size_t i = 0; i < j->cc.n; i++)
		pp_strv_push(argv, j->cc.v[i]);
	for (size_t i = 0; i < j->flags.n; i++)
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
	if (!errors_only && (!deps || pp_dwarf_wanted(&j->plan) || j->plan.dw_values))
		pp_strv_push(argv, "-g");
	if (!link)
		pp_strv_push(argv, "-c");
	if (j->depfile && deps) {
		/* The main compile lists the headers it read, for the cache and --depfile; no extra
		 * invocation. */
		pp_strv_push(argv, "-MD");
		pp_strv_push(argv, "-MF");
		pp_strv_push(argv, j->depfile);
	}
	pp_strv_push(argv, src);
	pp_strv_push(argv, "-o");
	pp_strv_push(argv, out);
	if (link)
		for (size_t i = 0; i < j->libs.n; i++)
			pp_strv_push(argv, j->libs.v[i]);
}

/* gcc's "Target:" is the configured triple even under -m32 or -mx32; the multiarch tuple
 * Debian's gcc hands cc1 (-imultiarch i386-linux-gnu) follows those flags, so it wins when
 * present. clang's "Target:" already follows them. */
void pp_note_triple(pp_job *j, const char *err)
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
int pp_read_back(pp_job *j, enum pp_mode mode, const char *out, pp_buf *bytes)
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
	                     "probe program", &r);
	if (rc == 0 && r.status != 0) {
		char *lines = pp_error_lines(pp_buf_str(&r.errout));
		pp_diag_add(j->d, "platprobe: error: the probe program exited with status %d:%s", r.status,
		            lines);
		free(lines);
		rc = -1;
	}
	if (rc == 0 && r.out_dropped) {
		pp_diag_add(j->d, "platprobe: error: the probe program printed more than its table "
		            "(%zu bytes, and more left out)", r.out.len);
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

void pp_find_triple(pp_job *j)
{
	if (j->triple)
		return;
	pp_strv argv = { 0 };
	for (size_t i = 0; i < j->cc.n; i++)
		pp_strv_push(&argv, j->cc.v[i]);
	pp_strv_push(&argv, "-dumpmachine");
	pp_log_argv(j->o, argv.v);
	pp_proc_result r;
	pp_proc_opts po = { j->o->timeout, 1, j->tmp.path };
	pp_proc_run(argv.v, &po, &r);
	if (r.exited && r.status == 0 && r.out.len) {
		char *nl = strchr(r.out.s, '\n');
		j->triple = nl ? pp_xstrndup(r.out.s, (size_t)(nl - r.out.s)) : pp_xstrdup(r.out.s);
	}
	pp_proc_result_free(&r);
	pp_strv_free(&argv);
}
