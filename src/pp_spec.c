/* pp_spec.c: reads a probe spec (JSON, through cJSON) and validates all of it before any C is
 * generated: syntax errors by FILE:LINE:COL, schema errors by JSON path, names by C's grammar. */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

const char *const pp_section_names[PP_NSECTIONS] = { "types", "structs", "constants", "defined",
	"functions", "enums", "libraries" };

/* Parsing context: the file name for messages and whether anything failed. */
typedef struct pp_ctx {
	pp_spec *s;
	pp_diag *d;
	int bad;
} pp_ctx;

static void pp_bad(pp_ctx *c, const char *path, const char *fmt, const char *arg)
{
	pp_buf b = PP_BUF_INIT;
	pp_buf_addf(&b, fmt, arg);
	pp_diag_add(c->d, "%s: error: %s: %s", c->s->filename, path, pp_buf_str(&b));
	pp_buf_free(&b);
	c->bad = 1;
}

pp_spec *pp_spec_new(const char *filename)
{
	pp_spec *s = pp_xcalloc(1, sizeof *s);
	s->filename = pp_xstrdup(filename ? filename : "<spec>");
	return s;
}

static void pp_entry_free(pp_entry *e)
{
	free(e->name);
	free(e->as);
	for (size_t i = 0; i < e->nfields; i++)
		free(e->fields[i].name);
	free(e->fields);
}

void pp_spec_free(pp_spec *s)
{
	if (!s)
		return;
	free(s->filename);
	pp_strv_free(&s->headers);
	pp_strv_free(&s->optional_headers);
	pp_strv_free(&s->include_dirs);
	pp_strv_free(&s->cflags);
	pp_strv_free(&s->libs);
	pp_strv_free(&s->pkgs);
	for (size_t i = 0; i < s->ntargets; i++) {
		pp_target_spec *t = &s->targets[i];
		free(t->triple);
		free(t->cc);
		free(t->sysroot);
		free(t->exec_wrapper);
		pp_strv_free(&t->cflags);
	}
	free(s->targets);
	for (size_t i = 0; i < s->ndefines; i++) {
		free(s->defines[i].name);
		free(s->defines[i].value);
	}
	free(s->defines);
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		for (size_t i = 0; i < s->nentries[sec]; i++)
			pp_entry_free(&s->entries[sec][i]);
		free(s->entries[sec]);
	}
	free(s);
}

/* Line and column (1-based, columns in bytes) of offset off in text. */
void pp_linecol(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static const char *pp_json_type(const cJSON *j)
{
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsArray(j))
		return "an array";
	if (cJSON_IsObject(j))
		return "an object";
	if (cJSON_IsBool(j))
		return "a boolean";
	return "null";
}

/* Reports duplicate keys (cJSON keeps both) and keys outside allowed; returns 0 if all is well. */
static int pp_check_keys(pp_ctx *c, const char *path, const cJSON *obj, const char *const *allowed)
{
	int ok = 1;
	for (const cJSON *k = obj->child; k; k = k->next) {
		int known = 0;
		for (size_t i = 0; allowed[i]; i++)
			if (strcmp(k->string, allowed[i]) == 0)
				known = 1;
		if (!known) {
			pp_bad(c, path, "unknown key \"%s\"", k->string);
			ok = 0;
		}
		for (const cJSON *o = obj->child; o != k; o = o->next)
			if (strcmp(o->string, k->string) == 0) {
				pp_bad(c, path, "duplicate key \"%s\"", k->string);
				ok = 0;
				break;
			}
	}
	return ok;
}

typedef int (*pp_name_check)(const char *);

static const char *pp_grammar_for(enum pp_section sec, pp_name_check *check)
{
	switch (sec) {
	case PP_TYPES:
	case PP_STRUCTS:
	case PP_ENUMS:
		*check = pp_name_is_type;
		return "not a C type name";
	case PP_CONSTANTS:
		*check = pp_name_is_const_expr;
		return "not a C identifier or constant expression";
	case PP_LIBRARIES:
		*check = pp_name_is_library;
		return "not a library name (letters, digits, _ . + -, as in -lNAME)";
	default:
		*check = pp_name_is_ident;
		return "not a C identifier";
	}
}

/* Validates one name; stores a copy in *out. */
static int pp_take_name(pp_ctx *c, const char *path, const cJSON *j, pp_name_check check,
                        const char *grammar, char **out)
{
	if (!cJSON_IsString(j)) {
		pp_bad(c, path, "expected a string, got %s", pp_json_type(j));
		return 0;
	}
	const char *s = j->valuestring;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0) {
		pp_bad(c, path, "%s", "empty name");
		return 0;
	}
	char *name = pp_xstrndup(s, n);
	if (!check(name)) {
		pp_buf b = PP_BUF_INIT;
		pp_json_str(&b, name, strlen(name));
		pp_diag_add(c->d, "%s: error: %s: %s: %s", c->s->filename, path, b.s, grammar);
		pp_buf_free(&b);
		c->bad = 1;
		free(name);
		return 0;
	}
	*out = name;
	return 1;
}

static int pp_take_optional(pp_ctx *c, const char *path, const cJSON *obj, int *optional)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, "optional");
	if (!o)
		return 1;
	if (!cJSON_IsBool(o)) {
		char *p = pp_xasprintf("%s.optional", path);
		pp_bad(c, p, "expected a boolean, got %s", pp_json_type(o));
		free(p);
		return 0;
	}
	*optional = cJSON_IsTrue(o);
	return 1;
}

/* "link": false asks a function entry only whether its name compiles as an expression (declared:
 * a function, an object, an enum constant, a macro of an expression), with no link and no
 * prototype: what ctypes_configure's Has asked. */
static void pp_take_link(pp_ctx *c, const char *path, const cJSON *obj, int *no_link)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(obj, "link");
	if (!l)
		return;
	if (!cJSON_IsBool(l)) {
		char *p = pp_xasprintf("%s.link", path);
		pp_bad(c, p, "expected a boolean, got %s", pp_json_type(l));
		free(p);
		return;
	}
	*no_link = !cJSON_IsTrue(l);
}

/* "as": the name every binding format gives a type or struct (a name that would collide, such as
 * struct stat and the function stat, or one an existing package uses: "Stat_t"). */
static void pp_take_as(pp_ctx *c, const char *path, const cJSON *obj, char **as)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, "as");
	if (!a)
		return;
	char *p = pp_xasprintf("%s.as", path);
	if (!cJSON_IsString(a))
		pp_bad(c, p, "expected a string, got %s", pp_json_type(a));
	else if (!pp_name_is_ident(a->valuestring))
		pp_bad(c, p, "\"%s\" is not an identifier", a->valuestring);
	else
		*as = pp_xstrdup(a->valuestring);
	free(p);
}

static void pp_parse_fields(pp_ctx *c, const char *path, const cJSON *arr, pp_entry *e)
{
	if (!cJSON_IsArray(arr)) {
		pp_bad(c, path, "expected an array, got %s", pp_json_type(arr));
		return;
	}
	int n = cJSON_GetArraySize(arr);
	e->fields = pp_xcalloc((size_t)n, sizeof(pp_field));
	int i = 0;
	for (const cJSON *f = arr->child; f; f = f->next, i++) {
		char *fp = pp_xasprintf("%s[%d]", path, i);
		pp_field fld = { NULL, 0 };
		const cJSON *nm = f;
		char *np = NULL;
		if (cJSON_IsObject(f)) {
			static const char *const keys[] = { "name", "optional", NULL };
			pp_check_keys(c, fp, f, keys);
			pp_take_optional(c, fp, f, &fld.optional);
			nm = cJSON_GetObjectItemCaseSensitive(f, "name");
			np = pp_xasprintf("%s.name", fp);
			if (!nm)
				pp_bad(c, fp, "%s", "missing \"name\"");
		}
		if (nm && pp_take_name(c, np ? np : fp, nm, pp_name_is_member_path, "not a C member name",
		                       &fld.name)) {
			for (size_t k = 0; k < e->nfields; k++)
				if (strcmp(e->fields[k].name, fld.name) == 0) {
					pp_bad(c, fp, "duplicate field \"%s\"", fld.name);
					free(fld.name);
					fld.name = NULL;
					break;
				}
			if (fld.name)
				e->fields[e->nfields++] = fld;
		}
		free(np);
		free(fp);
	}
}

/* The names seen so far in one section: open addressing over FNV-1a, so duplicate checks stay
 * linear for specs of many thousands of entries. */
typedef struct pp_nameset {
	const char **slot;
	size_t cap;
} pp_nameset;

static size_t pp_name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

/* Adds name (kept by the caller); returns 0 if it was there already. */
static int pp_nameset_add(pp_nameset *set, const char *name)
{
	size_t i = pp_name_hash(name) & (set->cap - 1);
	for (; set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (strcmp(set->slot[i], name) == 0)
			return 0;
	set->slot[i] = name;
	return 1;
}

static void pp_parse_section(pp_ctx *c, enum pp_section sec, const cJSON *arr)
{
	const char *sname = pp_section_names[sec];
	if (!cJSON_IsArray(arr)) {
		pp_bad(c, sname, "expected an array, got %s", pp_json_type(arr));
		return;
	}
	pp_name_check check;
	const char *grammar = pp_grammar_for(sec, &check);
	int n = cJSON_GetArraySize(arr);
	pp_entry *es = pp_xcalloc((size_t)n, sizeof(pp_entry));
	size_t ne = 0;
	pp_nameset seen = { NULL, 16 };
	while (seen.cap < 2 * (size_t)n)
		seen.cap *= 2;
	seen.slot = pp_xcalloc(seen.cap, sizeof(char *));
	int i = 0;
	for (const cJSON *j = arr->child; j; j = j->next, i++) {
		char *path = pp_xasprintf("%s[%d]", sname, i);
		pp_entry e = { 0 };
		e.sec = sec;
		if (sec == PP_STRUCTS && !cJSON_IsObject(j))
			e.whole = PP_WHOLE_WANTED;
		const cJSON *nm = j;
		char *npath = NULL;
		if (cJSON_IsObject(j)) {
			static const char *const keys[] = { "name", "optional", NULL };
			static const char *const tkeys[] = { "name", "optional", "as", NULL };
			static const char *const skeys[] = { "name", "optional", "fields", "as", NULL };
			static const char *const fkeys[] = { "name", "optional", "link", NULL };
			pp_check_keys(c, path, j, sec == PP_STRUCTS ? skeys : sec == PP_TYPES || sec == PP_ENUMS ?
			              tkeys : sec == PP_FUNCTIONS ? fkeys : keys);
			pp_take_optional(c, path, j, &e.optional);
			pp_take_link(c, path, j, &e.no_link);
			pp_take_as(c, path, j, &e.as);
			nm = cJSON_GetObjectItemCaseSensitive(j, "name");
			npath = pp_xasprintf("%s.name", path);
			if (!nm)
				pp_bad(c, path, "%s", "missing \"name\"");
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "fields");
			if (f && sec == PP_STRUCTS) {
				char *fp = pp_xasprintf("%s.fields", path);
				if (cJSON_IsString(f) && strcmp(f->valuestring, "*") == 0)
					e.whole = PP_WHOLE_REQUIRED;
				else if (cJSON_IsString(f))
					pp_bad(c, fp, "%s", "expected an array of member names, or \"*\" for every member");
				else
					pp_parse_fields(c, fp, f, &e);
				free(fp);
			} else if (sec == PP_STRUCTS) {
				e.whole = PP_WHOLE_WANTED;
			}
		}
		if (nm && pp_take_name(c, npath ? npath : path, nm, check, grammar, &e.name)) {
			if (!pp_nameset_add(&seen, e.name)) {
				pp_bad(c, path, "duplicate entry \"%s\"", e.name);
				pp_entry_free(&e);
				e.name = NULL;
			}
			if (e.name) {
				e.index = (size_t)i;
				es[ne++] = e;
			}
		} else {
			pp_entry_free(&e);
		}
		free(npath);
		free(path);
	}
	free(seen.slot); /* it pointed at names es owns */
	c->s->entries[sec] = es;
	c->s->nentries[sec] = ne;
}

static void pp_parse_strings(pp_ctx *c, const char *key, const cJSON *arr, pp_strv *out,
                             pp_name_check check, const char *grammar)
{
	if (!cJSON_IsArray(arr)) {
		pp_bad(c, key, "expected an array, got %s", pp_json_type(arr));
		return;
	}
	int i = 0;
	for (const cJSON *j = arr->child; j; j = j->next, i++) {
		char *path = pp_xasprintf("%s[%d]", key, i);
		if (!cJSON_IsString(j)) {
			pp_bad(c, path, "expected a string, got %s", pp_json_type(j));
		} else if (check) {
			char *v;
			if (pp_take_name(c, path, j, check, grammar, &v))
				pp_strv_push_own(out, v);
		} else if (!*j->valuestring || strchr(j->valuestring, '\n')) {
			pp_bad(c, path, "%s", "empty or multi-line value");
		} else {
			pp_strv_push(out, j->valuestring);
		}
		free(path);
	}
}

/* "headers": names, or {"name": ..., "optional": true} for one that is included only where it
 * exists (__has_include), so entries from it can be optional on systems that lack it. */
static void pp_parse_headers(pp_ctx *c, const cJSON *arr)
{
	if (!cJSON_IsArray(arr)) {
		pp_bad(c, "headers", "expected an array, got %s", pp_json_type(arr));
		return;
	}
	static const char *const grammar = "not a header name (letters, digits, _ . / + -)";
	int i = 0;
	for (const cJSON *j = arr->child; j; j = j->next, i++) {
		char *path = pp_xasprintf("headers[%d]", i), *npath = NULL, *name = NULL;
		const cJSON *nm = j;
		int optional = 0;
		if (cJSON_IsObject(j)) {
			static const char *const keys[] = { "name", "optional", NULL };
			pp_check_keys(c, path, j, keys);
			pp_take_optional(c, path, j, &optional);
			nm = cJSON_GetObjectItemCaseSensitive(j, "name");
			npath = pp_xasprintf("%s.name", path);
			if (!nm)
				pp_bad(c, path, "%s", "missing \"name\"");
		}
		if (nm && pp_take_name(c, npath ? npath : path, nm, pp_name_is_header, grammar, &name)) {
			if (optional)
				pp_strv_push(&c->s->optional_headers, name);
			pp_strv_push_own(&c->s->headers, name);
		}
		free(npath);
		free(path);
	}
}

/* "targets": ["aarch64-linux-gnu", {"triple": ..., "cc": ..., "sysroot": ..., "exec_wrapper": ...,
 * "cflags": [...]}]: what `platprobe probe` compiles for when no --target or --cc is given. */
static void pp_parse_targets(pp_ctx *c, const cJSON *arr)
{
	if (!cJSON_IsArray(arr)) {
		pp_bad(c, "targets", "expected an array, got %s", pp_json_type(arr));
		return;
	}
	int n = cJSON_GetArraySize(arr), i = 0;
	c->s->targets = pp_xcalloc((size_t)n, sizeof(pp_target_spec));
	for (const cJSON *j = arr->child; j; j = j->next, i++) {
		char *path = pp_xasprintf("targets[%d]", i);
		pp_target_spec t;
		memset(&t, 0, sizeof t);
		if (cJSON_IsString(j)) {
			t.triple = pp_xstrdup(j->valuestring);
		} else if (cJSON_IsObject(j)) {
			static const char *const keys[] = { "triple", "cc", "sysroot", "exec_wrapper",
				"cflags", NULL };
			pp_check_keys(c, path, j, keys);
			char **slots[] = { &t.triple, &t.cc, &t.sysroot, &t.exec_wrapper };
			for (size_t k = 0; k < 4; k++) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[k]);
				if (!v)
					continue;
				if (cJSON_IsString(v) && *v->valuestring && !strchr(v->valuestring, '\n')) {
					*slots[k] = pp_xstrdup(v->valuestring);
				} else {
					char *p = pp_xasprintf("%s.%s", path, keys[k]);
					pp_bad(c, p, "%s", "expected a non-empty one-line string");
					free(p);
				}
			}
			const cJSON *fl = cJSON_GetObjectItemCaseSensitive(j, "cflags");
			if (fl) {
				char *p = pp_xasprintf("%s.cflags", path);
				pp_parse_strings(c, p, fl, &t.cflags, NULL, NULL);
				free(p);
			}
			if (!t.triple && !t.cc)
				pp_bad(c, path, "%s", "needs a \"triple\" or a \"cc\"");
		} else {
			pp_bad(c, path, "expected a string or an object, got %s", pp_json_type(j));
		}
		if (t.triple && !pp_name_is_header(t.triple)) {
			pp_bad(c, path, "%s", "not a target triple (letters, digits, _ . -)");
		}
		c->s->targets[c->s->ntargets++] = t;
		free(path);
	}
}

static void pp_parse_defines(pp_ctx *c, const cJSON *obj)
{
	if (!cJSON_IsObject(obj)) {
		pp_bad(c, "defines", "expected an object, got %s", pp_json_type(obj));
		return;
	}
	int n = cJSON_GetArraySize(obj);
	c->s->defines = pp_xcalloc((size_t)n, sizeof(pp_define));
	for (const cJSON *k = obj->child; k; k = k->next) {
		char *path = pp_xasprintf("defines.%s", k->string);
		for (const cJSON *o = obj->child; o != k; o = o->next)
			if (strcmp(o->string, k->string) == 0)
				pp_bad(c, "defines", "duplicate key \"%s\"", k->string);
		char *value = NULL;
		if (cJSON_IsString(k))
			value = pp_xstrdup(k->valuestring);
		else if (cJSON_IsNumber(k) && fabs(k->valuedouble) >= 9007199254740992.0)
			pp_bad(c, path, "%s", "an integer this large is not exact in JSON: write it as a string");
		else if (cJSON_IsNumber(k) && k->valuedouble == (double)(long long)k->valuedouble)
			value = pp_xasprintf("%lld", (long long)k->valuedouble);
		else if (cJSON_IsTrue(k))
			value = pp_xstrdup("1");
		else
			pp_bad(c, path, "expected a string or an integer, got %s", pp_json_type(k));
		if (!pp_name_is_ident(k->string)) {
			pp_bad(c, path, "%s", "not a C identifier");
		} else if (value && !pp_name_is_define_value(value)) {
			pp_bad(c, path, "%s", "value has characters a macro value may not have (quotes, \\, #, ;, {, }, control characters)");
		} else if (value) {
			pp_define *def = &c->s->defines[c->s->ndefines++];
			def->name = pp_xstrdup(k->string);
			def->value = value;
			value = NULL;
		}
		free(value);
		free(path);
	}
}

pp_spec *pp_spec_parse(const char *text, size_t len, const char *filename, pp_diag *d)
{
	pp_spec *s = pp_spec_new(filename);
	/* Our strict check first: cJSON's error positions can be a byte off, and it accepts invalid
	 * UTF-8 and \u0000 (which would cut a name short). */
	const char *what = NULL;
	size_t bad = 0, line, col;
	if (pp_jcheck(text, len, &bad, &what) < 0) {
		pp_linecol(text, bad, &line, &col);
		pp_diag_add(d, "%s:%zu:%zu: error: invalid JSON: %s", s->filename, line, col, what);
		pp_spec_free(s);
		return NULL;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
		pp_linecol(text, off, &line, &col);
		if (off >= len)
			pp_diag_add(d, "%s:%zu:%zu: error: invalid JSON: unexpected end of input", s->filename,
			            line, col);
		else /* text need not end in a NUL: at most what is left of it */
			pp_diag_add(d, "%s:%zu:%zu: error: invalid JSON near '%.*s'", s->filename, line, col,
			            (int)(len - off < 20 ? len - off : 20), text + off);
		pp_spec_free(s);
		return NULL;
	}
	/* cJSON stops at the end of the first value; anything but blanks after it is an error. */
	const char *p = end;
	while (p && p < text + len && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p && p < text + len) {
		pp_linecol(text, (size_t)(p - text), &line, &col);
		size_t left = (size_t)(text + len - p);
		pp_diag_add(d, "%s:%zu:%zu: error: invalid JSON: garbage after the spec: '%.*s'",
		            s->filename, line, col, (int)(left < 20 ? left : 20), p);
		cJSON_Delete(root);
		pp_spec_free(s);
		return NULL;
	}
	pp_ctx c = { s, d, 0 };
	if (!cJSON_IsObject(root)) {
		pp_diag_add(d, "%s: error: the spec: expected an object, got %s", s->filename,
		            pp_json_type(root));
		c.bad = 1;
	} else {
		static const char *const keys[] = { "headers", "defines", "include_dirs", "cflags", "libs",
			"pkg-config", "targets", "types", "structs", "constants", "defined", "functions",
			"enums", "libraries", NULL };
		for (const cJSON *k = root->child; k; k = k->next) {
			int known = 0;
			for (size_t i = 0; keys[i]; i++)
				known |= strcmp(k->string, keys[i]) == 0;
			if (!known) {
				pp_diag_add(d, "%s: error: unknown key \"%s\"", s->filename, k->string);
				c.bad = 1;
			}
			for (const cJSON *o = root->child; o != k; o = o->next)
				if (strcmp(o->string, k->string) == 0) {
					pp_diag_add(d, "%s: error: duplicate key \"%s\"", s->filename, k->string);
					c.bad = 1;
					break;
				}
		}
		const cJSON *j;
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "headers")))
			pp_parse_headers(&c, j);
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "defines")))
			pp_parse_defines(&c, j);
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "include_dirs")))
			pp_parse_strings(&c, "include_dirs", j, &s->include_dirs, NULL, NULL);
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "cflags")))
			pp_parse_strings(&c, "cflags", j, &s->cflags, NULL, NULL);
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "libs")))
			pp_parse_strings(&c, "libs", j, &s->libs, NULL, NULL);
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "pkg-config")))
			pp_parse_strings(&c, "pkg-config", j, &s->pkgs, pp_name_is_header,
			                 "not a pkg-config package name");
		if ((j = cJSON_GetObjectItemCaseSensitive(root, "targets")))
			pp_parse_targets(&c, j);
		for (int sec = 0; sec < PP_NSECTIONS; sec++)
			if ((j = cJSON_GetObjectItemCaseSensitive(root, pp_section_names[sec])))
				pp_parse_section(&c, (enum pp_section)sec, j);
	}
	cJSON_Delete(root);
	if (c.bad) {
		pp_spec_free(s);
		return NULL;
	}
	return s;
}

pp_spec *pp_spec_load(const char *path, pp_diag *d)
{
	pp_buf b = PP_BUF_INIT;
	if (pp_buf_read_file(&b, path) < 0) {
		pp_diag_add(d, "%s: error: cannot read spec: %s", path, strerror(errno));
		pp_buf_free(&b);
		return NULL;
	}
	if (b.len == 0) {
		pp_diag_add(d, "%s:1:1: error: invalid JSON: the file is empty", path);
		pp_buf_free(&b);
		return NULL;
	}
	pp_spec *s = pp_spec_parse(b.s, b.len, path, d);
	pp_buf_free(&b);
	return s;
}

/* ---- builders for specs made in code ---- */

int pp_spec_add_header(pp_spec *s, const char *header, pp_diag *d)
{
	if (!pp_name_is_header(header)) {
		pp_diag_add(d, "error: \"%s\": not a header name", header);
		return -1;
	}
	pp_strv_push(&s->headers, header);
	return 0;
}

int pp_spec_add_define(pp_spec *s, const char *name, const char *value, pp_diag *d)
{
	if (!pp_name_is_ident(name) || !pp_name_is_define_value(value ? value : "1")) {
		pp_diag_add(d, "error: \"%s\": not a C identifier with a plain macro value", name);
		return -1;
	}
	s->defines = pp_xrealloc(s->defines, (s->ndefines + 1) * sizeof(pp_define));
	s->defines[s->ndefines].name = pp_xstrdup(name);
	s->defines[s->ndefines].value = pp_xstrdup(value ? value : "1");
	s->ndefines++;
	return 0;
}

int pp_spec_add_entry(pp_spec *s, enum pp_section sec, const char *name, int optional, pp_diag *d)
{
	pp_name_check check;
	const char *grammar = pp_grammar_for(sec, &check);
	if (!check(name)) {
		pp_diag_add(d, "error: \"%s\": %s", name, grammar);
		return -1;
	}
	size_t n = s->nentries[sec];
	s->entries[sec] = pp_xrealloc(s->entries[sec], (n + 1) * sizeof(pp_entry));
	pp_entry *e = &s->entries[sec][n];
	memset(e, 0, sizeof *e);
	e->sec = sec;
	e->index = n;
	e->name = pp_xstrdup(name);
	e->optional = optional;
	if (sec == PP_STRUCTS)
		e->whole = PP_WHOLE_WANTED;
	s->nentries[sec] = n + 1;
	return 0;
}

pp_options **pp_spec_target_options(const pp_spec *spec, const pp_options *base, size_t *n)
{
	*n = spec->ntargets;
	if (!spec->ntargets)
		return NULL;
	pp_options **v = pp_xcalloc(spec->ntargets, sizeof(pp_options *));
	for (size_t i = 0; i < spec->ntargets; i++) {
		const pp_target_spec *t = &spec->targets[i];
		v[i] = pp_options_clone(base);
		if (t->cc)
			pp_options_set_cc(v[i], t->cc);
		else
			pp_options_set_target(v[i], t->triple);
		if (t->sysroot)
			pp_options_set_sysroot(v[i], t->sysroot);
		if (t->exec_wrapper)
			pp_options_set_exec_wrapper(v[i], t->exec_wrapper);
		for (size_t k = 0; k < t->cflags.n; k++)
			pp_options_add_cflag(v[i], t->cflags.v[k]);
	}
	return v;
}
