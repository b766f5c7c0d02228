/* unit_render.c: the output template engine (src/pp_render.c): variables, sections over arrays,
 * objects and flags, inverted sections, partials, standalone lines, positions, escapers, and the
 * errors a template author gets. Expected texts are written out by hand. */
#include <cJSON.h>
#include <stdlib.h>

#include "pp_internal.h"
#include "unit.h"

static const char data_text[] =
	"{\"name\": \"stat\", \"yes\": true, \"no\": false, \"none\": null, \"empty\": [], \"blank\": \"\","
	" \"items\": [{\"n\": \"a\"}, {\"n\": \"b\"}, {\"n\": \"c\"}],"
	" \"obj\": {\"inner\": {\"deep\": \"D\"}, \"n\": \"objn\"},"
	" \"t\": {\"array\": {\"count\": \"2\", \"elem\": {\"array\": {\"count\": \"3\", \"elem\": {\"int\": {\"bits\": \"8\"}, \"array\": false}}, \"int\": false}}, \"int\": false},"
	" \"hex\": \"2f746d70\", \"nul\": \"61005c22\", \"high\": \"ff0a\", \"utf8\": \"c3a9\", \"odd\": \"abc\"}";

static void render_is(const char *name, const cJSON *data, const char *tmpl, const char *want)
{
	pp_diag *d = pp_diag_new();
	char *got = pp_render_template("t.tmpl", tmpl, data, d);
	CHECK_STR(name, got, want);
	if (!got && pp_diag_count(d))
		printf("  (%s)\n", pp_diag_message(d, 0));
	free(got);
	pp_diag_free(d);
}

static void render_fails(const char *name, const cJSON *data, const char *tmpl, const char *msg)
{
	pp_diag *d = pp_diag_new();
	char *got = pp_render_template("t.tmpl", tmpl, data, d);
	CHECK(UNIT_NAME("%s: refused", name), got == NULL);
	CHECK_CONTAINS(UNIT_NAME("%s: says why", name), pp_diag_count(d) ? pp_diag_message(d, 0) : "",
	               msg);
	free(got);
	pp_diag_free(d);
}

int main(void)
{
	cJSON *data = cJSON_Parse(data_text);
	if (!CHECK("test data parses", data != NULL))
		return unit_done();
	render_is("plain text", data, "no tags\n", "no tags\n");
	render_is("variable", data, "class {{name}}:", "class stat:");
	render_is("dotted name", data, "{{obj.inner.deep}}", "D");
	render_is("array section", data, "{{#items}}[{{n}}]{{/items}}", "[a][b][c]");
	render_is("positions", data, "{{#items}}{{-index}}{{n}}{{^-last}},{{/-last}}{{#-first}}!{{/-first}}{{/items}}",
	          "0a,!1b,2c");
	render_is("object section pushes it", data, "{{#obj}}{{n}}/{{name}}{{/obj}}", "objn/stat");
	render_is("true and false", data, "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}", "Yn");
	render_is("null, missing, [] and \"\" are false", data,
	          "{{#none}}1{{/none}}{{#missing}}2{{/missing}}{{#empty}}3{{/empty}}{{#blank}}4{{/blank}}"
	          "{{^none}}a{{/none}}{{^missing}}b{{/missing}}{{^empty}}c{{/empty}}{{^blank}}d{{/blank}}",
	          "abcd");
	render_is("standalone block lines vanish", data,
	          "begin\n  {{#items}}\n    - {{n}}\n  {{/items}}\n  {{! a comment }}\nend\n",
	          "begin\n    - a\n    - b\n    - c\nend\n");
	render_is("inline blocks keep their line", data, "x {{#yes}}y{{/yes}} z\n", "x y z\n");
	render_is("recursive partial defined on its own line", data,
	          "{{<ty}}{{#int}}u{{bits}}{{/int}}{{#array}}[{{#elem}}{{>ty}}{{/elem}}; {{count}}]{{/array}}{{/ty}}\n"
	          "{{#t}}{{>ty}}{{/t}}\n",
	          "[[u8; 3]; 2]\n");
	render_is("c escaper", data, "{{nul:c}} {{high:c}}", "\"a\\000\\\\\\\"\" \"\\377\\012\"");
	render_is("py escaper: str when UTF-8", data, "{{hex:py}} {{utf8:py}} {{nul:py}}",
	          "\"/tmp\" \"\xc3\xa9\" \"a\\x00\\\\\\\"\"");
	render_is("py and rust escapers: bytes when not UTF-8", data, "{{high:py}} {{high:rust}}",
	          "b\"\\xff\\n\" b\"\\xff\\n\"");
	render_fails("missing variable", data, "line1\n{{nosuch}}", "t.tmpl:2: no such name: 'nosuch'");
	render_fails("a section is not a string", data, "{{items}}", "not a string");
	render_fails("unclosed section", data, "{{#items}}x", "section not closed");
	render_fails("mismatched close", data, "{{#items}}x{{/yes}}", "closes another section");
	render_fails("stray close", data, "x{{/yes}}", "not open");
	render_fails("unclosed tag", data, "{{name", "tag not closed");
	render_fails("unknown partial", data, "{{>nope}}", "no such partial");
	render_fails("unknown escaper", data, "{{hex:java}}", "unknown escaper");
	render_fails("escaper on non-hex", data, "{{odd:c}}", "byte string in hex");
	render_fails("a partial that renders itself forever", data, "{{<p}}{{>p}}{{/p}}{{>p}}",
	             "nested too deeply");
	cJSON_Delete(data);
	return unit_done();
}
