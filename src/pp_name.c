/* pp_name.c: the C grammar every name in a spec must follow before it may be pasted into a
 * snippet. A name can only be a type name, an identifier, a member path or a call-free constant
 * expression, so a spec cannot smuggle statements, calls or directives into generated code. */
#include <ctype.h>
#include <string.h>

#include "pp_internal.h"

/* Words that could run or hide code inside an otherwise harmless-looking name. */
static int pp_banned_word(const char *s, size_t n)
{
	static const char *const banned[] = { "sizeof", "typeof", "__typeof__", "__typeof",
		"typeof_unqual", "_Alignof", "__alignof__", "__alignof", "alignof", "_Generic", "asm",
		"__asm__", "__asm", "__attribute__", "__attribute", "__extension__", "_Static_assert",
		"static_assert", "_Pragma", "__pragma", "__declspec", "defined", NULL };
	if (n >= 9 && strncmp(s, "__builtin", 9) == 0)
		return 1;
	for (size_t i = 0; banned[i]; i++)
		if (strlen(banned[i]) == n && strncmp(s, banned[i], n) == 0)
			return 1;
	return 0;
}

static int pp_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int pp_ident_char(int c)
{
	return pp_ident_start(c) || (c >= '0' && c <= '9');
}

int pp_name_is_ident(const char *s)
{
	if (!s || !pp_ident_start((unsigned char)*s))
		return 0;
	size_t n = 1;
	while (pp_ident_char((unsigned char)s[n]))
		n++;
	return s[n] == 0 && !pp_banned_word(s, n);
}

/* ---- type names: a small recursive-descent parser over C's abstract declarators ---- */
typedef struct pp_lex {
	const char *p;
	int depth;
} pp_lex;

static void pp_skip(pp_lex *l)
{
	while (*l->p == ' ' || *l->p == '\t')
		l->p++;
}

static size_t pp_ident_at(pp_lex *l)
{
	pp_skip(l);
	if (!pp_ident_start((unsigned char)*l->p))
		return 0;
	size_t n = 1;
	while (pp_ident_char((unsigned char)l->p[n]))
		n++;
	return pp_banned_word(l->p, n) ? 0 : n;
}

static int pp_peek(pp_lex *l, char c)
{
	pp_skip(l);
	return *l->p == c;
}

static int pp_eat(pp_lex *l, char c)
{
	if (!pp_peek(l, c))
		return 0;
	l->p++;
	return 1;
}

static int pp_type(pp_lex *l);

/* An array bound: digits with integer suffixes, or an identifier (a macro like PATH_MAX). */
static int pp_bound(pp_lex *l)
{
	pp_skip(l);
	if (isdigit((unsigned char)*l->p)) {
		while (isalnum((unsigned char)*l->p))
			l->p++;
		return 1;
	}
	size_t n = pp_ident_at(l);
	l->p += n;
	return 1;
}

static int pp_params(pp_lex *l)
{
	if (pp_eat(l, ')'))
		return 1;
	for (;;) {
		pp_skip(l);
		if (strncmp(l->p, "...", 3) == 0) {
			l->p += 3;
			return pp_eat(l, ')');
		}
		if (!pp_type(l))
			return 0;
		if (pp_eat(l, ')'))
			return 1;
		if (!pp_eat(l, ','))
			return 0;
	}
}

static int pp_suffixes(pp_lex *l)
{
	for (;;) {
		if (pp_eat(l, '[')) {
			if (!pp_peek(l, ']') && !pp_bound(l))
				return 0;
			if (!pp_eat(l, ']'))
				return 0;
		} else if (pp_eat(l, '(')) {
			if (!pp_params(l))
				return 0;
		} else {
			return 1;
		}
	}
}

static int pp_abstract(pp_lex *l)
{
	if (++l->depth > 32)
		return 0;
	for (;;) {
		if (pp_eat(l, '*')) {
			size_t n;
			while ((n = pp_ident_at(l)) && ((n == 5 && !strncmp(l->p, "const", 5)) ||
			       (n == 8 && !strncmp(l->p, "volatile", 8)) ||
			       (n == 8 && !strncmp(l->p, "restrict", 8)) ||
			       (n == 10 && !strncmp(l->p, "__restrict", 10))))
				l->p += n;
			continue;
		}
		break;
	}
	/* "(" opens a grouped declarator only when a declarator can start there; otherwise it is a
	 * parameter list, handled as a suffix. */
	pp_skip(l);
	if (l->p[0] == '(') {
		const char *q = l->p + 1;
		while (*q == ' ')
			q++;
		if (*q == '*' || *q == '[' || *q == '(') {
			l->p++;
			if (!pp_abstract(l) || !pp_eat(l, ')'))
				return 0;
		}
	}
	l->depth--;
	return pp_suffixes(l);
}

static int pp_type(pp_lex *l)
{
	size_t n, words = 0;
	while ((n = pp_ident_at(l))) {
		l->p += n;
		words++;
	}
	return words > 0 && pp_abstract(l);
}

int pp_name_is_type(const char *s)
{
	if (!s)
		return 0;
	pp_lex l = { s, 0 };
	if (!pp_type(&l))
		return 0;
	pp_skip(&l);
	return *l.p == 0;
}

int pp_name_is_member_path(const char *s)
{
	if (!s)
		return 0;
	pp_lex l = { s, 0 };
	size_t n = pp_ident_at(&l);
	if (!n || l.p != s)
		return 0;
	l.p += n;
	for (;;) {
		if (*l.p == 0)
			return 1;
		if (*l.p == '.') {
			l.p++;
			if (!pp_ident_start((unsigned char)*l.p) || !(n = pp_ident_at(&l)))
				return 0;
			l.p += n;
		} else if (*l.p == '[') {
			l.p++;
			if (!isdigit((unsigned char)*l.p))
				return 0;
			while (isdigit((unsigned char)*l.p))
				l.p++;
			if (*l.p++ != ']')
				return 0;
		} else {
			return 0;
		}
	}
}

/* Whether the group closed by the ')' at close holds only type keywords and '*', so that a '('
 * after it starts the operand of a cast, "(unsigned long)(x)", not the arguments of a call. */
static int pp_cast_before(const char *s, const char *close)
{
	static const char *const words[] = { "int", "unsigned", "signed", "long", "short", "char",
		"_Bool", "float", "double", "const", "volatile", "__int128", "void", NULL };
	const char *open = close;
	while (open > s && open[-1] != '(' && open[-1] != ')')
		open--;
	if (open == s || open[-1] != '(')
		return 0;
	int any = 0;
	for (const char *p = open; p < close;) {
		if (*p == ' ' || *p == '\t' || *p == '*') {
			p++;
			continue;
		}
		const char *q = p;
		while (q < close && pp_ident_char((unsigned char)*q))
			q++;
		int known = 0;
		for (size_t i = 0; words[i] && q > p; i++)
			known |= strlen(words[i]) == (size_t)(q - p) && !strncmp(p, words[i], (size_t)(q - p));
		if (!known)
			return 0;
		any = 1;
		p = q;
	}
	return any;
}

/* A constant expression without calls, strings, assignments, commas or member access: literals,
 * identifiers (macros, enumerators), casts to plain type words, and C's arithmetic operators. */
int pp_name_is_const_expr(const char *s)
{
	if (!s || !*s)
		return 0;
	int depth = 0, tokens = 0;
	const char *p = s;
	while (*p) {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		tokens++;
		if (pp_ident_start((unsigned char)*p)) {
			const char *q = p;
			while (pp_ident_char((unsigned char)*q))
				q++;
			if (pp_banned_word(p, (size_t)(q - p)))
				return 0;
			p = q;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '(')
				return 0; /* a call, or a function-like macro that could hide one */
			continue;
		}
		if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
			/* pp-number: digits, letters, '.', and exponent signs */
			while (isalnum((unsigned char)*p) || *p == '.' || *p == '_' ||
			       ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E' ||
			                                      p[-1] == 'p' || p[-1] == 'P')))
				p++;
			continue;
		}
		if (*p == '(') {
			/* ")(" is a call through parentheses, "(abort)()"; a cast can be written "(long)-1". */
			const char *q = p;
			while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			if (q > s && q[-1] == ')' && !pp_cast_before(s, q - 1))
				return 0;
			depth++;
			p++;
			continue;
		}
		if (p[0] == '-' && p[1] == '>')
			return 0; /* member access through a pointer */
		if (*p == ')') {
			if (--depth < 0)
				return 0;
			p++;
			continue;
		}
		static const char *const ops[] = { "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
			"+", "-", "*", "/", "%", "~", "!", "&", "|", "^", "<", ">", "?", ":", NULL };
		if (p[0] == '/' && (p[1] == '*' || p[1] == '/'))
			return 0; /* a comment would swallow the rest of the template's line */
		size_t i;
		for (i = 0; ops[i]; i++) {
			size_t n = strlen(ops[i]);
			if (strncmp(p, ops[i], n) == 0) {
				/* "++", "--" and "=" (assignment) are not in the list; reject them explicitly. */
				if ((n == 1 && (p[1] == '=' && *p != '<' && *p != '>' && *p != '!')) ||
				    ((*p == '+' || *p == '-') && p[1] == *p))
					return 0;
				p += n;
				break;
			}
		}
		if (!ops[i])
			return 0;
	}
	return depth == 0 && tokens > 0;
}

int pp_name_is_header(const char *s)
{
	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_./+-", *p))
			return 0;
	return !strstr(s, "//") && !strstr(s, "/*");
}

int pp_name_is_library(const char *s)
{
	return s && *s && *s != '-' && !strchr(s, '/') && pp_name_is_header(s);
}

int pp_name_is_define_value(const char *s)
{
	if (!s)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < 0x20 || *p > 0x7e || strchr("\\#;{}\"'", *p))
			return 0;
	return !strstr(s, "/*"); /* a comment would run on into the next line */
}

#define PP_IDENT_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* The member names of a path after its first (x.NAME[2].NAME) that a header may also define as
 * macros: glibc's si_pid stands for _sifields._kill.si_pid, so the path a whole layout reports,
 * _sifields._kill.si_pid, would not name itself. Calls fn with each (never our own PP_ names, nor
 * the first name, which keeps its C meaning: st_atime, si_value.sival_int). */
size_t pp_path_hidden(const char *path, void (*fn)(void *, const char *, size_t), void *arg)
{
	size_t n = 0, first = strspn(path, PP_IDENT_CHARS);
	int depth = 0;
	for (const char *p = path; *p; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if (*p != '.' || depth)
			continue;
		const char *id = p + 1;
		size_t len = strspn(id, PP_IDENT_CHARS);
		if (!len || (len == first && !memcmp(id, path, len)) || !strncmp(id, "PP_", 3))
			continue;
		if (fn)
			fn(arg, id, len);
		n++;
	}
	return n;
}
