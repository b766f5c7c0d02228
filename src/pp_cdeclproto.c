/* pp_cdeclproto.c: -f cdecl's function prototypes: each function of the tree's "prototypes" as a C
 * declaration that cffi's and LuaJIT's ffi.cdef both parse (fixed-width integers, records as the
 * file declares them, opaque struct tags declared ahead), or a note saying why it is left out. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

typedef struct pp_cctx {
	const pp_result *r;
	const cJSON *records; /* the tree's records: "c", "ident", "union" */
	pp_strv *opaque;      /* "struct TAG" the declarations point to without a layout */
	pp_buf why;           /* the first reason a type has no spelling */
} pp_cctx;

static void pp_cbad(pp_cctx *c, const char *why, const char *type)
{
	if (!c->why.len)
		pp_buf_addf(&c->why, "%s %s", why, type ? type : "?");
}

/* qualifier, base and declarator: "const char" "*p" -> "const char *p" */
static void pp_cjoin(pp_buf *out, int cq, const char *base, const char *d)
{
	pp_buf_addf(out, "%s%s%s%s", cq ? "const " : "", base, *d ? " " : "", d);
}

static int pp_cspell(pp_cctx *c, const pp_ptype *t, const char *d, int pointee, pp_buf *out);

/* A function type around declarator d: RET d(ARGS); 0 when a type has no spelling. */
static int pp_cfunc(pp_cctx *c, const pp_proto *p, const char *d, pp_buf *out)
{
	pp_buf decl = PP_BUF_INIT;
	int ok = 1;
	pp_buf_addf(&decl, "%s(", d);
	if (!p->nparams)
		pp_buf_adds(&decl, "void");
	for (size_t i = 0; i < p->nparams && ok; i++) {
		if (i)
			pp_buf_adds(&decl, ", ");
		if (p->params[i].f.t.kind == PP_K_VOID) {
			pp_cbad(c, "a parameter of type", p->params[i].f.type);
			ok = 0;
		} else {
			ok = pp_cspell(c, &p->params[i], "", 0, &decl);
		}
	}
	if (p->variadic)
		pp_buf_adds(&decl, ", ...");
	pp_buf_addc(&decl, ')');
	if (ok && p->ret.f.t.kind == PP_K_VOID)
		pp_cjoin(out, 0, "void", pp_buf_str(&decl));
	else if (ok)
		ok = pp_cspell(c, &p->ret, pp_buf_str(&decl), 0, out);
	pp_buf_free(&decl);
	return ok;
}

/* What a pointer points to, around declarator d ("*..."): a function type, a type with a
 * spelling, else void (the pointer itself can still be passed). */
static void pp_cpointee(pp_cctx *c, const pp_ptype *to, const char *d, pp_buf *out)
{
	pp_cctx sub = { c->r, c->records, c->opaque, PP_BUF_INIT };
	pp_buf t = PP_BUF_INIT;
	int ok = 0;
	int cq = to && to->f.type && pp_is_const(to->f.type);
	if (to && to->f.t.kind == PP_K_FUNCTION) {
		const pp_proto *p = to->proto;
		if (p && !p->unprototyped && (p->nparams || !p->variadic)) {
			char *fd = pp_xasprintf("(%s)", d);
			ok = pp_cfunc(&sub, p, fd, &t);
			free(fd);
		}
		cq = 0;
	} else if (to && to->f.t.kind != PP_K_ARRAY && to->f.t.kind != PP_K_VOID) {
		ok = pp_cspell(&sub, to, d, 1, &t);
	}
	if (ok)
		pp_buf_adds(out, pp_buf_str(&t));
	else
		pp_cjoin(out, cq, "void", d);
	pp_buf_free(&t);
	pp_buf_free(&sub.why);
}

/* A struct or union the file has no layout of, behind a pointer: its tag, declared incomplete
 * ahead of the functions; void where it has no tag (or the tag is a laid-out record's name). */
static void pp_copaque(pp_cctx *c, const pp_ptype *t, int cq, const char *d, pp_buf *out)
{
	char *bare = t->record ? pp_xstrdup(t->record) : t->f.type ? pp_unqualified(t->f.type) : NULL;
	const char *kw = t->f.t.kind == PP_K_UNION ? "union " : "struct ";
	const cJSON *rec;
	int ok = bare && !strncmp(bare, kw, strlen(kw)) && pp_name_is_ident(bare + strlen(kw));
	cJSON_ArrayForEach(rec, c->records)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "ident");
		if (ok && cJSON_IsString(id) && !strcmp(id->valuestring, bare + strlen(kw)))
			ok = 0;
	}
	if (ok && !pp_strv_has(c->opaque, bare))
		pp_strv_push(c->opaque, bare);
	pp_cjoin(out, cq, ok ? bare : "void", d);
	free(bare);
}

/* A type around declarator d (a pointee's const kept; restrict and volatile do not change how it
 * is passed); 0, with the reason in c->why, when no spelling both FFIs pass the same way. */
static int pp_cspell(pp_cctx *c, const pp_ptype *t, const char *d, int pointee, pp_buf *out)
{
	const pp_tfacts *f = &t->f.t;
	int cq = pointee && t->f.type && pp_is_const(t->f.type);
	switch (f->kind) {
	case PP_K_VOID:
		pp_cjoin(out, cq, "void", d);
		return 1;
	case PP_K_INT:
	case PP_K_ENUM: {
		if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
			break;
		/* char, whatever its sign: both FFIs pass their strings as char * */
		char *bare = t->f.type ? pp_unqualified(t->f.type) : NULL;
		char *base = bare && !strcmp(bare, "char") ? pp_xstrdup("char") :
		             pp_xasprintf("%sint%u_t", f->is_signed > 0 ? "" : "u", (unsigned)f->size * 8);
		pp_cjoin(out, cq, base, d);
		free(base);
		free(bare);
		return 1;
	}
	case PP_K_FLOAT:
		if (f->size == 4 || f->size == 8) {
			pp_cjoin(out, cq, f->size == 4 ? "float" : "double", d);
			return 1;
		}
		pp_cbad(c, "LuaJIT passes no", t->f.type);
		return 0;
	case PP_K_POINTER: {
		if (f->size != c->r->target.pointer_size)
			break;
		char *nd = pp_xasprintf("*%s%s%s", cq ? "const" : "", cq && *d ? " " : "", d);
		pp_cpointee(c, t->pointee, nd, out);
		free(nd);
		return 1;
	}
	case PP_K_STRUCT:
	case PP_K_UNION: {
		const cJSON *rec = pp_proto_record(c->records, t);
		if (rec) {
			int u = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "union"));
			char *base = pp_xasprintf("%s %s", u ? "union" : "struct",
			                          cJSON_GetObjectItemCaseSensitive(rec, "ident")->valuestring);
			pp_cjoin(out, cq, base, d);
			free(base);
			return 1;
		}
		if (t->first && t->first->f.t.kind == PP_K_POINTER)
			return pp_cspell(c, t->first, d, pointee, out); /* passed as its first member */
		if (pointee) {
			pp_copaque(c, t, cq, d, out);
			return 1;
		}
		pp_cbad(c, "passes by value what the spec does not describe:", t->f.type);
		return 0;
	}
	default:
		break;
	}
	pp_cbad(c, "no FFI type for", t->f.type);
	return 0;
}

/* Comment text: nothing in it may end the comment. */
static char *pp_ccomment(const char *s)
{
	pp_buf b = PP_BUF_INIT;
	for (; *s; s++) {
		pp_buf_addc(&b, *s == '\n' ? ' ' : *s);
		if (*s == '*' && s[1] == '/')
			pp_buf_addc(&b, ' ');
	}
	return pp_buf_detach(&b);
}

static void pp_cline(cJSON *lines, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "line", text);
	cJSON_AddItemToArray(lines, o);
}

/* One function: its declaration under the name it links as, or why it is left out. */
static void pp_cdecl_one(cJSON *o, const pp_result *r, const cJSON *records, pp_strv *opaque,
                         pp_strv *taken)
{
	const cJSON *ix = cJSON_GetObjectItemCaseSensitive(o, "index");
	size_t i = cJSON_IsString(ix) ? (size_t)strtoull(ix->valuestring, NULL, 10) : (size_t)-1;
	const pp_eres *e = i < r->n[PP_FUNCTIONS] ? &r->e[PP_FUNCTIONS][i] : NULL;
	const pp_proto *p = e ? e->proto : NULL;
	cJSON *out = cJSON_CreateObject(), *lines = cJSON_CreateArray();
	pp_cctx c = { r, records, opaque, PP_BUF_INIT };
	pp_buf decl = PP_BUF_INIT;
	const char *sym = p && p->symbol ? p->symbol : e ? e->name : "?";
	char *note = NULL;
	int ok = 0;
	if (!p)
		pp_buf_adds(&c.why, "no prototype");
	else if (p->unprototyped)
		pp_buf_adds(&c.why, "declared without a prototype (f()): its parameters are unknown");
	else if (p->variadic && !p->nparams)
		pp_buf_adds(&c.why, "variadic with no fixed parameter, which neither FFI parses");
	else if (!pp_name_is_ident(sym))
		pp_buf_addf(&c.why, "it links as %s, not a C name", sym);
	else if (pp_strv_has(taken, sym))
		pp_buf_addf(&c.why, "%s is a name the declarations give already", sym);
	else
		ok = pp_cfunc(&c, p, sym, &decl);
	if (ok) {
		/* both FFIs look a function up by the name declared, and neither reads an asm label */
		if (strcmp(sym, e->name))
			note = pp_xasprintf("/* %s: the headers link it as %s (an asm label): declared as "
			                    "that */", e->name, sym);
		if (note)
			pp_cline(lines, note);
		pp_buf_adds(&decl, p->noreturn ? "; /* noreturn */" : ";");
		pp_cline(lines, pp_buf_str(&decl));
		pp_strv_push(taken, sym);
		cJSON_AddStringToObject(out, "name", sym);
		cJSON_AddStringToObject(out, "decl", pp_buf_str(&decl));
	} else {
		char *w = pp_ccomment(pp_buf_str(&c.why));
		note = pp_xasprintf("/* %s: left out, %s */", e ? e->name : "?", w);
		free(w);
		pp_cline(lines, note);
		cJSON_AddFalseToObject(out, "name");
		cJSON_AddFalseToObject(out, "decl");
	}
	if (note)
		cJSON_AddStringToObject(out, "note", note);
	else
		cJSON_AddFalseToObject(out, "note");
	cJSON_AddItemToObject(out, "lines", lines);
	cJSON_AddItemToObject(o, "cdecl", out);
	free(note);
	pp_buf_free(&decl);
	pp_buf_free(&c.why);
}

void pp_cdecl_prototypes(cJSON *m, const pp_result *r, const pp_strv *taken)
{
	const cJSON *records = cJSON_GetObjectItemCaseSensitive(m, "records");
	cJSON *protos = cJSON_GetObjectItemCaseSensitive(m, "prototypes"), *o;
	pp_strv names = { 0 }, opaque = { 0 };
	for (size_t i = 0; i < taken->n; i++)
		pp_strv_push(&names, taken->v[i]);
	cJSON_ArrayForEach(o, protos)
		pp_cdecl_one(o, r, records, &opaque, &names);
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < opaque.n; i++) {
		cJSON *x = cJSON_CreateObject();
		char *d = pp_xasprintf("%s;", opaque.v[i]);
		cJSON_AddStringToObject(x, "decl", d);
		free(d);
		cJSON_AddItemToArray(arr, x);
	}
	cJSON_AddItemToObject(m, "cdecl_opaque", arr);
	pp_strv_free(&names);
	pp_strv_free(&opaque);
}
