/* fuzz_result.c: fuzz target for the result reader that check, diff and --from share: any bytes as
 * a saved result. A document that reads is compared with itself (no difference), written back
 * compactly and re-read (the same tree), loaded as --from loads it with a spec asking for every
 * entry it holds, and the loaded results must survive the round trip and check clean against
 * their own JSON. */
#include "fuzz.h"

/* Whether name is already an entry of sec: a spec never asks twice. */
static int fuzz_has(const pp_spec *s, enum pp_section sec, const char *name)
{
	for (size_t i = 0; i < s->nentries[sec]; i++)
		if (!strcmp(s->entries[sec][i].name, name))
			return 1;
	return 0;
}

/* The fields a struct's answer names, as a spec's "fields" list (by name, not the whole layout),
 * and one more that the answer lacks, optional, as a spec for another platform would have. */
static void fuzz_fields(pp_entry *e, const pp_jnode *arr)
{
	size_t n = 1;
	for (const pp_jnode *x = arr->child; x; x = x->next)
		n++;
	e->fields = pp_xcalloc(n, sizeof *e->fields);
	e->whole = PP_WHOLE_NO;
	for (const pp_jnode *x = arr->child; x; x = x->next) {
		const pp_jnode *nm = pp_jget(x, "name");
		if (!nm || nm->type != PP_J_STR || strlen(nm->str) != nm->len ||
		    !pp_name_is_member_path(nm->str))
			continue;
		int dup = 0;
		for (size_t k = 0; k < e->nfields; k++)
			dup |= !strcmp(e->fields[k].name, nm->str);
		if (!dup)
			e->fields[e->nfields++] = (pp_field){ pp_xstrdup(nm->str), 0 };
	}
	int dup = 0;
	for (size_t k = 0; k < e->nfields; k++)
		dup |= !strcmp(e->fields[k].name, "pp_fuzz_absent");
	if (!dup)
		e->fields[e->nfields++] = (pp_field){ pp_xstrdup("pp_fuzz_absent"), 1 };
}

/* A spec that asks for every entry the (first) result holds whose name a spec could hold; an entry
 * recorded as unanswered is optional, as it must be for the result to load. */
static pp_spec *fuzz_spec_of(const pp_jnode *root)
{
	const pp_jnode *many = pp_jget(root, "results");
	const pp_jnode *res = many && many->type == PP_J_ARR ? many->child : root;
	pp_spec *s = pp_spec_new("fuzz-spec.json");
	pp_diag *d = pp_diag_new();
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		const pp_jnode *o = pp_jget(res, pp_section_names[sec]);
		for (const pp_jnode *x = o && o->type == PP_J_OBJ ? o->child : NULL; x; x = x->next) {
			const pp_jnode *links = pp_jget(x, "links");
			int optional = x->type == PP_J_NULL || (x->type == PP_J_BOOL && !x->b) ||
			               (links && links->type == PP_J_BOOL && !links->b);
			if (fuzz_has(s, (enum pp_section)sec, x->key) ||
			    pp_spec_add_entry(s, (enum pp_section)sec, x->key, optional, d) < 0)
				continue;
			pp_entry *e = &s->entries[sec][s->nentries[sec] - 1];
			const pp_jnode *fields = pp_jget(x, "fields"), *fc = pp_jget(x, "fields_complete");
			if (sec == PP_STRUCTS && fields && fields->type == PP_J_ARR &&
			    !(fc && fc->type == PP_J_BOOL && fc->b))
				fuzz_fields(e, fields);
		}
	}
	pp_diag_free(d);
	return s;
}

/* Compact JSON of a tree re-reads as the same tree, and writes the same text again. */
static void fuzz_rewrite(const pp_jnode *root)
{
	pp_diffs ds = { 0 };
	pp_diff_trees(root, root, &ds);
	if (ds.n)
		fuzz_fail("a document differs from itself in %zu places", ds.n);
	pp_buf w = PP_BUF_INIT, w2 = PP_BUF_INIT;
	pp_jwrite(&w, root);
	size_t off;
	const char *what;
	pp_jnode *again = pp_jparse(pp_buf_str(&w), w.len, &off, &what);
	if (!again)
		fuzz_fail("pp_jwrite wrote what pp_jparse refuses (%s at %zu): %s", what, off,
		          pp_buf_str(&w));
	pp_jwrite(&w2, again);
	if (w.len != w2.len || memcmp(w.s, w2.s, w.len))
		fuzz_fail("pp_jwrite of a re-read tree differs:\n%s\n----\n%s", pp_buf_str(&w),
		          pp_buf_str(&w2));
	for (int json = 0; json < 2; json++) {
		char *text = NULL;
		if (pp_diff_text(root, again, "a.json", "b.json", json, &text) != 0)
			fuzz_fail("diff finds a written-back document different:\n%s", text);
		free(text);
	}
	pp_jfree(again);
	pp_buf_free(&w);
	pp_buf_free(&w2);
}

/* check of loaded results: against the document they came from (any outcome, no crash), and
 * against their own JSON (no difference at all). */
static void fuzz_check(pp_result *const *r, size_t n, const pp_jnode *root)
{
	static const char *const ignore[] = { "target.compiler_version", "types", "results" };
	pp_diag *d = pp_diag_new();
	for (int json = 0; json < 2; json++) {
		char *text = NULL;
		pp_check_tree(r, n, root, "baseline.json", json, json ? PP_CHECK_ALLOW_NEW : 0, ignore,
		              json ? 3 : 0, &text, d);
		free(text);
	}
	char *own = fuzz_json(r, n, d);
	size_t off;
	const char *what;
	pp_jnode *tree = pp_jparse(own, strlen(own), &off, &what);
	if (!tree)
		fuzz_fail("results' own JSON does not parse: %s", what);
	char *text = NULL;
	if (pp_check_tree(r, n, tree, "own.json", 0, 0, NULL, 0, &text, d) != 0)
		fuzz_fail("results differ from their own JSON:\n%s", text ? text : "");
	free(text);
	pp_jfree(tree);
	free(own);
	pp_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	pp_diag *d = pp_diag_new();
	pp_jnode *root = pp_result_parse(text, size, "fuzz.json", d);
	if ((root == NULL) != (pp_diag_count(d) > 0))
		fuzz_fail("a document %s with %zu messages", root ? "read" : "refused", pp_diag_count(d));
	if (root) {
		fuzz_rewrite(root);
		pp_spec *s = fuzz_spec_of(root);
		size_t n = 0;
		fuzz_diag_clear(d);
		pp_result **r = pp_results_parse(s, text, size, "fuzz.json", &n, d);
		if ((r == NULL) != (pp_diag_count(d) > 0))
			fuzz_fail("results %s with %zu messages", r ? "loaded" : "refused", pp_diag_count(d));
		if (r) {
			fuzz_round_trip(s, r, n, 1);
			fuzz_check(r, n, root);
		}
		fuzz_results_free(r, n);
		pp_spec_free(s);
		pp_jfree(root);
	}
	pp_diag_free(d);
	return 0;
}
