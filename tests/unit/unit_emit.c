/* unit_emit.c: the binding formats (src/pp_emit.c) over a result built by hand, for what the
 * probe cannot produce yet: signed bit-fields (their signedness comes with whole layouts) and a
 * big-endian target. The expected lines follow from the C ABI facts written into the result:
 * struct s { unsigned char tag; int neg : 6; unsigned u : 4; int x; } on 32-bit ints. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"
#include "unit.h"

static pp_fres field(const char *name, uint64_t off, uint64_t size, int sgn)
{
	pp_fres f;
	memset(&f, 0, sizeof f);
	f.name = (char *)name;
	f.answered = 1;
	f.offset = off;
	f.t.size = size;
	f.t.kind = PP_K_INT;
	f.t.is_signed = sgn;
	return f;
}

static pp_fres bits(const char *name, uint64_t bit, uint64_t width, int sgn)
{
	pp_fres f = field(name, bit / 8, (bit % 8 + width + 7) / 8, sgn);
	f.is_bitfield = 1;
	f.bit_offset = bit;
	f.bit_size = width;
	return f;
}

static char *render(int big_endian, const char *format)
{
	pp_fres fields[4];
	pp_eres s;
	pp_result r;
	memset(&s, 0, sizeof s);
	memset(&r, 0, sizeof r);
	/* bit numbers count as the result does: from each byte's least significant bit on
	 * little-endian targets, its most significant on big-endian ones */
	fields[0] = field("tag", 0, 1, 0);
	fields[1] = bits("neg", 8, 6, 1);
	fields[2] = bits("u", 14, 4, 0);
	fields[3] = field("x", 4, 4, 1);
	s.name = (char *)"struct s";
	s.answered = 1;
	s.t.size = 8;
	s.t.align = 4;
	s.t.palign = 4;
	s.t.kind = PP_K_STRUCT;
	s.t.is_signed = -1;
	s.fields = fields;
	s.nfields = 4;
	r.target.triple = (char *)"test-triple";
	r.target.compiler = (char *)"cc";
	r.target.compiler_version = (char *)"gcc 12.2.0";
	r.target.data_model = (char *)"ILP32";
	r.target.big_endian = big_endian;
	r.target.pointer_size = 4;
	r.target.int_size = 4;
	r.e[PP_STRUCTS] = &s;
	r.n[PP_STRUCTS] = 1;
	pp_diag *d = pp_diag_new();
	char *text = pp_result_format(&r, format, NULL, d);
	if (!text && pp_diag_count(d))
		printf("  (%s)\n", pp_diag_message(d, 0));
	pp_diag_free(d);
	return text;
}

/* The guard checks a constant's sign only when its type is at least int (narrower ones promote to
 * int), and knows int's size only from the data model the result records: on a target of model
 * "other" (int of 2 bytes, pointers of 2: AVR) it makes no such check, so a guard written from the
 * saved result (where int's size is unknown) is the probe's own. */
static void test_guard_sign(void)
{
	static const struct { const char *model; unsigned int_size; int csize, checked; } cases[] = {
		{ "LP64", 4, 4, 1 }, { "LP64", 4, 2, 0 }, { "LP32", 2, 2, 1 }, { "other", 2, 2, 0 },
		{ "other", 0, 4, 0 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pp_eres k;
		pp_result r;
		memset(&k, 0, sizeof k);
		memset(&r, 0, sizeof r);
		k.name = (char *)"K";
		k.answered = 1;
		k.cv = PP_CV_INT;
		k.u = 1;
		k.csize = cases[i].csize;
		k.csigned = 1;
		r.target.triple = (char *)"t";
		r.target.compiler = (char *)"cc";
		r.target.compiler_version = (char *)"gcc 12.2.0";
		r.target.data_model = (char *)cases[i].model;
		r.target.pointer_size = 2;
		r.target.int_size = cases[i].int_size;
		r.e[PP_CONSTANTS] = &k;
		r.n[PP_CONSTANTS] = 1;
		char *g = pp_result_format(&r, "guard", NULL, NULL);
		CHECK(UNIT_NAME("guard, model %s, int of %u bytes, a %d-byte constant: sign %s", cases[i].model,
		                cases[i].int_size, cases[i].csize, cases[i].checked ? "checked" : "not checked"),
		      g && (strstr(g, "((K) - (K) - 1 < 0) == 1") != NULL) == cases[i].checked);
		free(g);
	}
}

int main(void)
{
	char *py = render(0, "python");
	if (CHECK("python renders", py != NULL)) {
		/* neg and u share byte 1..2 of a 4-byte unit that also covers tag: tag joins it */
		CHECK_CONTAINS("python: a plain byte inside the unit becomes a bit-field of it", py,
		               "        (\"tag\", ctypes.c_uint32, 8),\n"
		               "        (\"neg\", ctypes.c_int32, 6),\n"
		               "        (\"u\", ctypes.c_uint32, 4),\n"
		               "        (\"_bf0_end\", ctypes.c_uint8 * 0),\n"
		               "        (\"x\", ctypes.c_int32),\n");
		CHECK_CONTAINS("python: checks a signed bit-field as signed", py,
		               "(\"neg\", 0, None, 8, 6, True)");
	}
	free(py);
	char *rs = render(0, "rust");
	if (CHECK("rust renders", rs != NULL)) {
		CHECK_CONTAINS("rust: the unit is bytes", rs, "pub _bf0: [u8; 4],");
		CHECK_CONTAINS("rust: a signed getter sign-extends", rs,
		               "let u = u32::from_le_bytes(self._bf0);\n        ((u << 18) as i32) >> 26");
		CHECK_CONTAINS("rust: an unsigned getter masks", rs, "(u >> 14) & 0xf");
		CHECK_CONTAINS("rust: a setter keeps the neighbours", rs,
		               "pub fn set_neg(&mut self, v: i32) {\n"
		               "        let u = u32::from_le_bytes(self._bf0) & !(0x3f << 8);\n"
		               "        self._bf0 = (u | ((v as u32 & 0x3f) << 8)).to_le_bytes();");
		CHECK_CONTAINS("rust: struct alignment from C", rs, "#[repr(C, align(4))]");
	}
	free(rs);
	char *be = render(1, "rust");
	if (CHECK("rust renders for a big-endian target", be != NULL)) {
		/* bit 8 from the most significant end of a 32-bit unit: 32 - 8 - 6 = 18 from the least */
		CHECK_CONTAINS("rust, big-endian: bytes read in the target's order", be,
		               "u32::from_be_bytes(self._bf0)");
		CHECK_CONTAINS("rust, big-endian: neg counted from the other end", be,
		               "((u << 8) as i32) >> 26");
		CHECK_CONTAINS("rust, big-endian: tag in the most significant byte", be,
		               "(u >> 24) & 0xff");
	}
	free(be);
	char *g = render(0, "guard");
	if (CHECK("guard renders", g != NULL)) {
		CHECK_CONTAINS("guard: an offset", g, "offsetof(struct s, x) == 4");
		CHECK_CONTAINS("guard: a bit-field as a comment", g, "/* neg: bits 8, 6 wide");
	}
	free(g);
	test_guard_sign();
	return unit_done();
}
