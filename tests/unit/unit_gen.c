/* unit_gen.c: pp_gen.c, the plan and the one translation unit rendered from templates/. The
 * rendered texts are checked by reading them (every item's #line, no @PLACEHOLDER@ left), then by
 * the compiler itself (cc -c; cc to a program, run), and the answers read back from the object or
 * the run are compared with what this file's own compilation says (sizeof, offsetof, EAGAIN...).
 * The compiler is $CC, else cc. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pp_internal.h"
#include "unit.h"

static char dir[] = "/tmp/unit_gen.XXXXXX";

static const char *cc(void)
{
	const char *c = getenv("CC");
	return c && *c ? c : "cc";
}

static char *path(const char *name)
{
	return pp_xasprintf("%s/%s", dir, name);
}

static int write_text(const char *name, const char *text)
{
	char *p = path(name);
	FILE *f = fopen(p, "w");
	free(p);
	if (!f)
		return -1;
	int ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int read_bytes(const char *name, pp_buf *out)
{
	char *p = path(name);
	FILE *f = fopen(p, "rb");
	free(p);
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		pp_buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

/* Shows a file (the compiler's messages) as '#' lines, which the test runner ignores. */
static void show(const char *name)
{
	pp_buf b = PP_BUF_INIT;
	if (read_bytes(name, &b) == 0) {
		const char *s = pp_buf_str(&b);
		for (size_t i = 0, lines = 0; s[i] && lines < 30; lines++) {
			size_t n = strcspn(s + i, "\n");
			printf("#   %.*s\n", (int)n, s + i);
			i += n + (s[i + n] == '\n');
		}
	}
	pp_buf_free(&b);
}

/* Runs a shell command in the temp dir; returns its exit status (-1 if it did not exit). */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	pp_buf b = PP_BUF_INIT;
	pp_buf_addf(&b, "cd '%s' && ", dir);
	va_list ap;
	va_start(ap, fmt);
	pp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	fflush(stdout);
	int st = system(pp_buf_str(&b));
	pp_buf_free(&b);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The virtual lines of text that hold an item's code (not a directive), as the preprocessor
 * numbers them: a '#line N "platprobe-entries"' sets the next line's number, every line after
 * counts one more, and a #line into another file leaves the virtual file. seen[0..max]. */
static void virtual_lines(const char *text, unsigned char *seen, unsigned max)
{
	static const char pre[] = "#line ";
	unsigned long cur = 0; /* the virtual line of the next line; 0: outside the virtual file */
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (!strncmp(p, pre, sizeof pre - 1)) {
			char *end;
			unsigned long n = strtoul(p + sizeof pre - 1, &end, 10);
			cur = strncmp(end, " \"" PP_VIRTUAL_FILE "\"", sizeof PP_VIRTUAL_FILE + 1) ? 0 : n;
		} else {
			if (cur && p[0] != '#' && len && cur <= max)
				seen[cur] = 1;
			if (cur)
				cur++;
		}
		p = eol ? eol + 1 : p + len;
	}
}

/* Every '#line N "platprobe-entries"' of text has 1 <= N <= max. */
static int lines_in_range(const char *text, unsigned max)
{
	static const char pre[] = "#line ";
	for (const char *p = strstr(text, pre); p; p = strstr(p + 1, pre)) {
		char *end;
		unsigned long n = strtoul(p + sizeof pre - 1, &end, 10);
		if (strncmp(end, " \"" PP_VIRTUAL_FILE "\"", sizeof PP_VIRTUAL_FILE + 1) == 0 &&
		    (n < 1 || n > max))
			return 0;
	}
	return 1;
}

/* The checks every rendered text must pass. */
static void check_text(const char *what, const char *text, const pp_plan *p, int only_functions)
{
	static const char *const placeholders[] = { "@T@", "@S@", "@F@", "@X@", "@N@", "@ID@",
		"@PRELUDE@", "@PROBE_H@", "@TABLE_H@", "@SLOTS@", "@VALUE_INITS@", "@VALUE_DECLS@",
		"@REFS@", "@CHECKS@", "@NSLOTS@", "@MAGIC@", "@MAGIC_END@" };
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
		CHECK(UNIT_NAME("%s: no %s left", what, placeholders[i]), !strstr(text, placeholders[i]));
	CHECK(UNIT_NAME("%s: no '@' at all", what), !strchr(text, '@'));
	CHECK(UNIT_NAME("%s: includes <errno.h>", what), strstr(text, "#include <errno.h>\n"));
	const char *def = strstr(text, "#define _GNU_SOURCE 1\n");
	const char *inc = strstr(text, "#include <errno.h>");
	CHECK(UNIT_NAME("%s: defines come before the headers", what), def && inc && def < inc);
	const char *h1 = strstr(text, "#include <stddef.h>"), *h2 = strstr(text, "#include <sys/stat.h>");
	CHECK(UNIT_NAME("%s: headers in spec order", what), inc && h1 && h2 && inc < h1 && h1 < h2);
	unsigned char *seen = calloc(p->nitems + 2, 1);
	virtual_lines(text, seen, (unsigned)p->nitems + 1);
	for (size_t i = 0; i < p->nitems; i++) {
		const pp_item *it = &p->items[i];
		int want = it->state == PP_LIVE && (!only_functions || it->kind == PP_ITEM_FUNCTION);
		CHECK(UNIT_NAME("%s: item %zu (line %u) %s code on its virtual line", what, i, it->line,
		                want ? "has" : "lacks"),
		      seen[it->line] == want);
	}
	free(seen);
	CHECK(UNIT_NAME("%s: no #line beyond the items", what), lines_in_range(text, (unsigned)p->nitems));
}

/* ---- reading answers back, by slot name ---- */

static const char *answers_from = ""; /* "object.o" or "run output", for unique check names */

static uint64_t slot(const pp_table *t, const pp_item *it, const char *name)
{
	long i = pp_item_slot(it, name);
	CHECK(UNIT_NAME("%s: item %u has a slot \"%s\"", answers_from, it->line, name), i >= 0);
	return i < 0 ? UINT64_MAX : pp_table_slot(t, (size_t)i);
}

static int value(const pp_table *t, const pp_item *it, int sgn, uint64_t *v, int *neg)
{
	const pp_slotname *sn = pp_item_value(it, "value");
	if (!CHECK(UNIT_NAME("%s: item %u has a value \"value\"", answers_from, it->line), sn != NULL))
		return -1;
	uint64_t off = pp_table_slot(t, sn->slot), size = pp_table_slot(t, sn->slot + 1);
	return pp_table_int(t, (size_t)off, (size_t)size, sgn, v, neg);
}

/* The spec's items, in plan order (the target item comes first). */
enum { I_TARGET, I_INT, I_SIZE_T, I_VOIDP, I_CHAR16, I_ULL, I_STAT, I_ST_SIZE, I_EAGAIN, I_MINUS1,
	I_ULLONG_MAX, I_BIT63, I_DEF_EAGAIN, I_DEF_NONE, I_STRLEN, I_COUNT };

static void check_answers(const char *what, const pp_table *t, const pp_plan *p)
{
	const pp_item *it = p->items;
	answers_from = what;
	CHECK_U64(UNIT_NAME("%s: count is the plan's slots", what), t->count, p->nslots);
	CHECK_U64(UNIT_NAME("%s: pointer_size", what), slot(t, &it[I_TARGET], "pointer_size"),
	          sizeof(void *));
	CHECK_U64(UNIT_NAME("%s: int_size", what), slot(t, &it[I_TARGET], "int_size"), sizeof(int));
	CHECK_U64(UNIT_NAME("%s: long_size", what), slot(t, &it[I_TARGET], "long_size"), sizeof(long));
	CHECK_U64(UNIT_NAME("%s: llong_size", what), slot(t, &it[I_TARGET], "llong_size"),
	          sizeof(long long));
	CHECK_U64(UNIT_NAME("%s: char_signed", what), slot(t, &it[I_TARGET], "char_signed"),
	          (char)-1 < 0);
	CHECK_U64(UNIT_NAME("%s: sizeof(int)", what), slot(t, &it[I_INT], "size"), sizeof(int));
	CHECK_U64(UNIT_NAME("%s: _Alignof(int)", what), slot(t, &it[I_INT], "align"), _Alignof(int));
	CHECK_U64(UNIT_NAME("%s: int is signed", what), slot(t, &it[I_INT], "signed"), 1);
	CHECK_U64(UNIT_NAME("%s: sizeof(size_t)", what), slot(t, &it[I_SIZE_T], "size"),
	          sizeof(size_t));
	CHECK_U64(UNIT_NAME("%s: size_t is unsigned", what), slot(t, &it[I_SIZE_T], "signed"), 0);
	CHECK_U64(UNIT_NAME("%s: sizeof(void *)", what), slot(t, &it[I_VOIDP], "size"),
	          sizeof(void *));
	CHECK_U64(UNIT_NAME("%s: sizeof(char [16])", what), slot(t, &it[I_CHAR16], "size"), 16);
	CHECK_U64(UNIT_NAME("%s: char [16] element size", what), slot(t, &it[I_CHAR16], "elem"), 1);
	CHECK_U64(UNIT_NAME("%s: sizeof(unsigned long long)", what), slot(t, &it[I_ULL], "size"),
	          sizeof(unsigned long long));
	CHECK_U64(UNIT_NAME("%s: sizeof(struct stat)", what), slot(t, &it[I_STAT], "size"),
	          sizeof(struct stat));
	CHECK_U64(UNIT_NAME("%s: _Alignof(struct stat)", what), slot(t, &it[I_STAT], "align"),
	          _Alignof(struct stat));
	CHECK_U64(UNIT_NAME("%s: offsetof(struct stat, st_size)", what),
	          slot(t, &it[I_ST_SIZE], "offset"), offsetof(struct stat, st_size));
	CHECK_U64(UNIT_NAME("%s: sizeof st_size", what), slot(t, &it[I_ST_SIZE], "size"),
	          sizeof(((struct stat *)0)->st_size));
	CHECK_U64(UNIT_NAME("%s: EAGAIN is defined", what), slot(t, &it[I_DEF_EAGAIN], "defined"), 1);
	CHECK_U64(UNIT_NAME("%s: PP_UNIT_NOT_DEFINED is not", what),
	          slot(t, &it[I_DEF_NONE], "defined"), 0);
	CHECK_U64(UNIT_NAME("%s: strlen is declared", what), slot(t, &it[I_STRLEN], "declared"), 1);

	static const struct {
		int item, sgn;
		uint64_t v;
		int neg;
		const char *what;
	} consts[] = {
		{ I_EAGAIN, 1, EAGAIN, 0, "EAGAIN" },
		{ I_MINUS1, 1, UINT64_MAX, 1, "-1" },
		{ I_ULLONG_MAX, 0, ULLONG_MAX, 0, "ULLONG_MAX" },
		{ I_BIT63, 0, 1ULL << 63, 0, "(1ULL<<63)" },
	};
	for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++) {
		const pp_item *ci = &it[consts[i].item];
		CHECK_U64(UNIT_NAME("%s: %s signedness", what, consts[i].what), slot(t, ci, "info") >> 9 & 1,
		          consts[i].sgn);
		uint64_t v = 0;
		int neg = -1;
		if (CHECK_I64(UNIT_NAME("%s: %s value read", what, consts[i].what),
		              value(t, ci, consts[i].sgn, &v, &neg), 0)) {
			CHECK_U64(UNIT_NAME("%s: %s value", what, consts[i].what), v, consts[i].v);
			CHECK_U64(UNIT_NAME("%s: %s negative", what, consts[i].what), neg, consts[i].neg);
		}
	}
}

/* ---- the spec ---- */

static pp_spec *make_spec(void)
{
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_new("unit-gen");
	int bad = 0;
	bad |= pp_spec_add_define(s, "_GNU_SOURCE", "1", d);
	static const char *const headers[] = { "errno.h", "stddef.h", "sys/stat.h", "limits.h",
		"string.h" };
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
		bad |= pp_spec_add_header(s, headers[i], d);
	static const char *const types[] = { "int", "size_t", "void *", "char [16]",
		"unsigned long long" };
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		bad |= pp_spec_add_entry(s, PP_TYPES, types[i], 0, d);
	bad |= pp_spec_add_entry(s, PP_STRUCTS, "struct stat", 0, d);
	static const char *const consts[] = { "EAGAIN", "-1", "ULLONG_MAX", "(1ULL<<63)" };
	for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
		bad |= pp_spec_add_entry(s, PP_CONSTANTS, consts[i], 0, d);
	bad |= pp_spec_add_entry(s, PP_DEFINED, "EAGAIN", 0, d);
	bad |= pp_spec_add_entry(s, PP_DEFINED, "PP_UNIT_NOT_DEFINED", 1, d);
	bad |= pp_spec_add_entry(s, PP_FUNCTIONS, "strlen", 0, d);
	CHECK("spec: every builder call accepted", bad == 0 && pp_diag_count(d) == 0);
	pp_diag_free(d);
	/* The builders take no fields; give struct stat one as the parser would. */
	if (s->nentries[PP_STRUCTS] == 1) {
		pp_entry *e = &s->entries[PP_STRUCTS][0];
		e->fields = pp_xcalloc(1, sizeof(pp_field));
		e->fields[0].name = pp_xstrdup("st_size");
		e->nfields = 1;
	}
	return s;
}

static void test_plan(const pp_plan *p)
{
	static const enum pp_item_kind kinds[I_COUNT] = { PP_ITEM_TARGET, PP_ITEM_TYPE, PP_ITEM_TYPE,
		PP_ITEM_TYPE, PP_ITEM_TYPE, PP_ITEM_TYPE, PP_ITEM_STRUCT, PP_ITEM_FIELD, PP_ITEM_CONSTANT,
		PP_ITEM_CONSTANT, PP_ITEM_CONSTANT, PP_ITEM_CONSTANT, PP_ITEM_DEFINED, PP_ITEM_DEFINED,
		PP_ITEM_FUNCTION };
	if (!CHECK_U64("plan: one item per entry and field, plus the target", p->nitems, I_COUNT))
		return;
	for (size_t i = 0; i < I_COUNT; i++) {
		CHECK_U64(UNIT_NAME("plan: item %zu kind", i), p->items[i].kind, kinds[i]);
		CHECK_U64(UNIT_NAME("plan: item %zu line", i), p->items[i].line, i + 1);
		CHECK_U64(UNIT_NAME("plan: item %zu live", i), p->items[i].state, PP_LIVE);
	}
	CHECK("plan: target item has no entry", p->items[I_TARGET].entry == NULL);
	CHECK_U64("plan: field item's field index", p->items[I_ST_SIZE].field, 0);
	pp_buf b = PP_BUF_INIT;
	CHECK_STR("label: target", pp_item_label(&p->items[I_TARGET], &b), "target");
	CHECK_STR("label: type", pp_item_label(&p->items[I_VOIDP], &b), "types[2] \"void *\"");
	CHECK_STR("label: field", pp_item_label(&p->items[I_ST_SIZE], &b),
	          "structs[0] \"struct stat\" field \"st_size\"");
	CHECK_STR("label: constant", pp_item_label(&p->items[I_MINUS1], &b), "constants[1] \"-1\"");
	CHECK_STR("label: function", pp_item_label(&p->items[I_STRLEN], &b), "functions[0] \"strlen\"");
	pp_buf_free(&b);
}

/* Decodes the run's hex dump (two lowercase digits a byte, then a newline). */
static int unhex(const char *s, pp_buf *out)
{
	static const char digits[] = "0123456789abcdef";
	for (; *s && *s != '\n'; s += 2) {
		const char *a = strchr(digits, s[0]), *b = s[1] ? strchr(digits, s[1]) : NULL;
		if (!s[0] || !a || !b)
			return -1;
		pp_buf_addc(out, (char)((a - digits) << 4 | (b - digits)));
	}
	return 0;
}

static void test_object(pp_plan *p)
{
	char *text = pp_gen_render(p, "object.c", PP_MODE_OBJECT);
	check_text("object.c", text, p, 0);
	CHECK("object.c: more slots than the two fixed ones", p->nslots > 2);
	write_text("object.c", text);
	free(text);
	int rc = sh("%s -c -w -fno-lto object.c -o object.o 2> object.err", cc());
	if (!CHECK_I64("object.c: cc -c succeeds", rc, 0)) {
		show("object.err");
		return;
	}
	pp_buf bytes = PP_BUF_INIT;
	CHECK("object.c: object readable", read_bytes("object.o", &bytes) == 0);
	pp_table t;
	char *why = NULL;
	if (CHECK("object.c: table found in the object",
	          pp_scan((const unsigned char *)pp_buf_str(&bytes), bytes.len, p->nslots, &t, &why) == 0))
		check_answers("object.o", &t, p);
	else
		printf("# why: %s\n", why);
	free(why);
	pp_buf_free(&bytes);
}

static void test_run(pp_plan *p)
{
	char *text = pp_gen_render(p, "run.c", PP_MODE_RUN);
	check_text("run.c", text, p, 0);
	write_text("run.c", text);
	free(text);
	int rc = sh("%s -w -fno-lto run.c -o run 2> run.err", cc());
	if (!CHECK_I64("run.c: compiles and links", rc, 0)) {
		show("run.err");
		return;
	}
	CHECK_I64("run.c: the program exits 0", sh("./run > run.out 2> run.err"), 0);
	pp_buf out = PP_BUF_INIT, bytes = PP_BUF_INIT;
	read_bytes("run.out", &out);
	CHECK("run.c: the output is hex", unhex(pp_buf_str(&out), &bytes) == 0 && bytes.len > 0);
	pp_table t;
	char *why = NULL;
	if (CHECK("run.c: table found in the output",
	          pp_scan((const unsigned char *)pp_buf_str(&bytes), bytes.len, p->nslots, &t, &why) == 0))
		check_answers("run output", &t, p);
	else
		printf("# why: %s\n", why);
	free(why);
	pp_buf_free(&out);
	pp_buf_free(&bytes);
}

static void test_link(pp_plan *p)
{
	char *text = pp_gen_render(p, "link.c", PP_MODE_OBJECT);
	check_text("link.c", text, p, 1);
	write_text("link.c", text);
	free(text);
	int rc = sh("%s -w -fno-lto link.c -o link 2> link.err", cc());
	if (!CHECK_I64("link.c: compiles and links", rc, 0))
		show("link.err");
}

/* A failed item leaves the next render, which still compiles. */
static void test_rerender(pp_plan *p)
{
	free(pp_gen_render(p, "object.c", PP_MODE_OBJECT)); /* link.c's render set nslots to 2 */
	size_t before = p->nslots;
	p->items[I_MINUS1].state = PP_FAILED;
	p->items[I_DEF_NONE].state = PP_NONCONST;
	char *text = pp_gen_render(p, "object.c", PP_MODE_OBJECT);
	check_text("object.c without two items", text, p, 0);
	CHECK("object.c without two items: fewer slots", p->nslots < before);
	write_text("object2.c", text);
	free(text);
	int rc = sh("%s -c -w -fno-lto object2.c -o object2.o 2> object2.err", cc());
	if (!CHECK_I64("object.c without two items: cc -c succeeds", rc, 0))
		show("object2.err");
	p->items[I_MINUS1].state = PP_LIVE;
	p->items[I_DEF_NONE].state = PP_LIVE;
}

/* The premise of isolation: the compiler names the failing entries' #line numbers, all of them in
 * one compile, and no other entry's. */
static void test_diagnostics(void)
{
	pp_diag *d = pp_diag_new();
	pp_spec *s = pp_spec_new("unit-gen-bad");
	int bad = pp_spec_add_header(s, "errno.h", d);
	bad |= pp_spec_add_entry(s, PP_TYPES, "int", 0, d);                     /* line 2 */
	bad |= pp_spec_add_entry(s, PP_TYPES, "struct pp_unit_nope", 0, d);     /* line 3 */
	bad |= pp_spec_add_entry(s, PP_CONSTANTS, "EAGAIN", 0, d);              /* line 4 */
	bad |= pp_spec_add_entry(s, PP_CONSTANTS, "PP_UNIT_NO_SUCH_CONSTANT", 0, d); /* line 5 */
	bad |= pp_spec_add_entry(s, PP_CONSTANTS, "EINTR", 0, d);               /* line 6 */
	CHECK("bad spec: built", bad == 0);
	pp_plan p;
	pp_plan_init(&p, s);
	char *text = pp_gen_render(&p, "object.c", PP_MODE_OBJECT);
	write_text("bad.c", text);
	free(text);
	int rc = sh("%s -c -w -fno-lto bad.c -o bad.o 2> bad.err", cc());
	CHECK("bad spec: cc -c fails", rc != 0);
	pp_buf err = PP_BUF_INIT;
	read_bytes("bad.err", &err);
	const char *e = pp_buf_str(&err);
	for (unsigned line = 1; line <= 6; line++) {
		char pat[64];
		snprintf(pat, sizeof pat, PP_VIRTUAL_FILE ":%u:", line);
		int want = line == 3 || line == 5;
		if (!CHECK(UNIT_NAME("bad spec: the compiler %s line %u", want ? "names" : "does not name",
		                     line),
		           (strstr(e, pat) != NULL) == want))
			show("bad.err");
	}
	pp_buf_free(&err);

	/* Dropping the two failed items leaves a text that compiles. */
	p.items[2].state = PP_FAILED;
	p.items[4].state = PP_FAILED;
	text = pp_gen_render(&p, "object.c", PP_MODE_OBJECT);
	write_text("bad2.c", text);
	free(text);
	rc = sh("%s -c -w -fno-lto bad2.c -o bad2.o 2> bad2.err", cc());
	if (!CHECK_I64("bad spec without the failed items: cc -c succeeds", rc, 0))
		show("bad2.err");
	pp_plan_free(&p);
	pp_spec_free(s);
	pp_diag_free(d);
}

/* pp_gen_assign must give every live item exactly the slots pp_gen_render gives it: the cache
 * decodes a stored table through it. Compared item by item, name by name, with one item failed
 * and a field turned into a bit-field so every kind of template and a gap in the slots occur. */
static void test_assign(pp_plan *p)
{
	p->items[2].state = PP_FAILED;
	p->items[7].kind = PP_ITEM_BITFIELD;
	for (int mode = 0; mode < 2; mode++) {
		free(pp_gen_render(p, mode ? "run.c" : "object.c", mode ? PP_MODE_RUN : PP_MODE_OBJECT));
		size_t nslots = p->nslots;
		char **names = pp_xcalloc(p->nitems * 16, sizeof(char *));
		size_t *slots = pp_xcalloc(p->nitems * 16, sizeof(size_t)), n = 0;
		for (size_t i = 0; i < p->nitems; i++)
			for (size_t k = 0; k < p->items[i].nnames && k < 16; k++) {
				names[i * 16 + k] = pp_xstrndup(p->items[i].names[k].name, p->items[i].names[k].len);
				slots[i * 16 + k] = p->items[i].names[k].slot;
				n++;
			}
		pp_gen_assign(p);
		CHECK(UNIT_NAME("assign (%s): the same slot count as render", mode ? "run" : "object"),
		      p->nslots == nslots);
		size_t same = 0;
		for (size_t i = 0; i < p->nitems; i++)
			for (size_t k = 0; k < p->items[i].nnames && k < 16; k++)
				same += names[i * 16 + k] && slots[i * 16 + k] == p->items[i].names[k].slot &&
				        strlen(names[i * 16 + k]) == p->items[i].names[k].len &&
				        !memcmp(names[i * 16 + k], p->items[i].names[k].name, p->items[i].names[k].len);
		CHECK(UNIT_NAME("assign (%s): every name on the same slot (%zu)", mode ? "run" : "object", n),
		      n > 20 && same == n);
		for (size_t i = 0; i < p->nitems * 16; i++)
			free(names[i]);
		free(names);
		free(slots);
	}
	p->items[2].state = PP_LIVE;
	p->items[7].kind = PP_ITEM_FIELD;
}

int main(void)
{
	if (!CHECK("temp dir", mkdtemp(dir) != NULL))
		return unit_done();
	pp_spec *s = make_spec();
	pp_plan p;
	pp_plan_init(&p, s);
	test_plan(&p);
	if (p.nitems == I_COUNT) {
		test_object(&p);
		test_run(&p);
		test_link(&p);
		test_rerender(&p);
		test_assign(&p);
	}
	pp_plan_free(&p);
	pp_spec_free(s);
	test_diagnostics();
	sh("rm -f *.c *.o *.err *.out run link");
	CHECK("temp dir removed", rmdir(dir) == 0);
	return unit_done();
}
