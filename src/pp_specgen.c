/* pp_specgen.c: "platprobe spec": writes a probe spec of what headers declare, from two compiler
 * runs: -E -dD (every object-like macro, with line markers saying which file defined it) and one
 * -g compile (the DWARF of every struct, union, enum and typedef, with DW_AT_decl_file; gcc's
 * -aux-info beside it lists every function declaration with its file). Never a run per name. */
#ifndef PP_NO_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#endif
#include <fnmatch.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"
#ifndef PP_NO_LIBDW
#include "pp_reloc.h"
#endif

/* What goes in the spec, by section; and the files whose declarations count. */
typedef struct pp_gen {
	pp_strv sec[PP_NSECTIONS];
	pp_strv own;                /* canonical paths of the files taken from */
	const char *const *from;    /* --from-file names: matched against a path's end */
	size_t nfrom;
	const char *const *globs;
	size_t nglobs;
	regex_t *re;
	pp_diag *d;
} pp_gen;

static char *pp_canon(const char *path)
{
	char buf[PATH_MAX];
	return pp_xstrdup(realpath(path, buf) ? buf : path);
}

static int pp_is_own(const pp_gen *g, const char *path)
{
	if (!path)
		return 0;
	char *c = pp_canon(path);
	int own = 0;
	for (size_t i = 0; i < g->own.n && !own; i++)
		own = !strcmp(g->own.v[i], c);
	free(c);
	return own;
}

/* A file named by --from-file: the path itself, or one that ends in "/NAME". */
static int pp_from_file(const pp_gen *g, const char *path)
{
	size_t pl = strlen(path);
	for (size_t i = 0; i < g->nfrom; i++) {
		size_t fl = strlen(g->from[i]);
		if (!strcmp(path, g->from[i]) || (pl > fl && path[pl - fl - 1] == '/' &&
		                                  !strcmp(path + pl - fl, g->from[i])))
			return 1;
	}
	return 0;
}

static void pp_add_own(pp_gen *g, const char *path)
{
	if (pp_is_own(g, path))
		return;
	pp_strv_push_own(&g->own, pp_canon(path));
}

/* --match and --regex look at the name without "struct "/"union "/"enum ", and at the whole. */
static int pp_wanted(const pp_gen *g, const char *name)
{
	if (!strncmp(name, "__", 2))
		return 0; /* the implementation's own names */
	const char *bare = name;
	if (!strncmp(bare, "struct ", 7))
		bare += 7;
	else if (!strncmp(bare, "union ", 6))
		bare += 6;
	else if (!strncmp(bare, "enum ", 5))
		bare += 5;
	int ok = !g->nglobs;
	for (size_t i = 0; i < g->nglobs && !ok; i++)
		ok = !fnmatch(g->globs[i], bare, 0) || !fnmatch(g->globs[i], name, 0);
	if (ok && g->re)
		ok = !regexec(g->re, bare, 0, NULL, 0) || !regexec(g->re, name, 0, NULL, 0);
	return ok;
}

static void pp_gen_add(pp_gen *g, enum pp_section sec, const char *name)
{
	if (!pp_wanted(g, name))
		return;
	for (size_t i = 0; i < g->sec[sec].n; i++)
		if (!strcmp(g->sec[sec].v[i], name))
			return;
	pp_strv_push(&g->sec[sec], name);
}

/* -E -dD: line markers ("# 12 \"/usr/include/x.h\" 1") say which file each #define is in; a file
 * entered straight from the generated source is one of the named headers. */
static void pp_scan_macros(pp_gen *g, const char *text, const char *main_file,
                           const pp_strv *headers)
{
	char *cur = pp_xstrdup(main_file);
	int cur_own = 0;
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (len > 3 && l[0] == '#' && l[1] == ' ' && l[2] >= '0' && l[2] <= '9') {
			const char *q = memchr(l, '"', len), *q2 = q ? memchr(q + 1, '"', len - (size_t)(q + 1 - l)) : NULL;
			if (q && q2) {
				char *file = strndup(q + 1, (size_t)(q2 - q - 1));
				const char *flags = q2 + 1;
				int enter = flags < l + len && strstr(flags, " 1") == flags;
				/* A named header with a directory ("sys/types.h") is known by its path's end too:
				 * another named header may have included it first. */
				int named = 0;
				size_t fl = strlen(file);
				for (size_t i = 0; i < headers->n && !named; i++) {
					size_t hl = strlen(headers->v[i]);
					named = strchr(headers->v[i], '/') && fl > hl && file[fl - hl - 1] == '/' &&
					        !strcmp(file + fl - hl, headers->v[i]);
				}
				if (file[0] != '<' && strcmp(file, main_file) &&
				    ((enter && !strcmp(cur, main_file)) || named || pp_from_file(g, file)))
					pp_add_own(g, file);
				free(cur);
				cur = file;
				cur_own = cur[0] != '<' && strcmp(cur, main_file) && pp_is_own(g, cur);
			}
		} else if (len > 8 && !strncmp(l, "#define ", 8) && cur_own) {
			const char *n = l + 8, *e = n;
			while (e < l + len && *e != ' ' && *e != '(')
				e++;
			/* Object-like, with a body: include guards and feature flags are empty. */
			const char *body = e;
			while (body < l + len && *body == ' ')
				body++;
			/* An include guard (_SYS_EPOLL_H) is no constant of the header's. */
			int guard = n[0] == '_' && e - n > 3 && ((e[-2] == '_' && e[-1] == 'H') ||
			                                         (e[-3] == '_' && e[-2] == 'H' && e[-1] == '_'));
			if (e < l + len && *e == ' ' && body < l + len && !guard) {
				char *name = strndup(n, (size_t)(e - n));
				pp_gen_add(g, PP_CONSTANTS, name);
				free(name);
			}
		}
		l += len + (nl ? 1 : 0);
	}
	free(cur);
}

/* gcc -aux-info: "/\* FILE:LINE:NC *\/ extern int epoll_wait (int, ...);", one a line. The name is
 * the first word followed by " (" that does not open a declarator "(*". */
static void pp_scan_functions(pp_gen *g, const char *text)
{
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		char *line = strndup(l, len);
		l += len + (nl ? 1 : 0);
		char *end = strstr(line, " */ ");
		if (strncmp(line, "/* ", 3) || !end) {
			free(line);
			continue;
		}
		*end = 0;
		char *c2 = strrchr(line, ':'), *c1 = NULL;
		if (c2) {
			*c2 = 0;
			c1 = strrchr(line, ':');
		}
		if (c1)
			*c1 = 0;
		const char *file = line + 3;
		if (c1 && pp_is_own(g, file)) {
			for (char *p = end + 4; *p; p++) {
				if (p[0] != ' ' || p[1] != '(' || p[2] == '*')
					continue;
				char *s = p;
				while (s > end + 4 && (s[-1] == '_' || (s[-1] >= 'a' && s[-1] <= 'z') ||
				                       (s[-1] >= 'A' && s[-1] <= 'Z') || (s[-1] >= '0' && s[-1] <= '9')))
					s--;
				if (s < p) {
					char *name = strndup(s, (size_t)(p - s));
					if (pp_name_is_ident(name))
						pp_gen_add(g, PP_FUNCTIONS, name);
					free(name);
				}
				break;
			}
		}
		free(line);
	}
}

#ifndef PP_NO_LIBDW
/* The type a typedef names, through qualifiers. */
static int pp_typedef_target(Dwarf_Die *td, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die t = *td;
	for (int i = 0; i < 16; i++) {
		if (!dwarf_attr(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, out))
			return -1;
		int tag = dwarf_tag(out);
		if (tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
		    tag != DW_TAG_restrict_type && tag != DW_TAG_atomic_type)
			return 0;
		t = *out;
	}
	return -1;
}

static void pp_scan_die(pp_gen *g, Dwarf_Die *c, const char **last, int *last_own)
{
	int tag = dwarf_tag(c);
	const char *nm = dwarf_diename(c), *file = dwarf_decl_file(c);
	if (!file || dwarf_hasattr(c, DW_AT_declaration))
		return;
	/* The file names live in the CU's line table: the same pointer for the same file. */
	if (file != *last) {
		*last = file;
		*last_own = pp_is_own(g, file);
	}
	if (!*last_own)
		return;
	if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type) && nm) {
		char *full = pp_xasprintf("%s %s", tag == DW_TAG_union_type ? "union" : "struct", nm);
		pp_gen_add(g, PP_STRUCTS, full);
		free(full);
	} else if (tag == DW_TAG_enumeration_type && nm) {
		char *full = pp_xasprintf("enum %s", nm);
		pp_gen_add(g, PP_ENUMS, full);
		free(full);
	} else if (tag == DW_TAG_enumeration_type) {
		/* An anonymous enum's members are the header's constants. */
		Dwarf_Die e;
		if (dwarf_child(c, &e) == 0)
			do {
				if (dwarf_tag(&e) == DW_TAG_enumerator && dwarf_diename(&e))
					pp_gen_add(g, PP_CONSTANTS, dwarf_diename(&e));
			} while (dwarf_siblingof(&e, &e) == 0);
	} else if (tag == DW_TAG_typedef && nm) {
		Dwarf_Die t;
		int ttag = pp_typedef_target(c, &t) == 0 ? dwarf_tag(&t) : 0;
		int anon = !dwarf_diename(&t);
		if ((ttag == DW_TAG_structure_type || ttag == DW_TAG_union_type) && anon)
			pp_gen_add(g, PP_STRUCTS, nm);
		else if (ttag == DW_TAG_enumeration_type && anon)
			pp_gen_add(g, PP_ENUMS, nm);
		else
			pp_gen_add(g, PP_TYPES, nm);
	} else if (tag == DW_TAG_subprogram && nm) {
		pp_gen_add(g, PP_FUNCTIONS, nm);
	}
}

static int pp_scan_dwarf(pp_gen *g, const char *obj)
{
	pp_elfimg img;
	char *why = NULL;
	Dwarf *dw = pp_reloc_dwarf(obj, &img, &why);
	if (!dw) {
		pp_diag_add(g->d, "platprobe: error: spec: %s", why);
		free(why);
		return -1;
	}
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, c;
		const char *last = NULL;
		int last_own = 0;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &c) == 0)
			do
				pp_scan_die(g, &c, &last, &last_own);
			while (dwarf_siblingof(&c, &c) == 0);
		off = next;
	}
	pp_reloc_close(&img);
	return 0;
}

#else
/* Built without libdw: the structs, unions, enums and typedefs come from debug information. */
static int pp_scan_dwarf(pp_gen *g, const char *obj)
{
	(void)obj;
	pp_diag_add(g->d, "platprobe: error: spec: platprobe was built without libdw (elfutils), "
	            "which reads the declarations of structs, unions, enums and typedefs");
	return -1;
}
#endif

static int pp_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pp_json_list(pp_buf *b, const char *key, pp_strv *v, int entries)
{
	if (!v->n)
		return;
	qsort(v->v, v->n, sizeof *v->v, pp_strcmp);
	pp_buf_addf(b, ",\n  \"%s\": [", key);
	for (size_t i = 0; i < v->n; i++) {
		pp_buf_adds(b, i ? ",\n    " : "\n    ");
		if (entries)
			pp_buf_adds(b, "{\"name\": ");
		pp_json_str(b, v->v[i], strlen(v->v[i]));
		if (entries)
			pp_buf_adds(b, ", \"optional\": true}");
	}
	pp_buf_adds(b, "\n  ]");
}

/* The compiler: --cc, else TRIPLE-gcc or clang --target=TRIPLE for --target, else $CC, else cc
 * (as a probe chooses it). */
static void pp_gen_cc(const pp_options *o, pp_strv *argv)
{
	if (o->cc && *o->cc) {
		pp_strv_split(argv, o->cc);
	} else if (o->target) {
		char *gcc = pp_xasprintf("%s-gcc", o->target), *path = pp_which(gcc);
		if (path)
			pp_strv_push(argv, gcc);
		else {
			pp_strv_push(argv, "clang");
			pp_strv_push_own(argv, pp_xasprintf("--target=%s", o->target));
		}
		free(gcc);
		free(path);
	} else {
		const char *cc = getenv("CC");
		pp_strv_split(argv, cc && *cc ? cc : "cc");
	}
	if (!argv->n)
		pp_strv_push(argv, "cc");
}

static int pp_gen_run(pp_strv *argv, const pp_options *o, pp_proc_result *r, pp_diag *d)
{
	pp_log_argv(o, argv->v);
	pp_proc_opts po = { o->timeout > 0 ? o->timeout : 300, 1, NULL };
	pp_proc_run(argv->v, &po, r);
	char *why = pp_proc_failure(r, po.timeout);
	if (why || !r->started) {
		pp_diag_add(d, "platprobe: error: spec: %s %s: %s%s%s", argv->v[0],
		            r->started ? "failed" : "could not run", why ? why : "",
		            r->errout.len ? "\n" : "", pp_buf_str(&r->errout));
		free(why);
		return -1;
	}
	return 0;
}

int pp_spec_generate(const pp_spec *base, const pp_options *o, const char *const *from,
                     size_t nfrom, const char *const *globs, size_t nglobs, const char *regex,
                     char **text, pp_diag *d)
{
	*text = NULL;
	pp_gen g = { .from = from, .nfrom = nfrom, .globs = globs, .nglobs = nglobs, .d = d };
	regex_t re;
	if (regex) {
		int rc = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[256];
			regerror(rc, &re, msg, sizeof msg);
			pp_diag_add(d, "platprobe: error: spec: --regex '%s': %s", regex, msg);
			return PP_EUSAGE;
		}
		g.re = &re;
	}
	if (!base->headers.n) {
		pp_diag_add(d, "platprobe: error: spec needs at least one header (-i HEADER)");
		if (g.re)
			regfree(g.re);
		return PP_EUSAGE;
	}
	pp_tmpdir tmp = { 0 };
	int rc = pp_tmpdir_make(&tmp, d) < 0 ? PP_EANSWER : PP_OK;
	char *src = rc == PP_OK ? pp_tmpdir_file(&tmp, "spec.c") : NULL;
	char *obj = rc == PP_OK ? pp_tmpdir_file(&tmp, "spec.o") : NULL;
	char *aux = rc == PP_OK ? pp_tmpdir_file(&tmp, "spec.aux") : NULL;
	pp_buf c = PP_BUF_INIT;
	for (size_t i = 0; i < base->ndefines; i++)
		pp_buf_addf(&c, "#define %s %s\n", base->defines[i].name, base->defines[i].value);
	for (size_t i = 0; i < base->headers.n; i++)
		pp_buf_addf(&c, "#include <%s>\n", base->headers.v[i]);
	if (rc == PP_OK && pp_write_temp(src, c.s, c.len, d) < 0)
		rc = PP_EANSWER;
	pp_strv common = { 0 };
	pp_gen_cc(o, &common);
	int is_gcc = !strstr(common.v[0], "clang");
	pp_strv_split(&common, getenv("CPPFLAGS"));
	pp_strv_split(&common, getenv("CFLAGS"));
	for (size_t i = 0; i < base->cflags.n; i++)
		pp_strv_push(&common, base->cflags.v[i]);
	for (size_t i = 0; i < o->cflags.n; i++)
		pp_strv_push(&common, o->cflags.v[i]);
	if (o->sysroot)
		pp_strv_push_own(&common, pp_xasprintf("--sysroot=%s", o->sysroot));
	for (size_t i = 0; i < base->include_dirs.n; i++)
		pp_strv_push_own(&common, pp_xasprintf("-I%s", base->include_dirs.v[i]));
	pp_strv_push(&common, "-w");
	pp_proc_result r = { 0 };
	if (rc == PP_OK) {
		pp_strv argv = { 0 };
		for (size_t i = 0; i < common.n; i++)
			pp_strv_push(&argv, common.v[i]);
		pp_strv_push(&argv, "-E");
		pp_strv_push(&argv, "-dD");
		pp_strv_push(&argv, src);
		if (pp_gen_run(&argv, o, &r, d) < 0)
			rc = PP_EANSWER;
		else
			pp_scan_macros(&g, pp_buf_str(&r.out), src, &base->headers);
		pp_strv_free(&argv);
		pp_proc_result_free(&r);
	}
	if (rc == PP_OK) {
		pp_strv argv = { 0 };
		for (size_t i = 0; i < common.n; i++)
			pp_strv_push(&argv, common.v[i]);
		/* Every type the headers declare, used or not, and (gcc) every function's prototype. */
		pp_strv_push(&argv, "-g");
		pp_strv_push(&argv, "-fno-eliminate-unused-debug-types");
		pp_strv_push(&argv, "-fno-lto");
		if (is_gcc) {
			pp_strv_push(&argv, "-aux-info");
			pp_strv_push(&argv, aux);
		}
		pp_strv_push(&argv, "-c");
		pp_strv_push(&argv, src);
		pp_strv_push(&argv, "-o");
		pp_strv_push(&argv, obj);
		memset(&r, 0, sizeof r);
		if (pp_gen_run(&argv, o, &r, d) < 0 || pp_scan_dwarf(&g, obj) < 0)
			rc = PP_EANSWER;
		pp_strv_free(&argv);
		pp_proc_result_free(&r);
		pp_buf a = PP_BUF_INIT;
		if (rc == PP_OK && is_gcc && pp_buf_read_file(&a, aux) == 0)
			pp_scan_functions(&g, pp_buf_str(&a));
		pp_buf_free(&a);
	}
	if (rc == PP_OK) {
		pp_buf b = PP_BUF_INIT;
		pp_buf_adds(&b, "{\n  \"headers\": [");
		for (size_t i = 0; i < base->headers.n; i++) {
			pp_buf_adds(&b, i ? ", " : "");
			pp_json_str(&b, base->headers.v[i], strlen(base->headers.v[i]));
		}
		pp_buf_adds(&b, "]");
		if (base->ndefines) {
			pp_buf_adds(&b, ",\n  \"defines\": {");
			for (size_t i = 0; i < base->ndefines; i++) {
				pp_buf_adds(&b, i ? ", " : "");
				pp_json_str(&b, base->defines[i].name, strlen(base->defines[i].name));
				pp_buf_adds(&b, ": ");
				pp_json_str(&b, base->defines[i].value, strlen(base->defines[i].value));
			}
			pp_buf_adds(&b, "}");
		}
		if (base->include_dirs.n) {
			pp_buf_adds(&b, ",\n  \"include_dirs\": [");
			for (size_t i = 0; i < base->include_dirs.n; i++) {
				pp_buf_adds(&b, i ? ", " : "");
				pp_json_str(&b, base->include_dirs.v[i], strlen(base->include_dirs.v[i]));
			}
			pp_buf_adds(&b, "]");
		}
		for (int sec = 0; sec < PP_NSECTIONS; sec++)
			pp_json_list(&b, pp_section_names[sec], &g.sec[sec], 1);
		pp_buf_adds(&b, "\n}\n");
		*text = pp_buf_detach(&b);
	}
	pp_buf_free(&c);
	pp_strv_free(&common);
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		pp_strv_free(&g.sec[sec]);
	pp_strv_free(&g.own);
	if (g.re)
		regfree(g.re);
	free(src);
	free(obj);
	free(aux);
	pp_tmpdir_free(&tmp);
	return rc;
}
