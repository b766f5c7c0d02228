/* pp_job.h: the probe pipeline's private state (one probe of one target), shared by its stages:
 * pp_toolchain.c, pp_isolate.c, pp_decode.c, pp_cachekey.c and pp_probe.c (the driver). */
#ifndef PP_JOB_H
#define PP_JOB_H

#include <pthread.h>

#include "pp_internal.h"

#define PP_MAX_COMPILES 3 /* one compile, plus at most two for isolating failed entries */
#define PP_MAX_HIDDEN 16  /* passes more for names undeclared through macros (pp_isolate.c) */

typedef struct pp_job {
	const pp_spec *spec;
	const pp_options *o;
	pp_diag *d;
	pp_tmpdir tmp;
	pp_strv cc;      /* compiler words */
	pp_strv flags;   /* everything between the compiler and our own options */
	pp_strv libs;    /* link-time: $LDFLAGS, spec libs, pkg-config libs */
	char *cc_name;   /* as the user gave it, for messages and the result */
	char *triple;
	int clang;       /* add -ferror-limit=0: by the compiler's name, or learnt from its -v output */
	int msvc;        /* an MSVC-style driver (pp_dialect.c), learnt from its first compile */
	int dialect_known; /* that first compile ran */
	int hidden_undeclared; /* this pass failed an entry on a name it does not write itself */
	pp_plan plan;
	char *depfile;   /* the main compile's -MD output: the headers it read (cache, --depfile) */
	char *main_err;  /* the main compile's -v output: the programs the compiler ran */
	unsigned pass;   /* isolation passes so far; an item retyped in this pass ignores its other errors */
	char *memory;    /* the failure memory's file (object mode with a cache), NULL without */
	size_t nremembered; /* items it left out or asked another way, to be confirmed */
	int failed;      /* a fatal error was reported */
} pp_job;

/* A tool run in a thread of its own beside the job's main compile (the early link, the failure
 * memory's unit), so the probe takes the longer of the runs, not their sum. */
typedef struct pp_bg {
	int started;
	pthread_t th;
	pp_strv argv;    /* filled by the caller before pp_bg_start */
	pp_proc_opts po;
	pp_proc_result r;
} pp_bg;

/* Logs b->argv and starts it; if no thread could be had, b->started and b->r.started are 0. */
void pp_bg_start(pp_job *j, pp_bg *b);
/* Waits for it (again: nothing); its result is in b->r. */
void pp_bg_join(pp_bg *b);
/* Waits for it and frees its argv and result. */
void pp_bg_free(pp_bg *b);

void pp_log(const pp_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pp_write_text(pp_job *j, const char *path, const char *text);
char *pp_error_lines(const char *err);
int pp_run_tool(pp_job *j, pp_strv *argv, const char *what, pp_proc_result *r);
void pp_add_pkg_flags(pp_job *j);
void pp_job_init(pp_job *j, const pp_spec *spec, const pp_options *o, pp_diag *d);
void pp_job_free(pp_job *j);
void pp_compile_argv(pp_job *j, pp_strv *argv, const char *src, const char *out, int link,
                     int deps, int errors_only);
void pp_note_triple(pp_job *j, const char *err);
int pp_compile(pp_job *j, const char *top, enum pp_mode mode, const char *src, const char *out,
               int link);
int pp_read_back(pp_job *j, enum pp_mode mode, const char *out, pp_buf *bytes);
void pp_find_triple(pp_job *j);
int pp_finish_cached(pp_job *j, enum pp_mode mode, pp_buf *bytes, const char *triple,
                     const char *object, int dwarf, pp_strv *headers, pp_result **out,
                     const char **why);
void pp_cache_key(pp_job *j, char key[33], int entries);
void pp_cache_save(pp_job *j, const char *key, const pp_table *t, const char *object,
                   const pp_strv *headers);

#endif
