/* pp_load.c: reads saved results back into the library's model, entry by entry as a spec asks for
 * them, so any output format can be written with no compiler (--from: the role of autoconf's
 * config.site). Numbers go through pp_jdom's text, so 64-bit integers stay exact; keys this
 * version does not know are ignored, so results from newer versions still read. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

typedef struct pp_lctx {
	const pp_spec *spec;
	const char *file;
	pp_diag *d;
	pp_buf where;    /* JSON path of the result being read: "" or "results[2]" */
	int bad;
} pp_lctx;

static void pp_lbad(pp_lctx *c, const char *path, const char *what)
{
	pp_buf p = PP_BUF_INIT;
	pp_buf_adds(&p, pp_buf_str(&c->where));
	if (p.len && *path)
		pp_buf_addc(&p, '.');
	pp_buf_adds(&p, path);
	pp_diag_add(c->d, "%s: error: %s%s%s", c->file, pp_buf_str(&p), p.len ? ": " : "", what);
	pp_buf_free(&p);
	c->bad = 1;
}

/* A path below an entry: types."off_t".size */
static char *pp_lpath(const char *sec, const char *entry, const char *rest)
{
	pp_dstep st[2] = { { sec, 0, 0 }, { entry, 0, 0 } };
	pp_buf b = PP_BUF_INIT;
	for (int i = 0; i < (entry ? 2 : 1); i++)
		pp_path_add(&b, &st[i]);
	if (rest)
		pp_buf_addf(&b, "%s%s", *rest == '[' ? "" : ".", rest);
	return pp_buf_detach(&b);
}

/* A non-negative integer written without fraction or exponent, exactly. */
static int pp_juint(const pp_jnode *n, uint64_t *v)
{
	if (!n || n->type != PP_J_NUM || n->str[0] == '-' || strpbrk(n->str, ".eE"))
		return -1;
	errno = 0;
	char *end;
	unsigned long long u = strtoull(n->str, &end, 10);
	if (errno || *end)
		return -1;
	*v = u;
	return 0;
}

/* An integer constant over the whole int64 and uint64 range: magnitude bits and sign, as the
 * probe stores them (a negative one as its two's complement). */
static int pp_jint(const pp_jnode *n, uint64_t *u, int *neg)
{
	*neg = 0;
	if (n->str[0] != '-')
		return pp_juint(n, u);
	pp_jnode mag = *n;
	mag.str = n->str + 1;
	uint64_t m;
	if (pp_juint(&mag, &m) < 0 || m > (uint64_t)1 << 63)
		return -1;
	*u = (uint64_t)0 - m;
	*neg = m != 0;
	return 0;
}

static const pp_jnode *pp_jkey(const pp_jnode *obj, const char *key, enum pp_jtype t)
{
	const pp_jnode *n = pp_jget(obj, key);
	return n && n->type == t ? n : NULL;
}

/* size, align, kind and what goes with the kind, from a type's or a field's object. */
static void pp_load_tfacts(pp_lctx *c, const pp_jnode *o, pp_tfacts *t, int with_align,
                           const char *path)
{
	static const char *const need[] = { "size", "align" };
	uint64_t *slots[] = { &t->size, &t->align };
	for (int i = 0; i < 1 + with_align; i++)
		if (pp_juint(pp_jget(o, need[i]), slots[i]) < 0) {
			char *p = pp_xasprintf("%s.%s", path, need[i]);
			pp_lbad(c, p, "expected a non-negative integer");
			free(p);
		}
	t->palign = t->align;
	const pp_jnode *pa = pp_jget(o, "preferred_align");
	if (with_align && pa && pp_juint(pa, &t->palign) < 0) {
		char *p = pp_xasprintf("%s.preferred_align", path);
		pp_lbad(c, p, "expected a non-negative integer");
		free(p);
	}
	const pp_jnode *k = pp_jkey(o, "kind", PP_J_STR);
	int found = 0;
	for (int i = 0; k && i <= PP_K_OTHER; i++)
		if (!strcmp(k->str, pp_kind_names[i])) {
			t->kind = (enum pp_kind)i;
			found = 1;
		}
	if (!found) {
		char *p = pp_xasprintf("%s.kind", path);
		pp_lbad(c, p, "expected one of int, float, pointer, struct, union, array, enum, "
		        "function, complex, void, other");
		free(p);
	}
	const pp_jnode *sg = pp_jkey(o, "signed", PP_J_BOOL);
	t->is_signed = sg ? sg->b : -1;
	if (t->kind == PP_K_ARRAY && pp_juint(pp_jget(o, "count"), &t->count) < 0) {
		char *p = pp_xasprintf("%s.count", path);
		pp_lbad(c, p, "an array needs a non-negative integer count");
		free(p);
	}
}

/* The answer for a spec entry; NULL (reported) when the result has none. */
static const pp_jnode *pp_load_answer(pp_lctx *c, const pp_jnode *res, const pp_entry *e)
{
	const char *sec = pp_section_names[e->sec];
	const pp_jnode *n = pp_jget(pp_jkey(res, sec, PP_J_OBJ), e->name);
	if (n)
		return n;
	char *p = pp_lpath(sec, NULL, NULL), *msg;
	pp_buf q = PP_BUF_INIT;
	pp_json_str(&q, e->name, strlen(e->name));
	msg = pp_xasprintf("no answer for %s[%zu] %s of %s: the result was saved from another spec "
	                   "(probe again to record it)", sec, e->index, pp_buf_str(&q),
	                   c->spec->filename);
	pp_lbad(c, p, msg);
	free(msg);
	free(p);
	pp_buf_free(&q);
	return NULL;
}

/* A gap in bits written as whole bytes and the bits left over ("hole_after", "bit_hole_after"). */
static uint64_t pp_load_gap(pp_lctx *c, const pp_jnode *o, const char *bytes_key,
                            const char *bits_key, const char *path)
{
	uint64_t bytes = 0, bits = 0;
	const pp_jnode *a = pp_jget(o, bytes_key), *b = pp_jget(o, bits_key);
	if ((a && pp_juint(a, &bytes) < 0) || (b && pp_juint(b, &bits) < 0)) {
		char *p = pp_xasprintf("%s.%s", path, a && pp_juint(a, &bytes) < 0 ? bytes_key : bits_key);
		pp_lbad(c, p, "expected a non-negative integer");
		free(p);
	}
	return bytes * 8 + bits;
}

static void pp_load_members(pp_lctx *c, const pp_jnode *arr, pp_fres **out, size_t *n,
                            const char *path);

/* A member's (or a prototype's) type facts, and its "type", "dims" and "element" where given. */
static void pp_load_type(pp_lctx *c, const pp_jnode *fo, pp_fres *fr, const char *path)
{
	pp_load_tfacts(c, fo, &fr->t, 0, path);
	const pp_jnode *ty = pp_jkey(fo, "type", PP_J_STR), *dims = pp_jkey(fo, "dims", PP_J_ARR);
	if (ty)
		fr->type = pp_xstrdup(ty->str);
	if (dims) {
		for (const pp_jnode *x = dims->child; x; x = x->next)
			fr->ndims++;
		fr->dims = pp_xcalloc(fr->ndims, sizeof *fr->dims);
		size_t i = 0;
		for (const pp_jnode *x = dims->child; x; x = x->next, i++)
			if (pp_juint(x, &fr->dims[i]) < 0)
				pp_lbad(c, path, "\"dims\" holds something other than non-negative integers");
		const pp_jnode *el = pp_jkey(fo, "element", PP_J_OBJ);
		char *ep = pp_xasprintf("%s.element", path);
		if (!el) {
			pp_lbad(c, ep, "an array with \"dims\" needs its \"element\"");
		} else {
			pp_load_tfacts(c, el, &fr->elem, 0, ep);
			const pp_jnode *et = pp_jkey(el, "type", PP_J_STR);
			if (et)
				fr->elem_type = pp_xstrdup(et->str);
		}
		free(ep);
	}
}

/* One member's facts; what debug information adds (type, dims, holes, a nested layout) where
 * the result has it. */
static void pp_load_field(pp_lctx *c, const pp_jnode *fo, pp_fres *fr, const char *path)
{
	pp_load_type(c, fo, fr, path);
	if (pp_juint(pp_jget(fo, "offset"), &fr->offset) < 0)
		pp_lbad(c, path, "expected an integer \"offset\"");
	const pp_jnode *bo = pp_jget(fo, "bit_offset"), *bs = pp_jget(fo, "bit_size");
	if (bo || bs) {
		fr->is_bitfield = 1;
		if (pp_juint(bo, &fr->bit_offset) < 0 || pp_juint(bs, &fr->bit_size) < 0)
			pp_lbad(c, path, "a bit-field needs integers \"bit_offset\" and \"bit_size\"");
	}
	fr->hole_bits = pp_load_gap(c, fo, "hole_after", "bit_hole_after", path);
	const pp_jnode *sub = pp_jkey(fo, "fields", PP_J_ARR);
	if (sub) {
		fr->has_layout = 1;
		fr->pad_bits = pp_load_gap(c, fo, "padding", "bit_padding", path);
		char *sp = pp_xasprintf("%s.fields", path);
		pp_load_members(c, sub, &fr->sub, &fr->nsub, sp);
		free(sp);
	}
}

/* Every member of a list, in the order written (a whole layout, or a nested one). */
static void pp_load_members(pp_lctx *c, const pp_jnode *arr, pp_fres **out, size_t *n,
                            const char *path)
{
	*n = 0;
	for (const pp_jnode *x = arr->child; x; x = x->next)
		(*n)++;
	*out = pp_xcalloc(*n, sizeof(pp_fres));
	size_t i = 0;
	for (const pp_jnode *x = arr->child; x; x = x->next, i++) {
		pp_fres *fr = &(*out)[i];
		const pp_jnode *nm = pp_jkey(x, "name", PP_J_STR);
		fr->name = pp_xstrdup(nm ? nm->str : "");
		fr->answered = 1;
		fr->order = i;
		char *fp = pp_xasprintf("%s[%zu]", path, i);
		if (!nm)
			pp_lbad(c, fp, "a member needs a string \"name\"");
		pp_load_field(c, x, fr, fp);
		free(fp);
	}
}

/* The spec's fields matched by name (sorted as a probe sorts them), or, for a whole layout, every
 * member the result lists. */
static void pp_load_fields(pp_lctx *c, const pp_entry *e, const pp_jnode *o, pp_eres *er,
                           const char *path)
{
	const pp_jnode *arr = pp_jkey(o, "fields", PP_J_ARR);
	const pp_jnode *fc = pp_jkey(o, "fields_complete", PP_J_BOOL);
	er->fields_complete = fc ? (fc->b ? 1 : -1) : 0;
	if (er->fields_complete > 0)
		er->pad_bits = pp_load_gap(c, o, "padding", "bit_padding", path);
	if (e->whole != PP_WHOLE_NO) {
		char *fp = pp_xasprintf("%s.fields", path);
		if (arr)
			pp_load_members(c, arr, &er->fields, &er->nfields, fp);
		else if (e->whole == PP_WHOLE_REQUIRED)
			pp_lbad(c, fp, "the spec asks for the whole layout (\"fields\": \"*\"), and the "
			        "result has none");
		free(fp);
		return;
	}
	for (size_t f = 0; f < er->nfields; f++) {
		pp_fres *fr = &er->fields[f];
		const pp_jnode *fo = NULL;
		for (const pp_jnode *x = arr ? arr->child : NULL; x && !fo; x = x->next) {
			const pp_jnode *nm = pp_jkey(x, "name", PP_J_STR);
			if (nm && !strcmp(nm->str, fr->name))
				fo = x;
		}
		pp_dstep st = { fr->name, 0, 0 };
		pp_buf fp = PP_BUF_INIT;
		pp_buf_addf(&fp, "%s.fields", path);
		pp_path_add(&fp, &st);
		if (!fo && e->fields[f].optional)
			fr->answered = 0; /* an optional field the target lacks is left out */
		else if (!fo)
			pp_lbad(c, pp_buf_str(&fp), "the spec requires this field, and the result has no "
			        "answer for it");
		else
			pp_load_field(c, fo, fr, pp_buf_str(&fp));
		pp_buf_free(&fp);
	}
	if (er->nfields) /* "fields": [] leaves none, and qsort may not be given a NULL array */
		qsort(er->fields, er->nfields, sizeof(pp_fres), pp_fres_cmp);
}

/* An enum's values, in the order written (the order of declaration). */
static void pp_load_enum(pp_lctx *c, const pp_jnode *o, pp_eres *er, const char *path)
{
	const pp_jnode *vals = pp_jkey(o, "values", PP_J_OBJ);
	char *vp = pp_xasprintf("%s.values", path);
	if (!vals)
		pp_lbad(c, vp, "expected an object of the enum's constants");
	for (const pp_jnode *x = vals ? vals->child : NULL; x; x = x->next)
		er->nvals++;
	er->vals = pp_xcalloc(er->nvals, sizeof(pp_enumval));
	size_t i = 0;
	for (const pp_jnode *x = vals ? vals->child : NULL; x; x = x->next, i++) {
		er->vals[i].name = pp_xstrdup(x->key);
		if (x->type != PP_J_NUM || strpbrk(x->str, ".eE") ||
		    pp_jint(x, &er->vals[i].u, &er->vals[i].neg) < 0)
			pp_lbad(c, vp, "expected integers within the int64 and uint64 range");
	}
	free(vp);
}

/* How deeply a prototype's types may nest (pointees, function pointers' prototypes): a probe
 * writes at most 8 levels; a result nested past this is not one, and must not exhaust the stack. */
#define PP_LOAD_PROTO_DEPTH 32

static pp_proto *pp_load_proto(pp_lctx *c, const pp_jnode *o, const char *path, int depth);

/* A prototype's type: a member's type facts, and its "record", "pointee", "prototype" and
 * "first_member". */
static void pp_load_ptype(pp_lctx *c, const pp_jnode *o, pp_ptype *t, const char *path, int depth)
{
	if (!o || o->type != PP_J_OBJ) {
		pp_lbad(c, path, "expected a type (an object)");
		return;
	}
	if (depth > PP_LOAD_PROTO_DEPTH) {
		pp_lbad(c, path, "types nested too deeply");
		return;
	}
	pp_load_type(c, o, &t->f, path);
	t->f.answered = 1;
	const pp_jnode *rec = pp_jget(o, "record");
	const pp_jnode *pr = pp_jget(o, "prototype");
	if (rec && rec->type == PP_J_STR)
		t->record = pp_xstrdup(rec->str);
	else if (rec)
		pp_lbad(c, path, "\"record\" is not a string");
	static const char *const sub[] = { "pointee", "first_member" };
	pp_ptype **slot[] = { &t->pointee, &t->first };
	for (size_t i = 0; i < 2; i++) {
		const pp_jnode *x = pp_jget(o, sub[i]);
		if (!x)
			continue;
		char *p = pp_xasprintf("%s.%s", path, sub[i]);
		*slot[i] = pp_xcalloc(1, sizeof **slot[i]);
		pp_load_ptype(c, x, *slot[i], p, depth + 1);
		free(p);
	}
	if (pr) {
		char *p = pp_xasprintf("%s.prototype", path);
		t->proto = pp_load_proto(c, pr, p, depth + 1);
		free(p);
	}
}

/* {"returns": TYPE, "params": [TYPE...], "variadic": bool, "prototyped", "symbol"} */
static pp_proto *pp_load_proto(pp_lctx *c, const pp_jnode *o, const char *path, int depth)
{
	const pp_jnode *ret = o->type == PP_J_OBJ ? pp_jget(o, "returns") : NULL;
	const pp_jnode *params = pp_jkey(o, "params", PP_J_ARR), *va = pp_jkey(o, "variadic", PP_J_BOOL);
	if (!ret || !params || !va) {
		pp_lbad(c, path, "expected {\"returns\": TYPE, \"params\": [TYPE, ...], \"variadic\": "
		        "true or false}");
		return NULL;
	}
	pp_proto *p = pp_xcalloc(1, sizeof *p);
	char *rp = pp_xasprintf("%s.returns", path);
	pp_load_ptype(c, ret, &p->ret, rp, depth);
	free(rp);
	for (const pp_jnode *x = params->child; x; x = x->next)
		p->nparams++;
	p->params = pp_xcalloc(p->nparams ? p->nparams : 1, sizeof *p->params);
	size_t i = 0;
	for (const pp_jnode *x = params->child; x; x = x->next, i++) {
		char *pp = pp_xasprintf("%s.params[%zu]", path, i);
		pp_load_ptype(c, x, &p->params[i], pp, depth);
		free(pp);
	}
	p->variadic = va->b;
	const pp_jnode *pr = pp_jget(o, "prototyped"), *sym = pp_jget(o, "symbol");
	const pp_jnode *nr = pp_jget(o, "noreturn");
	if ((pr && pr->type != PP_J_BOOL) || (nr && nr->type != PP_J_BOOL))
		pp_lbad(c, path, "\"prototyped\" or \"noreturn\" is not true or false");
	p->unprototyped = pr && pr->type == PP_J_BOOL && !pr->b;
	p->noreturn = nr && nr->type == PP_J_BOOL && nr->b;
	if (sym && sym->type == PP_J_STR)
		p->symbol = pp_xstrdup(sym->str);
	else if (sym)
		pp_lbad(c, path, "\"symbol\" is not a string");
	return p;
}

/* A function's prototype from the "prototypes" section, where the result has one (a result of
 * an older version, or without debug information, has none: the function is still answered). */
static void pp_load_prototype(pp_lctx *c, const pp_jnode *res, const pp_entry *e, pp_eres *er)
{
	const pp_jnode *sec = pp_jget(res, "prototypes");
	if (sec && sec->type != PP_J_OBJ) {
		pp_lbad(c, "prototypes", "expected an object");
		return;
	}
	const pp_jnode *v = pp_jget(sec, e->name);
	if (!v || v->type == PP_J_NULL)
		return;
	char *path = pp_lpath("prototypes", e->name, NULL);
	er->proto = pp_load_proto(c, v, path, 0);
	free(path);
}

/* {"links": bool, "soname": string or null, "path": string or null} */
static void pp_load_library(pp_lctx *c, const pp_entry *e, const pp_jnode *v, pp_eres *er,
                            const char *path)
{
	const pp_jnode *links = pp_jkey(v, "links", PP_J_BOOL);
	if (v->type != PP_J_OBJ || !links) {
		pp_lbad(c, path, "expected {\"links\": true or false, \"soname\", \"path\"}");
		return;
	}
	er->yes = links->b;
	if (!er->yes && !e->optional)
		pp_lbad(c, path, "recorded as not linking, but the spec requires it");
	static const char *const keys[] = { "soname", "path" };
	char **slots[] = { &er->soname, &er->path };
	for (int i = 0; i < 2; i++) {
		const pp_jnode *s = pp_jget(v, keys[i]);
		if (s && s->type == PP_J_STR)
			*slots[i] = pp_xstrdup(s->str);
		else if (s && s->type != PP_J_NULL) {
			char *p = pp_xasprintf("%s.%s", path, keys[i]);
			pp_lbad(c, p, "expected a string or null");
			free(p);
		}
	}
}

/* A constant's value, typed by its constant_types entry when there is one. Without it (a result
 * written by hand), an integer is signed unless only uint64 holds it. */
static void pp_load_constant(pp_lctx *c, const pp_jnode *res, const pp_entry *e,
                             const pp_jnode *v, pp_eres *er, const char *path)
{
	const pp_jnode *ct = pp_jget(pp_jkey(res, "constant_types", PP_J_OBJ), e->name);
	const pp_jnode *kind = ct ? pp_jkey(ct, "kind", PP_J_STR) : NULL;
	const pp_jnode *sg = ct ? pp_jkey(ct, "signed", PP_J_BOOL) : NULL;
	uint64_t size = 0;
	if (ct && pp_juint(pp_jget(ct, "size"), &size) == 0)
		er->csize = (int)size;
	int is_float = kind ? !strcmp(kind->str, "float") : 0;
	if (v->type == PP_J_NUM && !strpbrk(v->str, ".eE") && !is_float) {
		if (pp_jint(v, &er->u, &er->neg) < 0) {
			pp_lbad(c, path, "an integer outside the int64 and uint64 range");
			return;
		}
		er->cv = PP_CV_INT;
		er->cptr = kind && !strcmp(kind->str, "pointer");
		er->csigned = sg ? sg->b : er->neg || er->u <= INT64_MAX;
		if (er->cptr)
			er->csigned = 0;
		if (!ct)
			er->csize = er->neg ? ((int64_t)er->u >= INT32_MIN ? 4 : 8) : er->u <= INT32_MAX ? 4 : 8;
	} else if (v->type == PP_J_NUM || (v->type == PP_J_STR && (!kind || is_float) &&
	                                   (!strcmp(v->str, "inf") || !strcmp(v->str, "-inf") ||
	                                    !strcmp(v->str, "nan")))) {
		/* strtod reads the writer's shortest round-trip text back to the same double. */
		er->cv = PP_CV_FLOAT;
		er->d = strtod(v->str, NULL);
		if (!ct)
			er->csize = 8;
	} else if (v->type == PP_J_STR) {
		er->cv = PP_CV_STRING;
		er->str = pp_xstrndup(v->str, v->len);
		er->strlen = v->len;
		if (!ct)
			er->csize = (int)v->len + 1;
	} else {
		pp_lbad(c, path, "expected a number, a string or null");
	}
}

static void pp_load_entry(pp_lctx *c, const pp_jnode *res, const pp_entry *e, pp_eres *er)
{
	const pp_jnode *v = pp_load_answer(c, res, e);
	if (!v)
		return;
	char *path = pp_lpath(pp_section_names[e->sec], e->name, NULL);
	if (e->sec == PP_LIBRARIES) {
		pp_load_library(c, e, v, er, path);
	} else if (e->sec == PP_DEFINED || e->sec == PP_FUNCTIONS) {
		if (v->type != PP_J_BOOL)
			pp_lbad(c, path, "expected true or false");
		er->yes = v->type == PP_J_BOOL && v->b;
		if (v->type == PP_J_BOOL && !v->b && !e->optional)
			pp_lbad(c, path, e->sec == PP_DEFINED ? "recorded as not defined, but the spec "
			        "requires it" : "recorded as not found, but the spec requires it");
		/* "link": false asks for no prototype: none is read back either. */
		if (e->sec == PP_FUNCTIONS && er->yes && !e->no_link)
			pp_load_prototype(c, res, e, er);
	} else if (v->type == PP_J_NULL) {
		er->answered = 0;
		if (!e->optional)
			pp_lbad(c, path, "recorded as unanswered (null), but the spec requires it");
	} else if (e->sec == PP_CONSTANTS) {
		pp_load_constant(c, res, e, v, er, path);
	} else if (v->type != PP_J_OBJ) {
		pp_lbad(c, path, "expected an object or null");
	} else {
		pp_load_tfacts(c, v, &er->t, 1, path);
		if (e->sec == PP_STRUCTS)
			pp_load_fields(c, e, v, er, path);
		else if (e->sec == PP_ENUMS)
			pp_load_enum(c, v, er, path);
	}
	free(path);
}

static void pp_load_target(pp_lctx *c, const pp_jnode *res, pp_target *t)
{
	const pp_jnode *o = pp_jkey(res, "target", PP_J_OBJ);
	if (!o) {
		pp_lbad(c, "target", "missing, or not an object");
		return;
	}
	static const char *const keys[] = { "triple", "compiler", "compiler_version", "data_model" };
	char **slots[] = { &t->triple, &t->compiler, &t->compiler_version, &t->data_model };
	for (int i = 0; i < 4; i++) {
		const pp_jnode *s = pp_jkey(o, keys[i], PP_J_STR);
		*slots[i] = pp_xstrdup(s ? s->str : "");
		if (!s) {
			char *p = pp_xasprintf("target.%s", keys[i]);
			pp_lbad(c, p, "expected a string");
			free(p);
		}
	}
	const pp_jnode *en = pp_jkey(o, "endian", PP_J_STR), *cs = pp_jkey(o, "char_signed", PP_J_BOOL);
	if (!en || (strcmp(en->str, "big") && strcmp(en->str, "little")))
		pp_lbad(c, "target.endian", "expected \"big\" or \"little\"");
	if (!cs)
		pp_lbad(c, "target.char_signed", "expected true or false");
	uint64_t ps = 0;
	/* Whatever sizeof(void *) the probe read and wrote reads back (no smaller limit: the result
	 * of a strange compiler must still load). */
	if (pp_juint(pp_jget(o, "pointer_size"), &ps) < 0 || ps > UINT_MAX)
		pp_lbad(c, "target.pointer_size", "expected a non-negative integer");
	t->big_endian = en && !strcmp(en->str, "big");
	t->char_signed = cs && cs->b;
	t->pointer_size = (unsigned)ps;
	/* The sizes behind the data model, which a result does not list separately. */
	pp_data_model_sizes(t->data_model, &t->int_size, &t->long_size);
	t->llong_size = 8;
}

static pp_result *pp_load_one(pp_lctx *c, const pp_jnode *res)
{
	pp_result *r = pp_result_alloc(c->spec);
	pp_load_target(c, res, &r->target);
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		for (size_t i = 0; i < r->n[sec]; i++)
			pp_load_entry(c, res, &c->spec->entries[sec][i], &r->e[sec][i]);
	return r;
}

/* The results of a document that reads as a platprobe result; root stays the caller's. */
static pp_result **pp_results_from(const pp_spec *spec, const pp_jnode *root, const char *path,
                                   size_t *n, pp_diag *d)
{
	pp_lctx c = { spec, path, d, PP_BUF_INIT, 0 };
	uint64_t version = 0;
	if (pp_juint(pp_jget(root, "platprobe"), &version) < 0 || version != 1)
		pp_lbad(&c, "platprobe", "this version reads results of format 1 only");
	const pp_jnode *many = pp_jget(root, "results");
	size_t count = 0;
	if (many && many->type != PP_J_ARR)
		pp_lbad(&c, "results", "expected an array of results");
	else if (many)
		for (const pp_jnode *x = many->child; x; x = x->next)
			count++;
	else
		count = 1;
	if (many && !count && !c.bad)
		pp_lbad(&c, "results", "no results in it");
	pp_result **out = NULL;
	if (!c.bad) {
		out = pp_xcalloc(count, sizeof *out);
		const pp_jnode *x = many ? many->child : root;
		for (size_t i = 0; i < count; i++, x = x->next) {
			pp_buf_reset(&c.where);
			if (many)
				pp_buf_addf(&c.where, "results[%zu]", i);
			if (x->type != PP_J_OBJ)
				pp_lbad(&c, "", "expected a result (an object)");
			else
				out[i] = pp_load_one(&c, x);
		}
	}
	if (c.bad && out) {
		for (size_t i = 0; i < count; i++)
			pp_result_free(out[i]);
		free(out);
		out = NULL;
	}
	*n = out ? count : 0;
	pp_buf_free(&c.where);
	return out;
}

pp_result **pp_results_load(const pp_spec *spec, const char *path, size_t *n, pp_diag *d)
{
	*n = 0;
	pp_jnode *root = pp_result_read(path, d);
	pp_result **out = root ? pp_results_from(spec, root, path, n, d) : NULL;
	pp_jfree(root);
	return out;
}

pp_result **pp_results_parse(const pp_spec *spec, const char *text, size_t len, const char *name,
                             size_t *n, pp_diag *d)
{
	*n = 0;
	pp_jnode *root = pp_result_parse(text, len, name, d);
	pp_result **out = root ? pp_results_from(spec, root, name, n, d) : NULL;
	pp_jfree(root);
	return out;
}
