/* main.c: the platprobe command: parses arguments, calls libplatprobe, prints its messages once,
 * and writes the output (stdout, or -o FILE atomically). All the work is in the library. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platprobe.h"

static const char usage[] =
	"usage: platprobe probe SPEC.json [-o FILE] [-f FORMAT] [--prefix P] [--cc CC]\n"
	"                           [--target TRIPLE]... [--sysroot DIR] [--mode object|run]\n"
	"                           [--exec-wrapper CMD] [--timeout SECONDS] [-v] [--keep-temps]\n"
	"                           [--cache-dir DIR | --no-cache]\n"
	"                           [--pkg NAME]... [--depfile FILE] [--from RESULT.json]\n"
	"                           [--package NAME] [--template FILE | --model]\n"
	"       platprobe check SPEC.json BASELINE.json [-f text|json] [--allow-new]\n"
	"                           [--ignore-compiler-version] [--ignore PATH]... [probe options]\n"
	"       platprobe diff A.json B.json... [-f text|json]\n"
	"       platprobe show [-i HEADER]... [-D NAME[=VAL]]... [-f text|json] [--cc CC]\n"
	"                      [--target TRIPLE]... [--mode object|run] [--exec-wrapper CMD]\n"
	"                      [--timeout SECONDS] [-v] NAME...\n"
	"       platprobe spec -i HEADER... [--match GLOB]... [--regex RE] [--from-file HEADER]...\n"
	"                      [-D NAME[=VAL]]... [--cc CC | --target TRIPLE] [-o FILE] [-v]\n"
	"       platprobe report RESULT.json... [-o FILE] [-f html|markdown]\n"
	"       platprobe -h | --help | --version\n";

static const char help[] =
	"\n"
	"probe   answers every entry of a probe spec (see README.md) and prints the result as JSON\n"
	"        or as an autoconf-style header; -o FILE replaces FILE atomically.\n"
	"show    tells what each NAME is (type, struct, enum, constant, macro, function) and its\n"
	"        facts; a struct or union's whole layout as a table (-f json: the result format).\n"
	"check   probes SPEC and compares the result with BASELINE (a saved result); exit 1 with\n"
	"        one line per difference (entry, field, expected, got) when they differ.\n"
	"diff    what differs between two results (path: a -> b), or between more (a table: one\n"
	"        column per result); exit 1 when they differ.\n"
	"spec    writes a spec of every macro, struct, union, enum, typedef and function that the\n"
	"        headers declare (not what they include, unless --from-file names it).\n"
	"report  several results side by side: one self-contained HTML page (a byte ruler of\n"
	"        every struct per target, tables with differing cells marked) or Markdown.\n"
	"\n"
	"  -o, --output FILE   write the output to FILE (atomically) instead of stdout\n"
	"  -f, --format F      json (default), header, or a binding: python (ctypes), rust, guard\n"
	"                      (C _Static_asserts), go (a Go file for the target's GOOS/GOARCH),\n"
	"                      cdecl (C declarations cffi and LuaJIT lay out as the target does);\n"
	"                      the bindings come from templates/*.tmpl; model: the tree those\n"
	"                      templates render, as JSON; show: text (default) or json;\n"
	"                      report: html (default) or markdown\n"
	"  --prefix P          prefix for every macro of the header and guard formats\n"
	"  --package NAME      the Go package of -f go (default: the spec's file name)\n"
	"  --template FILE     render a template of your own over the bindings' data tree\n"
	"  --model             print that tree as JSON (the same as -f model)\n"
	"  --cc CC             the compiler (default: $CC, else cc); $CPPFLAGS and $CFLAGS apply\n"
	"  --target TRIPLE     compile for TRIPLE (TRIPLE-gcc, else clang --target=TRIPLE); give it\n"
	"                      several times to probe several targets in parallel; with more than\n"
	"                      one, -o may hold {triple} for one file each, else one JSON document;\n"
	"                      show: one column per target\n"
	"  --sysroot DIR       passed to the compiler (and qemu -L in run mode)\n"
	"  --mode M            object (default): read answers from the object file, no link or run;\n"
	"                      run: link and run a program (through --exec-wrapper when given)\n"
	"  --exec-wrapper CMD  runs the probe program, e.g. 'qemu-aarch64 -L /usr/aarch64-linux-gnu';\n"
	"                      by default a cross target runs under qemu-ARCH, or wine for mingw\n"
	"  --timeout SECONDS   limit for each compiler or program run (default 300)\n"
	"  -i, --include HEADER  (show, spec) include HEADER\n"
	"  -D, --define NAME[=VAL]  (show, spec) define a macro first\n"
	"  --match GLOB        (spec) keep the names GLOB matches (fnmatch; may be repeated)\n"
	"  --regex RE          (spec) keep the names RE matches (POSIX extended)\n"
	"  --from-file HEADER  (spec) take declarations from included files named HEADER too\n"
	"  --pkg NAME          add pkg-config package NAME's cflags and libs (as the spec's\n"
	"                      \"pkg-config\" list does); PKG_CONFIG_PATH, PKG_CONFIG_LIBDIR and\n"
	"                      PKG_CONFIG_SYSROOT_DIR apply\n"
	"  --depfile FILE      also write FILE in Make syntax (as cc -MD): the -o output depends on\n"
	"                      the spec and on every header the compiler read\n"
	"  --from RESULT.json  no compiler: take the answers from a saved result (of one target, or\n"
	"                      several: pick with --target) and write any format from them\n"
	"  --allow-new         (check) entries that the baseline lacks are not differences\n"
	"  --ignore-compiler-version  (check) the same as --ignore target.compiler_version\n"
	"  --ignore PATH       (check) differences at PATH or under it do not count\n"
	"  --cache-dir DIR     keep answers there (default $XDG_CACHE_HOME/platprobe, else\n"
	"                      ~/.cache/platprobe); an unchanged spec, compiler and headers run no\n"
	"                      compiler at all\n"
	"  --no-cache          neither read nor write the cache\n"
	"  -v, --verbose       print each command run\n"
	"  --keep-temps        keep the generated files and say where\n"
	"\n"
	"Exit status: 0 all required entries answered; 1 an entry could not be answered or the\n"
	"compiler failed; 2 bad usage or a bad spec.\n";

static void log_line(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "%s\n", line);
}

/* Without -v, only the line that says where --keep-temps kept the files. */
static void log_kept(void *ud, const char *line)
{
	(void)ud;
	if (strstr(line, "keeping temp files"))
		fprintf(stderr, "%s\n", line);
}

static void print_diag(const pp_diag *d)
{
	for (size_t i = 0; i < pp_diag_count(d); i++)
		fprintf(stderr, "%s\n", pp_diag_message(d, i));
}

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("platprobe: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return PP_EUSAGE;
}

/* Matches "--name value", "--name=value" and "-x value"; advances *i past what it used. */
static const char *opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
                             int *missing)
{
	const char *a = argv[*i];
	size_t n = lng ? strlen(lng) : 0;
	if ((lng && strcmp(a, lng) == 0) || (shrt && strcmp(a, shrt) == 0)) {
		if (*i + 1 >= argc) {
			*missing = 1;
			return NULL;
		}
		return argv[++*i];
	}
	if (lng && strncmp(a, lng, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (shrt && strncmp(a, shrt, 2) == 0 && a[2] && shrt[1] != '-')
		return a + 2;
	return NULL;
}

/* Writes text to FILE atomically, or to stdout when file is NULL. */
static int emit(const char *file, const char *text, pp_diag *d)
{
	if (file)
		return pp_write_file(file, text, strlen(text), d) < 0 ? PP_EANSWER : PP_OK;
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		fprintf(stderr, "platprobe: error: cannot write to standard output\n");
		return PP_EANSWER;
	}
	return PP_OK;
}

/* FILE with "{triple}" replaced. */
static char *per_target_path(const char *pattern, const char *triple)
{
	const char *at = strstr(pattern, "{triple}");
	size_t n = strlen(pattern) + strlen(triple) + 1;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%.*s%s%s", (int)(at - pattern), pattern, triple, at + 8);
	return p;
}

/* The results to write or check: one target (the usual case), or several from --target or the
 * spec's "targets", probed in parallel; or, with --from, read from a saved result (those of the
 * --target triples, else all of it). On failure nothing is returned. */
static int get_results(const pp_spec *spec, const pp_options *base, const char **targets,
                       size_t ntargets, int have_cc, const char *from, pp_result ***res,
                       size_t *nres, pp_diag *d)
{
	*res = NULL;
	*nres = 0;
	if (from) {
		size_t n;
		pp_result **all = pp_results_load(spec, from, &n, d);
		if (!all)
			return PP_EUSAGE;
		int rc = PP_OK;
		pp_result **pick = ntargets ? calloc(ntargets, sizeof *pick) : all;
		for (size_t k = 0; k < ntargets && pick; k++) {
			for (size_t i = 0; i < n && !pick[k]; i++)
				if (all[i] && !strcmp(pp_result_triple(all[i]), targets[k])) {
					pick[k] = all[i];
					all[i] = NULL;
				}
			if (!pick[k]) {
				fprintf(stderr, "platprobe: error: %s holds no result for target %s\n", from,
				        targets[k]);
				rc = PP_EUSAGE;
			}
		}
		if (ntargets) {
			for (size_t i = 0; i < n; i++)
				pp_result_free(all[i]);
			free(all);
			n = ntargets;
		}
		if (!pick || rc != PP_OK) {
			for (size_t i = 0; pick && i < n; i++)
				pp_result_free(pick[i]);
			free(pick);
			return pick ? rc : PP_EANSWER;
		}
		*res = pick;
		*nres = n;
		return PP_OK;
	}
	size_t n = 0;
	pp_options **opts = NULL;
	if (ntargets) {
		opts = calloc(ntargets, sizeof *opts);
		for (n = 0; opts && n < ntargets; n++) {
			opts[n] = pp_options_clone(base);
			pp_options_set_target(opts[n], targets[n]);
		}
	} else if (!have_cc) {
		opts = pp_spec_target_options(spec, base, &n);
	}
	if (!opts) {
		n = 1;
		opts = calloc(1, sizeof *opts);
		if (opts)
			opts[0] = pp_options_clone(base);
	}
	pp_result **r = opts ? calloc(n, sizeof *r) : NULL;
	if (!r) {
		free(opts);
		fprintf(stderr, "platprobe: out of memory\n");
		return PP_EANSWER;
	}
	int rc = n == 1 ? pp_probe(spec, opts[0], &r[0], d) : pp_probe_many(spec, opts, n, r, d);
	for (size_t i = 0; i < n; i++)
		pp_options_free(opts[i]);
	free(opts);
	if (rc != PP_OK) {
		for (size_t i = 0; i < n; i++)
			pp_result_free(r[i]);
		free(r);
		return rc;
	}
	*res = r;
	*nres = n;
	return PP_OK;
}

/* The binding formats' options beyond --prefix (--package, --template). */
static pp_format_opts fmt_opts;

/* Writes the results: each to its own file when -o holds {triple}, else one output (one JSON
 * document for several targets); then the depfile, when asked for, naming that output. */
static int write_results(pp_result **res, size_t n, const char *out, const char *format,
                         const char *prefix, const char *depfile, const char *spec_path,
                         const char *from, pp_diag *d)
{
	int split = out && strstr(out, "{triple}");
	int rc = PP_OK;
	if (n > 1 && !split && strcmp(format, "json"))
		return bad_usage("%s", "several targets in one file are only possible as json: give -o a "
		                 "'{triple}' pattern for one file each");
	if (split) {
		for (size_t i = 0; i < n && rc == PP_OK; i++)
			for (size_t k = 0; k < i; k++)
				if (!strcmp(pp_result_triple(res[i]), pp_result_triple(res[k]))) {
					fprintf(stderr, "platprobe: error: two targets report the triple %s, so "
					        "-o %s would write one file twice\n", pp_result_triple(res[i]), out);
					rc = PP_EUSAGE;
				}
		for (size_t i = 0; i < n && rc == PP_OK; i++) {
			fmt_opts.prefix = prefix;
			char *text = pp_result_format_opts(res[i], format, &fmt_opts, d);
			char *path = per_target_path(out, pp_result_triple(res[i]));
			rc = text && path ? emit(path, text, d) : PP_EUSAGE;
			free(text);
			free(path);
		}
		return rc;
	}
	fmt_opts.prefix = prefix;
	char *text = n == 1 ? pp_result_format_opts(res[0], format, &fmt_opts, d) :
	             pp_results_format(res, n, d);
	rc = text ? emit(out, text, d) : PP_EUSAGE;
	free(text);
	if (rc == PP_OK && depfile) {
		/* --from: no compiler read anything; the output depends on the two files alone. */
		const char *inputs[] = { spec_path, from };
		char *dep = pp_depfile_format(res, from ? 0 : n, out, inputs, from ? 2 : 1, d);
		rc = dep ? emit(depfile, dep, d) : PP_EANSWER;
		free(dep);
	}
	return rc;
}

/* check: what differs from the baseline goes to stdout; a hint on how to accept it to stderr. */
static int check_results(pp_result **res, size_t n, const char *spec_path, const char *baseline,
                         const char *format, unsigned flags, const char **ignore, size_t nignore,
                         pp_diag *d)
{
	char *text = NULL;
	int rc = pp_check_results(res, n, baseline, format, flags, ignore, nignore, &text, d);
	if (text && fputs(text, stdout) == EOF)
		rc = PP_EANSWER;
	if (rc == 1)
		fprintf(stderr, "platprobe: check: %s differs from the probe of %s; if the new answers "
		        "are right, record them: platprobe probe %s -o %s\n", baseline, spec_path,
		        spec_path, baseline);
	free(text);
	return rc;
}

/* diff and report: result files, -f, and (report) -o. */
static int cmd_files(int argc, char **argv, int is_report)
{
	const char *format = is_report ? "html" : "text", *out = NULL;
	const char **files = calloc((size_t)argc, sizeof(char *));
	size_t nfiles = 0;
	int rc = PP_OK;
	for (int i = 2; i < argc && rc == PP_OK; i++) {
		int missing = 0;
		const char *v;
		if ((v = opt_value(argc, argv, &i, "--format", "-f", &missing)))
			format = v;
		else if (is_report && (v = opt_value(argc, argv, &i, "--output", "-o", &missing)))
			out = v;
		else if (missing)
			rc = bad_usage("option '%s' needs a value", argv[i]);
		else if (argv[i][0] == '-' && argv[i][1])
			rc = bad_usage("unknown option '%s'", argv[i]);
		else
			files[nfiles++] = argv[i];
	}
	if (rc == PP_OK && !nfiles)
		rc = bad_usage("%s", is_report ? "report needs at least one result file" :
		               "diff needs two result files, or more, or one of several targets");
	pp_diag *d = pp_diag_new();
	char *text = NULL;
	if (rc == PP_OK && is_report) {
		rc = pp_report_files(files, nfiles, format, &text, d);
		if (rc == PP_OK)
			rc = emit(out, text, d);
	} else if (rc == PP_OK) {
		rc = pp_diff_results(files, nfiles, format, &text, d);
		if (text)
			fputs(text, stdout);
	}
	print_diag(d);
	free(text);
	free(files);
	pp_diag_free(d);
	return rc;
}

static int cmd_spec(int argc, char **argv)
{
	const char *out = NULL, *regex = NULL;
	const char **from = calloc((size_t)argc, sizeof(char *));
	const char **globs = calloc((size_t)argc, sizeof(char *));
	size_t nfrom = 0, nglobs = 0;
	pp_spec *base = pp_spec_new("spec");
	pp_options *o = pp_options_new();
	pp_diag *d = pp_diag_new();
	int rc = PP_OK, have_cc = 0, have_target = 0;
	for (int i = 2; i < argc && rc == PP_OK; i++) {
		int missing = 0;
		const char *v;
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			pp_options_set_log(o, log_line, NULL);
		} else if ((v = opt_value(argc, argv, &i, "--output", "-o", &missing))) {
			out = v;
		} else if ((v = opt_value(argc, argv, &i, "--include", "-i", &missing))) {
			if (pp_spec_add_header(base, v, d) < 0)
				rc = PP_EUSAGE;
		} else if ((v = opt_value(argc, argv, &i, "--define", "-D", &missing))) {
			const char *eq = strchr(v, '=');
			char *name = eq ? strndup(v, (size_t)(eq - v)) : strdup(v);
			if (pp_spec_add_define(base, name, eq ? eq + 1 : "1", d) < 0)
				rc = PP_EUSAGE;
			free(name);
		} else if ((v = opt_value(argc, argv, &i, "--match", NULL, &missing))) {
			globs[nglobs++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--regex", NULL, &missing))) {
			regex = v;
		} else if ((v = opt_value(argc, argv, &i, "--from-file", NULL, &missing))) {
			from[nfrom++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--cc", NULL, &missing))) {
			pp_options_set_cc(o, v);
			have_cc = 1;
		} else if ((v = opt_value(argc, argv, &i, "--target", NULL, &missing))) {
			if (have_target++)
				rc = bad_usage("%s", "spec takes one --target: the spec it writes is for every target");
			pp_options_set_target(o, v);
		} else if ((v = opt_value(argc, argv, &i, "--sysroot", NULL, &missing))) {
			pp_options_set_sysroot(o, v);
		} else if ((v = opt_value(argc, argv, &i, "--timeout", NULL, &missing))) {
			pp_options_set_timeout(o, strtod(v, NULL));
		} else if (missing) {
			rc = bad_usage("option '%s' needs a value", argv[i]);
		} else {
			rc = bad_usage(argv[i][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s' "
			               "(name headers with -i)", argv[i]);
		}
	}
	if (rc == PP_OK && have_cc && have_target)
		rc = bad_usage("%s", "--cc and --target both name the compiler: give one");
	pp_install_signal_cleanup();
	char *text = NULL;
	if (rc == PP_OK)
		rc = pp_spec_generate(base, o, from, nfrom, globs, nglobs, regex, &text, d);
	if (rc == PP_OK)
		rc = emit(out, text, d);
	print_diag(d);
	free(text);
	free(from);
	free(globs);
	pp_spec_free(base);
	pp_options_free(o);
	pp_diag_free(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return bad_usage("%s", "missing command");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		fputs(help, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("platprobe %s\n", pp_version());
#ifdef PP_NO_LIBDW
		/* Tells users and the tests that whole layouts and enum values cannot be read. */
		printf("built without libdw: no debug information is read\n");
#endif
		return 0;
	}
	int is_check = !strcmp(cmd, "check");
	int is_probe = !strcmp(cmd, "probe") || is_check, is_show = !strcmp(cmd, "show");
	if (!strcmp(cmd, "diff"))
		return cmd_files(argc, argv, 0);
	if (!strcmp(cmd, "spec"))
		return cmd_spec(argc, argv);
	if (!strcmp(cmd, "report"))
		return cmd_files(argc, argv, 1);
	if (!is_probe && !is_show)
		return bad_usage("unknown command '%s'", cmd);

	pp_options *o = pp_options_new();
	pp_diag *d = pp_diag_new();
	pp_spec *base = is_show ? pp_spec_new("show") : NULL;
	const char *out = NULL, *format = is_check ? "text" : "json", *prefix = NULL, *spec_path = NULL;
	const char *baseline = NULL, *depfile = NULL, *from = NULL;
	const char **ignore = calloc((size_t)argc + 1, sizeof(char *));
	size_t nignore = 0;
	unsigned check_flags = 0;
	const char *show_format = "text";
	const char **names = calloc((size_t)argc, sizeof(char *));
	size_t nnames = 0;
	int rc = PP_OK, verbose = 0, keep = 0, have_cc = 0, no_cache = 0;
	const char *cache_dir = NULL;
	const char **targets = calloc((size_t)argc, sizeof(char *));
	size_t ntargets = 0;
	for (int i = 2; i < argc && rc == PP_OK; i++) {
		const char *a = argv[i], *v;
		int missing = 0;
		if (a[0] != '-' || !strcmp(a, "-")) {
			if (is_probe && !spec_path)
				spec_path = fmt_opts.spec_name = a;
			else if (is_check && !baseline)
				baseline = a;
			else if (is_show)
				names[nnames++] = a;
			else
				rc = bad_usage("unexpected argument '%s'", a);
		} else if (!strcmp(a, "--")) {
			for (i++; i < argc; i++) {
				if (is_probe && !spec_path)
					spec_path = fmt_opts.spec_name = argv[i];
				else if (is_check && !baseline)
					baseline = argv[i];
				else if (is_show)
					names[nnames++] = argv[i];
				else
					rc = bad_usage("unexpected argument '%s'", argv[i]);
			}
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = 1;
		} else if (!strcmp(a, "--keep-temps")) {
			keep = 1;
		} else if (!strcmp(a, "--no-cache")) {
			no_cache = 1;
		} else if ((v = opt_value(argc, argv, &i, "--cache-dir", NULL, &missing))) {
			cache_dir = v;
		} else if (is_check && !strcmp(a, "--allow-new")) {
			check_flags |= PP_CHECK_ALLOW_NEW;
		} else if (is_check && !strcmp(a, "--ignore-compiler-version")) {
			ignore[nignore++] = "target.compiler_version";
		} else if (is_check && (v = opt_value(argc, argv, &i, "--ignore", NULL, &missing))) {
			ignore[nignore++] = v;
		} else if (is_check && (v = opt_value(argc, argv, &i, "--format", "-f", &missing))) {
			if (strcmp(v, "text") && strcmp(v, "json"))
				rc = bad_usage("unknown format '%s' for check (text, json)", v);
			format = v;
		} else if (is_probe && !is_check &&
		           (v = opt_value(argc, argv, &i, "--output", "-o", &missing))) {
			out = v;
		} else if (is_probe && !is_check &&
		           (v = opt_value(argc, argv, &i, "--format", "-f", &missing))) {
			if (!pp_format_known(v)) {
				char *names = pp_format_names(), msg[512];
				snprintf(msg, sizeof msg, "unknown format '%.200s' (%s)", v, names);
				free(names);
				rc = bad_usage("%s", msg);
			}
			format = v;
		} else if (is_probe && !is_check &&
		           (v = opt_value(argc, argv, &i, "--prefix", NULL, &missing))) {
			prefix = v;
		} else if (is_probe && !is_check &&
		           (v = opt_value(argc, argv, &i, "--package", NULL, &missing))) {
			fmt_opts.package = v;
		} else if (is_probe && !is_check &&
		           (v = opt_value(argc, argv, &i, "--template", NULL, &missing))) {
			fmt_opts.template_path = v;
			format = "template";
		} else if (is_probe && !is_check && !strcmp(a, "--model")) {
			format = "model";
		} else if (is_probe && !is_check &&
		           (v = opt_value(argc, argv, &i, "--depfile", NULL, &missing))) {
			depfile = v;
			pp_options_set_deps(o, 1);
		} else if (is_probe && (v = opt_value(argc, argv, &i, "--from", NULL, &missing))) {
			from = v;
		} else if (is_probe && (v = opt_value(argc, argv, &i, "--pkg", NULL, &missing))) {
			pp_options_add_pkg(o, v);
		} else if ((v = opt_value(argc, argv, &i, "--cc", NULL, &missing))) {
			pp_options_set_cc(o, v);
			have_cc = 1;
		} else if ((is_probe || is_show) &&
		           (v = opt_value(argc, argv, &i, "--target", NULL, &missing))) {
			targets[ntargets++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--sysroot", NULL, &missing))) {
			pp_options_set_sysroot(o, v);
		} else if ((v = opt_value(argc, argv, &i, "--mode", NULL, &missing))) {
			if (!strcmp(v, "object"))
				pp_options_set_mode(o, PP_MODE_OBJECT);
			else if (!strcmp(v, "run"))
				pp_options_set_mode(o, PP_MODE_RUN);
			else
				rc = bad_usage("unknown mode '%s' (object, run)", v);
		} else if ((v = opt_value(argc, argv, &i, "--exec-wrapper", NULL, &missing))) {
			pp_options_set_exec_wrapper(o, v);
		} else if ((v = opt_value(argc, argv, &i, "--timeout", NULL, &missing))) {
			char *end;
			double t = strtod(v, &end);
			if (*end || !(t > 0))
				rc = bad_usage("--timeout takes a number of seconds above 0, not '%s'", v);
			pp_options_set_timeout(o, t);
		} else if (is_show && (v = opt_value(argc, argv, &i, "--format", "-f", &missing))) {
			if (strcmp(v, "text") && strcmp(v, "json"))
				rc = bad_usage("unknown format '%s' (text, json)", v);
			show_format = v;
		} else if (is_show && (v = opt_value(argc, argv, &i, "--include", "-i", &missing))) {
			if (pp_spec_add_header(base, v, d) < 0)
				rc = PP_EUSAGE;
		} else if (is_show && (v = opt_value(argc, argv, &i, "--define", "-D", &missing))) {
			const char *eq = strchr(v, '=');
			char *name = eq ? strndup(v, (size_t)(eq - v)) : strdup(v);
			if (pp_spec_add_define(base, name, eq ? eq + 1 : "1", d) < 0)
				rc = PP_EUSAGE;
			free(name);
		} else if (missing) {
			rc = bad_usage("option '%s' needs a value", a);
		} else {
			rc = bad_usage("unknown option '%s'", a);
		}
		if (missing && rc == PP_OK)
			rc = bad_usage("option '%s' needs a value", a);
	}
	if (rc == PP_OK && is_probe && !spec_path)
		rc = bad_usage("%s needs a spec file", cmd);
	if (rc == PP_OK && is_check && !baseline)
		rc = bad_usage("%s", "check needs a baseline: a result file saved by platprobe probe");
	if (rc == PP_OK && depfile && (!out || strstr(out, "{triple}")))
		rc = bad_usage("%s", "--depfile names the targets of one output file: give -o FILE");
	if (rc == PP_OK && is_show && !nnames)
		rc = bad_usage("%s", "show needs at least one name");
	if (rc == PP_OK && have_cc && ntargets)
		rc = bad_usage("%s", "--cc and --target both name the compiler: give one");

	pp_options_set_keep_temps(o, keep);
	if (!no_cache) {
		char *dflt = NULL;
		if (!cache_dir) {
			const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
			if (xdg && *xdg == '/')
				dflt = malloc(strlen(xdg) + 16);
			else if (home && *home)
				dflt = malloc(strlen(home) + 24);
			if (dflt && xdg && *xdg == '/')
				sprintf(dflt, "%s/platprobe", xdg);
			else if (dflt)
				sprintf(dflt, "%s/.cache/platprobe", home);
		}
		pp_options_set_cache_dir(o, cache_dir ? cache_dir : dflt);
		free(dflt);
	}
	if (verbose || keep)
		pp_options_set_log(o, verbose ? log_line : log_kept, NULL);
	pp_install_signal_cleanup();
	char *text = NULL;
	if (rc == PP_OK && is_probe) {
		pp_spec *spec = pp_spec_load(spec_path, d);
		pp_result **res = NULL;
		size_t nres = 0;
		if (!spec)
			rc = PP_EUSAGE;
		else
			rc = get_results(spec, o, targets, ntargets, have_cc, from, &res, &nres, d);
		if (rc == PP_OK && is_check)
			rc = check_results(res, nres, spec_path, baseline, format, check_flags, ignore,
			                   nignore, d);
		else if (rc == PP_OK)
			rc = write_results(res, nres, out, format, prefix, depfile, spec_path, from, d);
		for (size_t i = 0; i < nres; i++)
			pp_result_free(res[i]);
		free(res);
		pp_spec_free(spec);
	} else if (rc == PP_OK && is_show && ntargets > 1 && strcmp(show_format, "text")) {
		rc = bad_usage("%s", "show with several --target is a table: -f text only");
	} else if (rc == PP_OK && is_show && ntargets > 1) {
		pp_options **opts = calloc(ntargets, sizeof *opts);
		for (size_t k = 0; opts && k < ntargets; k++) {
			opts[k] = pp_options_clone(o);
			pp_options_set_target(opts[k], targets[k]);
		}
		rc = opts ? pp_show_targets(base, names, nnames, opts, ntargets, &text, d) : PP_EANSWER;
		for (size_t k = 0; opts && k < ntargets; k++)
			pp_options_free(opts[k]);
		free(opts);
		if (text)
			fputs(text, stdout);
	} else if (rc == PP_OK && is_show) {
		if (ntargets == 1)
			pp_options_set_target(o, targets[0]);
		rc = pp_show_format(base, names, nnames, o, show_format, &text, d);
		if (text)
			fputs(text, stdout); /* what was found, beside any error for what was not */
	}
	print_diag(d);
	free(text);
	free(names);
	free(targets);
	free(ignore);
	pp_spec_free(base);
	pp_diag_free(d);
	pp_options_free(o);
	/* Interrupted: everything is cleaned up; now die of the signal, as the caller expects. */
	int sig = pp_signal_pending();
	if (sig) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}
