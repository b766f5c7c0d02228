/* unit_jdom.c: the result reader (pp_jdom.c) on what pp_json_str writes: a NUL byte as \u0000 and
 * a byte that is not UTF-8 as \u00XX come back as those bytes, valid UTF-8 as itself; an object
 * with a key twice is refused where it is. Expected bytes are the JSON texts' own, by hand. */
#include <stdlib.h>

#include "pp_internal.h"
#include "unit.h"

typedef struct str_case {
	const char *name, *json;  /* a JSON string value */
	const char *bytes;        /* what it holds */
	size_t len;
} str_case;

static const str_case strs[] = {
	{ "plain", "\"abc\"", "abc", 3 },
	{ "a NUL byte", "\"a\\u0000b\"", "a\0b", 3 },
	{ "a byte that is not UTF-8", "\"\\u00ff\"", "\xff", 1 },
	{ "bytes of a broken sequence", "\"\\u00c3(\"", "\xc3(", 2 },
	{ "U+0080 as its byte", "\"\\u0080\"", "\x80", 1 },
	{ "U+0100 as UTF-8", "\"\\u0100\"", "\xc4\x80", 2 },
	{ "raw UTF-8", "\"caf\xc3\xa9\"", "caf\xc3\xa9", 5 },
	{ "a surrogate pair as UTF-8", "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4 },
	{ "control character", "\"\\u0001\\n\"", "\x01\n", 2 },
};

static void test_strings(void)
{
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		const str_case *c = &strs[i];
		size_t off = 0;
		const char *what = NULL;
		pp_jnode *n = pp_jparse(c->json, strlen(c->json), &off, &what);
		if (CHECK(UNIT_NAME("string %s: reads", c->name), n && n->type == PP_J_STR))
			CHECK_MEM(UNIT_NAME("string %s: its bytes", c->name), n->str, n->len, c->bytes, c->len);
		/* And what pp_json_str writes of those bytes reads back as them. */
		pp_buf b = PP_BUF_INIT;
		pp_json_str(&b, c->bytes, c->len);
		pp_jnode *back = pp_jparse(b.s, b.len, &off, &what);
		if (CHECK(UNIT_NAME("string %s: written and read back", c->name), back != NULL))
			CHECK_MEM(UNIT_NAME("string %s: the same bytes", c->name), back->str, back->len,
			          c->bytes, c->len);
		pp_buf_free(&b);
		pp_jfree(back);
		pp_jfree(n);
	}
}

typedef struct bad_case {
	const char *name, *json;
	size_t off;            /* where the problem is (a duplicate: its key) */
	const char *what;
} bad_case;

static const bad_case bads[] = {
	{ "a key twice", "{\"a\": 1, \"b\": 2, \"a\": 3}", 17, "duplicate key" },
	{ "a key twice, deeper", "{\"x\": [{\"k\": 1, \"k\": 1}]}", 16, "duplicate key" },
	{ "the first duplicate named", "{\"b\": 1, \"a\": 1, \"b\": 2, \"a\": 2}", 17, "duplicate key" },
	{ "a NUL in a key", "{\"a\\u0000\": 1}", 3, "not allowed in a key" },
};

static void test_refusals(void)
{
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		const bad_case *c = &bads[i];
		size_t off = 0;
		const char *what = NULL;
		pp_jnode *n = pp_jparse(c->json, strlen(c->json), &off, &what);
		CHECK(UNIT_NAME("%s: refused", c->name), n == NULL);
		CHECK_U64(UNIT_NAME("%s: at its offset", c->name), off, c->off);
		CHECK_CONTAINS(UNIT_NAME("%s: says why", c->name), what, c->what);
		pp_jfree(n);
	}
	/* The same key in two objects is no duplicate. */
	size_t off;
	const char *what;
	const char *two = "{\"a\": {\"k\": 1}, \"b\": {\"k\": 2}}";
	pp_jnode *n = pp_jparse(two, strlen(two), &off, &what);
	CHECK("one key in two objects: reads", n != NULL);
	pp_jfree(n);
	/* A spec still may not hold a NUL anywhere: it would cut a name short. */
	const char *spec = "{\"types\": [\"a\\u0000b\"]}";
	CHECK("spec check: \\u0000 in a value refused", pp_jcheck(spec, strlen(spec), &off, &what) < 0);
	CHECK_CONTAINS("spec check: says why", what, "not allowed in a spec");
}

int main(void)
{
	test_strings();
	test_refusals();
	return unit_done();
}
