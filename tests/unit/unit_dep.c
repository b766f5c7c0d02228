/* unit_dep.c: depfiles (pp_dep.c). Reading Make's dependency syntax as gcc and clang write it
 * (escaped blanks, '#', '$$', continuation lines, CRLF), leaving out platprobe's temp files, and
 * writing one back with the same escapes. Expected texts are written by hand from GNU make's rules. */
#include <stdlib.h>
#include <unistd.h>

#include "pp_internal.h"
#include "unit.h"

static char tmpdir[] = "/tmp/unit-dep-XXXXXX";

static const char *write_tmp(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

typedef struct read_case {
	const char *name, *text;
	const char *want[6];
} read_case;

static const read_case reads[] = {
	{ "gcc -MD", "/t/x/probe.o: /t/x/probe.c /usr/include/stdc-predef.h \\\n /usr/include/errno.h\n",
	  { "/usr/include/stdc-predef.h", "/usr/include/errno.h" } },
	{ "escapes", "o.o: /t/x/probe.c a\\ b.h c\\#d.h e$$f.h g\\\\h.h\n",
	  { "a b.h", "c#d.h", "e$f.h", "g\\\\h.h" } },
	{ "CRLF continuation", "o.o: /t/x/probe.c \\\r\n  a.h \\\r\n  b.h\r\n", { "a.h", "b.h" } },
	{ "space before the colon", "o.o : a.h b.h\n", { "a.h", "b.h" } },
	{ "only the first rule (cc -MP adds more)", "o.o: a.h b.h\n\na.h:\n\nb.h:\n", { "a.h", "b.h" } },
	{ "a colon inside a word", "o.o: C:/inc/a.h\n", { "C:/inc/a.h" } },
	{ "no newline at the end", "o.o: a.h", { "a.h" } },
	{ "several targets", "o.o o.d: a.h\n", { "a.h" } },
	/* gcc -MD's own text for the header back\ sl\#x/q.h: the backslash before the blank doubled
	 * and then the blank escaped (2N+1 backslashes: N and a blank), '#' escaped alone. */
	{ "gcc's backslashes before a blank and a '#'", "g.o: back\\\\\\ sl\\\\#x/q.h\n",
	  { "back\\ sl\\#x/q.h" } },
	/* GNU make: 2N backslashes before a blank are N backslashes that end the name. */
	{ "two backslashes before a blank", "o.o: a\\\\ b\n", { "a\\", "b" } },
	{ "backslashes before a letter stay", "o.o: a\\\\\\b\n", { "a\\\\\\b" } },
};

static void test_read(void)
{
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		const read_case *c = &reads[i];
		pp_strv got = { 0 };
		pp_diag *d = pp_diag_new();
		int rc = pp_dep_read(write_tmp("in.d", c->text), "/t/x", &got, d);
		size_t n = 0;
		while (n < 6 && c->want[n])
			n++;
		CHECK(UNIT_NAME("read %s: ok", c->name), rc == 0);
		if (CHECK_U64(UNIT_NAME("read %s: %zu files", c->name, n), got.n, n))
			for (size_t k = 0; k < n; k++)
				CHECK_STR(UNIT_NAME("read %s: file %zu", c->name, k), got.v[k], c->want[k]);
		pp_strv_free(&got);
		pp_diag_free(d);
	}
	pp_strv got = { 0 };
	pp_diag *d = pp_diag_new();
	CHECK("read a missing file: -1", pp_dep_read("/nonexistent/x.d", NULL, &got, d) < 0);
	CHECK_CONTAINS("read a missing file: says so", pp_diag_message(d, 0), "/nonexistent/x.d");
	pp_diag_free(d);
}

static void test_format(void)
{
	pp_result r;
	memset(&r, 0, sizeof r);
	r.target.triple = "x86_64-linux-gnu";
	r.have_deps = 1;
	pp_strv_push(&r.deps, "/usr/include/a b.h");
	pp_strv_push(&r.deps, "inc/#x$.h");
	pp_strv_push(&r.deps, "spec.json"); /* already an input: listed once */
	pp_result *rs[] = { &r, &r };        /* two targets that read the same: each file once */
	const char *inputs[] = { "spec.json" };
	pp_diag *d = pp_diag_new();
	char *text = pp_depfile_format(rs, 2, "out dir/config.h", inputs, 1, d);
	CHECK_STR("format: escaped like cc -MD, one rule per header like cc -MP", text,
	          "out\\ dir/config.h: spec.json \\\n /usr/include/a\\ b.h \\\n inc/\\#x$$.h\n"
	          "\n/usr/include/a\\ b.h:\n\ninc/\\#x$$.h:\n");
	free(text);
	/* A backslash before an escaped blank is doubled, so it stays a backslash. */
	text = pp_depfile_format(rs, 0, "a\\ b", inputs, 1, d);
	CHECK_STR("format: backslash before a blank", text, "a\\\\\\ b: spec.json\n");
	free(text);
	/* Before '#', as gcc -MD writes it (make and ninja keep the backslashes before "\#"). */
	text = pp_depfile_format(rs, 0, "back\\ sl\\#x/q.h", inputs, 1, d);
	CHECK_STR("format: backslashes before a blank and a '#', as gcc writes them", text,
	          "back\\\\\\ sl\\\\#x/q.h: spec.json\n");
	free(text);
	r.have_deps = 0;
	text = pp_depfile_format(rs, 1, "o", inputs, 1, d);
	CHECK("format: a result without a record of its files is refused", text == NULL);
	CHECK_CONTAINS("format: says which target", pp_diag_message(d, 0), "x86_64-linux-gnu");
	pp_strv_free(&r.deps);
	pp_diag_free(d);
}

/* What format writes, read reads back. */
static void test_round_trip(void)
{
	static const char *const names[] = { "plain.h", "a b/c.h", "#1.h", "$HOME.h", "tab\there.h",
		"back\\ slash\\#x.h", "two\\\\  blanks.h" };
	const size_t nnames = sizeof names / sizeof names[0];
	pp_result r;
	memset(&r, 0, sizeof r);
	r.have_deps = 1;
	for (size_t i = 0; i < nnames; i++)
		pp_strv_push(&r.deps, names[i]);
	pp_result *rs[] = { &r };
	const char *inputs[] = { "s.json" };
	char *text = pp_depfile_format(rs, 1, "o.h", inputs, 1, NULL);
	pp_strv got = { 0 };
	CHECK("round trip: read back", pp_dep_read(write_tmp("rt.d", text), NULL, &got, NULL) == 0);
	if (CHECK_U64("round trip: every file", got.n, nnames + 1)) {
		CHECK_STR("round trip: the input first", got.v[0], "s.json");
		for (size_t i = 0; i < nnames; i++)
			CHECK_STR(UNIT_NAME("round trip: %s", names[i]), got.v[i + 1], names[i]);
	}
	free(text);
	pp_strv_free(&got);
	pp_strv_free(&r.deps);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	test_read();
	test_format();
	test_round_trip();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return unit_done();
}
