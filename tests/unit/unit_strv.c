/* unit_strv.c: pp_strv_split, which turns $CC, --cc, $CFLAGS, exec wrappers and pkg-config's
 * output into argument vectors. Expected words are what POSIX sh makes of the same text (the
 * table was checked with: sh -c 'for w in TEXT; do printf "[%s]" "$w"; done', no expansion). */
#include <stdlib.h>

#include "pp_internal.h"
#include "unit.h"

static const char *joined(const char *text)
{
	static char out[1024];
	pp_strv sv = { 0 };
	pp_strv_split(&sv, text);
	out[0] = 0;
	for (size_t i = 0; i < sv.n; i++) {
		strcat(out, "[");
		strcat(out, sv.v[i]);
		strcat(out, "]");
	}
	pp_strv_free(&sv);
	return out;
}

int main(void)
{
	static const struct { const char *text, *words; } cases[] = {
		{ "", "" },
		{ "   \t\n ", "" },
		{ "gcc", "[gcc]" },
		{ "  ccache   gcc\t-m32\n", "[ccache][gcc][-m32]" },
		{ "'/opt/my cc/gcc' -m32", "[/opt/my cc/gcc][-m32]" },
		{ "\"/opt/my cc/gcc\" -O2", "[/opt/my cc/gcc][-O2]" },
		{ "/opt/my\\ cc/gcc", "[/opt/my cc/gcc]" },
		{ "-I/a\\ b -I/c", "[-I/a b][-I/c]" },                 /* pkg-config's escapes */
		{ "-DS='\"x y\"'", "[-DS=\"x y\"]" },
		{ "-DS=\"\\\"x\\\"\"", "[-DS=\"x\"]" },                 /* \" inside "..." */
		{ "\"a\\b\"", "[a\\b]" },                               /* \b stays inside "..." */
		{ "'a\\b'", "[a\\b]" },                                 /* no escapes inside '...' */
		{ "a'' b", "[a][b]" },
		{ "'' x", "[][x]" },                                    /* an empty word is a word */
		{ "a\"b c\"d", "[ab cd]" },
		{ "a\\\nb", "[ab]" },                                   /* backslash-newline joins */
		{ "'unterminated x", "[unterminated x]" },
		{ "trailing\\", "[trailing\\]" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(UNIT_NAME("split case %zu", i), joined(cases[i].text), cases[i].words);
	pp_strv sv = { 0 };
	pp_strv_split(&sv, NULL);
	CHECK("split NULL: no words", sv.n == 0);
	pp_strv_free(&sv);
	return unit_done();
}
