/* fuzz_scan.c: fuzz target for the object-scan reader: finds the answer table in any bytes (an
 * object file of any format, a run's dump), reads every slot and value, and decodes the answers of
 * tests/fuzz/seeds/scan.json out of it as a probe would, then writes and reads them back.
 * Input: one byte, then the object's bytes. The byte's low 7 bits are the slot count the table
 * must have (0: the count scan.json's plan needs, so real objects decode); its top bit picks run
 * mode, where values need not be compile-time constants. */
#include "scan_spec.h"

/* The fields of scan.json that are bit-fields: the probe learns it from the compiler and renders
 * them with bitfield.c, which asks for other slots. */
static const char *const scan_bitfields[] = { "bits", "neg", NULL };

/* Every read the scan allows stays inside the table it found, which lies inside the input. */
static void fuzz_table(const unsigned char *data, size_t len, uint64_t expected, const pp_table *t)
{
	if (t->base < data || t->size > len || (size_t)(t->base - data) > len - t->size)
		fuzz_fail("the table (%zu bytes) lies outside the input (%zu bytes)", t->size, len);
	if (memcmp(t->base, pp_magic, 16) || memcmp(t->base + t->size - 16, pp_magic_end, 16))
		fuzz_fail("a table that does not start and end with the magics");
	if (t->count != expected || 32 + 8 * t->count > t->values_off || t->values_off > t->size - 16)
		fuzz_fail("slot count %llu, values at %zu of %zu: not a valid table",
		          (unsigned long long)t->count, t->values_off, t->size);
	/* Each pair of neighbouring slots as an (offset, size) value: refused, or inside the table. */
	for (size_t i = 1; i < t->count; i++) {
		uint64_t off = pp_table_slot(t, i - 1), n = pp_table_slot(t, i), v;
		n = n > 17 ? 17 : n;
		int neg;
		for (int sgn = 0; sgn < 2; sgn++)
			if (off <= t->size && pp_table_int(t, (size_t)off, (size_t)n, sgn, &v, &neg) == 0 &&
			    (n == 0 || n > 16 || off + n > t->size))
				fuzz_fail("pp_table_int read %llu bytes at %llu of a %zu-byte table",
				          (unsigned long long)n, (unsigned long long)off, t->size);
	}
	/* Every width at the values' start and at the table's very end. */
	for (size_t n = 0; n <= 17; n++)
		for (int sgn = 0; sgn < 2; sgn++) {
			uint64_t v;
			int neg;
			int a = pp_table_int(t, t->values_off, n, sgn, &v, &neg);
			int b = pp_table_int(t, t->size - (n < t->size ? n : t->size), n, sgn, &v, &neg);
			if ((n == 0 || n > 16) && (a == 0 || b == 0))
				fuzz_fail("pp_table_int accepted a %zu-byte integer", n);
		}
}

/* scan.json's plan with its bit-fields retyped, and the slots a probe's table has for it. */
static void fuzz_scan_plan(pp_plan *p)
{
	pp_plan_init(p, fuzz_scan_spec());
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		for (size_t k = 0; it->kind == PP_ITEM_FIELD && scan_bitfields[k]; k++)
			if (!strcmp(it->entry->fields[it->field].name, scan_bitfields[k]))
				it->kind = PP_ITEM_BITFIELD;
	}
	pp_gen_assign(p);
}

/* Decodes scan.json's answers as a probe does (then settles them as it does) and, when the probe
 * would have succeeded, holds the result to the round trip. */
static void fuzz_decode(const pp_table *t, enum pp_mode mode)
{
	pp_plan p;
	fuzz_scan_plan(&p);
	if (t->count == p.nslots) {
		pp_result *r = pp_result_alloc(p.spec);
		pp_decode_table(&p, t, r, mode);
		r->target.triple = pp_xstrdup("fuzz-scan");
		r->target.compiler = pp_xstrdup("cc");
		pp_diag *d = pp_diag_new();
		int bad = pp_settle(&p, r, mode, d);
		if (getenv("FUZZ_DEBUG")) { /* what the input decodes to, for a person reading a finding */
			char *json = pp_result_format(r, "json", NULL, d);
			fprintf(stderr, "fuzz_scan: settled %s:\n%s", bad ? "with errors" : "clean", json);
			free(json);
		}
		if (!bad)
			fuzz_round_trip(p.spec, &r, 1, 1);
		pp_diag_free(d);
		pp_result_free(r);
	}
	pp_plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum pp_mode mode = data[0] & 0x80 ? PP_MODE_RUN : PP_MODE_OBJECT;
	uint64_t expected = data[0] & 0x7f;
	if (!expected) {
		pp_plan p;
		fuzz_scan_plan(&p);
		expected = p.nslots;
		pp_plan_free(&p);
	}
	/* A copy of exactly the object's bytes: ASan then sees any read past its end. */
	size_t len = size - 1;
	unsigned char *obj = pp_xmalloc(len ? len : 1);
	memcpy(obj, data + 1, len);
	pp_table t;
	char *why = NULL;
	int rc = pp_scan(obj, len, expected, &t, &why);
	if ((rc == 0) != (why == NULL))
		fuzz_fail("pp_scan returned %d with%s a reason", rc, why ? "" : "out");
	if (rc == 0) {
		fuzz_table(obj, len, expected, &t);
		fuzz_decode(&t, mode);
	}
	free(why);
	free(obj);
	return 0;
}
