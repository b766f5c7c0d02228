/* pp_emitproto.c: the binding formats' view of function prototypes ("prototypes" in the data tree
 * of pp_emit.c): each type as what a binding can declare -- an integer, a float, a record the
 * bindings define, a string, a typed or opaque pointer, a function pointer -- and whether the
 * whole signature can be declared at all (a struct passed by value that the spec does not
 * describe cannot). */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

typedef struct pp_pctx {
	const pp_result *r;
	const cJSON *records;  /* pp_emit's records: "c" (the C name) and "ident" */
	int ok, rust_ok;       /* every type of the signature has a binding (Rust: no long double) */
	pp_buf why;            /* the first reason one has none */
} pp_pctx;

static void pp_pbad(pp_pctx *c, int rust_only, const char *why, const char *type)
{
	if (!rust_only)
		c->ok = 0;
	c->rust_ok = 0;
	if (!c->why.len)
		pp_buf_addf(&c->why, "%s %s", why, type ? type : "?");
}

/* The C name without qualifiers at either end: "const struct stat" -> "struct stat". */
char *pp_unqualified(const char *type)
{
	static const char *const quals[] = { "const ", "volatile ", "restrict ", "_Atomic " };
	for (int again = 1; again;) {
		again = 0;
		for (size_t i = 0; i < 4; i++)
			if (!strncmp(type, quals[i], strlen(quals[i]))) {
				type += strlen(quals[i]);
				again = 1;
			}
	}
	return pp_xstrdup(type);
}

int pp_is_const(const char *type)
{
	size_t n = strlen(type);
	return !strncmp(type, "const ", 6) || (n >= 5 && !strcmp(type + n - 5, "const") &&
	                                       (n == 5 || type[n - 6] == ' ' || type[n - 6] == '*'));
}

const cJSON *pp_proto_record(const cJSON *records, const pp_ptype *t)
{
	char *bare = t->f.type ? pp_unqualified(t->f.type) : NULL;
	const cJSON *hit = NULL;
	const cJSON *rec;
	cJSON_ArrayForEach(rec, records)
	{
		const cJSON *cn = cJSON_GetObjectItemCaseSensitive(rec, "c");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "ident");
		if (!hit && cJSON_IsString(cn) && cJSON_IsString(id) &&
		    ((bare && !strcmp(cn->valuestring, bare)) ||
		     (t->record && !strcmp(cn->valuestring, t->record))))
			hit = rec;
	}
	free(bare);
	return hit;
}

/* The binding name of the record the spec knows by the type's C name or its tag; NULL if none. */
static const char *pp_record_ident(pp_pctx *c, const pp_ptype *t)
{
	const cJSON *rec = pp_proto_record(c->records, t);
	return rec ? cJSON_GetObjectItemCaseSensitive(rec, "ident")->valuestring : NULL;
}

static cJSON *pp_pfunc(pp_pctx *c, const pp_proto *p);

/* Every kind is a key, false but for the one the type has, as pp_emit.c's descriptors: a
 * template's section inside a pointee must not find the pointer's keys. */
static cJSON *pp_pnew(const char *kind, cJSON *body)
{
	static const char *const kinds[] = { "void", "int", "f32", "f64", "fext", "record", "ptr", NULL };
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind))
			cJSON_AddFalseToObject(o, kinds[i]);
		else
			cJSON_AddItemToObject(o, kind, body ? body : cJSON_CreateTrue());
	return o;
}

static cJSON *pp_ptype_model(pp_pctx *c, const pp_ptype *t, int is_param);

/* A pointer: to a function, to a type with a binding (a plain char's is also a C string), else
 * opaque. */
static cJSON *pp_pptr(pp_pctx *c, const pp_ptype *t)
{
	cJSON *b = cJSON_CreateObject();
	const pp_ptype *to = t->pointee;
	char *bare = to && to->f.type ? pp_unqualified(to->f.type) : NULL;
	int cstr = bare && !strcmp(bare, "char");
	cJSON_AddBoolToObject(b, "cstr", cstr);
	cJSON_AddBoolToObject(b, "mut", !(to && to->f.type && pp_is_const(to->f.type)));
	free(bare);
	cJSON *func = NULL, *typed = NULL;
	if (to && to->f.t.kind == PP_K_FUNCTION && to->proto && !to->proto->unprototyped)
		func = pp_pfunc(c, to->proto);
	else if (to && to->f.t.kind != PP_K_VOID && to->f.t.kind != PP_K_FUNCTION &&
	         to->f.t.kind != PP_K_ARRAY) {
		/* A pointee with no binding of its own (an undescribed struct) stays opaque: the
		 * pointer itself can still be passed. */
		pp_pctx probe = { c->r, c->records, 1, 1, PP_BUF_INIT };
		typed = pp_ptype_model(&probe, to, 0);
		if (!probe.ok) {
			cJSON_Delete(typed);
			typed = NULL;
		}
		pp_buf_free(&probe.why);
	}
	cJSON_AddBoolToObject(b, "opaque", !func && !typed);
	cJSON_AddItemToObject(b, "func", func ? func : cJSON_CreateFalse());
	cJSON_AddItemToObject(b, "to", typed ? typed : cJSON_CreateFalse());
	return pp_pnew("ptr", b);
}

/* One type of a signature; a by-value type without a binding makes the signature unbindable. */
static cJSON *pp_ptype_model(pp_pctx *c, const pp_ptype *t, int is_param)
{
	const pp_tfacts *f = &t->f.t;
	cJSON *b;
	switch (f->kind) {
	case PP_K_VOID:
		if (is_param)
			pp_pbad(c, 0, "a parameter of type", t->f.type);
		return pp_pnew("void", NULL);
	case PP_K_INT:
	case PP_K_ENUM:
		if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
			break;
		b = cJSON_CreateObject();
		pp_put_u64(b, "bits", f->size * 8);
		cJSON_AddBoolToObject(b, "signed", f->is_signed > 0);
		return pp_pnew("int", b);
	case PP_K_FLOAT:
		if (f->size == 4 || f->size == 8)
			return pp_pnew(f->size == 4 ? "f32" : "f64", NULL);
		if (f->size > 8) {
			pp_pbad(c, 1, "Rust has no type for", t->f.type);
			return pp_pnew("fext", NULL);
		}
		break;
	case PP_K_POINTER:
		if (f->size == c->r->target.pointer_size)
			return pp_pptr(c, t);
		break;
	case PP_K_STRUCT:
	case PP_K_UNION: {
		const char *id = pp_record_ident(c, t);
		if (!id && t->first && t->first->f.t.kind == PP_K_POINTER)
			return pp_ptype_model(c, t->first, is_param); /* passed as its first member */
		if (!id) {
			pp_pbad(c, 0, "passes by value what the spec does not describe:", t->f.type);
			return pp_pnew("void", NULL);
		}
		b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "ident", id);
		return pp_pnew("record", b);
	}
	default:
		break;
	}
	pp_pbad(c, 0, "no binding type for", t->f.type);
	return pp_pnew("void", NULL);
}

/* {"ret", "params": [...], "variadic"} of a function type. */
static cJSON *pp_pfunc(pp_pctx *c, const pp_proto *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "ret", pp_ptype_model(c, &p->ret, 0));
	cJSON *params = cJSON_CreateArray();
	for (size_t i = 0; i < p->nparams; i++)
		cJSON_AddItemToArray(params, pp_ptype_model(c, &p->params[i], 1));
	cJSON_AddItemToObject(o, "params", params);
	cJSON_AddBoolToObject(o, "has_params", p->nparams > 0);
	cJSON_AddBoolToObject(o, "variadic", p->variadic);
	return o;
}

/* C's own spelling of the function's pointer type for the guard, around the name a typedef gives
 * it (head "T (*", tail ")(...)"), every type through __typeof__ so a function pointer returned
 * needs no declarator around it; 0 when a type has no C spelling (struct <anonymous>, gcc's
 * "complex double"). */
static int pp_c_fnptr(const pp_proto *p, pp_buf *head, pp_buf *b)
{
	const pp_ptype *ts[] = { &p->ret };
	int ok = 1;
	for (size_t i = 0; i <= p->nparams; i++) {
		const pp_ptype *t = i ? &p->params[i - 1] : ts[0];
		ok &= t->f.type && !strchr(t->f.type, '<') && t->f.t.kind != PP_K_COMPLEX &&
		      t->f.t.kind != PP_K_OTHER;
		pp_buf_addf(i ? b : head, "%s__typeof__(%s)%s", i == 1 ? ")(" : i ? ", " : "",
		            t->f.type ? t->f.type : "?", i ? "" : " (*");
	}
	if (!p->nparams)
		pp_buf_adds(b, p->unprototyped ? ")(" : ")(void");
	if (p->variadic)
		pp_buf_adds(b, ", ...");
	pp_buf_addc(b, ')');
	return ok;
}

cJSON *pp_model_prototypes(const pp_result *r, const cJSON *records)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[PP_FUNCTIONS]; i++) {
		const pp_eres *e = &r->e[PP_FUNCTIONS][i];
		char *id = pp_ident(e->name);
		if (!e->answered || !e->yes || !e->proto || !id) {
			free(id);
			continue;
		}
		const pp_proto *p = e->proto;
		const char *sym = p->symbol ? p->symbol : e->name;
		pp_pctx c = { r, records, 1, 1, PP_BUF_INIT };
		cJSON *o = pp_pfunc(&c, p);
		cJSON_AddStringToObject(o, "name", e->name);
		cJSON_AddStringToObject(o, "ident", id);
		pp_put_hex(o, "name_hex", e->name, strlen(e->name));
		pp_put_hex(o, "symbol_hex", sym, strlen(sym));
		/* the symbol differs from the binding's name: an asm label, or a keyword's '_' */
		cJSON_AddBoolToObject(o, "link_name", strcmp(sym, id) != 0);
		cJSON_AddBoolToObject(o, "unprototyped", p->unprototyped);
		cJSON_AddBoolToObject(o, "bindable", c.ok && !p->unprototyped);
		/* Rust's ... needs a parameter before it, as C did before C23 */
		int rust_va = !p->variadic || p->nparams;
		cJSON_AddBoolToObject(o, "rust_bindable", c.rust_ok && c.ok && !p->unprototyped &&
		                      rust_va);
		pp_buf fh = PP_BUF_INIT, fp = PP_BUF_INIT;
		cJSON_AddBoolToObject(o, "guardable", pp_c_fnptr(p, &fh, &fp));
		cJSON_AddStringToObject(o, "c_fnhead", pp_buf_str(&fh));
		pp_buf_free(&fh);
		cJSON_AddBoolToObject(o, "noreturn", p->noreturn);
		pp_put_u64(o, "index", i);
		cJSON_AddStringToObject(o, "c_fntail", pp_buf_str(&fp));
		pp_buf_free(&fp);
		pp_put_comment(o, "why", p->unprototyped ? "declared without a prototype" : !c.ok ||
		               !c.rust_ok ? pp_buf_str(&c.why) : "variadic with no fixed parameter");
		cJSON_AddItemToArray(out, o);
		pp_buf_free(&c.why);
		free(id);
	}
	return out;
}
