/* fuzz_spec.c: fuzz target for the spec reader: parse and validate any bytes; for a spec that is
 * accepted, plan it and render its translation units (object, run, link) with no compiler, and
 * write and read back the result it would give. */
#include "fuzz.h"

/* What render assigned to one item's slots, to hold pp_gen_assign to it. */
typedef struct fuzz_names {
	char **name;
	size_t *slot;
	int *is_value;
	size_t n;
} fuzz_names;

static void fuzz_names_take(fuzz_names *fn, const pp_plan *p)
{
	for (size_t i = 0; i < p->nitems; i++) {
		const pp_item *it = &p->items[i];
		fn[i].n = it->nnames;
		fn[i].name = pp_xcalloc(it->nnames, sizeof *fn[i].name);
		fn[i].slot = pp_xcalloc(it->nnames, sizeof *fn[i].slot);
		fn[i].is_value = pp_xcalloc(it->nnames, sizeof *fn[i].is_value);
		for (size_t k = 0; k < it->nnames; k++) {
			fn[i].name[k] = pp_xstrndup(it->names[k].name, it->names[k].len);
			fn[i].slot[k] = it->names[k].slot;
			fn[i].is_value[k] = it->names[k].is_value;
		}
	}
}

static void fuzz_names_free(fuzz_names *fn, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < fn[i].n; k++)
			free(fn[i].name[k]);
		free(fn[i].name);
		free(fn[i].slot);
		free(fn[i].is_value);
	}
}

/* A cached answer table is decoded with pp_gen_assign's slots: they must be render's exactly, or a
 * cache hit reads answers from the wrong slots. */
static void fuzz_check_assign(pp_plan *p)
{
	size_t nslots = p->nslots;
	fuzz_names *fn = pp_xcalloc(p->nitems, sizeof *fn);
	fuzz_names_take(fn, p);
	pp_gen_assign(p);
	if (p->nslots != nslots)
		fuzz_fail("render made %zu slots, assign %zu", nslots, p->nslots);
	for (size_t i = 0; i < p->nitems; i++) {
		const pp_item *it = &p->items[i];
		if (it->nnames != fn[i].n)
			fuzz_fail("item %zu: render named %zu slots, assign %zu", i, fn[i].n, it->nnames);
		for (size_t k = 0; k < it->nnames; k++)
			if (it->names[k].len != strlen(fn[i].name[k]) ||
			    memcmp(it->names[k].name, fn[i].name[k], it->names[k].len) ||
			    it->names[k].slot != fn[i].slot[k] || it->names[k].is_value != fn[i].is_value[k])
				fuzz_fail("item %zu slot name %zu: render and assign disagree (%s)", i, k,
				          fn[i].name[k]);
	}
	fuzz_names_free(fn, p->nitems);
	free(fn);
}

/* The three translation units, each rendered twice (the same text both times) and checked against
 * assign; then again with some items failed, as isolation leaves them. */
static void fuzz_render(const pp_spec *s, unsigned salt)
{
	pp_plan p;
	pp_plan_init(&p, s);
	pp_buf label = PP_BUF_INIT;
	for (size_t i = 0; i < p.nitems; i++)
		pp_item_label(&p.items[i], &label);
	pp_buf_free(&label);
	for (int round = 0; round < 2; round++) {
		static const char *const tops[] = { "object.c", "run.c", "link.c" };
		static const enum pp_mode modes[] = { PP_MODE_OBJECT, PP_MODE_RUN, PP_MODE_OBJECT };
		for (int t = 0; t < 3; t++) {
			char *a = pp_gen_render(&p, tops[t], modes[t]);
			char *b = pp_gen_render(&p, tops[t], modes[t]);
			if (strcmp(a, b))
				fuzz_fail("rendering %s twice gave two texts", tops[t]);
			if (t < 2)
				fuzz_check_assign(&p);
			free(a);
			free(b);
		}
		/* The second round: what the compiler rejected is dropped, fields retyped as bit-fields. */
		for (size_t i = 1; i < p.nitems; i++) {
			unsigned h = (unsigned)i * 2654435761u + salt;
			if (p.items[i].kind == PP_ITEM_FIELD && (h >> 7) % 3 == 0)
				p.items[i].kind = PP_ITEM_BITFIELD;
			else if ((h >> 11) % 4 == 0)
				pp_fail_item(&p.items[i], (h >> 13) % 2 ? PP_FAILED : PP_NONCONST, "fuzz");
		}
	}
	pp_plan_free(&p);
}

/* The result this spec would give where every entry is answered (all facts zero): every format
 * renders it, and it survives the round trip through JSON. */
static void fuzz_result(const pp_spec *s)
{
	pp_result *r = pp_result_alloc(s);
	r->target.triple = pp_xstrdup("x86_64-linux-gnu");
	r->target.compiler = pp_xstrdup("cc");
	r->target.compiler_version = pp_xstrdup("gcc 12.2.0");
	r->target.data_model = pp_xstrdup("LP64");
	r->target.pointer_size = r->target.long_size = r->target.llong_size = 8;
	r->target.int_size = 4;
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		for (size_t i = 0; i < r->n[sec]; i++) {
			r->e[sec][i].yes = 1; /* a required macro, function or library is there */
			/* A whole layout asked for is answered whole (here: no members). */
			r->e[sec][i].fields_complete = s->entries[sec][i].whole != PP_WHOLE_NO;
		}
	pp_result *two[2] = { r, r };
	fuzz_round_trip(s, two, 1, 1);
	fuzz_round_trip(s, two, 2, 0); /* the document of several targets */
	pp_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_parse((const char *)data, size, "fuzz.json", d);
	if ((s == NULL) != (pp_diag_count(d) > 0))
		fuzz_fail("a spec %s with %zu messages", s ? "accepted" : "refused", pp_diag_count(d));
	for (size_t i = 0; i < pp_diag_count(d); i++)
		if (strncmp(pp_diag_message(d, i), "fuzz.json", 9))
			fuzz_fail("a message that does not name the spec: %s", pp_diag_message(d, i));
	if (s) {
		unsigned salt = 0;
		for (size_t i = 0; i < size; i++)
			salt = salt * 31 + data[i];
		fuzz_render(s, salt);
		fuzz_result(s);
		size_t n;
		pp_options *base = pp_options_new();
		pp_options **opts = pp_spec_target_options(s, base, &n);
		for (size_t i = 0; i < n; i++)
			pp_options_free(opts[i]);
		free(opts);
		pp_options_free(base);
	}
	pp_spec_free(s);
	pp_diag_free(d);
	return 0;
}
