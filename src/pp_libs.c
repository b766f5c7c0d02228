/* pp_libs.c: the spec's "libraries": whether -lNAME links, and the shared object that a program
 * linked with it loads (soname and path), as the link editor itself answers. One link of an empty
 * program takes every library, each after an empty marker file, with the linker's trace (-Wl,-t):
 * the files traced between two markers are what that -l pulled in (a linker script such as glibc's
 * libm.so brings its members), and the program's DT_NEEDED entries, read with libelf, say which
 * of those it will load. A linker whose trace hides the markers (lld) gets one link per library
 * instead, compared with a link of none. A library the linker cannot find is dropped and the rest
 * linked again. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pp_internal.h"

#define PP_LIBS_MAX_LINKS 4 /* a link, and relinks without the libraries it could not find */

typedef struct pp_lib {
	const pp_entry *e;
	int live;          /* still linked with */
	char *why;         /* the linker's words when it could not find it */
} pp_lib;

/* The DT_NEEDED (tag DT_NEEDED) or DT_SONAME entries of an ELF file, appended to out. Returns
 * 1 for a shared object, 0 for an executable, -1 when it is no ELF file (an archive, a script). */
static int pp_elf_dynamic(const char *path, Elf64_Sxword tag, pp_strv *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int kind = -1;
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	if (elf && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &eh)) {
		kind = eh.e_type == ET_DYN;
		for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC)
				continue;
			Elf_Data *data = elf_getdata(scn, NULL);
			for (size_t i = 0; data && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
				GElf_Dyn dyn;
				if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag != tag)
					continue;
				const char *s = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
				if (s)
					pp_strv_push(out, s);
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return kind;
}

/* The file a loader finds for soname: the same directory as the file the linker read (which is
 * often the unversioned development link), named by the soname, when it is there. */
static char *pp_loaded_path(const char *linked, const char *soname)
{
	char *copy = pp_xstrdup(linked), dir[PATH_MAX], file[PATH_MAX];
	char *out = NULL;
	if (realpath(dirname(copy), dir)) {
		char *cand = pp_xasprintf("%s/%s", dir, soname);
		if (access(cand, F_OK) == 0)
			out = cand;
		else
			free(cand);
	}
	if (!out && realpath(linked, file))
		out = pp_xstrdup(file);
	free(copy);
	return out ? out : pp_xstrdup(linked);
}

/* Attributes the traced files lines[from, to) to library er: the first shared object among them
 * whose soname the program needs (and a link without the library did not: skip). A library with
 * no shared object (an archive) links statically: no soname. */
static void pp_attribute(pp_eres *er, const pp_strv *lines, size_t from, size_t to,
                         const pp_strv *needed, const pp_strv *skip)
{
	for (size_t i = from; i < to && !er->soname; i++) {
		pp_strv sonames = { 0 };
		if (pp_elf_dynamic(lines->v[i], DT_SONAME, &sonames) == 1) {
			/* A shared object without DT_SONAME is needed by its file name. */
			if (!sonames.n) {
				char *copy = pp_xstrdup(lines->v[i]);
				pp_strv_push(&sonames, basename(copy));
				free(copy);
			}
			const char *so = sonames.v[0];
			if (pp_strv_has(needed, so) && !(skip && pp_strv_has(skip, so))) {
				er->soname = pp_xstrdup(so);
				er->path = pp_loaded_path(lines->v[i], so);
			}
		}
		pp_strv_free(&sonames);
	}
}

typedef struct pp_libjob {
	const pp_linkenv *env;
	pp_lib *libs;
	size_t n;
	char *src, *exe;
	pp_strv marks;
} pp_libjob;

/* Links the empty program with the live libraries (only: only one, when only >= 0), each after a
 * marker, with the trace on. Returns -1 when the linker could not run at all. */
static int pp_libs_link(pp_libjob *j, long only, pp_proc_result *r)
{
	const pp_linkenv *env = j->env;
	pp_strv argv = { 0 };
	for (size_t i = 0; i < env->cc->n; i++)
		pp_strv_push(&argv, env->cc->v[i]);
	for (size_t i = 0; i < env->flags->n; i++)
		pp_strv_push(&argv, env->flags->v[i]);
	pp_strv_push(&argv, "-w");
	pp_strv_push(&argv, j->src);
	pp_strv_push(&argv, "-o");
	pp_strv_push(&argv, j->exe);
	pp_strv_push(&argv, "-Wl,--no-as-needed");
	pp_strv_push(&argv, "-Wl,-t");
	for (size_t i = 0; i < j->n; i++) {
		if (!j->libs[i].live || (only >= 0 && (size_t)only != i))
			continue;
		pp_strv_push(&argv, j->marks.v[i]);
		pp_strv_push_own(&argv, pp_xasprintf("-l%s", j->libs[i].e->name));
	}
	pp_strv_push(&argv, j->marks.v[j->n]);
	for (size_t i = 0; i < env->libs->n; i++)
		pp_strv_push(&argv, env->libs->v[i]);
	pp_log_argv(env->o, argv.v);
	pp_proc_opts po = { env->o->timeout, 1, env->tmp->path };
	pp_proc_run(argv.v, &po, r);
	int ok = r->started && !r->timed_out && !r->signaled && !pp_signal_pending();
	if (!ok) {
		char *why = pp_proc_failure(r, env->o->timeout);
		pp_diag_add(env->d, "platprobe: error: linking for \"libraries\": compiler '%s' %s",
		            argv.v[0], why);
		free(why);
	}
	pp_strv_free(&argv);
	return ok ? 0 : -1;
}

static void pp_split_lines(const char *s, pp_strv *out)
{
	for (const char *p = s; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			pp_strv_push_own(out, pp_xstrndup(p, len));
		p = e ? e + 1 : NULL;
	}
}

/* Marks every library the linker says it cannot find; how many it marked. */
static size_t pp_libs_missing(pp_libjob *j, const char *err)
{
	size_t n = 0;
	pp_strv lines = { 0 };
	pp_split_lines(err, &lines);
	for (size_t li = 0; li < lines.n; li++) {
		const char *line = lines.v[li];
		/* GNU ld: "cannot find -lNAME[: No such file...]"; lld: "unable to find library -lNAME" */
		const char *l = strstr(line, "cannot find -l");
		l = l ? l + 14 : (l = strstr(line, "find library -l")) ? l + 15 : NULL;
		size_t k = l ? strcspn(l, ": \t'\"") : 0;
		for (size_t i = 0; l && i < j->n; i++) {
			pp_lib *lb = &j->libs[i];
			if (lb->live && strlen(lb->e->name) == k && !strncmp(l, lb->e->name, k)) {
				lb->live = 0;
				lb->why = pp_xstrdup(line);
				n++;
			}
		}
	}
	pp_strv_free(&lines);
	return n;
}

/* One link (of library only, or of none when only is n): its trace and the program's needs. */
static int pp_libs_link_one(pp_libjob *j, long only, pp_strv *trace, pp_strv *needed)
{
	pp_proc_result r;
	int rc = pp_libs_link(j, only, &r);
	if (rc == 0 && !(r.exited && r.status == 0))
		rc = -1;
	if (rc == 0) {
		pp_split_lines(pp_buf_str(&r.out), trace);
		pp_elf_dynamic(j->exe, DT_NEEDED, needed);
	}
	pp_proc_result_free(&r);
	return rc;
}

static int pp_libs_run(pp_libjob *j, pp_result *res)
{
	const pp_linkenv *env = j->env;
	pp_proc_result r;
	memset(&r, 0, sizeof r);
	int linked = 0;
	for (int round = 0; round < PP_LIBS_MAX_LINKS && !linked; round++) {
		pp_proc_result_free(&r);
		if (pp_libs_link(j, -1, &r) < 0) {
			pp_proc_result_free(&r);
			return -1;
		}
		linked = r.exited && r.status == 0;
		if (!linked && !pp_libs_missing(j, pp_buf_str(&r.errout)))
			break;
	}
	if (!linked) {
		pp_diag_add(env->d, "%s: error: \"libraries\": the link failed for a reason no library "
		            "explains:\n  %s", env->spec->filename, pp_buf_str(&r.errout));
		pp_proc_result_free(&r);
		return -1;
	}
	pp_strv lines = { 0 }, needed = { 0 };
	pp_split_lines(pp_buf_str(&r.out), &lines);
	pp_proc_result_free(&r);
	pp_elf_dynamic(j->exe, DT_NEEDED, &needed);
	/* Where each marker is in the trace. */
	long *at = pp_xcalloc(j->n + 1, sizeof(long));
	int marked = 1;
	for (size_t m = 0; m <= j->n; m++) {
		at[m] = -1;
		if (m < j->n && !j->libs[m].live)
			continue;
		for (size_t i = 0; i < lines.n && at[m] < 0; i++)
			if (!strcmp(lines.v[i], j->marks.v[m]))
				at[m] = (long)i;
		marked &= at[m] >= 0;
	}
	if (marked) {
		for (size_t k = 0; k < j->n; k++) {
			if (!j->libs[k].live)
				continue;
			size_t next = k + 1;
			while (next < j->n && !j->libs[next].live)
				next++;
			pp_attribute(&res->e[PP_LIBRARIES][k], &lines, (size_t)at[k] + 1, (size_t)at[next],
			             &needed, NULL);
		}
	} else {
		/* No markers in the trace: link each library alone, against a link of none. */
		pp_strv base = { 0 }, tl = { 0 };
		if (pp_libs_link_one(j, (long)j->n, &tl, &base) == 0)
			for (size_t k = 0; k < j->n; k++) {
				pp_strv nd = { 0 };
				pp_strv_free(&tl);
				if (j->libs[k].live && pp_libs_link_one(j, (long)k, &tl, &nd) == 0)
					pp_attribute(&res->e[PP_LIBRARIES][k], &tl, 0, tl.n, &nd, &base);
				pp_strv_free(&nd);
			}
		pp_strv_free(&tl);
		pp_strv_free(&base);
	}
	free(at);
	pp_strv_free(&lines);
	pp_strv_free(&needed);
	return 0;
}

int pp_libs_probe(const pp_linkenv *env, pp_result *res)
{
	size_t n = env->spec->nentries[PP_LIBRARIES];
	if (!n)
		return 0;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		pp_diag_add(env->d, "platprobe: error: libelf: %s", elf_errmsg(-1));
		return -1;
	}
	pp_libjob j = { env, pp_xcalloc(n, sizeof(pp_lib)), n, NULL, NULL, { 0 } };
	j.src = pp_tmpdir_file(env->tmp, "libs.c");
	j.exe = pp_tmpdir_file(env->tmp, "libs");
	int rc = 0;
	FILE *f = fopen(j.src, "w");
	if (!f || fputs("int main(void) { return 0; }\n", f) == EOF || fclose(f) != 0) {
		pp_diag_add(env->d, "platprobe: error: cannot write %s: %s", j.src, strerror(errno));
		rc = -1;
	}
	for (size_t i = 0; i <= n && rc == 0; i++) {
		char name[48];
		snprintf(name, sizeof name, "libs-marker-%zu", i);
		char *path = pp_tmpdir_file(env->tmp, name);
		/* An empty file is an empty linker script to the linker: it adds nothing, but is traced. */
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			pp_diag_add(env->d, "platprobe: error: cannot write %s: %s", path, strerror(errno));
			rc = -1;
		} else {
			close(fd);
		}
		pp_strv_push_own(&j.marks, path);
		if (i < n) {
			j.libs[i].e = &env->spec->entries[PP_LIBRARIES][i];
			j.libs[i].live = 1;
		}
	}
	if (rc == 0)
		rc = pp_libs_run(&j, res);
	for (size_t i = 0; i < n && rc == 0; i++) {
		pp_eres *er = &res->e[PP_LIBRARIES][i];
		er->yes = j.libs[i].live;
		if (er->yes || j.libs[i].e->optional)
			continue;
		er->answered = 0;
		pp_buf label = PP_BUF_INIT;
		pp_json_str(&label, er->name, strlen(er->name));
		pp_diag_add(env->d, "%s: error: libraries[%zu] %s: -l%s does not link: %s",
		            env->spec->filename, j.libs[i].e->index, pp_buf_str(&label), er->name,
		            j.libs[i].why ? j.libs[i].why : "the linker cannot find it");
		pp_buf_free(&label);
		rc = 1;
	}
	for (size_t i = 0; i < n; i++)
		free(j.libs[i].why);
	free(j.libs);
	free(j.src);
	free(j.exe);
	pp_strv_free(&j.marks);
	return rc;
}
