/* platprobe.h: the public API of libplatprobe, which learns a C platform's facts from its compiler.
 * Every type is opaque; every returned string is owned by the caller (free()) unless stated. */
#ifndef PLATPROBE_H
#define PLATPROBE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PP_VERSION "0.1.0"

/* Status of a probe, and the CLI's exit status for it. */
enum pp_status {
	PP_OK = 0,        /* every required entry answered */
	PP_EANSWER = 1,   /* a required entry could not be answered, or the compiler failed */
	PP_EUSAGE = 2     /* bad usage or a bad spec: nothing was compiled */
};

enum pp_mode { PP_MODE_OBJECT, PP_MODE_RUN };

enum pp_section { PP_TYPES, PP_STRUCTS, PP_CONSTANTS, PP_DEFINED, PP_FUNCTIONS, PP_ENUMS,
	PP_LIBRARIES,
	PP_NSECTIONS };

typedef struct pp_diag pp_diag;       /* a list of error messages, printed once by the caller */
typedef struct pp_spec pp_spec;       /* a validated probe spec */
typedef struct pp_options pp_options; /* compiler, mode, limits */
typedef struct pp_result pp_result;   /* the answers for one target */

const char *pp_version(void);

pp_diag *pp_diag_new(void);
void pp_diag_free(pp_diag *d);
size_t pp_diag_count(const pp_diag *d);
const char *pp_diag_message(const pp_diag *d, size_t i);

/* Specs. load/parse validate everything (JSON syntax with line:col, schema with JSON paths, C
 * grammar of every name) and return NULL with messages in d when anything is wrong. */
pp_spec *pp_spec_load(const char *path, pp_diag *d);
pp_spec *pp_spec_parse(const char *text, size_t len, const char *filename, pp_diag *d);
pp_spec *pp_spec_new(const char *filename);
void pp_spec_free(pp_spec *s);
/* Builders for specs made in code (the CLI's show): each validates like the parser; 0 on success. */
int pp_spec_add_header(pp_spec *s, const char *header, pp_diag *d);
int pp_spec_add_define(pp_spec *s, const char *name, const char *value, pp_diag *d);
int pp_spec_add_entry(pp_spec *s, enum pp_section sec, const char *name, int optional, pp_diag *d);

pp_options *pp_options_new(void);
void pp_options_free(pp_options *o);
/* The compiler command (split on blanks, like make's $(CC)); NULL means $CC, else "cc". */
void pp_options_set_cc(pp_options *o, const char *cc);
void pp_options_set_mode(pp_options *o, enum pp_mode mode);
/* A target triple: the compiler becomes TRIPLE-gcc if it is on PATH, else clang --target=TRIPLE.
 * It overrides $CC; it cannot be combined with pp_options_set_cc. In run mode with no exec wrapper
 * set, a cross target's program runs under qemu-ARCH -L /usr/TRIPLE, or wine64 for *-mingw32. */
void pp_options_set_target(pp_options *o, const char *triple);
void pp_options_set_sysroot(pp_options *o, const char *dir);
void pp_options_add_cflag(pp_options *o, const char *flag);
/* A pkg-config package whose cflags and libs are added, like the spec's "pkg-config" list. */
void pp_options_add_pkg(pp_options *o, const char *name);
pp_options *pp_options_clone(const pp_options *o);
/* Command prefix that runs a target program (split on blanks), e.g. "qemu-aarch64 -L /usr/...". */
void pp_options_set_exec_wrapper(pp_options *o, const char *wrapper);
void pp_options_set_timeout(pp_options *o, double seconds);
void pp_options_set_keep_temps(pp_options *o, int keep);
/* Where answers are kept between runs (created if missing); NULL (the default) for no cache. An
 * entry is reused only while the compiler, every flag, the spec and every header it read are
 * unchanged; then no compiler runs at all. */
void pp_options_set_cache_dir(pp_options *o, const char *dir);
/* Called with each line of progress (commands run); NULL for silence. */
void pp_options_set_log(pp_options *o, void (*log)(void *ud, const char *line), void *ud);

/* Probes every entry of spec. Returns PP_OK with *out set; PP_EANSWER with messages in d (and
 * *out set when the compiler ran, so partial answers can be inspected); PP_EUSAGE never. */
int pp_probe(const pp_spec *spec, const pp_options *opts, pp_result **out, pp_diag *d);
void pp_result_free(pp_result *r);
/* The target triple the compiler reported for this result. */
const char *pp_result_triple(const pp_result *r);

/* Probes spec once per option set, in parallel (at most one thread per core); results[i] belongs
 * to opts[i] and is NULL when that target failed. Messages name their target. Returns the worst
 * status. */
int pp_probe_many(const pp_spec *spec, pp_options *const *opts, size_t n, pp_result **results,
                  pp_diag *d);
/* Option sets for the spec's "targets" list, each starting from base; NULL if it has none. *n is
 * set to their number. Free each with pp_options_free and the array with free(). */
pp_options **pp_spec_target_options(const pp_spec *spec, const pp_options *base, size_t *n);

/* Renders a result: format "json", "header", or one that templates/ provides ("python", "rust",
 * "guard"); prefix applies to header and guard macro names (may be NULL).
 * Returns a NUL-terminated malloc'd text, or NULL with a message in d. */
char *pp_result_format(const pp_result *r, const char *format, const char *prefix, pp_diag *d);
/* What the binding formats take beyond the format's name (any may be NULL). */
typedef struct pp_format_opts {
	const char *prefix;        /* header and guard macro names */
	const char *package;       /* go: the package (default: from spec_name) */
	const char *spec_name;     /* the spec's file name: the default package */
	const char *template_path; /* a template file of the user's own, rendered instead of format */
} pp_format_opts;
/* pp_result_format with those options; format "model" is the data tree the templates see, as
 * JSON (README, "The data tree"). */
char *pp_result_format_opts(const pp_result *r, const char *format, const pp_format_opts *fo,
                            pp_diag *d);
/* Several targets' results in one JSON document: {"platprobe": 1, "results": [...]}. */
char *pp_results_format(pp_result *const *r, size_t n, pp_diag *d);
/* Whether format is one pp_result_format renders; the list of them ("json, header, ..."), which
 * the caller frees. */
int pp_format_known(const char *format);
char *pp_format_names(void);

/* Reads results saved as JSON (one result, or a document of several targets' as
 * pp_results_format writes them) back, entry by entry as spec asks for them, with no compiler: any
 * format can then be written from them, byte for byte as from the probe. Returns NULL (every
 * problem in d) when the file is not a result, a value is malformed, or spec asks for an entry the
 * file has no answer for. *n is set to the number of results; free each with pp_result_free and
 * the array with free(). */
pp_result **pp_results_load(const pp_spec *spec, const char *path, size_t *n, pp_diag *d);

/* With deps set, each probe records every file the compiler read for it (cc -MD). */
void pp_options_set_deps(pp_options *o, int deps);
/* A depfile in Make syntax, as cc -MD writes one: output depends on each of inputs (the spec, a
 * saved result) and on every file the results' compilers read. NULL (reported) when a result
 * holds no record of them. */
char *pp_depfile_format(pp_result *const *r, size_t n, const char *output,
                        const char *const *inputs, size_t ninputs, pp_diag *d);

/* Classifies each name (type, struct/union, enum, constant, macro, function) with one probe of a
 * spec that holds only headers and defines, and renders a table for a person. Same status as
 * pp_probe. */
int pp_show(const pp_spec *base, const char *const *names, size_t n, const pp_options *opts,
            char **text, pp_diag *d);
/* The same, as format "text" (pp_show's table; a struct's whole layout pahole-like) or "json" (the
 * result format, each name in the section of what it is). */
int pp_show_format(const pp_spec *base, const char *const *names, size_t n, const pp_options *opts,
                   const char *format, char **text, pp_diag *d);

/* Compares results: two files of one result each as pp_diff_files does; more (or files of several
 * targets' results) as a table, one row per path that differs anywhere and one column per result
 * (format "text" or "json"). Same status as pp_diff_files. */
int pp_diff_results(const char *const *paths, size_t n, const char *format, char **text,
                    pp_diag *d);

/* Writes a probe spec (*text, JSON, sorted, one entry a line, every entry optional) of what base's
 * headers declare: object-like macros as constants, structs and unions (whole layouts), enums,
 * typedefs and functions (with gcc); by default those declared in the named headers themselves,
 * and in any file whose path ends with one of from[] too. globs (fnmatch) and regex (POSIX ERE),
 * when given, filter the names. Two compiler runs (-E -dD, and one -g compile). Same status as
 * pp_probe; PP_EUSAGE for a bad regex or no header. */
int pp_spec_generate(const pp_spec *base, const pp_options *o, const char *const *from,
                     size_t nfrom, const char *const *globs, size_t nglobs, const char *regex,
                     char **text, pp_diag *d);

/* show for several targets at once (one option set each, probed in parallel): each name as a
 * table with one column per target, struct members aligned by name, differences marked. */
int pp_show_targets(const pp_spec *base, const char *const *names, size_t n,
                    pp_options *const *opts, size_t nopts, char **text, pp_diag *d);

/* Compares two result files. Returns 0 when they say the same, 1 when they differ (the
 * differences in *text: one "path: a -> b" line each, or JSON with format "json"), PP_EUSAGE when
 * a file is not a readable result. */
int pp_diff_files(const char *a_path, const char *b_path, const char *format, char **text,
                  pp_diag *d);

/* Several results side by side (files of one result or of several targets): format "html" (one
 * self-contained page: summary, a byte ruler per struct and target, tables with the differing
 * cells marked) or "markdown" (the summary and what differs, for a CI job summary). 0, or
 * PP_EUSAGE with messages in d when a file is not a readable result. */
int pp_report_files(const char *const *paths, size_t n, const char *format, char **text,
                    pp_diag *d);

/* Compares results (one, or several targets' as pp_results_format writes them) with a baseline
 * result file: the baseline is what is expected, the results what was got. Returns 0 when they
 * agree, 1 when they differ (*text: one line per difference naming the entry, the field, the
 * expected and the got value; or JSON with format "json"), PP_EUSAGE when the baseline is not a
 * readable result. A difference under one of the ignore paths ("target.compiler_version") does
 * not count; with PP_CHECK_ALLOW_NEW neither does an entry (or struct field) that the baseline
 * lacks. */
#define PP_CHECK_ALLOW_NEW 1u
int pp_check_results(pp_result *const *r, size_t n, const char *baseline, const char *format,
                     unsigned flags, const char *const *ignore, size_t nignore, char **text,
                     pp_diag *d);

/* Replaces path with data atomically (temp file beside it + rename; through a symlink, the link's
 * target is replaced). On failure path is untouched and no temp file is left. 0 on success. */
int pp_write_file(const char *path, const char *data, size_t len, pp_diag *d);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that remove platprobe's temp files and stop any compiler
 * it started, then die of the same signal. For programs; a library user may call it or not. */
void pp_install_signal_cleanup(void);
/* The signal number once one of those arrived (the probe then fails and cleans up), else 0; the
 * program should die of it after its own cleanup, as main.c does. */
int pp_signal_pending(void);

#ifdef __cplusplus
}
#endif
#endif
