/* main.c: the platprobe command: parses arguments, calls libplatprobe, prints its messages once,
 * and writes the output (stdout, or -o FILE atomically). All the work is in the library. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platprobe.h"

static const char usage[] =
	"usage: platprobe probe SPEC.json [-o FILE] [-f json|header] [--prefix P] [--cc CC]\n"
	"                           [--mode object|run] [--exec-wrapper CMD] [--timeout SECONDS]\n"
	"                           [-v] [--keep-temps]\n"
	"       platprobe show [-i HEADER]... [-D NAME[=VAL]]... [-f text|json] [--cc CC]\n"
	"                      [--mode object|run] [--exec-wrapper CMD] [--timeout SECONDS] [-v]\n"
	"                      NAME...\n"
	"       platprobe --help | --version\n";

static const char help[] =
	"\n"
	"probe   answers every entry of a probe spec (see README.md) and prints the result as JSON\n"
	"        or as an autoconf-style header; -o FILE replaces FILE atomically.\n"
	"show    tells what each NAME is (type, struct, enum, constant, macro, function) and its\n"
	"        facts; a struct or union's whole layout as a table (-f json: the result format).\n"
	"\n"
	"  -o FILE             write the output to FILE (atomically) instead of stdout\n"
	"  -f, --format F      json (default) or header; show: text (default) or json\n"
	"  --prefix P          prefix for every macro of the header format\n"
	"  --cc CC             the compiler (default: $CC, else cc); $CPPFLAGS and $CFLAGS apply\n"
	"  --mode M            object (default): read answers from the object file, no link or run;\n"
	"                      run: link and run a program (through --exec-wrapper when given)\n"
	"  --exec-wrapper CMD  runs the probe program, e.g. 'qemu-aarch64 -L /usr/aarch64-linux-gnu'\n"
	"  --timeout SECONDS   limit for each compiler or program run (default 300)\n"
	"  -i HEADER           (show) include HEADER; -D NAME[=VAL] (show) define a macro first\n"
	"  -v                  print each command run\n"
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
		return 0;
	}
	int is_probe = !strcmp(cmd, "probe"), is_show = !strcmp(cmd, "show");
	if (!is_probe && !is_show)
		return bad_usage("unknown command '%s'", cmd);

	pp_options *o = pp_options_new();
	pp_diag *d = pp_diag_new();
	pp_spec *base = is_show ? pp_spec_new("show") : NULL;
	const char *out = NULL, *format = "json", *prefix = NULL, *spec_path = NULL;
	const char *show_format = "text";
	const char **names = calloc((size_t)argc, sizeof(char *));
	size_t nnames = 0;
	int rc = PP_OK, verbose = 0, keep = 0;
	for (int i = 2; i < argc && rc == PP_OK; i++) {
		const char *a = argv[i], *v;
		int missing = 0;
		if (a[0] != '-' || !strcmp(a, "-")) {
			if (is_probe && !spec_path)
				spec_path = a;
			else if (is_show)
				names[nnames++] = a;
			else
				rc = bad_usage("unexpected argument '%s'", a);
		} else if (!strcmp(a, "--")) {
			for (i++; i < argc; i++) {
				if (is_probe && !spec_path)
					spec_path = argv[i];
				else if (is_show)
					names[nnames++] = argv[i];
				else
					rc = bad_usage("unexpected argument '%s'", argv[i]);
			}
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = 1;
		} else if (!strcmp(a, "--keep-temps")) {
			keep = 1;
		} else if (is_probe && (v = opt_value(argc, argv, &i, "--output", "-o", &missing))) {
			out = v;
		} else if (is_probe && (v = opt_value(argc, argv, &i, "--format", "-f", &missing))) {
			if (strcmp(v, "json") && strcmp(v, "header"))
				rc = bad_usage("unknown format '%s' (json, header)", v);
			format = v;
		} else if (is_probe && (v = opt_value(argc, argv, &i, "--prefix", NULL, &missing))) {
			prefix = v;
		} else if ((v = opt_value(argc, argv, &i, "--cc", NULL, &missing))) {
			pp_options_set_cc(o, v);
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
		rc = bad_usage("%s", "probe needs a spec file");
	if (rc == PP_OK && is_show && !nnames)
		rc = bad_usage("%s", "show needs at least one name");

	pp_options_set_keep_temps(o, keep);
	if (verbose || keep)
		pp_options_set_log(o, verbose ? log_line : log_kept, NULL);
	pp_install_signal_cleanup();
	char *text = NULL;
	if (rc == PP_OK && is_probe) {
		pp_spec *spec = pp_spec_load(spec_path, d);
		if (!spec) {
			rc = PP_EUSAGE;
		} else {
			pp_result *r = NULL;
			rc = pp_probe(spec, o, &r, d);
			if (rc == PP_OK && !(text = pp_result_format(r, format, prefix, d)))
				rc = PP_EUSAGE;
			pp_result_free(r);
			pp_spec_free(spec);
		}
	} else if (rc == PP_OK && is_show) {
		rc = pp_show_format(base, names, nnames, o, show_format, &text, d);
	}
	if (rc == PP_OK && text) {
		if (out) {
			if (pp_write_file(out, text, strlen(text), d) < 0)
				rc = PP_EANSWER;
		} else if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
			fprintf(stderr, "platprobe: error: cannot write to standard output\n");
			rc = PP_EANSWER;
		}
	} else if (text && is_show) {
		fputs(text, stdout); /* what was found, beside the error for what was not */
	}
	print_diag(d);
	free(text);
	free(names);
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
