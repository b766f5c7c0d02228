/* pp_emit.c: the binding formats (python, rust, guard, ...). Turns a result into one data tree --
 * layouts made exact with explicit padding and bit-field storage units, constants with their
 * spellings -- and renders the format's template (templates/FORMAT.EXT.tmpl) over it. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* ---- the data tree's leaves: every number is a decimal string (cJSON's doubles would round
 * 64-bit values), every flag a JSON boolean so a template can test it with {{#flag}} ---- */

void pp_put_u64(cJSON *o, const char *key, uint64_t v)
{
	char num[24];
	snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	cJSON_AddStringToObject(o, key, num);
}

void pp_put_hex(cJSON *o, const char *key, const char *s, size_t n)
{
	pp_buf b = PP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		pp_buf_addf(&b, "%02x", (unsigned char)s[i]);
	cJSON_AddStringToObject(o, key, pp_buf_str(&b));
	pp_buf_free(&b);
}

/* Words that are keywords in one of the target languages get a trailing '_' in every format,
 * so a member keeps one name everywhere (C's `type` is `type_` in Python and Rust alike). */
static const char *const pp_reserved[] = { "False", "None", "True", "and", "as", "assert", "async",
	"await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
	"from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
	"return", "try", "while", "with", "yield", "abstract", "become", "box", "const", "crate", "do",
	"dyn", "enum", "extern", "false", "final", "fn", "impl", "let", "loop", "macro", "match", "mod",
	"move", "mut", "override", "priv", "pub", "ref", "self", "Self", "static", "struct", "super",
	"trait", "true", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where",
	"ctypes", "core", NULL };

/* A binding name for a C name or member path: "struct stat" -> "stat", "st_mtim.tv_sec" ->
 * "st_mtim_tv_sec", "sa_data[2]" -> "sa_data_2"; NULL when it has none ("void *"). */
char *pp_ident(const char *c)
{
	static const char *const tags[] = { "struct ", "union ", "enum " };
	for (size_t i = 0; i < 3; i++)
		if (!strncmp(c, tags[i], strlen(tags[i]))) {
			c += strlen(tags[i]);
			while (*c == ' ')
				c++;
		}
	pp_buf b = PP_BUF_INIT;
	for (const char *p = c; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_')
			pp_buf_addc(&b, *p);
		else if (*p == '.' || *p == '[')
			pp_buf_addc(&b, '_');
		else if (*p == ']' || *p == ' ')
			continue;
		else {
			pp_buf_free(&b);
			return NULL;
		}
	}
	char *s = pp_buf_detach(&b);
	if (!pp_name_is_ident(s)) {
		free(s);
		return NULL;
	}
	for (size_t i = 0; pp_reserved[i]; i++)
		if (!strcmp(s, pp_reserved[i])) {
			char *t = pp_xasprintf("%s_", s);
			free(s);
			return t;
		}
	return s;
}

/* ---- type descriptors: {"size": N, KIND: {...}} with one KIND of int, f32, f64, fext, pointer,
 * array, record; est is the alignment the binding's own type will likely have ---- */

typedef struct pp_ty {
	cJSON *j;
	uint64_t size, est;
} pp_ty;

/* Every kind is a key, false but for the one the type has: a template's {{#array}} inside an
 * array's element must not find the outer array (sections look names up outwards). */
static pp_ty pp_ty_new(uint64_t size, const char *kind, cJSON *body, uint64_t est)
{
	static const char *const kinds[] = { "int", "f32", "f64", "fext", "pointer", "array", "record",
		NULL };
	pp_ty t = { cJSON_CreateObject(), size, est };
	pp_put_u64(t.j, "size", size);
	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind))
			cJSON_AddFalseToObject(t.j, kinds[i]);
		else
			cJSON_AddItemToObject(t.j, kind, body ? body : cJSON_CreateObject());
	return t;
}

static pp_ty pp_ty_int(uint64_t size, int sgn)
{
	cJSON *b = cJSON_CreateObject();
	pp_put_u64(b, "bits", size * 8);
	cJSON_AddBoolToObject(b, "signed", sgn);
	return pp_ty_new(size, "int", b, size);
}

static pp_ty pp_ty_array(pp_ty elem, uint64_t count, uint64_t elemsize)
{
	cJSON *b = cJSON_CreateObject();
	pp_put_u64(b, "count", count);
	cJSON_AddItemToObject(b, "elem", elem.j);
	return pp_ty_new(elemsize * count, "array", b, elem.est);
}

/* Bytes whose type is unknown, as unsigned integers of the widest size (up to align, or 8) that
 * divides both off and size, so the binding's type keeps an alignment the C layout allows. */
static pp_ty pp_ty_opaque(uint64_t size, uint64_t off, uint64_t align)
{
	uint64_t a = 8;
	while (a > 1 && (a > align || size % a || off % a))
		a /= 2;
	if (size == 0)
		a = 1;
	return pp_ty_array(pp_ty_int(a, 0), size / a, a);
}

static int pp_is_pow2_int(uint64_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* The binding type of a fact set (a field, a typedef); off and align bound an opaque one. This is
 * the one place that maps C facts to a binding type: once a field carries its declared type (whole
 * layouts), a struct member whose type is a record or alias given out here should refer to it
 * (pp_ty_new(size, "record", {"ident": ...})), and an array its element's own type. */
static pp_ty pp_ty_of(const pp_tfacts *t, unsigned ptrsize, uint64_t off, uint64_t align)
{
	switch (t->kind) {
	case PP_K_INT:
	case PP_K_ENUM:
		if (pp_is_pow2_int(t->size))
			return pp_ty_int(t->size, t->is_signed > 0);
		break;
	case PP_K_FLOAT:
		if (t->size == 4)
			return pp_ty_new(4, "f32", NULL, 4);
		if (t->size == 8)
			return pp_ty_new(8, "f64", NULL, 8);
		if (t->size > 8)
			return pp_ty_new(t->size, "fext", NULL, t->size);
		break;
	case PP_K_POINTER:
		if (t->size == ptrsize)
			return pp_ty_new(t->size, "pointer", NULL, ptrsize);
		break;
	case PP_K_ARRAY:
		/* Only the outer count and the element's size are known: the element is an unsigned
		 * integer of that size (or opaque), until the result says what it is. */
		if (t->count && t->size % t->count == 0) {
			uint64_t es = t->size / t->count;
			pp_ty elem = pp_is_pow2_int(es) ? pp_ty_int(es, 0) : pp_ty_opaque(es, off, align);
			return pp_ty_array(elem, t->count, es);
		}
		break;
	default:
		break;
	}
	return pp_ty_opaque(t->size, off, align);
}

/* ---- records: a struct or union laid out member by member ---- */

typedef struct pp_mitem {
	const pp_fres *f;
	char *path;          /* relative to the record being built */
	uint64_t off, bit;   /* bytes; bits (bit-fields), relative */
} pp_mitem;

typedef struct pp_emit {
	const pp_result *r;
	cJSON *records;      /* in dependency order: a nested record before its user */
	pp_strv idents;      /* every top-level name given out */
	char **struct_ident; /* per "structs" entry: its record's name once built */
	char *building;      /* per "structs" entry: being built (a member's type refers back) */
} pp_emit;

static void pp_model_struct(pp_emit *e, size_t i);

/* The record a member's declared type names (debug information's "struct inner"), built first
 * if it is another "structs" entry of that size: the member is then that record, not bytes. */
static const pp_eres *pp_record_of(pp_emit *e, const pp_fres *f, const char **ident)
{
	const pp_result *r = e->r;
	if (!e->struct_ident || !f->type || f->is_bitfield ||
	    (f->t.kind != PP_K_STRUCT && f->t.kind != PP_K_UNION))
		return NULL;
	for (size_t i = 0; i < r->n[PP_STRUCTS]; i++) {
		const pp_eres *s = &r->e[PP_STRUCTS][i];
		if (!s->answered || strcmp(s->name, f->type) || s->t.size != f->t.size ||
		    s->t.kind != f->t.kind)
			continue;
		pp_model_struct(e, i);
		*ident = e->struct_ident[i];
		return *ident ? s : NULL;
	}
	return NULL;
}

/* A member's binding type: its record when it has one, else what its facts say. */
static pp_ty pp_member_ty(pp_emit *e, const pp_fres *f, uint64_t off, uint64_t align)
{
	const char *ident = NULL;
	const pp_eres *rec = pp_record_of(e, f, &ident);
	if (!rec)
		return pp_ty_of(&f->t, e->r->target.pointer_size, off, align);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "ident", ident);
	/* The record is aligned as in C (its own check says so). */
	return pp_ty_new(f->t.size, "record", b, rec->t.align);
}

static int pp_ident_taken(pp_emit *e, const char *id)
{
	for (size_t i = 0; i < e->idents.n; i++)
		if (!strcmp(e->idents.v[i], id))
			return 1;
	return 0;
}

static int pp_is_bits(const pp_mitem *m)
{
	return m->f && m->f->is_bitfield;
}

static uint64_t pp_first_byte(const pp_mitem *m)
{
	return pp_is_bits(m) ? m->bit / 8 : m->off;
}

static uint64_t pp_end_byte(const pp_mitem *m)
{
	return pp_is_bits(m) ? (m->bit + m->f->bit_size + 7) / 8 : m->off + m->f->t.size;
}

/* i is nested in j: j is a struct or union member and i's path goes on from j's. */
static int pp_is_inside(const pp_mitem *i, const pp_mitem *j)
{
	size_t n = strlen(j->path);
	return i != j && !pp_is_bits(j) && (j->f->t.kind == PP_K_STRUCT || j->f->t.kind == PP_K_UNION) &&
	       !strncmp(i->path, j->path, n) && i->path[n] == '.';
}

/* A bit-field storage unit under construction: bytes [us, us+n) of the record. */
typedef struct pp_unit {
	uint64_t first, last, us, n;
	int opaque;        /* no integer unit fits: left as bytes, without bit accessors */
	int merged;        /* folded into another unit */
} pp_unit;

static void pp_unit_fit(pp_unit *u)
{
	for (u->n = 1; u->n <= 8; u->n *= 2)
		if (u->first / u->n == u->last / u->n) {
			u->us = u->first - u->first % u->n;
			u->opaque = 0;
			return;
		}
	u->n = u->last - u->first + 1;
	u->us = u->first;
	u->opaque = 1;
}

static cJSON *pp_bits_entry(const char *ident, const char *c, uint64_t rel, uint64_t width, int sgn,
                            const pp_unit *u, const char *storage, int big_endian)
{
	cJSON *b = cJSON_CreateObject();
	uint64_t nbits = u->n * 8;
	cJSON_AddStringToObject(b, "ident", ident);
	cJSON_AddStringToObject(b, "storage", storage);
	pp_put_u64(b, "bit_offset", u->us * 8 + rel);
	if (c)
		cJSON_AddStringToObject(b, "c", c);
	cJSON_AddBoolToObject(b, "pad", c == NULL);
	cJSON_AddBoolToObject(b, "signed", sgn);
	pp_put_u64(b, "width", width);
	pp_put_u64(b, "rel", rel);
	/* rel counts from the unit's first bit as the result does (least significant bit first on
	 * little-endian targets, most significant on big); shift counts from the least significant
	 * bit of the unit read as one integer in the target's byte order. */
	uint64_t shift = big_endian ? nbits - rel - width : rel;
	pp_put_u64(b, "shift", shift);
	pp_put_u64(b, "lshift", nbits - shift - width);
	pp_put_u64(b, "rshift", nbits - width);
	char mask[24];
	snprintf(mask, sizeof mask, "0x%llx", width >= 64 ? ~0ULL : (1ULL << width) - 1);
	cJSON_AddStringToObject(b, "mask", mask);
	cJSON_AddItemToObject(b, "type", pp_ty_int(u->n, sgn).j);
	return b;
}

typedef struct pp_rec {
	pp_emit *e;
	const char *ident;
	uint64_t size, align;  /* align 0: not known (a nested record) */
	int is_union;
	cJSON *members;
	uint64_t est;          /* the largest alignment the members will likely have */
	unsigned npad, nunit;
} pp_rec;

/* A member of the record being built: c is its C member path, NULL for what the binding adds
 * (padding, storage units); pad marks padding, which no check looks at. */
static cJSON *pp_member(pp_rec *rc, const char *ident, uint64_t off, pp_ty t, const char *c,
                        int pad)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "ident", ident);
	pp_put_u64(m, "offset", off);
	pp_put_u64(m, "end", off + t.size);
	cJSON_AddStringToObject(m, "rec_ident", rc->ident);
	pp_put_u64(m, "rec_size", rc->size);
	cJSON_AddItemToObject(m, "type", t.j);
	cJSON_AddBoolToObject(m, "pad", pad);
	cJSON_AddFalseToObject(m, "unit"); /* replaced by a storage unit's description */
	cJSON_AddBoolToObject(m, "empty", t.size == 0); /* a flexible array: no bytes to check */
	if (c)
		cJSON_AddStringToObject(m, "c", c);
	cJSON_AddItemToArray(rc->members, m);
	if (t.est > rc->est)
		rc->est = t.est;
	return m;
}

/* A member the result names, with its C type where debug information gave it ("ctype": a format
 * may refer to the record given out for that type, as -f go does). */
static void pp_member_typed(pp_rec *rc, const char *ident, uint64_t off, pp_ty t, const pp_fres *f)
{
	cJSON *m = pp_member(rc, ident, off, t, f->name, 0);
	if (f->type)
		cJSON_AddStringToObject(m, "ctype", f->type);
}

static void pp_rec_pad(pp_rec *rc, uint64_t from, uint64_t to)
{
	if (to <= from)
		return;
	char id[32];
	snprintf(id, sizeof id, "_pad%u", rc->npad++);
	pp_member(rc, id, from, pp_ty_array(pp_ty_int(1, 0), to - from, 1), NULL, 1);
}

static void pp_build_record(pp_emit *e, const char *ident, const char *cname, uint64_t size,
                            uint64_t align, int is_union, pp_mitem *items, size_t n);

/* A direct member whose own members are listed too becomes a record of its own. */
static pp_ty pp_nested(pp_rec *rc, pp_mitem *items, size_t n, size_t k, const char *mident)
{
	pp_mitem *p = &items[k];
	pp_mitem *sub = pp_xcalloc(n, sizeof *sub);
	size_t m = 0, plen = strlen(p->path);
	for (size_t i = 0; i < n; i++)
		if (pp_is_inside(&items[i], p)) {
			sub[m] = items[i];
			sub[m].path = items[i].path + plen + 1;
			sub[m].off = items[i].off - p->off;
			sub[m].bit = items[i].bit - p->off * 8;
			m++;
		}
	char *id = pp_xasprintf("%s_%s", rc->ident, mident);
	pp_build_record(rc->e, id, NULL, p->f->t.size, 0, p->f->t.kind == PP_K_UNION, sub, m);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "ident", id);
	free(id);
	free(sub);
	/* Its alignment is that of its members, which the record's own check confirms. */
	return pp_ty_new(p->f->t.size, "record", b, 1);
}

static void pp_struct_members(pp_rec *rc, pp_mitem *items, size_t n, const char *const *direct,
                              int big_endian);

static void pp_build_record(pp_emit *e, const char *ident, const char *cname, uint64_t size,
                            uint64_t align, int is_union, pp_mitem *items, size_t n)
{
	pp_rec rc = { e, ident, size, align, is_union, cJSON_CreateArray(), 1, 0, 0 };
	/* direct[i]: the binding name of a member that is not inside another listed member */
	char **direct = pp_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		int inside = 0;
		for (size_t j = 0; j < n && !inside; j++)
			inside = pp_is_inside(&items[i], &items[j]);
		if (!inside)
			direct[i] = pp_ident(items[i].path);
	}
	if (is_union) {
		uint64_t biggest = 0;
		for (size_t i = 0; i < n; i++) {
			if (!direct[i] || pp_is_bits(&items[i]) || items[i].off != 0)
				continue; /* a union's binding holds only members at its start */
			int nested = 0;
			for (size_t j = 0; j < n; j++)
				nested |= pp_is_inside(&items[j], &items[i]);
			pp_ty t = nested ? pp_nested(&rc, items, n, i, direct[i]) :
			          pp_member_ty(e, items[i].f, 0, align ? align : 8);
			pp_member_typed(&rc, direct[i], 0, t, items[i].f);
			if (items[i].f->t.size > biggest)
				biggest = items[i].f->t.size;
		}
		if (biggest < size)
			pp_member(&rc, "_size", 0, pp_ty_array(pp_ty_int(1, 0), size, 1), NULL, 1);
	} else {
		pp_struct_members(&rc, items, n, (const char *const *)direct, e->r->target.big_endian);
	}
	cJSON *rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "ident", ident);
	if (cname)
		cJSON_AddStringToObject(rec, "c", cname);
	else
		cJSON_AddFalseToObject(rec, "c");
	cJSON_AddBoolToObject(rec, "union", is_union);
	pp_put_u64(rec, "size", size);
	if (align) {
		pp_put_u64(rec, "align", align);
		cJSON_AddBoolToObject(rec, "has_align", 1);
		/* Bindings align a record as their widest member: say when C aligns it more (the
		 * binding adds a zero-length member or attribute) or less (it packs). */
		if (rc.est < align)
			pp_put_u64(rec, "align_up", align);
		else if (rc.est > align)
			pp_put_u64(rec, "pack", align);
		if (rc.est < align && align <= 8)
			cJSON_AddItemToObject(rec, "align_type", pp_ty_int(align, 0).j);
	}
	cJSON_AddItemToObject(rec, "members", rc.members);
	cJSON_AddItemToArray(e->records, rec);
	for (size_t i = 0; i < n; i++)
		free(direct[i]);
	free(direct);
}

/* Lays out a struct's direct members in order, with padding for the gaps and a storage unit for
 * each run of bit-fields that share bytes. */
static void pp_struct_members(pp_rec *rc, pp_mitem *items, size_t n, const char *const *direct,
                              int big_endian)
{
	pp_emit *e = rc->e;
	/* unit_of[i]: the unit that holds member i (a bit-field, or an integer its unit covers) */
	long *unit_of = pp_xcalloc(n ? n : 1, sizeof(long));
	pp_unit *units = pp_xcalloc(n ? n : 1, sizeof(pp_unit));
	size_t nu = 0;
	for (size_t i = 0; i < n; i++) {
		unit_of[i] = -1;
		if (!direct[i] || !pp_is_bits(&items[i]))
			continue;
		uint64_t fb = pp_first_byte(&items[i]), lb = pp_end_byte(&items[i]) - 1;
		if (nu && fb <= units[nu - 1].last) {
			if (lb > units[nu - 1].last)
				units[nu - 1].last = lb;
		} else {
			units[nu++] = (pp_unit){ fb, lb, 0, 0, 0, 0 };
		}
		unit_of[i] = (long)nu - 1;
	}
	/* A unit is a naturally aligned integer, so it may cover bytes of its neighbours: another
	 * unit is merged in, a plain integer becomes a bit-field of the unit, anything else leaves
	 * the unit as opaque bytes. Repeat until nothing changes. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t a = 0; a < nu && !changed; a++) {
			pp_unit *u = &units[a];
			if (u->merged)
				continue;
			pp_unit_fit(u);
			for (size_t b = 0; b < nu && !changed; b++) {
				pp_unit *v = &units[b];
				if (b == a || v->merged || v->last < u->us || v->first >= u->us + u->n)
					continue;
				u->first = v->first < u->first ? v->first : u->first;
				u->last = v->last > u->last ? v->last : u->last;
				v->merged = 1;
				for (size_t i = 0; i < n; i++)
					if (unit_of[i] == (long)b)
						unit_of[i] = (long)a;
				changed = 1;
			}
			for (size_t i = 0; i < n && !changed && !u->opaque; i++) {
				if (!direct[i] || unit_of[i] >= 0)
					continue;
				uint64_t fb = pp_first_byte(&items[i]), eb = pp_end_byte(&items[i]);
				if (eb <= u->us || fb >= u->us + u->n)
					continue;
				const pp_tfacts *t = &items[i].f->t;
				if ((t->kind == PP_K_INT || t->kind == PP_K_ENUM) && fb >= u->us &&
				    eb <= u->us + u->n && pp_is_pow2_int(t->size))
					unit_of[i] = (long)a;
				else
					u->opaque = 1;
			}
		}
	}
	uint64_t cur = 0;
	for (size_t i = 0; i < n; i++) {
		if (!direct[i])
			continue;
		pp_mitem *m = &items[i];
		long ui = unit_of[i];
		if (ui >= 0) {
			pp_unit *u = &units[ui];
			if (u->n == 0)
				continue; /* emitted with its first member */
			uint64_t start = u->opaque ? u->first : u->us;
			if (start < cur) {
				u->n = 0;
				continue;
			}
			pp_rec_pad(rc, cur, start);
			char id[32];
			snprintf(id, sizeof id, "_bf%u", rc->nunit++);
			if (u->opaque) {
				pp_member(rc, id, start, pp_ty_array(pp_ty_int(1, 0), u->n, 1), NULL, 0);
				cur = start + u->n;
				u->n = 0;
				continue;
			}
			pp_ty ut = pp_ty_int(u->n, 0);
			cJSON *mem = pp_member(rc, id, start, ut, NULL, 0);
			cJSON *unit = cJSON_CreateObject(), *bits = cJSON_CreateArray();
			pp_put_u64(unit, "bytes", u->n);
			pp_put_u64(unit, "ubits", u->n * 8);
			uint64_t at = 0;
			unsigned npad = 0;
			for (size_t k = i; k < n; k++) {
				if (unit_of[k] != ui || !direct[k])
					continue;
				const pp_mitem *bm = &items[k];
				uint64_t rel = pp_is_bits(bm) ? bm->bit - u->us * 8 : (bm->off - u->us) * 8;
				uint64_t width = pp_is_bits(bm) ? bm->f->bit_size : bm->f->t.size * 8;
				if (rel > at) {
					char pid[48];
					snprintf(pid, sizeof pid, "%s_pad%u", id, npad++);
					cJSON_AddItemToArray(bits, pp_bits_entry(pid, NULL, at, rel - at, 0, u, id,
					                                         big_endian));
				}
				/* Signedness of a bit-field is the result's when it has it, else unsigned. */
				int sgn = bm->f->t.is_signed > 0;
				cJSON_AddItemToArray(bits, pp_bits_entry(direct[k], bm->f->name, rel, width, sgn,
				                                         u, id, big_endian));
				at = rel + width;
			}
			cJSON_AddItemToObject(unit, "bits", bits);
			cJSON_ReplaceItemInObject(mem, "unit", unit);
			cur = start + u->n;
			u->n = 0;
			continue;
		}
		if (m->off < cur)
			continue; /* inside a member already laid out (sa_data[2] after sa_data) */
		pp_rec_pad(rc, cur, m->off);
		int nested = 0;
		for (size_t j = 0; j < n; j++)
			nested |= pp_is_inside(&items[j], m);
		pp_ty t = nested ? pp_nested(rc, items, n, i, direct[i]) :
		          pp_member_ty(e, m->f, m->off, rc->align ? rc->align : 8);
		pp_member_typed(rc, direct[i], m->off, t, m->f);
		cur = m->off + m->f->t.size;
	}
	pp_rec_pad(rc, cur, rc->size);
	free(unit_of);
	free(units);
}

/* ---- the whole tree ---- */

/* Whole layouts: an anonymous struct's members are the outer record's (C11 6.7.2.1p13), laid out
 * in its place; an anonymous union stands as its first member as wide as itself (a struct's
 * binding holds no union), or else is left to padding. */
static void pp_take_member(pp_mitem **items, size_t *n, size_t *cap, const pp_fres *fr)
{
	if (!fr->answered)
		return;
	if (fr->name[0] || !fr->nsub || fr->is_bitfield) {
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 16;
			*items = pp_xrealloc(*items, *cap * sizeof **items);
		}
		(*items)[(*n)++] = (pp_mitem){ fr, fr->name, fr->offset, fr->bit_offset };
		return;
	}
	for (size_t i = 0; i < fr->nsub; i++) {
		const pp_fres *s = &fr->sub[i];
		if (fr->t.kind == PP_K_STRUCT) {
			pp_take_member(items, n, cap, s);
		} else if (s->answered && !s->is_bitfield && s->offset == fr->offset &&
		           s->t.size == fr->t.size) {
			pp_take_member(items, n, cap, s);
			return;
		}
	}
}

/* One "structs" entry's record, once: the records its members' types name come first. */
static void pp_model_struct(pp_emit *e, size_t i)
{
	const pp_eres *s = &e->r->e[PP_STRUCTS][i];
	if (e->building[i])
		return;
	e->building[i] = 1; /* from here on, done or under way: never built twice */
	for (size_t f = 0; f < s->nfields; f++)
		if (s->fields[f].answered) {
			const char *ident;
			pp_record_of(e, &s->fields[f], &ident);
		}
	char *id = !s->answered ? NULL : s->as ? pp_xstrdup(s->as) : pp_ident(s->name);
	if (!id || pp_ident_taken(e, id)) {
		free(id);
		return;
	}
	pp_strv_push_own(&e->idents, id); /* taken before its members ask for it */
	pp_mitem *items = NULL;
	size_t n = 0, cap = 0;
	for (size_t f = 0; f < s->nfields; f++)
		pp_take_member(&items, &n, &cap, &s->fields[f]);
	pp_build_record(e, id, s->name, s->t.size, s->t.align, s->t.kind == PP_K_UNION, items, n);
	e->struct_ident[i] = id;
	free(items);
}

static void pp_model_records(pp_emit *e)
{
	const pp_result *r = e->r;
	size_t ns = r->n[PP_STRUCTS] ? r->n[PP_STRUCTS] : 1;
	e->struct_ident = pp_xcalloc(ns, sizeof(char *));
	e->building = pp_xcalloc(ns, 1);
	for (size_t i = 0; i < r->n[PP_STRUCTS]; i++)
		pp_model_struct(e, i);
	/* A struct or union named only under "types": its size and alignment, opaque. */
	for (size_t i = 0; i < r->n[PP_TYPES]; i++) {
		const pp_eres *t = &r->e[PP_TYPES][i];
		if (!t->answered || (t->t.kind != PP_K_STRUCT && t->t.kind != PP_K_UNION))
			continue;
		char *id = t->as ? pp_xstrdup(t->as) : pp_ident(t->name);
		if (!id || pp_ident_taken(e, id)) {
			free(id);
			continue;
		}
		pp_build_record(e, id, t->name, t->t.size, t->t.align, t->t.kind == PP_K_UNION, NULL, 0);
		pp_strv_push_own(&e->idents, id);
	}
}

static cJSON *pp_model_aliases(pp_emit *e)
{
	const pp_result *r = e->r;
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[PP_TYPES]; i++) {
		const pp_eres *t = &r->e[PP_TYPES][i];
		enum pp_kind k = t->t.kind;
		if (!t->answered || k == PP_K_STRUCT || k == PP_K_UNION || k == PP_K_FUNCTION ||
		    k == PP_K_VOID || t->t.size == 0)
			continue;
		char *id = t->as ? pp_xstrdup(t->as) : pp_ident(t->name);
		if (!id || pp_ident_taken(e, id)) {
			free(id);
			continue;
		}
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "ident", id);
		cJSON_AddStringToObject(a, "c", t->name);
		cJSON_AddItemToObject(a, "type", pp_ty_of(&t->t, r->target.pointer_size, 0, t->t.align).j);
		cJSON_AddItemToArray(out, a);
		pp_strv_push_own(&e->idents, id);
	}
	return out;
}

static void pp_model_float(cJSON *c, double d)
{
	cJSON *f = cJSON_CreateObject();
	pp_buf b = PP_BUF_INIT;
	int nan = d != d, inf = !nan && (d > 1.7976931348623157e308 || d < -1.7976931348623157e308);
	cJSON_AddBoolToObject(f, "nan", nan);
	cJSON_AddBoolToObject(f, "inf", inf && d > 0);
	cJSON_AddBoolToObject(f, "ninf", inf && d < 0);
	cJSON_AddBoolToObject(f, "finite", !nan && !inf);
	if (!nan && !inf)
		pp_json_double(&b, d);
	cJSON_AddStringToObject(f, "value", pp_buf_str(&b));
	pp_buf_free(&b);
	cJSON_AddItemToObject(c, "float", f);
}

static cJSON *pp_model_constants(const pp_result *r)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[PP_CONSTANTS]; i++) {
		const pp_eres *k = &r->e[PP_CONSTANTS][i];
		if (!k->answered || !pp_name_is_ident(k->name))
			continue; /* expressions (-1) have no name to bind */
		cJSON *c = cJSON_CreateObject();
		char *id = pp_ident(k->name);
		cJSON_AddStringToObject(c, "name", k->name);
		cJSON_AddStringToObject(c, "ident", id);
		free(id);
		if (k->cv == PP_CV_INT) {
			cJSON *v = cJSON_CreateObject();
			pp_buf b = PP_BUF_INIT;
			pp_json_int(&b, k->u, k->neg);
			cJSON_AddStringToObject(v, "value", pp_buf_str(&b));
			pp_buf_reset(&b);
			pp_c_int(&b, k);
			cJSON_AddStringToObject(v, "c", pp_buf_str(&b));
			pp_buf_free(&b);
			pp_put_u64(v, "bits", (uint64_t)k->csize * 8);
			pp_put_u64(v, "size", (uint64_t)k->csize);
			cJSON_AddBoolToObject(v, "signed", k->csigned);
			/* at least int's size: (X) + 0 keeps X's type, so its sign can be checked. int's
			 * size as the result records it (its data model): a guard written from a saved
			 * result is the probe's own, and a target of data model "other" gets no check a
			 * wrong guess at int's size could make false. */
			unsigned isz, lsz;
			pp_data_model_sizes(r->target.data_model, &isz, &lsz);
			cJSON_AddBoolToObject(v, "wide", isz && (unsigned)k->csize >= isz);
			cJSON_AddBoolToObject(v, "pointer", k->cptr);
			cJSON_AddItemToObject(c, "int", v);
		} else if (k->cv == PP_CV_FLOAT) {
			pp_model_float(c, k->d);
		} else {
			cJSON *s = cJSON_CreateObject();
			pp_put_hex(s, "hex", k->str, k->strlen);
			pp_put_u64(s, "size", k->strlen + 1);
			cJSON_AddBoolToObject(s, "utf8", pp_utf8_valid(k->str, k->strlen));
			cJSON_AddItemToObject(c, "string", s);
		}
		cJSON_AddItemToArray(out, c);
	}
	return out;
}

/* A member name the path's checks keep from macro expansion (pp_path_hidden). */
static void pp_model_hidden(void *arr, const char *id, size_t len)
{
	cJSON *h = cJSON_CreateObject();
	char *name = pp_xstrndup(id, len);
	cJSON_AddStringToObject(h, "name", name);
	free(name);
	cJSON_AddItemToArray(arr, h);
}

/* The facts as the result states them, with C names, for formats that check C itself (guard). */
static cJSON *pp_model_c(const pp_result *r, enum pp_section sec)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[sec]; i++) {
		const pp_eres *t = &r->e[sec][i];
		if (!t->answered || t->t.kind == PP_K_FUNCTION || t->t.kind == PP_K_VOID)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "c", t->name);
		pp_put_u64(o, "size", t->t.size);
		pp_put_u64(o, "align", t->t.align);
		cJSON_AddBoolToObject(o, "int", t->t.is_signed >= 0);
		cJSON_AddBoolToObject(o, "signed", t->t.is_signed > 0);
		cJSON *fields = cJSON_CreateArray();
		for (size_t f = 0; f < t->nfields; f++) {
			const pp_fres *fr = &t->fields[f];
			if (!fr->answered)
				continue;
			cJSON *fo = cJSON_CreateObject();
			cJSON_AddStringToObject(fo, "c", fr->name);
			cJSON_AddStringToObject(fo, "owner", t->name);
			cJSON_AddBoolToObject(fo, "bitfield", fr->is_bitfield);
			/* sizeof refuses a flexible array member; a zero-length one has no size to check */
			cJSON_AddBoolToObject(fo, "flexible", fr->t.kind == PP_K_ARRAY && fr->t.size == 0);
			/* Kept from macro expansion where the path is the member's own, as debug information
			 * names it (a result records that as the field's "type"); a path answered as C reads
			 * it has none. So a guard written from a saved result is the probe's. */
			cJSON *hide = cJSON_CreateArray();
			if (fr->type)
				pp_path_hidden(fr->name, pp_model_hidden, hide);
			cJSON_AddItemToObject(fo, "hide", hide);
			pp_put_u64(fo, "offset", fr->offset);
			pp_put_u64(fo, "size", fr->t.size);
			pp_put_u64(fo, "bit_offset", fr->bit_offset);
			pp_put_u64(fo, "bit_size", fr->bit_size);
			cJSON_AddItemToArray(fields, fo);
		}
		cJSON_AddItemToObject(o, "fields", fields);
		cJSON_AddItemToArray(out, o);
	}
	return out;
}

static cJSON *pp_model_flags(const pp_result *r, enum pp_section sec)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[sec]; i++) {
		const pp_eres *t = &r->e[sec][i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", t->name);
		pp_put_hex(o, "name_hex", t->name, strlen(t->name));
		cJSON_AddBoolToObject(o, "yes", t->answered && t->yes);
		cJSON_AddItemToArray(out, o);
	}
	return out;
}

/* Text for a comment: what could end the comment or the line becomes '?'. */
void pp_put_comment(cJSON *o, const char *key, const char *s)
{
	char *c = pp_xstrdup(s);
	for (char *p = c; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr(" ._+-/=", *p)))
			*p = '?';
	cJSON_AddStringToObject(o, key, c);
	free(c);
}

static cJSON *pp_model_libraries(const pp_result *r)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[PP_LIBRARIES]; i++) {
		const pp_eres *l = &r->e[PP_LIBRARIES][i];
		cJSON *o = cJSON_CreateObject();
		char *id = pp_ident(l->name);
		cJSON_AddStringToObject(o, "name", l->name);
		pp_put_hex(o, "name_hex", l->name, strlen(l->name));
		/* a name like "stdc++" has no identifier of its own */
		cJSON_AddStringToObject(o, "ident", id ? id : "");
		cJSON_AddBoolToObject(o, "has_ident", id != NULL);
		free(id);
		cJSON_AddBoolToObject(o, "links", l->answered && l->yes);
		cJSON_AddBoolToObject(o, "shared", l->answered && l->yes && l->soname && l->path);
		pp_put_hex(o, "soname_hex", l->soname ? l->soname : "", l->soname ? strlen(l->soname) : 0);
		pp_put_hex(o, "path_hex", l->path ? l->path : "", l->path ? strlen(l->path) : 0);
		cJSON_AddItemToArray(out, o);
	}
	return out;
}

cJSON *pp_emit_model(const pp_result *r, const char *prefix)
{
	const pp_target *t = &r->target;
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "version", PP_VERSION);
	cJSON_AddStringToObject(m, "prefix", prefix);
	pp_put_comment(m, "triple", t->triple);
	pp_put_hex(m, "triple_hex", t->triple, strlen(t->triple));
	pp_put_comment(m, "compiler", t->compiler);
	pp_put_comment(m, "compiler_version", t->compiler_version);
	cJSON_AddStringToObject(m, "data_model", t->data_model);
	pp_put_u64(m, "pointer_size", t->pointer_size);
	cJSON_AddBoolToObject(m, "big_endian", t->big_endian);
	cJSON_AddBoolToObject(m, "char_signed", t->char_signed);
	pp_emit e = { r, cJSON_CreateArray(), { 0 }, NULL, NULL };
	pp_model_records(&e);
	cJSON_AddItemToObject(m, "aliases", pp_model_aliases(&e));
	cJSON_AddItemToObject(m, "records", e.records);
	cJSON_AddItemToObject(m, "prototypes", pp_model_prototypes(r, e.records));
	pp_strv_free(&e.idents);
	free(e.struct_ident);
	free(e.building);
	cJSON_AddItemToObject(m, "constants", pp_model_constants(r));
	cJSON_AddItemToObject(m, "types", pp_model_c(r, PP_TYPES));
	cJSON_AddItemToObject(m, "structs", pp_model_c(r, PP_STRUCTS));
	cJSON_AddItemToObject(m, "defined", pp_model_flags(r, PP_DEFINED));
	cJSON_AddItemToObject(m, "functions", pp_model_flags(r, PP_FUNCTIONS));
	cJSON_AddItemToObject(m, "libraries", pp_model_libraries(r));
	pp_bind_decorate(m, r);
	return m;
}
