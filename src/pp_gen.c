/* pp_gen.c: plans which questions each spec entry needs and renders them from templates/ into one
 * translation unit. Each item's lines carry a #line of its own in a virtual file, so the compiler's
 * diagnostics say which entry failed. Slot lines are named in the templates and read back by name. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

const unsigned char pp_magic[16] = { 0x89, 'P', 'L', 'A', 'T', 'P', 'R', 'O', 'B', 'E', 0x0d, 0x0a,
	0x1a, 0x0a, 0x00, 0x01 };
const unsigned char pp_magic_end[16] = { 0x89, 'P', 'P', 'E', 'N', 'D', 'T', 'A', 'B', 'L', 'E',
	0x0d, 0x0a, 0x1a, 0x0a, 0x02 };

static pp_item *pp_plan_add(pp_plan *p, enum pp_item_kind kind, pp_entry *e, size_t field)
{
	pp_item *it = &p->items[p->nitems];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->entry = e;
	it->field = field;
	it->line = (unsigned)p->nitems + 1;
	it->links = -1;
	p->nitems++;
	return it;
}

void pp_plan_init(pp_plan *p, const pp_spec *spec)
{
	memset(p, 0, sizeof *p);
	p->spec = spec;
	size_t n = 1;
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		for (size_t i = 0; i < spec->nentries[sec]; i++)
			n += 1 + spec->entries[sec][i].nfields;
	p->items = pp_xcalloc(n, sizeof(pp_item));
	pp_plan_add(p, PP_ITEM_TARGET, NULL, 0);
	static const enum pp_item_kind kinds[PP_LIBRARIES] = { PP_ITEM_TYPE, PP_ITEM_STRUCT,
		PP_ITEM_CONSTANT, PP_ITEM_DEFINED, PP_ITEM_FUNCTION, PP_ITEM_ENUM };
	/* Libraries are not asked in the translation unit: pp_libs.c links for them. */
	for (int sec = 0; sec < PP_LIBRARIES; sec++)
		for (size_t i = 0; i < spec->nentries[sec]; i++) {
			pp_entry *e = &spec->entries[sec][i];
			pp_plan_add(p, e->no_link ? PP_ITEM_DECLARED : kinds[sec], e, 0);
			for (size_t f = 0; f < e->nfields; f++)
				pp_plan_add(p, PP_ITEM_FIELD, e, f);
		}
}

void pp_plan_free(pp_plan *p)
{
	for (size_t i = 0; i < p->nitems; i++) {
		free(p->items[i].why);
		free(p->items[i].names);
	}
	free(p->items);
	pp_strv_free(&p->texts);
	memset(p, 0, sizeof *p);
}

size_t pp_plan_live(const pp_plan *p, enum pp_item_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nitems; i++)
		n += p->items[i].kind == kind && p->items[i].state == PP_LIVE;
	return n;
}

void pp_fail_item(pp_item *it, enum pp_item_state st, const char *why)
{
	if (it->state != PP_LIVE)
		return;
	it->state = st;
	free(it->why);
	it->why = pp_xstrdup(why);
}

const char *pp_item_label(const pp_item *it, pp_buf *b)
{
	pp_buf_reset(b);
	if (!it->entry) {
		pp_buf_adds(b, "target");
		return pp_buf_str(b);
	}
	pp_buf_addf(b, "%s[%zu] ", pp_section_names[it->entry->sec], it->entry->index);
	pp_json_str(b, it->entry->name, strlen(it->entry->name));
	if (pp_item_is_field(it)) {
		const char *f = it->entry->fields[it->field].name;
		pp_buf_adds(b, " field ");
		pp_json_str(b, f, strlen(f));
	}
	return pp_buf_str(b);
}

long pp_item_slot(const pp_item *it, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < it->nnames; i++)
		if (it->names[i].len == n && memcmp(it->names[i].name, name, n) == 0)
			return (long)it->names[i].slot;
	return -1;
}

const pp_slotname *pp_item_value(const pp_item *it, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < it->nnames; i++)
		if (it->names[i].is_value && it->names[i].len == n &&
		    memcmp(it->names[i].name, name, n) == 0)
			return &it->names[i];
	return NULL;
}

/* Before slots are assigned again (render, assign): the last assignment's names go. */
static void pp_item_forget_names(pp_item *it)
{
	free(it->names);
	it->names = NULL;
	it->nnames = 0;
}

static const char *pp_template_for(enum pp_item_kind k, int dw_values)
{
	switch (k) {
	case PP_ITEM_TARGET: return "target.c";
	case PP_ITEM_TYPE:
	case PP_ITEM_STRUCT:
	case PP_ITEM_ENUM: return "type.c";
	case PP_ITEM_FIELD: return "field.c";
	case PP_ITEM_BITFIELD: return "bitfield.c";
	case PP_ITEM_FLEXFIELD: return "flexfield.c";
	case PP_ITEM_CFIELD: return "field.c";
	case PP_ITEM_CONSTANT: return dw_values ? "constant_dw.c" : "constant.c";
	case PP_ITEM_DEFINED: return "defined.c";
	case PP_ITEM_FUNCTION: return "function.c";
	case PP_ITEM_DECLARED: return "declared.c";
	}
	return NULL;
}

/* Replaces every @KEY@ of text with its value from keys/vals (NULL-terminated); unknown @...@ stay. */
static void pp_subst(pp_buf *out, const char *text, const char *const *keys, const char *const *vals)
{
	const char *p = text;
	while (*p) {
		const char *at = strchr(p, '@');
		if (!at) {
			pp_buf_adds(out, p);
			return;
		}
		pp_buf_add(out, p, (size_t)(at - p));
		const char *end = strchr(at + 1, '@');
		int done = 0;
		if (end) {
			for (size_t i = 0; keys[i]; i++)
				if (strlen(keys[i]) == (size_t)(end - at - 1) &&
				    memcmp(keys[i], at + 1, (size_t)(end - at - 1)) == 0) {
					pp_buf_adds(out, vals[i]);
					p = end + 1;
					done = 1;
					break;
				}
		}
		if (!done) {
			pp_buf_addc(out, '@');
			p = at + 1;
		}
	}
}

/* Splits "a, b, c)" at top-level commas into at most max parts, dropping the final ')'. */
static size_t pp_split_args(const char *s, size_t len, const char **part, size_t *plen, size_t max)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (!len || s[len - 1] != ')')
		return 0;
	len--;
	size_t n = 0, start = 0;
	int depth = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : ',';
		if (c == '(' || c == '{' || c == '[')
			depth++;
		else if (c == ')' || c == '}' || c == ']')
			depth--;
		else if (c == ',' && depth == 0 && (n + 1 < max || i == len)) {
			size_t a = start, b = i;
			while (a < b && (s[a] == ' ' || s[a] == '\t'))
				a++;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			if (n < max) {
				part[n] = s + a;
				plen[n] = b - a;
			}
			n++;
			start = i + 1;
		}
	}
	return n;
}

/* Where the next line of one output buffer lands in the virtual file: each item writes all it
 * puts in a buffer on one line, its own line N, so consecutive items need no #line between them
 * (a #line per slot made the translation unit several times the size of its questions). */
typedef struct pp_track {
	pp_buf *b;
	unsigned next;     /* the virtual line the buffer's next line gets; 0: unknown */
	unsigned open;     /* the item whose line is open (not yet ended), 0: none */
} pp_track;

enum { PP_NBUFS = 6 };

typedef struct pp_render {
	enum pp_mode mode;
	pp_buf decls, slots, inits, refs, checks, fills;
	pp_track trk[PP_NBUFS];
	/* Where an item's slot stores, value stores and plain code lines go: the table's initializer
	 * and main() in object mode; in run mode, a function of the item's own (pp_fill_LINE), since
	 * gcc reports an undeclared name once per function and one item's error must not hide another's. */
	pp_buf *slot_out, *init_out, *code_out;
	size_t nslots, nvalues;
	/* The typed values go into pp_values in chunks of PP_CHUNK members (struct pp_cK): gcc finds
	 * a member of a big struct by binary search, but by linear search once any member's type is
	 * an error, which made a first compile with failing entries cost several good ones (5,000
	 * constants: 0.55 s more). chunk_mark, inits_mark: where the open chunk starts in decls and
	 * inits (object mode's initializer, which lists the values in order). */
	size_t chunk, chunk_n, chunk_mark, inits_mark;
	int chunk_open;
	/* The slot the table's initializer fills next without a designator; SIZE_MAX (unknown) after
	 * a directive, as #if branches may leave it at different places. */
	size_t slot_pos;
	int dw_values; /* the plan's: constants' value slots come from DWARF */
} pp_render;

enum { PP_CHUNK = 64 };

static pp_track *pp_trk(pp_render *r, pp_buf *b)
{
	for (int i = 0; i < PP_NBUFS; i++)
		if (r->trk[i].b == b)
			return &r->trk[i];
	return NULL;
}

/* Ends the open line of b, if any. */
static void pp_line_end(pp_render *r, pp_buf *b)
{
	pp_track *t = pp_trk(r, b);
	if (t->open) {
		pp_buf_addc(b, '\n');
		t->next = t->open + 1;
		t->open = 0;
	}
}

/* Text of item line `line` goes to b: on its open line, or a new one (#line only when needed). */
static pp_buf *pp_line_at(pp_render *r, pp_buf *b, unsigned line)
{
	pp_track *t = pp_trk(r, b);
	if (t->open == line) {
		pp_buf_addc(b, ' ');
		return b;
	}
	pp_line_end(r, b);
	if (t->next != line)
		pp_buf_addf(b, "#line %u \"" PP_VIRTUAL_FILE "\"\n", line);
	t->open = line;
	return b;
}

/* Text that is not an item's (a directive, platprobe's frame) goes to b on lines of its own. */
static pp_buf *pp_line_raw(pp_render *r, pp_buf *b)
{
	pp_line_end(r, b);
	pp_trk(r, b)->next = 0;
	return b;
}

static size_t pp_name_slot(pp_item *it, const char *name, size_t len, int is_value, pp_render *r,
                           int *fresh)
{
	for (size_t i = 0; i < it->nnames; i++)
		if (it->names[i].len == len && memcmp(it->names[i].name, name, len) == 0) {
			*fresh = 0;
			return it->names[i].slot;
		}
	it->names = pp_xrealloc(it->names, (it->nnames + 1) * sizeof(pp_slotname));
	pp_slotname *sn = &it->names[it->nnames++];
	sn->name = name;
	sn->len = len;
	sn->is_value = is_value;
	sn->slot = r->nslots;
	r->nslots += is_value ? 2 : 1;
	*fresh = 1;
	return sn->slot;
}

static void pp_emit_slot(pp_render *r, unsigned line, size_t idx, const char *expr, size_t len)
{
	pp_buf *b = pp_line_at(r, r->slot_out, line);
	if (r->mode == PP_MODE_RUN) {
		pp_buf_addf(b, "pp_table.pp_slot[%zu] = (unsigned long long)(%.*s);", idx, (int)len, expr);
		return;
	}
	/* A designator only where the initializer's position is not already idx: designators cost
	 * the compiler more than the answers' own expressions once there are thousands. */
	if (idx != r->slot_pos)
		pp_buf_addf(b, "[%zu] = ", idx);
	pp_buf_addf(b, "%.*s,", (int)len, expr);
	r->slot_pos = idx + 1;
}

/* Chunks open and close only between items, where the directives an item writes (#ifdef around
 * slots) are balanced; a chunk that got no member is taken back out (an empty struct is not C). */
static void pp_chunk_close(pp_render *r)
{
	if (!r->chunk_open)
		return;
	pp_line_end(r, &r->decls);
	pp_line_end(r, &r->inits);
	if (r->chunk_n == 0) {
		pp_buf_truncate(&r->decls, r->chunk_mark);
		pp_buf_truncate(&r->inits, r->inits_mark);
	} else {
		pp_buf_addf(pp_line_raw(r, &r->decls), "#line 1 \"" PP_FRAME_FILE "\"\n} pp_c%zu;\n",
		            r->chunk++);
		pp_buf_adds(pp_line_raw(r, &r->inits), "#line 1 \"" PP_FRAME_FILE "\"\n},\n");
	}
	r->chunk_open = 0;
}

static void pp_chunk_next_item(pp_render *r)
{
	if (r->chunk_open && r->chunk_n < PP_CHUNK)
		return;
	pp_chunk_close(r);
	pp_line_end(r, &r->decls);
	pp_line_end(r, &r->inits);
	r->chunk_mark = r->decls.len;
	r->inits_mark = r->inits.len;
	pp_buf_adds(pp_line_raw(r, &r->decls), "#line 1 \"" PP_FRAME_FILE "\"\nstruct {\n");
	pp_buf_adds(pp_line_raw(r, &r->inits), "#line 1 \"" PP_FRAME_FILE "\"\n{\n");
	r->chunk_open = 1;
	r->chunk_n = 0;
}

/* A typed value: member pp_vLINE_NAME of the open chunk of pp_values (templates refer to it as
 * @VALUE@), whose offset and size go to two slots. */
static void pp_emit_value(pp_render *r, unsigned line, size_t idx, const char *name, size_t nlen,
                          const char *type, size_t tlen, const char *init, size_t ilen,
                          const char *bits_path, size_t blen, int from_dwarf)
{
	r->nvalues++;
	r->chunk_n++;
	pp_buf_addf(pp_line_at(r, &r->decls, line), "%.*s pp_v%u_%.*s;", (int)tlen, type, line,
	            (int)nlen, name);
	char *v = pp_xasprintf("pp_c%zu.pp_v%u_%.*s", r->chunk, line, (int)nlen, name);
	pp_buf *b = pp_line_at(r, r->init_out, line);
	if (r->mode == PP_MODE_RUN) {
		if (bits_path)
			pp_buf_addf(b, "{ %.*s pp_v; memset(&pp_v, 0, sizeof pp_v); pp_v.%.*s = -1; "
			            "memcpy(&pp_table.pp_values.%s, &pp_v, sizeof pp_v); }", (int)tlen, type,
			            (int)blen, bits_path, v);
		else
			pp_buf_addf(b, "{ %.*s pp_v = %.*s; memcpy(&pp_table.pp_values.%s, &pp_v, "
			            "sizeof pp_v); }", (int)tlen, type, (int)ilen, init, v);
	} else {
		/* In order, without designators: gcc resolves a nested designator (.pp_cK.pp_vN) at
		 * several times the cost of the whole initializer. */
		if (bits_path)
			pp_buf_addf(b, "{ .%.*s = -1 },", (int)blen, bits_path);
		else
			pp_buf_addf(b, "%.*s,", (int)ilen, init);
	}
	/* Read from the member's DWARF instead (pp_dwvalues.c): zeros hold the places. */
	char *off = from_dwarf ? pp_xstrdup("0") :
	            pp_xasprintf("__builtin_offsetof(struct pp_table, pp_values.%s)", v);
	char *size = from_dwarf ? pp_xstrdup("0") : pp_xasprintf("sizeof(pp_vp->%s)", v);
	pp_emit_slot(r, line, idx, off, strlen(off));
	pp_emit_slot(r, line, idx + 1, size, strlen(size));
	free(off);
	free(size);
	free(v);
}

/* Renders one item's template into the render buffers. The text is kept by the caller until the
 * item's slot names (which point into it) are no longer needed. */
static void pp_render_lines(pp_render *r, pp_item *it, const char *text)
{
	const char *p = text;
	int in_comment = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *line = p;
		p = eol ? eol + 1 : p + len;
		const char *s = line;
		while (s < line + len && (*s == ' ' || *s == '\t'))
			s++;
		size_t slen = len - (size_t)(s - line);
		if (in_comment) {
			if (memmem(s, slen, "*/", 2))
				in_comment = 0;
			continue;
		}
		if (slen == 0)
			continue;
		if (slen >= 2 && s[0] == '/' && s[1] == '*') {
			if (!memmem(s, slen, "*/", 2))
				in_comment = 1;
			continue;
		}
		const char *part[3];
		size_t plen[3];
		int fresh;
		int dwarf = it->kind == PP_ITEM_STRUCT || it->kind == PP_ITEM_ENUM;
		if (s[0] == '#') {
			r->slot_pos = SIZE_MAX;
			/* Directives (#ifdef around slots) apply to every buffer the slots may land in. */
			pp_buf *bufs[] = { &r->decls, &r->checks, r->slot_out, r->init_out, r->code_out };
			for (size_t i = 0; i < 5; i++) {
				int dup = 0;
				for (size_t k = 0; k < i; k++)
					dup |= bufs[k] == bufs[i];
				if (dup)
					continue;
				pp_buf *b = pp_line_raw(r, bufs[i]);
				pp_buf_add(b, s, slen);
				pp_buf_addc(b, '\n');
			}
		} else if (slen > 8 && !strncmp(s, "PP_SLOT(", 8) &&
		           pp_split_args(s + 8, slen - 8, part, plen, 2) == 2) {
			size_t idx = pp_name_slot(it, part[0], plen[0], 0, r, &fresh);
			pp_emit_slot(r, it->line, idx, part[1], plen[1]);
		} else if (slen > 9 && !strncmp(s, "PP_VALUE(", 9) &&
		           pp_split_args(s + 9, slen - 9, part, plen, 3) == 3) {
			size_t idx = pp_name_slot(it, part[0], plen[0], 1, r, &fresh);
			pp_emit_value(r, it->line, idx, part[0], plen[0], part[1], plen[1], part[2], plen[2],
			              NULL, 0, r->dw_values && it->kind == PP_ITEM_CONSTANT);
		} else if (slen > 8 && !strncmp(s, "PP_BITS(", 8) &&
		           pp_split_args(s + 8, slen - 8, part, plen, 3) == 3) {
			size_t idx = pp_name_slot(it, part[0], plen[0], 1, r, &fresh);
			char *type = pp_xasprintf("PP_T(%.*s)", (int)plen[1], part[1]);
			pp_emit_value(r, it->line, idx, part[0], plen[0], type, strlen(type), NULL, 0,
			              part[2], plen[2], 0);
			free(type);
		} else if ((slen > 8 && !strncmp(s, "PP_DECL(", 8) &&
		            pp_split_args(s + 8, slen - 8, part, plen, 1) == 1) ||
		           (slen > 9 && !strncmp(s, "PP_DWARF(", 9) &&
		            pp_split_args(s + 9, slen - 9, part, plen, 1) == 1)) {
			/* File scope, one declaration each: a syntax error there ends at its ';' instead of
			 * derailing the table's initializer and hiding every later entry's errors.
			 * PP_DWARF: only where debug information is read (structs, enums). */
			if (s[3] == 'D' && s[4] == 'W' && !dwarf)
				continue;
			pp_buf_add(pp_line_at(r, &r->checks, it->line), part[0], plen[0]);
		} else {
			pp_buf_add(pp_line_at(r, r->code_out, it->line), s, slen);
		}
	}
}

static char *pp_item_text(const pp_item *it, const char *tmpl, size_t chunk)
{
	const char *t = "", *s = "", *f = "", *x = "", *n = "";
	if (it->entry) {
		t = s = x = n = it->entry->name;
		if (pp_item_is_field(it))
			f = it->entry->fields[it->field].name;
	}
	char id[24], value[64];
	snprintf(id, sizeof id, "%u", it->line);
	snprintf(value, sizeof value, "pp_c%zu.pp_v%u_value", chunk, it->line);
	static const char *const keys[] = { "T", "S", "F", "X", "N", "ID", "VALUE", NULL };
	const char *vals[] = { t, s, f, x, n, id, value };
	pp_buf b = PP_BUF_INIT;
	pp_subst(&b, tmpl, keys, vals);
	return pp_buf_detach(&b);
}

int pp_field_hides(const char *path)
{
	return pp_path_hidden(path, NULL, NULL) > 0;
}

static void pp_add_push(void *b, const char *id, size_t len)
{
	pp_buf_addf(b, "#pragma push_macro(\"%.*s\")\n#undef %.*s\n", (int)len, id, (int)len, id);
}

static void pp_add_pop(void *b, const char *id, size_t len)
{
	pp_buf_addf(b, "#pragma pop_macro(\"%.*s\")\n", (int)len, id);
}

void pp_path_unhide(pp_buf *push, pp_buf *pop, const char *path)
{
	pp_path_hidden(path, pp_add_push, push);
	pp_path_hidden(path, pp_add_pop, pop);
}

static void pp_magic_text(pp_buf *b, const unsigned char *m)
{
	for (int i = 0; i < 16; i++)
		pp_buf_addf(b, "%s0x%02x", i ? ", " : "", m[i]);
}

char *pp_gen_render(pp_plan *p, const char *top, enum pp_mode mode)
{
	pp_render r;
	memset(&r, 0, sizeof r);
	r.mode = mode;
	r.nslots = 2; /* [0] offset of the values, [1] offset of the end magic */
	r.slot_pos = SIZE_MAX;
	r.dw_values = p->dw_values && mode == PP_MODE_OBJECT;
	pp_buf *all[PP_NBUFS] = { &r.decls, &r.slots, &r.inits, &r.refs, &r.checks, &r.fills };
	for (int i = 0; i < PP_NBUFS; i++)
		r.trk[i].b = all[i];
	int link_only = strcmp(top, "link.c") == 0;
	pp_strv_free(&p->texts); /* the previous render's slot names pointed into these */
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		pp_item_forget_names(it);
		if (!link_only)
			it->in_table = it->state == PP_LIVE;
		if (it->state != PP_LIVE)
			continue;
		int is_fn = it->kind == PP_ITEM_FUNCTION;
		int own_fn = mode == PP_MODE_RUN && !link_only;
		if (own_fn) {
			r.slot_out = r.init_out = r.code_out = &r.fills;
			pp_buf_addf(pp_line_raw(&r, &r.fills), "#line 1 \"" PP_FRAME_FILE "\"\n"
			            "static void pp_fill_%u(void)\n{\n", it->line);
			pp_buf_addf(pp_line_raw(&r, &r.slots), "\tpp_fill_%u();\n", it->line);
		} else {
			r.slot_out = &r.slots;
			r.init_out = &r.inits;
			r.code_out = &r.refs;
		}
		if (!link_only) {
			pp_chunk_next_item(&r);
			pp_buf push = PP_BUF_INIT, pop = PP_BUF_INIT;
			if (pp_item_is_field(it) && it->kind != PP_ITEM_CFIELD)
				pp_path_unhide(&push, &pop, it->entry->fields[it->field].name);
			pp_render_lines(&r, it, pp_buf_str(&push));
			const char *tmpl = pp_template(pp_template_for(it->kind, r.dw_values));
			char *text = pp_item_text(it, tmpl, r.chunk);
			pp_strv_push_own(&p->texts, text);
			pp_render_lines(&r, it, text);
			pp_render_lines(&r, it, pp_buf_str(&pop));
			pp_buf_free(&push);
			pp_buf_free(&pop);
		}
		if (is_fn && !link_only && it->links != 0) {
			/* Its prototype, for the debug information (pp_dwarf.c); it takes the function's
			 * address, so a program links it only while it is still thought to link. */
			char *text = pp_item_text(it, pp_template("prototype.c"), r.chunk);
			pp_strv_push_own(&p->texts, text);
			pp_render_lines(&r, it, text);
		}
		if (is_fn && (link_only || mode == PP_MODE_RUN) && it->links != 0) {
			char *text = pp_item_text(it, pp_template("link_ref.c"), r.chunk);
			pp_strv_push_own(&p->texts, text);
			pp_render_lines(&r, it, text);
		}
		if (own_fn)
			pp_buf_adds(pp_line_raw(&r, &r.fills), "#line 1 \"" PP_FRAME_FILE "\"\n}\n");
		for (int b = 0; b < PP_NBUFS; b++)
			pp_line_end(&r, all[b]);
	}
	pp_chunk_close(&r);
	pp_buf prelude = PP_BUF_INIT;
	for (size_t i = 0; i < p->spec->ndefines; i++)
		pp_buf_addf(&prelude, "#define %s %s\n", p->spec->defines[i].name,
		            p->spec->defines[i].value);
	for (size_t i = 0; i < p->spec->headers.n; i++) {
		const char *h = p->spec->headers.v[i];
		int optional = 0;
		for (size_t k = 0; k < p->spec->optional_headers.n; k++)
			optional |= !strcmp(p->spec->optional_headers.v[k], h);
		if (optional)
			pp_buf_addf(&prelude, "#if __has_include(<%s>)\n#include <%s>\n#endif\n", h, h);
		else
			pp_buf_addf(&prelude, "#include <%s>\n", h);
	}
	pp_buf magic = PP_BUF_INIT, magic_end = PP_BUF_INIT;
	pp_magic_text(&magic, pp_magic);
	pp_magic_text(&magic_end, pp_magic_end);
	char nslots[32];
	snprintf(nslots, sizeof nslots, "%zu", r.nslots);
	p->nslots = r.nslots;

	static const char *const tkeys[] = { "VALUE_DECLS", "NSLOTS", NULL };
	const char *tvals[] = { pp_buf_str(&r.decls), nslots };
	pp_buf table = PP_BUF_INIT;
	pp_subst(&table, pp_template("table.h"), tkeys, tvals);

	static const char *const keys[] = { "PRELUDE", "PROBE_H", "TABLE_H", "SLOTS", "VALUE_INITS",
		"REFS", "CHECKS", "FILLS", "NSLOTS", "MAGIC", "MAGIC_END", NULL };
	const char *vals[] = { pp_buf_str(&prelude), pp_template("probe.h"), pp_buf_str(&table),
		pp_buf_str(&r.slots), pp_buf_str(&r.inits), pp_buf_str(&r.refs), pp_buf_str(&r.checks),
		pp_buf_str(&r.fills), nslots, pp_buf_str(&magic), pp_buf_str(&magic_end) };
	pp_buf out = PP_BUF_INIT;
	pp_subst(&out, pp_template(top), keys, vals);
	pp_buf_free(&prelude);
	pp_buf_free(&magic);
	pp_buf_free(&magic_end);
	pp_buf_free(&table);
	pp_buf_free(&r.decls);
	pp_buf_free(&r.slots);
	pp_buf_free(&r.inits);
	pp_buf_free(&r.refs);
	pp_buf_free(&r.checks);
	pp_buf_free(&r.fills);
	return pp_buf_detach(&out);
}

/* Slot names and indexes for every live item exactly as pp_gen_render assigns them (the same
 * template lines in the same order), without writing the translation unit: what a cached answer
 * table needs to be decoded. */
void pp_gen_assign(pp_plan *p)
{
	pp_render r;
	memset(&r, 0, sizeof r);
	r.nslots = 2;
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		pp_item_forget_names(it);
		it->in_table = it->state == PP_LIVE;
		if (it->state != PP_LIVE)
			continue;
		for (const char *next = pp_template(pp_template_for(it->kind, p->dw_values)); next && *next;) {
			const char *eol = strchr(next, '\n');
			size_t len = eol ? (size_t)(eol - next) : strlen(next);
			const char *line = next;
			next = eol ? eol + 1 : next + len;
			while (len && (*line == ' ' || *line == '\t')) {
				line++;
				len--;
			}
			static const struct { const char *prefix; int is_value; } forms[] = {
				{ "PP_SLOT(", 0 }, { "PP_VALUE(", 1 }, { "PP_BITS(", 1 } };
			for (size_t f = 0; f < 3; f++) {
				size_t n = strlen(forms[f].prefix);
				const char *comma = memchr(line, ',', len);
				if (len > n && !strncmp(line, forms[f].prefix, n) && comma) {
					const char *name = line + n, *end = comma;
					while (name < end && (*name == ' ' || *name == '\t'))
						name++;
					while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
						end--;
					int fresh;
					pp_name_slot(it, name, (size_t)(end - name), forms[f].is_value, &r, &fresh);
				}
			}
		}
	}
	p->nslots = r.nslots;
}
