/* fuzz_cache.c: fuzz target for the answer cache's reader: any bytes as a cache entry of
 * tests/fuzz/seeds/scan.json. A damaged entry (truncated, flipped bits, another format, another
 * spec's) must be a miss, never a crash and never a wrong answer: whatever the reader accepts is,
 * byte for byte, what the writer writes for what it read, and decodes as a probe's table does. */
#include "scan_spec.h"

/* The key the entry says it is for (the probe's own is a hash of the compiler and flags, which
 * differ between machines): the reader still holds the entry to it. */
static char *fuzz_key(const char *text, size_t len)
{
	const char *k = memmem(text, len, "\"key\": \"", 8);
	if (!k)
		return pp_xstrdup("no key");
	k += 8;
	size_t n = 0;
	while (k + n < text + len && n < 64 && k[n] != '"' && k[n] != '\\')
		n++;
	return pp_xstrndup(k, n);
}

/* A hit decodes as the probe's own table would, in either mode, and a clean result survives the
 * round trip of every format. */
static void fuzz_decode(pp_plan *p, const pp_buf *table, enum pp_mode mode)
{
	pp_gen_assign(p);
	pp_table t;
	char *why = NULL;
	if (pp_scan((const unsigned char *)pp_buf_str(table), table->len, p->nslots, &t, &why) == 0) {
		pp_result *r = pp_result_alloc(p->spec);
		pp_decode_table(p, &t, r, mode);
		r->target.triple = pp_xstrdup("fuzz-cache");
		r->target.compiler = pp_xstrdup("cc");
		pp_diag *d = pp_diag_new();
		if (!pp_settle(p, r, mode, d))
			fuzz_round_trip(p->spec, &r, 1, 1);
		pp_diag_free(d);
		pp_result_free(r);
	}
	free(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly the entry's bytes: ASan then sees any read past its end. */
	char *text = pp_xmalloc(size ? size : 1);
	memcpy(text, data, size);
	char *key = fuzz_key(text, size);
	for (int m = 0; m < 2; m++) {
		enum pp_mode mode = m ? PP_MODE_RUN : PP_MODE_OBJECT;
		pp_plan p;
		pp_plan_init(&p, fuzz_scan_spec());
		pp_buf table = PP_BUF_INIT;
		pp_strv hs = { 0 }, ts = { 0 };
		char *triple = NULL, osum[33];
		int dwarf;
		const char *why = NULL;
		pp_cache_item *items = NULL;
		int rc = pp_cache_parse(text, size, key, &p, &triple, &table, osum, &dwarf, &hs, &ts,
		                        &items, &why);
		if ((rc == 0) != (why == NULL))
			fuzz_fail("pp_cache_parse returned %d with%s a reason", rc, why ? "" : "out");
		if (getenv("FUZZ_DEBUG") && m == 0)
			fprintf(stderr, "fuzz_cache: %s%s\n", rc ? "miss: " : "hit", rc ? why : "");
		if (rc == 0) {
			pp_cache_apply(&p, items);
			pp_buf again = PP_BUF_INIT;
			pp_cache_format(&again, key, &p, triple, (const unsigned char *)pp_buf_str(&table),
			                table.len, &hs, &ts, osum[0] ? osum : NULL, dwarf);
			if (again.len != size || memcmp(again.s, text, size))
				fuzz_fail_diff("an accepted cache entry, written again,", text, pp_buf_str(&again),
				               NULL);
			pp_buf_free(&again);
			fuzz_decode(&p, &table, mode);
		}
		free(triple);
		pp_strv_free(&hs);
		pp_strv_free(&ts);
		pp_buf_free(&table);
		pp_plan_free(&p);
	}
	free(key);
	free(text);
	return 0;
}
