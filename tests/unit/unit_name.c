/* unit_name.c: pp_name.c, the C grammar a spec's names must follow. Each table lists strings that
 * C's grammar (ISO C11 6.4.2 identifiers, 6.7.7 type names, 6.6 constant expressions) accepts or
 * that would let a spec smuggle code (calls, statements, directives) into a generated snippet. */
#include <stdlib.h>

#include "pp_internal.h"
#include "unit.h"

typedef struct name_case {
	const char *s;
	int ok;
} name_case;

static void run_table(const char *fn, int (*check)(const char *), const name_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* The check's name shows the input JSON-escaped, so it stays on one line. */
		pp_buf b = PP_BUF_INIT;
		pp_json_str(&b, cases[i].s, strlen(cases[i].s));
		CHECK(UNIT_NAME("%s(%s) %s", fn, pp_buf_str(&b), cases[i].ok ? "accepts" : "rejects"),
		      (check(cases[i].s) != 0) == cases[i].ok);
		pp_buf_free(&b);
	}
}

#define RUN(fn, table) run_table(#fn, fn, table, sizeof table / sizeof table[0])

static const name_case idents[] = {
	{ "x", 1 }, { "_", 1 }, { "_abc123", 1 }, { "EAGAIN", 1 }, { "O_NONBLOCK", 1 },
	{ "__linux__", 1 }, { "epoll_create1", 1 }, { "Z9", 1 },
	{ "", 0 }, { "1abc", 0 }, { "9", 0 }, { "a-b", 0 }, { "a b", 0 }, { " a", 0 }, { "a ", 0 },
	{ "a.b", 0 }, { "a\nb", 0 }, { "a;", 0 }, { "a()", 0 }, { "#a", 0 }, { "a\\", 0 },
	{ "\xc3\xa9t\xc3\xa9", 0 },
	/* operators spelled as words, and builtins that run or hide code */
	{ "sizeof", 0 }, { "typeof", 0 }, { "__typeof__", 0 }, { "_Alignof", 0 }, { "_Generic", 0 },
	{ "asm", 0 }, { "__asm__", 0 }, { "__attribute__", 0 }, { "_Pragma", 0 }, { "defined", 0 },
	{ "__builtin_trap", 0 }, { "__builtin_expect", 0 },
};

static const name_case types[] = {
	{ "int", 1 }, { "unsigned long long", 1 }, { "struct stat", 1 }, { "union sigval", 1 },
	{ "enum E", 1 }, { "void *", 1 }, { "char **", 1 }, { "int (*)(int, char *)", 1 },
	{ "void (*)(int)", 1 }, { "int[4]", 1 }, { "char [PATH_MAX]", 1 }, { "const char *", 1 },
	{ "__int128", 1 }, { "struct timespec *const", 1 }, { "int (*)[4]", 1 }, { "int[2][3]", 1 },
	{ "int *[4]", 1 }, { "char *const *", 1 }, { "int (*(*)(void))(int)", 1 },
	{ "int (*)(const char *, ...)", 1 }, { "volatile int *restrict", 1 }, { "off_t", 1 },
	{ "  size_t  ", 1 }, { "unsigned\tint", 1 },
	{ "int; int x", 0 }, { "EAGAIN); system(\"x\"); (", 0 }, { "int{", 0 }, { "sizeof(int)", 0 },
	{ "typeof(getpid())", 0 }, { "__typeof__(int)", 0 }, { "__builtin_trap", 0 }, { "", 0 },
	{ "   ", 0 }, { "int (", 0 }, { "a\nb", 0 }, { "#include", 0 }, { "int)", 0 },
	{ "int (*)(int", 0 }, { "int[4", 0 }, { "int[;]", 0 }, { "*", 0 }, { "int /* x */", 0 },
	{ "int // x", 0 }, { "int\\", 0 }, { "int = 1", 0 }, { "int, int", 0 }, { "\"int\"", 0 },
	{ "int __attribute__((packed))", 0 }, { "_Alignof(int)", 0 }, { "struct s { int a; }", 0 },
	{ "int (*)(int) = 0", 0 }, { "int * int", 0 },
};

static const name_case paths[] = {
	{ "st_size", 1 }, { "st_mtim.tv_nsec", 1 }, { "sa_data[2]", 1 }, { "a.b[3].c", 1 },
	{ "a[0][1]", 1 }, { "_x._y", 1 },
	{ "a..b", 0 }, { "a[", 0 }, { "a[x]", 0 }, { ".a", 0 }, { "a->b", 0 }, { "a b", 0 },
	{ "", 0 }, { "a.", 0 }, { "a[]", 0 }, { "a[-1]", 0 }, { "a[1", 0 }, { "1a", 0 }, { " a", 0 },
	{ "a ", 0 }, { "a. b", 0 }, { "a[ 2]", 0 }, { "a.sizeof", 0 }, { "sizeof", 0 },
	{ "a[1]]", 0 }, { "a,b", 0 }, { "a)", 0 }, { "a(1)", 0 }, { "a\n", 0 },
};

static const name_case consts[] = {
	{ "-1", 1 }, { "0x80000000U", 1 }, { "(1ULL<<63)", 1 }, { "ULLONG_MAX", 1 }, { "~0", 1 },
	{ "A|B", 1 }, { "1.5e-3", 1 }, { "(unsigned char)-1", 1 }, { "(int)(1)", 1 }, { "(unsigned long)(-1)", 1 }, { "(char *)(0)", 1 }, { "EAGAIN", 1 }, { "1 + 2 * 3", 1 },
	{ "A ? B : C", 1 }, { "!0", 1 }, { "1 << 3", 1 }, { "0x1p-3", 1 }, { "1E+10", 1 },
	{ ".5", 1 }, { "a == b", 1 }, { "a != b", 1 }, { "a <= b", 1 }, { "a >= b", 1 },
	{ "a && b || c", 1 }, { "(long)-1", 1 }, { "- -1", 1 }, { "0x7fffffffffffffffLL", 1 },
	{ "f(1)", 0 }, { "a=1", 0 }, { "a = 1", 0 }, { "a++", 0 }, { "--a", 0 }, { "\"str\"", 0 },
	{ "'c'", 0 }, { "a,b", 0 }, { "x.y", 0 }, { "sizeof(long)", 0 }, { "sizeof 1", 0 },
	{ "(", 0 }, { ")", 0 }, { "a;b", 0 }, { "", 0 }, { "  ", 0 }, { "a+=1", 0 }, { "a<<=1", 0 },
	{ "a|=1", 0 }, { "f (1)", 0 }, { "a[0]", 0 }, { "{1}", 0 }, { "#x", 0 }, { "a\\", 0 },
	{ "__builtin_trap", 0 }, { "_Generic(1, int: 1)", 0 }, { "(1))", 0 }, { "((1)", 0 },
	{ "a\nb", 0 }, { "UINT64_C(1)", 0 },
	/* Unambiguous calls: "()" or "(*fp)" cannot be a cast, so what follows is an argument list. */
	{ "(abort)()", 0 }, { "(*fp)(1)", 0 }, { "(uint32_t)(1)", 0 }, { "(x)(1)", 0 },
	/* Member access through a pointer (the function's own comment excludes member access). */
	{ "p->x", 0 },
	/* An unterminated comment would swallow the generated code after the name. */
	{ "1 /* x", 0 },
};

static const name_case headers[] = {
	{ "stdio.h", 1 }, { "sys/stat.h", 1 }, { "linux/if_ether.h", 1 }, { "gnu/lib-names.h", 1 },
	{ "c++/v1/cstdio", 1 }, { "a_b.h", 1 },
	{ "", 0 }, { "a b.h", 0 }, { "a\"b.h", 0 }, { "a>b.h", 0 }, { "<stdio.h>", 0 },
	{ "a\nb.h", 0 }, { "stdio.h>\n#include <x", 0 }, { "a;b", 0 }, { "a\\b.h", 0 },
	{ "$(x).h", 0 }, { "a*.h", 0 },
};

static const name_case define_values[] = {
	{ "1", 1 }, { "", 1 }, { "200809L", 1 }, { "(1 << 3)", 1 }, { "foo bar", 1 }, { "-1", 1 },
	{ "\"x\"", 0 }, { "'c'", 0 }, { "a;b", 0 }, { "#x", 0 }, { "a\\b", 0 }, { "{", 0 }, { "}", 0 },
	{ "a\nb", 0 }, { "a\rb", 0 }, { "a\tb", 0 }, { "\x7f", 0 }, { "\xc3\xa9", 0 },
};

int main(void)
{
	RUN(pp_name_is_ident, idents);
	RUN(pp_name_is_type, types);
	RUN(pp_name_is_member_path, paths);
	RUN(pp_name_is_const_expr, consts);
	RUN(pp_name_is_header, headers);
	RUN(pp_name_is_define_value, define_values);

	/* NULL is refused, never dereferenced. */
	CHECK("pp_name_is_ident(NULL) rejects", !pp_name_is_ident(NULL));
	CHECK("pp_name_is_type(NULL) rejects", !pp_name_is_type(NULL));
	CHECK("pp_name_is_member_path(NULL) rejects", !pp_name_is_member_path(NULL));
	CHECK("pp_name_is_const_expr(NULL) rejects", !pp_name_is_const_expr(NULL));
	CHECK("pp_name_is_header(NULL) rejects", !pp_name_is_header(NULL));
	CHECK("pp_name_is_define_value(NULL) rejects", !pp_name_is_define_value(NULL));

	/* Deep nesting ends in a refusal, not a stack overflow. */
	{
		size_t depth = 100000;
		char *s = malloc(3 + 2 * depth + 2); /* "int", parens, "*", NUL */
		char *p = s;
		p += sprintf(p, "int");
		for (size_t i = 0; i < depth; i++)
			*p++ = '(';
		*p++ = '*';
		for (size_t i = 0; i < depth; i++)
			*p++ = ')';
		*p = 0;
		CHECK("pp_name_is_type rejects 100000 nested declarators", !pp_name_is_type(s));
		free(s);
	}
	/* ...while modest nesting is fine. */
	CHECK("pp_name_is_type accepts 4 nested declarators", pp_name_is_type("int ((((*))))"));
	return unit_done();
}
