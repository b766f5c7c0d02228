/* unit_spec.c: pp_spec.c, the spec reader. Syntax errors must say FILE:LINE:COL (1-based, columns
 * in bytes) of the offending byte; the positions below were placed by hand and, for ASCII texts,
 * agree with Python's json module (json.JSONDecodeError.lineno/colno). Schema errors must name the
 * element by its JSON path (DESIGN.md section 3, the CLI contract's message list). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "pp_internal.h"
#include "unit.h"

#define FILE_NAME "t.json"

/* All of d's messages joined by " | ", for matching and for showing what was said. */
static char *joined(const pp_diag *d)
{
	pp_buf b = PP_BUF_INIT;
	for (size_t i = 0; i < pp_diag_count(d); i++) {
		if (i)
			pp_buf_adds(&b, " | ");
		pp_buf_adds(&b, pp_diag_message(d, i));
	}
	return pp_buf_detach(&b);
}

/* ---- malformed JSON: one message at an exact position ---- */

typedef struct syntax_case {
	const char *what;
	const char *text;
	size_t len; /* 0: strlen(text) */
	const char *pos; /* "LINE:COL" */
} syntax_case;

static const syntax_case syntax[] = {
	{ "missing comma", "{\"types\": [\n  \"a\"\n    \"b\"]}", 0, "3:5" },
	{ "garbage after the object", "{\"types\": []}\n  x", 0, "2:3" },
	{ "second object after the first", "{\"types\": []} {}", 0, "1:15" },
	{ "unterminated string (at its opening quote)", "{\n  \"types\": [\"off_t", 0, "2:13" },
	{ "truncated document", "{\"types\": [\"int\"", 0, "1:17" },
	{ "missing colon after a tab", "{\n\t\"types\" []}", 0, "2:10" },
	{ "bad literal", "{\"types\": [tru]}", 0, "1:12" },
	{ "trailing comma in an array", "{\"types\": [\"a\",]}", 0, "1:16" },
	{ "trailing comma in an object", "{\"types\": [\"a\"],}", 0, "1:17" },
	{ "missing comma between members", "{\"types\": [\"a\"] \"structs\": []}", 0, "1:17" },
	{ "unquoted key", "{types: []}", 0, "1:2" },
	{ "empty text", "", 0, "1:1" },
	{ "only blanks", "   ", 0, "1:4" },
	{ "raw newline inside a string", "{\n  \"types\": [\"off_t\n\"]}", 0, "2:19" },
	{ "CRLF line ends", "{\r\n\"types\": [\r\n  \"a\"\r\n  \"b\"]}", 0, "4:3" },
	{ "bad escape", "{\"types\": [\"a\\qb\"]}", 0, "1:14" },
	/* Columns count bytes: the two-byte e-acute before the error counts 2. */
	{ "column counts UTF-8 bytes", "{\"types\": [\"\xc3\xa9\" \"x\"]}", 0, "1:17" },
	/* What cJSON would take but a spec must not hold. */
	{ "invalid UTF-8 byte 0xff", "{\n  \"types\": [\"a\xff" "b\"]}", 0, "2:15" },
	{ "UTF-8 lead byte without continuation", "{\"types\": [\"a\xc3\"]}", 0, "1:14" },
	/* In include_dirs no C grammar applies, so only the UTF-8 check can refuse these (RFC 3629:
	 * overlong forms, surrogates and code points past U+10FFFF are not UTF-8). */
	{ "overlong UTF-8 (0xc0 0x80)", "{\"include_dirs\": [\"a\xc0\x80\"]}", 0, "1:21" },
	{ "overlong 3-byte UTF-8 (0xe0 0x80 0x80)", "{\"include_dirs\": [\"a\xe0\x80\x80\"]}", 0,
	  "1:21" },
	{ "overlong 4-byte UTF-8 (0xf0 0x80 0x80 0x80)",
	  "{\"include_dirs\": [\"a\xf0\x80\x80\x80\"]}", 0, "1:21" },
	{ "UTF-8 encoded surrogate (0xed 0xa0 0x80)", "{\"include_dirs\": [\"a\xed\xa0\x80\"]}", 0,
	  "1:21" },
	{ "UTF-8 beyond U+10FFFF (0xf4 0x90 0x80 0x80)",
	  "{\"include_dirs\": [\"a\xf4\x90\x80\x80\"]}", 0, "1:21" },
	{ "lone continuation byte 0x80", "{\"include_dirs\": [\"a\x80\"]}", 0, "1:21" },
	{ "lone high surrogate escape", "{\"include_dirs\": [\"a\\ud800\"]}", 0, "1:21" },
	{ "lone low surrogate escape", "{\"include_dirs\": [\"a\\udc00\"]}", 0, "1:21" },
	{ "short \\u escape", "{\"include_dirs\": [\"a\\u00\"]}", 0, "1:21" },
	{ "\\u0000 escape", "{\"types\": [\"a\\u0000b\"]}", 0, "1:14" },
	{ "raw NUL byte", "{\"types\": [\"a\0b\"]}", 18, "1:14" },
	{ "raw NUL byte after the object", "{}\0", 3, "1:3" },
};

static void test_syntax(void)
{
	for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
		const syntax_case *c = &syntax[i];
		size_t len = c->len ? c->len : strlen(c->text);
		pp_diag *d = pp_diag_new();
		pp_spec *s = pp_spec_parse(c->text, len, FILE_NAME, d);
		/* When it is accepted, the message checks would only repeat the one failure. */
		if (CHECK(UNIT_NAME("syntax: %s: rejected", c->what), s == NULL)) {
			CHECK_U64(UNIT_NAME("syntax: %s: one message", c->what), pp_diag_count(d), 1);
			char *want = pp_xasprintf(FILE_NAME ":%s: error: invalid JSON", c->pos);
			char *got = joined(d);
			CHECK_CONTAINS(UNIT_NAME("syntax: %s: at %s", c->what, c->pos), got, want);
			free(want);
			free(got);
		}
		pp_spec_free(s);
		pp_diag_free(d);
	}

	/* Nesting far past any sane spec is refused without exhausting the stack. */
	size_t depth = 100000;
	char *deep = malloc(2 * depth + 1);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[2 * depth] = 0;
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_parse(deep, 2 * depth, FILE_NAME, d);
	CHECK("syntax: 100000 nested arrays rejected", s == NULL);
	char *got = joined(d);
	CHECK_CONTAINS("syntax: 100000 nested arrays: message names the file", got, FILE_NAME ":1:");
	free(got);
	pp_spec_free(s);
	pp_diag_free(d);
	free(deep);
}

/* ---- schema errors: the message names the element by its path ---- */

typedef struct schema_case {
	const char *text;
	const char *want[2]; /* substrings of the messages; NULL: none */
	size_t count;        /* number of messages */
} schema_case;

#define E FILE_NAME ": error: "
static const schema_case schema[] = {
	{ "{\"structs\": [{\"name\": \"struct a\"}, {\"name\": \"struct b\", \"fields\": [5]}]}",
	  { E "structs[1].fields[0]: expected a string" }, 1 },
	{ "{\"frobs\": []}", { "unknown key \"frobs\"" }, 1 },
	{ "{\"types\": [{\"name\": \"int\", \"frobs\": 1}]}", { E "types[0]: unknown key \"frobs\"" }, 1 },
	{ "{\"types\": [{\"name\": \"int\", \"fields\": []}]}",
	  { E "types[0]: unknown key \"fields\"" }, 1 },
	{ "{\"types\": [], \"types\": []}", { "duplicate key \"types\"" }, 1 },
	{ "{\"types\": [{\"name\": \"int\", \"name\": \"long\"}]}", { E "types[0]: duplicate key \"name\"" },
	  1 },
	{ "{\"types\": [{\"name\": \"int\", \"optional\": 1}]}",
	  { E "types[0].optional: expected a boolean" }, 1 },
	{ "{\"functions\": [{\"name\": \"f\", \"optional\": \"yes\"}]}",
	  { E "functions[0].optional: expected a boolean" }, 1 },
	{ "{\"structs\": [{\"name\": \"struct s\", \"fields\": [{\"name\": \"a\", \"optional\": null}]}]}",
	  { E "structs[0].fields[0].optional: expected a boolean" }, 1 },
	{ "{\"types\": [\"  \"]}", { E "types[0]: empty name" }, 1 },
	{ "{\"constants\": [\"\"]}", { E "constants[0]: empty name" }, 1 },
	{ "{\"structs\": [{\"name\": \"\\t\"}]}", { "structs[0]", "empty name" }, 1 },
	{ "{\"types\": [\"int\", \" int \"]}", { E "types[1]: duplicate", "\"int\"" }, 1 },
	{ "{\"structs\": [{\"name\": \"struct s\", \"fields\": [\"a\", \"a\"]}]}",
	  { E "structs[0].fields[1]: duplicate", "\"a\"" }, 1 },
	{ "{\"types\": \"int\"}", { E "types: expected an array" }, 1 },
	{ "{\"structs\": {}}", { E "structs: expected an array" }, 1 },
	{ "{\"defines\": []}", { E "defines: expected an object" }, 1 },
	{ "{\"defines\": {\"FOO\": [1]}}", { E "defines.FOO: expected a string" }, 1 },
	{ "{\"defines\": {\"1X\": \"1\"}}", { E "defines.1X: not a C identifier" }, 1 },
	{ "{\"defines\": {\"X\": \"a;b\"}}", { E "defines.X" }, 1 },
	{ "{\"defines\": {\"X\": 1.5}}", { E "defines.X" }, 1 },
	{ "[]", { FILE_NAME ": error: ", "expected an object" }, 1 },
	{ "\"types\"", { FILE_NAME ": error: ", "expected an object" }, 1 },
	{ "{\"types\": [\"int; int x\"]}", { E "types[0]", "not a C type name" }, 1 },
	{ "{\"constants\": [\"EAGAIN\", \"f(1)\"]}",
	  { E "constants[1]", "not a C identifier or constant expression" }, 1 },
	{ "{\"defined\": [\"a b\"]}", { E "defined[0]", "not a C identifier" }, 1 },
	{ "{\"functions\": [\"f()\"]}", { E "functions[0]", "not a C identifier" }, 1 },
	{ "{\"structs\": [{\"fields\": []}]}", { E "structs[0]", "\"name\"" }, 1 },
	{ "{\"structs\": [{\"name\": 5}]}", { E "structs[0].name: expected a string" }, 1 },
	{ "{\"structs\": [{\"name\": \"struct s\", \"fields\": [\"a->b\"]}]}",
	  { E "structs[0].fields[0]" }, 1 },
	{ "{\"structs\": [{\"name\": \"struct s\", \"fields\": [{\"optional\": true}]}]}",
	  { E "structs[0].fields[0]", "\"name\"" }, 1 },
	{ "{\"structs\": [{\"name\": \"struct s\", \"fields\": \"a\"}]}",
	  { E "structs[0].fields: expected an array" }, 1 },
	{ "{\"enums\": [\"x;y\"]}", { E "enums[0]", "not a C type name" }, 1 },
	{ "{\"enums\": [{\"name\": \"enum e\", \"fields\": \"*\"}]}",
	  { E "enums[0]: unknown key \"fields\"" }, 1 },
	{ "{\"headers\": [\"a b.h\"]}", { E "headers[0]" }, 1 },
	{ "{\"headers\": \"stdio.h\"}", { E "headers: expected an array" }, 1 },
	{ "{\"headers\": [{\"optional\": true}]}", { E "headers[0]", "\"name\"" }, 1 },
	{ "{\"headers\": [{\"name\": \"a.h\", \"when\": 1}]}", { E "headers[0]", "\"when\"" }, 1 },
	{ "{\"headers\": [{\"name\": \"a b.h\", \"optional\": true}]}", { E "headers[0].name" }, 1 },
	{ "{\"headers\": [{\"name\": \"a.h\", \"optional\": 1}]}", { E "headers[0].optional" }, 1 },
	{ "{\"include_dirs\": [true]}", { E "include_dirs[0]: expected a string" }, 1 },
	{ "{\"cflags\": [1]}", { E "cflags[0]: expected a string" }, 1 },
	{ "{\"libs\": [\"\"]}", { E "libs[0]" }, 1 },
	{ "{\"pkg-config\": [\"a b\"]}", { E "pkg-config[0]" }, 1 },
	{ "{\"constants\": [null]}", { E "constants[0]: expected a string" }, 1 },
	{ "{\"types\": [[\"int\"]]}", { E "types[0]: expected a string" }, 1 },
	/* Every error in one call. */
	{ "{\"types\": [\"int;\", \"ok_t\", \"int{\"]}", { E "types[0]", E "types[2]" }, 2 },
	{ "{\"types\": [5], \"constants\": [\"a=1\"], \"frobs\": 1}", { E "types[0]", E "constants[0]" },
	  3 },
	{ "{\"structs\": [{\"name\": \"struct s\", \"optional\": 2, \"fields\": [1, \"a b\"]}]}",
	  { E "structs[0].fields[0]", E "structs[0].fields[1]" }, 3 },
};
#undef E

static void test_schema(void)
{
	for (size_t i = 0; i < sizeof schema / sizeof schema[0]; i++) {
		const schema_case *c = &schema[i];
		pp_diag *d = pp_diag_new();
		pp_spec *s = pp_spec_parse(c->text, strlen(c->text), FILE_NAME, d);
		CHECK(UNIT_NAME("schema %zu (%s): rejected", i, c->text), s == NULL);
		CHECK_U64(UNIT_NAME("schema %zu (%s): %zu message(s)", i, c->text, c->count),
		          pp_diag_count(d), c->count);
		char *got = joined(d);
		for (size_t k = 0; k < 2 && c->want[k]; k++)
			CHECK_CONTAINS(UNIT_NAME("schema %zu (%s): says %s", i, c->text, c->want[k]), got,
			               c->want[k]);
		free(got);
		pp_spec_free(s);
		pp_diag_free(d);
	}
}

/* ---- accepted specs: the model holds what the text said ---- */

static const char good_text[] =
	"{\n"
	"  \"headers\": [\"sys/types.h\", \"sys/stat.h\", \"errno.h\"],\n"
	"  \"defines\": {\"_GNU_SOURCE\": \"1\", \"N\": 3, \"T\": true, \"E\": \"\"},\n"
	"  \"include_dirs\": [\"/opt/inc\"],\n"
	"  \"cflags\": [\"-O0\", \"-DX=\\\\u0000\", \"-DY=\\u00e9\", \"-DZ=\\ud83d\\ude00\"],\n"
	"  \"libs\": [\"m\", \"-lpthread\"],\n"
	"  \"pkg-config\": [\"zlib\"],\n"
	"  \"types\": [\" off_t \", {\"name\": \"__int128\", \"optional\": true}, \"void *\",\n"
	"            {\"name\": \"size_t\", \"optional\": false}],\n"
	"  \"structs\": [\n"
	"    {\"name\": \"struct stat\", \"fields\": [\"st_size\",\n"
	"       {\"name\": \"st_mtim.tv_nsec\", \"optional\": true}, \"\\tsa_data[2] \"]},\n"
	"    {\"name\": \"struct timespec\", \"optional\": true}\n"
	"  ],\n"
	"  \"constants\": [\"EAGAIN\", \"-1\", {\"name\": \"(1ULL<<63)\", \"optional\": true}],\n"
	"  \"defined\": [\"__linux__\"],\n"
	"  \"functions\": [{\"name\": \"epoll_create1\", \"optional\": true}]\n"
	"}\n";

static void check_entry(const pp_spec *s, enum pp_section sec, size_t i, const char *name,
                        int optional)
{
	const char *sn = pp_section_names[sec];
	if (!CHECK(UNIT_NAME("good spec: %s has entry %zu", sn, i), i < s->nentries[sec]))
		return;
	const pp_entry *e = &s->entries[sec][i];
	CHECK_STR(UNIT_NAME("good spec: %s[%zu] name", sn, i), e->name, name);
	CHECK_U64(UNIT_NAME("good spec: %s[%zu] optional", sn, i), e->optional, optional);
	CHECK_U64(UNIT_NAME("good spec: %s[%zu] index", sn, i), e->index, i);
	CHECK_U64(UNIT_NAME("good spec: %s[%zu] section", sn, i), e->sec, sec);
}

static void test_good(void)
{
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_parse(good_text, strlen(good_text), FILE_NAME, d);
	char *msgs = joined(d);
	CHECK_STR("good spec: no messages", msgs, "");
	free(msgs);
	if (!CHECK("good spec: accepted", s != NULL)) {
		pp_diag_free(d);
		return;
	}
	CHECK_U64("good spec: 3 headers", s->headers.n, 3);
	if (s->headers.n == 3) {
		CHECK_STR("good spec: headers[0]", s->headers.v[0], "sys/types.h");
		CHECK_STR("good spec: headers[1]", s->headers.v[1], "sys/stat.h");
		CHECK_STR("good spec: headers[2]", s->headers.v[2], "errno.h");
	}
	static const char *const dn[] = { "_GNU_SOURCE", "N", "T", "E" };
	static const char *const dv[] = { "1", "3", "1", "" };
	if (CHECK_U64("good spec: 4 defines", s->ndefines, 4))
		for (size_t i = 0; i < 4; i++) {
			CHECK_STR(UNIT_NAME("good spec: define %zu name", i), s->defines[i].name, dn[i]);
			CHECK_STR(UNIT_NAME("good spec: define %s value", dn[i]), s->defines[i].value, dv[i]);
		}
	if (CHECK_U64("good spec: 1 include dir", s->include_dirs.n, 1))
		CHECK_STR("good spec: include_dirs[0]", s->include_dirs.v[0], "/opt/inc");
	if (CHECK_U64("good spec: 4 cflags", s->cflags.n, 4)) {
		CHECK_STR("good spec: cflags[0]", s->cflags.v[0], "-O0");
		/* "\\u0000" in JSON is a backslash and "u0000", not a NUL. */
		CHECK_STR("good spec: escaped backslash before u0000 kept", s->cflags.v[1],
		          "-DX=\\u0000");
		/* U+00E9 is C3 A9 in UTF-8. */
		CHECK_STR("good spec: \\u00e9 decoded to UTF-8", s->cflags.v[2], "-DY=\xc3\xa9");
		/* The surrogate pair D83D DE00 is U+1F600, F0 9F 98 80 in UTF-8. */
		CHECK_STR("good spec: surrogate pair decoded to UTF-8", s->cflags.v[3],
		          "-DZ=\xf0\x9f\x98\x80");
	}
	if (CHECK_U64("good spec: 2 libs", s->libs.n, 2)) {
		CHECK_STR("good spec: libs[0]", s->libs.v[0], "m");
		CHECK_STR("good spec: libs[1]", s->libs.v[1], "-lpthread");
	}
	if (CHECK_U64("good spec: 1 pkg", s->pkgs.n, 1))
		CHECK_STR("good spec: pkg-config[0]", s->pkgs.v[0], "zlib");

	CHECK_U64("good spec: 4 types", s->nentries[PP_TYPES], 4);
	check_entry(s, PP_TYPES, 0, "off_t", 0);
	check_entry(s, PP_TYPES, 1, "__int128", 1);
	check_entry(s, PP_TYPES, 2, "void *", 0);
	check_entry(s, PP_TYPES, 3, "size_t", 0);
	CHECK_U64("good spec: 2 structs", s->nentries[PP_STRUCTS], 2);
	check_entry(s, PP_STRUCTS, 0, "struct stat", 0);
	check_entry(s, PP_STRUCTS, 1, "struct timespec", 1);
	CHECK_U64("good spec: 3 constants", s->nentries[PP_CONSTANTS], 3);
	check_entry(s, PP_CONSTANTS, 0, "EAGAIN", 0);
	check_entry(s, PP_CONSTANTS, 1, "-1", 0);
	check_entry(s, PP_CONSTANTS, 2, "(1ULL<<63)", 1);
	CHECK_U64("good spec: 1 defined", s->nentries[PP_DEFINED], 1);
	check_entry(s, PP_DEFINED, 0, "__linux__", 0);
	CHECK_U64("good spec: 1 function", s->nentries[PP_FUNCTIONS], 1);
	check_entry(s, PP_FUNCTIONS, 0, "epoll_create1", 1);

	if (s->nentries[PP_STRUCTS] >= 2) {
		const pp_entry *st = &s->entries[PP_STRUCTS][0];
		if (CHECK_U64("good spec: struct stat has 3 fields", st->nfields, 3)) {
			CHECK_STR("good spec: field 0 name", st->fields[0].name, "st_size");
			CHECK_U64("good spec: field 0 required", st->fields[0].optional, 0);
			CHECK_STR("good spec: field 1 name", st->fields[1].name, "st_mtim.tv_nsec");
			CHECK_U64("good spec: field 1 optional", st->fields[1].optional, 1);
			CHECK_STR("good spec: field 2 name trimmed", st->fields[2].name, "sa_data[2]");
			CHECK_U64("good spec: field 2 required", st->fields[2].optional, 0);
		}
		CHECK_U64("good spec: struct timespec has no fields", s->entries[PP_STRUCTS][1].nfields, 0);
		CHECK_U64("good spec: listed fields are no whole layout", st->whole, PP_WHOLE_NO);
		CHECK_U64("good spec: no fields: the whole layout where it can be read",
		          s->entries[PP_STRUCTS][1].whole, PP_WHOLE_WANTED);
	}
	pp_spec_free(s);
	pp_diag_free(d);

	/* Whole layouts: "*" requires one, a plain name or no "fields" wants one, [] asks for none. */
	d = pp_diag_new();
	const char *whole = "{\"structs\": [\"struct a\", {\"name\": \"struct b\", \"fields\": \"*\"}, "
	                    "{\"name\": \"struct c\", \"fields\": []}], \"enums\": [\"enum e\", "
	                    "{\"name\": \"e_t\", \"optional\": true}]}";
	s = pp_spec_parse(whole, strlen(whole), FILE_NAME, d);
	if (CHECK("whole layouts and enums accepted", s != NULL && s->nentries[PP_STRUCTS] == 3)) {
		CHECK_U64("\"struct a\": wanted", s->entries[PP_STRUCTS][0].whole, PP_WHOLE_WANTED);
		CHECK_U64("\"fields\": \"*\": required", s->entries[PP_STRUCTS][1].whole, PP_WHOLE_REQUIRED);
		CHECK_U64("\"fields\": []: none", s->entries[PP_STRUCTS][2].whole, PP_WHOLE_NO);
		CHECK_U64("2 enums", s->nentries[PP_ENUMS], 2);
		check_entry(s, PP_ENUMS, 1, "e_t", 1);
	}
	pp_spec_free(s);
	pp_diag_free(d);

	/* The smallest spec, and one with every list empty. */
	d = pp_diag_new();
	s = pp_spec_parse("{}", 2, FILE_NAME, d);
	CHECK("empty object accepted", s != NULL && pp_diag_count(d) == 0);
	for (int sec = 0; s && sec < PP_NSECTIONS; sec++)
		CHECK_U64(UNIT_NAME("empty object: no %s", pp_section_names[sec]), s->nentries[sec], 0);
	pp_spec_free(s);
	pp_diag_free(d);

	/* A UTF-8 BOM is not JSON (RFC 8259 8.1: "MUST NOT add a byte order mark"); either way it must
	 * not crash. Strings with valid multi-byte UTF-8 are fine where no grammar applies. */
	d = pp_diag_new();
	const char *utf = "{\"include_dirs\": [\"/opt/\xc3\xa9t\xc3\xa9/\xf0\x9f\x98\x80\"]}";
	s = pp_spec_parse(utf, strlen(utf), FILE_NAME, d);
	if (CHECK("valid UTF-8 in a string accepted", s != NULL && s->include_dirs.n == 1))
		CHECK_STR("valid UTF-8 kept byte for byte", s->include_dirs.v[0],
		          "/opt/\xc3\xa9t\xc3\xa9/\xf0\x9f\x98\x80");
	pp_spec_free(s);
	pp_diag_free(d);
}

/* ---- defines given as JSON numbers ---- */

/* An optional header keeps its place among the others and is marked as optional. */
static void test_optional_headers(void)
{
	static const char text[] = "{\"headers\": [\"a.h\", {\"name\": \"b/c.h\", \"optional\": true}, "
	                           "{\"name\": \"d.h\", \"optional\": false}, \"e.h\"]}";
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_parse(text, strlen(text), FILE_NAME, d);
	if (CHECK("optional headers: accepted", s != NULL) &&
	    CHECK_U64("optional headers: four headers in order", s->headers.n, 4)) {
		CHECK_STR("optional headers: the second is b/c.h", s->headers.v[1], "b/c.h");
		CHECK_STR("optional headers: the third is d.h", s->headers.v[2], "d.h");
		if (CHECK_U64("optional headers: one is optional", s->optional_headers.n, 1))
			CHECK_STR("optional headers: b/c.h", s->optional_headers.v[0], "b/c.h");
	}
	pp_spec_free(s);
	pp_diag_free(d);
}

static void test_define_numbers(void)
{
	static const struct {
		const char *text;
		const char *value; /* NULL: must be refused */
	} cases[] = {
		{ "{\"defines\": {\"X\": 42}}", "42" },
		{ "{\"defines\": {\"X\": -7}}", "-7" },
		{ "{\"defines\": {\"X\": 1.5}}", NULL },
		{ "{\"defines\": {\"X\": 1e300}}", NULL },
		{ "{\"defines\": {\"X\": -1e300}}", NULL },
		/* 2^53 + 1 has no double; the macro must keep the number written, or refuse it, never
		 * become 9007199254740992. */
		{ "{\"defines\": {\"X\": 9007199254740993}}", "9007199254740993" },
		{ "{\"defines\": {\"X\": 18446744073709551615}}", "18446744073709551615" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pp_diag *d = pp_diag_new();
		pp_spec *s = pp_spec_parse(cases[i].text, strlen(cases[i].text), FILE_NAME, d);
		char *got = joined(d);
		if (!cases[i].value) {
			CHECK(UNIT_NAME("define number %s: refused", cases[i].text), s == NULL);
			CHECK_CONTAINS(UNIT_NAME("define number %s: says where", cases[i].text), got,
			               FILE_NAME ": error: defines.X");
		} else if (s) {
			/* Exact, or not at all. */
			CHECK(UNIT_NAME("define number %s: one define", cases[i].text), s->ndefines == 1);
			if (s->ndefines == 1)
				CHECK_STR(UNIT_NAME("define number %s: value exact", cases[i].text),
				          s->defines[0].value, cases[i].value);
		} else {
			CHECK_CONTAINS(UNIT_NAME("define number %s: refusal says where", cases[i].text), got,
			               FILE_NAME ": error: defines.X");
		}
		free(got);
		pp_spec_free(s);
		pp_diag_free(d);
	}
}

/* ---- builders (pp_spec_new + add_*), validated like the parser ---- */

static void test_builders(void)
{
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_new("built");
	CHECK_STR("builder: filename kept", s->filename, "built");
	CHECK("builder: good header", pp_spec_add_header(s, "sys/stat.h", d) == 0);
	CHECK("builder: bad header refused", pp_spec_add_header(s, "a>b", d) != 0);
	CHECK_U64("builder: one header stored", s->headers.n, 1);
	CHECK("builder: good define", pp_spec_add_define(s, "_GNU_SOURCE", NULL, d) == 0);
	CHECK("builder: define with quote refused", pp_spec_add_define(s, "X", "\"x\"", d) != 0);
	CHECK("builder: define with bad name refused", pp_spec_add_define(s, "1X", "1", d) != 0);
	if (CHECK_U64("builder: one define stored", s->ndefines, 1))
		CHECK_STR("builder: define without value is 1", s->defines[0].value, "1");
	CHECK("builder: good type", pp_spec_add_entry(s, PP_TYPES, "unsigned long", 0, d) == 0);
	CHECK("builder: bad type refused", pp_spec_add_entry(s, PP_TYPES, "int; int x", 0, d) != 0);
	CHECK("builder: good constant", pp_spec_add_entry(s, PP_CONSTANTS, "(1ULL<<63)", 1, d) == 0);
	CHECK("builder: call refused", pp_spec_add_entry(s, PP_CONSTANTS, "f(1)", 0, d) != 0);
	CHECK("builder: bad identifier refused", pp_spec_add_entry(s, PP_FUNCTIONS, "a b", 0, d) != 0);
	CHECK_U64("builder: one type", s->nentries[PP_TYPES], 1);
	CHECK_U64("builder: one constant", s->nentries[PP_CONSTANTS], 1);
	CHECK_U64("builder: no function", s->nentries[PP_FUNCTIONS], 0);
	if (s->nentries[PP_CONSTANTS] == 1) {
		CHECK_STR("builder: constant name", s->entries[PP_CONSTANTS][0].name, "(1ULL<<63)");
		CHECK_U64("builder: constant optional", s->entries[PP_CONSTANTS][0].optional, 1);
		CHECK_U64("builder: constant section", s->entries[PP_CONSTANTS][0].sec, PP_CONSTANTS);
	}
	CHECK_U64("builder: one message per refusal", pp_diag_count(d), 6);
	pp_spec_free(s);
	pp_diag_free(d);
}

/* ---- pp_spec_load: reads the file, names it in messages ---- */

static void test_load(void)
{
	char dir[] = "/tmp/unit_spec.XXXXXX";
	if (!CHECK("load: temp dir", mkdtemp(dir) != NULL))
		return;
	char *good = pp_xasprintf("%s/good.json", dir);
	char *empty = pp_xasprintf("%s/empty.json", dir);
	char *bad = pp_xasprintf("%s/bad.json", dir);
	char *missing = pp_xasprintf("%s/missing.json", dir);
	FILE *f = fopen(good, "w");
	fputs("{\"types\": [\"int\"]}\n", f);
	fclose(f);
	fclose(fopen(empty, "w"));
	f = fopen(bad, "w");
	fputs("{\n  \"types\": [\"int\",]\n}\n", f);
	fclose(f);

	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_load(good, d);
	CHECK("load: good file", s && s->nentries[PP_TYPES] == 1 && pp_diag_count(d) == 0);
	if (s)
		CHECK_STR("load: filename is the path", s->filename, good);
	pp_spec_free(s);

	s = pp_spec_load(empty, d);
	char *want = pp_xasprintf("%s:1:1: error: invalid JSON", empty);
	char *got = joined(d);
	CHECK("load: empty file rejected", s == NULL);
	CHECK_CONTAINS("load: empty file at 1:1", got, want);
	free(want);
	free(got);
	pp_diag_free(d);

	d = pp_diag_new();
	s = pp_spec_load(bad, d);
	want = pp_xasprintf("%s:2:19: error: invalid JSON", bad); /* the ']' after the comma */
	got = joined(d);
	CHECK("load: bad file rejected", s == NULL);
	CHECK_CONTAINS("load: bad file position", got, want);
	free(want);
	free(got);
	pp_diag_free(d);

	d = pp_diag_new();
	s = pp_spec_load(missing, d);
	got = joined(d);
	CHECK("load: missing file rejected", s == NULL && pp_diag_count(d) == 1);
	CHECK_CONTAINS("load: missing file named", got, missing);
	CHECK_CONTAINS("load: missing file says why", got, strerror(ENOENT));
	free(got);
	pp_diag_free(d);

	unlink(good);
	unlink(empty);
	unlink(bad);
	rmdir(dir);
	free(good);
	free(empty);
	free(bad);
	free(missing);
}

int main(void)
{
	test_syntax();
	test_schema();
	test_good();
	test_optional_headers();
	test_define_numbers();
	test_builders();
	test_load();
	return unit_done();
}
