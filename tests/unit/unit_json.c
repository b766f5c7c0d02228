/* unit_json.c: pp_json.c, the JSON text the result format is made of (DESIGN.md section 4):
 * floats that read back (libc's strtod) to the very same double, "inf"/"-inf"/"nan" as strings,
 * integers exact over the int64 and uint64 ranges, strings escaped byte for byte (RFC 8259 7:
 * '"', '\' and U+0000..U+001F must be escaped; bytes that are not UTF-8 become \u00XX). */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "pp_internal.h"
#include "unit.h"

/* RFC 8259 section 6: number = [ "-" ] int [ frac ] [ exp ]. */
static int is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == 0;
}

static void test_double(void)
{
	static const struct {
		const char *what;
		double d;
		const char *exact; /* NULL: only the round trip is checked */
	} cases[] = {
		{ "DBL_MAX", DBL_MAX, NULL },
		{ "DBL_MIN", DBL_MIN, NULL },
		{ "-DBL_MAX", -DBL_MAX, NULL },
		{ "smallest subnormal 5e-324", 5e-324, NULL },
		{ "0.1", 0.1, "0.1" },
		{ "1.0", 1.0, "1.0" },
		{ "100.0", 100.0, "100.0" },
		{ "-2.5", -2.5, "-2.5" },
		{ "0.0", 0.0, "0.0" },
		{ "-0.0", -0.0, "-0.0" },
		{ "0.1 + 0.2 (needs 17 digits)", 0.30000000000000004, "0.30000000000000004" },
		{ "1/3", 1.0 / 3.0, NULL },
		{ "2^53 + 2", 9007199254740994.0, NULL },
		{ "2^63", 9223372036854775808.0, NULL },
		{ "1e300", 1e300, NULL },
		{ "1e-7", 1e-7, NULL },
		{ "123456789012345.0", 123456789012345.0, NULL },
		{ "M_PI", 3.141592653589793, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double d = cases[i].d;
		pp_buf b = PP_BUF_INIT;
		pp_json_double(&b, d);
		const char *s = pp_buf_str(&b);
		CHECK(UNIT_NAME("pp_json_double(%s) is a JSON number (%s)", cases[i].what, s),
		      is_json_number(s));
		/* Stays a float for readers that tell 1 from 1.0. */
		CHECK(UNIT_NAME("pp_json_double(%s) has a '.' or an exponent (%s)", cases[i].what, s),
		      strpbrk(s, ".eE") != NULL);
		char *end;
		double back = strtod(s, &end);
		CHECK(UNIT_NAME("pp_json_double(%s) reads back whole", cases[i].what), *end == 0);
		CHECK(UNIT_NAME("pp_json_double(%s) reads back as the same double (%s)", cases[i].what, s),
		      memcmp(&back, &d, sizeof d) == 0);
		if (cases[i].exact)
			CHECK_STR(UNIT_NAME("pp_json_double(%s) text", cases[i].what), s, cases[i].exact);
		pp_buf_free(&b);
	}

	static const struct {
		const char *what;
		double d;
		const char *exact;
	} special[] = {
		{ "inf", INFINITY, "\"inf\"" },
		{ "-inf", -INFINITY, "\"-inf\"" },
		{ "nan", NAN, "\"nan\"" },
		{ "-nan", -NAN, "\"nan\"" },
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
		pp_buf b = PP_BUF_INIT;
		pp_json_double(&b, special[i].d);
		CHECK_STR(UNIT_NAME("pp_json_double(%s)", special[i].what), pp_buf_str(&b),
		          special[i].exact);
		pp_buf_free(&b);
	}

	/* It appends. */
	pp_buf b = PP_BUF_INIT;
	pp_buf_adds(&b, "[");
	pp_json_double(&b, 1.0);
	pp_buf_adds(&b, ",");
	pp_json_double(&b, 0.5);
	CHECK_STR("pp_json_double appends", pp_buf_str(&b), "[1.0,0.5");
	pp_buf_free(&b);
}

static void test_int(void)
{
	static const struct {
		uint64_t u;
		int neg;
		const char *exact;
	} cases[] = {
		{ 0, 0, "0" },
		{ 42, 0, "42" },
		{ (uint64_t)-42, 1, "-42" },
		{ UINT64_MAX, 1, "-1" },
		{ (uint64_t)INT64_MIN, 1, "-9223372036854775808" },
		{ (uint64_t)INT64_MAX, 0, "9223372036854775807" },
		{ 1ULL << 63, 0, "9223372036854775808" },
		{ UINT64_MAX, 0, "18446744073709551615" },
		{ 1ULL << 53 | 1, 0, "9007199254740993" }, /* not a double: never went through one */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pp_buf b = PP_BUF_INIT;
		pp_json_int(&b, cases[i].u, cases[i].neg);
		CHECK_STR(UNIT_NAME("pp_json_int(%s)", cases[i].exact), pp_buf_str(&b), cases[i].exact);
		pp_buf_free(&b);
	}
}

static void test_str(void)
{
	static const struct {
		const char *what;
		const char *in;
		size_t n;
		const char *exact;
	} cases[] = {
		{ "empty", "", 0, "\"\"" },
		{ "plain", "EAGAIN", 6, "\"EAGAIN\"" },
		{ "quote", "a\"b", 3, "\"a\\\"b\"" },
		{ "backslash", "a\\b", 3, "\"a\\\\b\"" },
		{ "newline", "a\nb", 3, "\"a\\nb\"" },
		{ "control 0x01", "\x01", 1, "\"\\u0001\"" },
		{ "control 0x1f", "\x1f", 1, "\"\\u001f\"" },
		{ "embedded NUL", "a\0b", 3, "\"a\\u0000b\"" },
		{ "slash kept", "a/b", 3, "\"a/b\"" },
		{ "UTF-8 2-byte kept", "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
		{ "UTF-8 3-byte kept", "\xe2\x82\xac", 3, "\"\xe2\x82\xac\"" },
		{ "UTF-8 4-byte kept", "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
		{ "U+10FFFF kept", "\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"" },
		{ "invalid byte 0xff", "\xff", 1, "\"\\u00ff\"" },
		{ "invalid byte between letters", "a\xff" "b", 3, "\"a\\u00ffb\"" },
		{ "lone continuation 0x80", "\x80", 1, "\"\\u0080\"" },
		{ "truncated 2-byte", "\xc3", 1, "\"\\u00c3\"" },
		{ "truncated 2-byte before ASCII", "\xc3(", 2, "\"\\u00c3(\"" },
		{ "truncated 3-byte", "\xe2\x82", 2, "\"\\u00e2\\u0082\"" },
		{ "overlong NUL", "\xc0\x80", 2, "\"\\u00c0\\u0080\"" },
		{ "overlong 3-byte", "\xe0\x80\x80", 3, "\"\\u00e0\\u0080\\u0080\"" },
		{ "surrogate", "\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"" },
		{ "beyond U+10FFFF", "\xf4\x90\x80\x80", 4, "\"\\u00f4\\u0090\\u0080\\u0080\"" },
		{ "n stops before the NUL terminator", "abc", 2, "\"ab\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pp_buf b = PP_BUF_INIT;
		pp_json_str(&b, cases[i].in, cases[i].n);
		CHECK_MEM(UNIT_NAME("pp_json_str(%s)", cases[i].what), b.s, b.len, cases[i].exact,
		          strlen(cases[i].exact));
		pp_buf_free(&b);
	}

	/* Every single byte: ASCII printables other than '"' and '\' stand for themselves, control
	 * characters are escaped (any JSON escape will do), and a lone byte >= 0x80 is never UTF-8,
	 * so it is \u00XX with its own value. */
	int ascii_ok = 1, ctrl_ok = 1, high_ok = 1;
	for (unsigned c = 0; c < 256; c++) {
		char in = (char)c;
		pp_buf b = PP_BUF_INIT;
		pp_json_str(&b, &in, 1);
		const char *s = pp_buf_str(&b);
		char want[16];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			snprintf(want, sizeof want, "\"%c\"", (char)c);
			ascii_ok &= b.len == 3 && strcmp(s, want) == 0;
		} else if (c < 0x20) {
			snprintf(want, sizeof want, "\"\\u%04x\"", c);
			static const char short_esc[] = { '\b', 'b', '\f', 'f', '\n', 'n', '\r', 'r', '\t', 't' };
			int ok = strcmp(s, want) == 0;
			for (size_t k = 0; k < sizeof short_esc; k += 2)
				if (c == (unsigned char)short_esc[k])
					ok |= b.len == 4 && s[1] == '\\' && s[2] == short_esc[k + 1];
			ctrl_ok &= ok;
		} else if (c >= 0x80) {
			snprintf(want, sizeof want, "\"\\u%04x\"", c);
			high_ok &= strcmp(s, want) == 0;
		}
		pp_buf_free(&b);
	}
	CHECK("pp_json_str: every printable ASCII byte stands for itself", ascii_ok);
	CHECK("pp_json_str: every control byte is escaped", ctrl_ok);
	CHECK("pp_json_str: every lone byte >= 0x80 is \\u00XX", high_ok);
}

int main(void)
{
	test_double();
	test_int();
	test_str();
	return unit_done();
}
