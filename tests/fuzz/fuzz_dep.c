/* fuzz_dep.c: fuzz target for the depfile reader (cc -MD's Make syntax; the cache's and --depfile's
 * list of headers): any bytes as a depfile. Every path it reads must come back unchanged through
 * the depfile platprobe writes (pp_depfile_format) and a second reading. */
#include "fuzz.h"

/* Make's syntax has no way to write a path that ends in a backslash (the blank after it would be
 * escaped); cc -MD cannot either. */
static int fuzz_writable(const char *w)
{
	size_t n = strlen(w);
	return n && w[n - 1] != '\\';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = pp_xstrndup((const char *)data, size);
	pp_strv words = { 0 };
	pp_dep_parse(text, "/tmp/platprobe-fuzz", &words);
	for (size_t i = 0; i < words.n; i++)
		if (!*words.v[i] || !strncmp(words.v[i], "/tmp/platprobe-fuzz/", 20))
			fuzz_fail("read an empty word or one under the skipped directory: \"%s\"", words.v[i]);

	/* The depfile of a result that read those files: spec.json first, then each path once. */
	pp_spec *s = pp_spec_new("spec.json");
	pp_result *r = pp_result_alloc(s);
	r->target.triple = pp_xstrdup("fuzz");
	r->have_deps = 1;
	pp_strv want = { 0 };
	pp_strv_push(&want, "spec.json");
	for (size_t i = 0; i < words.n; i++) {
		if (!fuzz_writable(words.v[i]))
			continue;
		pp_strv_push(&r->deps, words.v[i]);
		int dup = 0;
		for (size_t k = 0; k < want.n; k++)
			dup |= !strcmp(want.v[k], words.v[i]);
		if (!dup)
			pp_strv_push(&want, words.v[i]);
	}
	const char *inputs[] = { "spec.json" };
	pp_diag *d = pp_diag_new();
	char *dep = pp_depfile_format(&r, 1, "out dir/out#1.h", inputs, 1, d);
	if (!dep)
		fuzz_fail("pp_depfile_format refused: %s", pp_diag_message(d, 0));
	pp_strv back = { 0 };
	pp_dep_parse(dep, NULL, &back);
	if (back.n != want.n)
		fuzz_fail("%zu paths written, %zu read back:\n%s", want.n, back.n, dep);
	for (size_t i = 0; i < want.n; i++)
		if (strcmp(want.v[i], back.v[i]))
			fuzz_fail("path %zu written as \"%s\" reads back as \"%s\":\n%s", i, want.v[i],
			          back.v[i], dep);
	pp_strv_free(&back);
	free(dep);
	pp_diag_free(d);
	pp_strv_free(&want);
	pp_result_free(r);
	pp_spec_free(s);
	pp_strv_free(&words);
	free(text);
	return 0;
}
