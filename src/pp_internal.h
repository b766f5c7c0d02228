/* pp_internal.h: the library's private model (spec, options, results) and the interfaces between
 * its stages: spec -> plan/generate -> compile -> read back -> results -> emit. Never installed. */
#ifndef PP_INTERNAL_H
#define PP_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "platprobe.h"
#include "pp_buf.h"

/* ---- diagnostics (pp_diag.c) ---- */
struct pp_diag {
	char **msg;
	size_t n, cap;
};
void pp_diag_add(pp_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- string vectors ---- */
typedef struct pp_strv {
	char **v;
	size_t n, cap;
} pp_strv;
void pp_strv_push(pp_strv *sv, const char *s);  /* copies s */
int pp_strv_has(const pp_strv *sv, const char *s);
void pp_strv_push_own(pp_strv *sv, char *s);    /* takes s */
void pp_strv_split(pp_strv *sv, const char *words); /* appends words split as sh does (quotes) */
void pp_strv_free(pp_strv *sv);

/* ---- spec (pp_spec.c) ---- */
typedef struct pp_field {
	char *name;   /* member path: "st_size", "st_mtim.tv_nsec", "sa_data[2]" */
	int optional;
} pp_field;

/* A struct's whole layout: not asked ("fields": [...] or []), wanted (no "fields": answered where
 * the object's debug information can be read), or required ("fields": "*"). */
enum pp_whole { PP_WHOLE_NO, PP_WHOLE_WANTED, PP_WHOLE_REQUIRED };

typedef struct pp_entry {
	enum pp_section sec;
	size_t index;      /* position in its section, for messages: constants[3] */
	char *name;
	int optional;
	pp_field *fields;  /* structs only */
	size_t nfields;
	enum pp_whole whole; /* structs only */
	char *as;          /* types, structs, enums: the name every binding format gives it ("as") */
	int no_link;       /* functions: "link": false, only whether NAME compiles as an expression */
} pp_entry;

typedef struct pp_define {
	char *name, *value;
} pp_define;

/* One entry of the spec's "targets": how to compile (and run) for it. */
typedef struct pp_target_spec {
	char *triple, *cc, *sysroot, *exec_wrapper;
	pp_strv cflags;
} pp_target_spec;

struct pp_spec {
	char *filename;
	pp_target_spec *targets;
	size_t ntargets;
	pp_strv headers, include_dirs, cflags, libs, pkgs;
	pp_strv optional_headers; /* those of headers included only where they exist */
	pp_define *defines;
	size_t ndefines;
	pp_entry *entries[PP_NSECTIONS];
	size_t nentries[PP_NSECTIONS];
};

extern const char *const pp_section_names[PP_NSECTIONS];

/* Line and column (1-based, columns in bytes) of offset off in text: for JSON error messages. */
void pp_linecol(const char *text, size_t off, size_t *line, size_t *col);

/* ---- floats (pp_float.c) ---- */
/* A float constant's stored bytes (n of them, is_ldouble: of type long double) as a double: 0
 * exact, 1 when a double cannot hold it exactly, -1 for a format it does not know. */
int pp_float_decode(const unsigned char *p, size_t n, int big_endian, int is_ldouble,
                    unsigned ldbl_mant, double *out);

/* ---- names (pp_name.c): the C grammar a spec's names must follow ---- */
int pp_name_is_ident(const char *s);
int pp_name_is_type(const char *s);
int pp_name_is_member_path(const char *s);
int pp_name_is_const_expr(const char *s);
int pp_name_is_header(const char *s);
int pp_name_is_library(const char *s); /* NAME of -lNAME */
int pp_name_is_define_value(const char *s);
/* The member names of a path after its first that generated code keeps from macro expansion
 * (fn gets each); how many. */
size_t pp_path_hidden(const char *path, void (*fn)(void *, const char *, size_t), void *arg);

/* ---- options ---- */
struct pp_options {
	char *cc;            /* NULL: from target, else $CC, else "cc" */
	char *target;        /* a triple: TRIPLE-gcc, else clang --target=TRIPLE */
	char *sysroot;
	pp_strv cflags;      /* per target, after the spec's */
	pp_strv pkgs;        /* --pkg: pkg-config packages beside the spec's */
	int deps;            /* record the files the compiler read (cc -MD) */
	enum pp_mode mode;
	char *exec_wrapper;
	double timeout;
	int keep_temps;
	char *cache_dir;     /* NULL: no cache */
	void (*log)(void *ud, const char *line);
	void *log_ud;
};

/* ---- processes and temp files (pp_exec.c) ---- */
typedef struct pp_proc_result {
	int started;       /* 0: could not exec (errno_ in err) */
	int exited, status;/* exited normally with status */
	int signaled, sig; /* killed by sig */
	int timed_out;
	int err;           /* errno when not started */
	pp_buf out, errout;      /* bounded: head and tail of what it printed (pp_exec.c) */
	size_t out_dropped, err_dropped; /* bytes left out between them */
} pp_proc_result;

typedef struct pp_proc_opts {
	double timeout;     /* seconds; the whole process group is killed after it */
	int env_c;          /* LC_ALL=C, for diagnostics we parse */
	const char *tmpdir; /* TMPDIR for the child, NULL to leave it */
} pp_proc_opts;

/* Runs argv (argv[0] looked up in PATH) with stdout and stderr captured, in its own process
 * group. Thread-safe: several targets may probe at once. */
void pp_proc_run(char *const *argv, const pp_proc_opts *po, pp_proc_result *r);
/* The path execvp would run for name (searched in $PATH unless it holds a slash), or NULL. */
char *pp_which(const char *name);
/* 0 when name can be run, else the errno saying why not (ENOENT, EACCES). */
int pp_unrunnable(const char *name);
void pp_proc_result_free(pp_proc_result *r);
/* Logs "platprobe: run: ARGV..." through the options' log, when there is one. */
void pp_log_argv(const pp_options *o, char *const *argv);
/* "killed by signal 11 (Segmentation fault)" etc.; NULL when it exited 0. Caller frees. */
char *pp_proc_failure(const pp_proc_result *r, double timeout);

/* A private temp directory, removed with everything in it on free and on a fatal signal. */
typedef struct pp_tmpdir {
	char *path;
	int keep;
} pp_tmpdir;
int pp_tmpdir_make(pp_tmpdir *t, pp_diag *d);
char *pp_tmpdir_file(const pp_tmpdir *t, const char *name);  /* caller frees */
void pp_tmpdir_free(pp_tmpdir *t);

/* ---- templates (pp_tmpl.c; texts embedded from templates/ by the build) ---- */
const char *pp_template(const char *name); /* NULL if no such template */

/* ---- plan and generate (pp_gen.c) ---- */
enum pp_item_kind { PP_ITEM_TARGET, PP_ITEM_TYPE, PP_ITEM_STRUCT, PP_ITEM_FIELD, PP_ITEM_BITFIELD,
	PP_ITEM_CONSTANT, PP_ITEM_DEFINED, PP_ITEM_FUNCTION, PP_ITEM_ENUM, PP_ITEM_FLEXFIELD,
	PP_ITEM_CFIELD, /* a field whose path is asked as C reads it, macros expanded (pp_gen.c) */
	PP_ITEM_DECLARED /* a function entry with "link": false: declared.c, no prototype, no link */ };

enum pp_item_state { PP_LIVE, PP_FAILED, PP_NONCONST };

typedef struct pp_slotname {
	const char *name;  /* points into the template text's copy held by the item */
	size_t len;
	size_t slot;       /* index in the table's slot array */
	int is_value;      /* a typed value: slot holds its offset, slot+1 its size */
} pp_slotname;

typedef struct pp_item {
	enum pp_item_kind kind;
	pp_entry *entry;   /* NULL for the target item */
	size_t field;      /* for fields: index in entry->fields */
	unsigned line;     /* virtual line in "platprobe-entries"; diagnostics map back through it */
	enum pp_item_state state;
	char *why;         /* compiler's message when failed */
	pp_slotname *names;
	size_t nnames;
	int links;         /* functions: 1 links, 0 not, -1 unknown */
	unsigned retyped;  /* the isolation pass that turned a field into a bit-field (or the like) */
	int in_table;      /* live in the last render of the probe (not of link.c): it has slots in
	                    * the answer table even when decoding or DWARF fails it afterwards */
	int remembered;    /* failure memory (pp_memory.c): 1 failed or was retyped last time, 2 so
	                    * again this time (confirmed) */
} pp_item;

typedef struct pp_plan {
	const pp_spec *spec;
	pp_item *items;
	size_t nitems;
	size_t nslots;     /* after the last render */
	pp_strv texts;     /* the rendered item templates; slot names point into them */
	int dw_values;     /* constants as constant_dw.c asks them, completed by pp_dwvalues.c */
} pp_plan;

/* A listed field, however it is asked: plain, as a bit-field's image, as a flexible array. */
static inline int pp_item_is_field(const pp_item *it)
{
	return it->kind == PP_ITEM_FIELD || it->kind == PP_ITEM_BITFIELD ||
	       it->kind == PP_ITEM_FLEXFIELD || it->kind == PP_ITEM_CFIELD;
}

#define PP_VIRTUAL_FILE "platprobe-entries"
#define PP_MEMORY_FILE "platprobe-remembered" /* the failure memory's translation unit */
#define PP_FRAME_FILE "platprobe-frame"

void pp_plan_init(pp_plan *p, const pp_spec *spec);
void pp_plan_free(pp_plan *p);
/* How many of the plan's items of that kind are still live (to be asked). */
size_t pp_plan_live(const pp_plan *p, enum pp_item_kind kind);
/* Renders the translation unit for the live items: "object" (values read from the object), "run"
 * (a program that prints the table), "link" (only takes every live function's address). */
char *pp_gen_render(pp_plan *p, const char *top, enum pp_mode mode);
/* mkdir -p (pp_cache.c) */
int pp_mkdirs(const char *dir);
/* pp_write_file without the fsync, for cache files (pp_out.c says why); and a file in
 * platprobe's own temp dir, written in place. 0, or -1 with a message in d (NULL: none). */
int pp_write_cache_file(const char *path, const char *data, size_t len, pp_diag *d);
int pp_write_temp(const char *path, const char *data, size_t len, pp_diag *d);

/* ---- failure memory (pp_memory.c) ---- */
/* Marks the plan's items that the memory at path names (failed again, or asked another way);
 * how many. */
size_t pp_memory_load(const char *path, pp_plan *p);
/* Keeps what the compile made of the plan's items (after it compiled). */
void pp_memory_save(const char *path, const pp_plan *p);
/* The translation unit that asks the remembered items as first asked, under PP_MEMORY_FILE. */
char *pp_memory_render(pp_plan *p);
/* Reads that unit's errors: each remembered item with an error of its own is confirmed (its
 * why this compile's words); the others are live again as first asked. A "link": false entry
 * whose unit compiled (asked: the unit was compiled) is answered by that alone. Returns how many
 * must be asked again in the main unit. */
size_t pp_memory_confirm(pp_plan *p, const char *err, int asked);
/* Leaves every live "link": false entry out of the main unit, to be asked in the failure
 * memory's unit, compiled beside the main one: its compiling is its answer, so a name no header
 * declares costs no second compile. How many. */
size_t pp_memory_declared(pp_plan *p);
/* Whether an entry writes name (n bytes) as a name of its own; the name an "undeclared" error
 * quotes. */
int pp_item_uses_name(const pp_item *it, const char *name, size_t n);
const char *pp_undeclared_name(const char *msg, size_t *n);

/* A field path whose later member names pp_gen_render keeps from macro expansion (first try);
 * pp_path_unhide writes the directives that do so before (push) and after (pop) its use. */
int pp_field_hides(const char *path);
void pp_path_unhide(pp_buf *push, pp_buf *pop, const char *path);
/* The slot names render would assign, without rendering (for a cached table). */
void pp_gen_assign(pp_plan *p);
/* Looks up a slot by name; -1 if the item's template has none. */
long pp_item_slot(const pp_item *it, const char *name);
const pp_slotname *pp_item_value(const pp_item *it, const char *name);
const char *pp_item_label(const pp_item *it, pp_buf *b); /* "constants[2] \"X\"" into b */

/* ---- the answer cache (pp_cache.c) ---- */
typedef struct pp_hash {
	uint64_t a, b, n;
} pp_hash;
void pp_hash_init(pp_hash *h);
void pp_hash_add(pp_hash *h, const void *data, size_t n);
void pp_hash_str(pp_hash *h, const char *s);
void pp_hash_hex(const pp_hash *h, char out[33]);
char *pp_cache_identity(const char *path); /* size, mtime, inode of a file; NULL if missing */
void pp_cache_tools_from_v(const char *err, pp_strv *tools, char *(*which)(const char *));
int pp_cache_store(const char *dir, const char *key, const pp_plan *plan, const char *triple,
                   const unsigned char *table, size_t len, const pp_strv *headers,
                   const pp_strv *tools, const char *object, int dwarf, pp_diag *d);
/* The entry's text, as pp_cache_store writes it: header_sums pairs each header the compile read
 * with the sum of its content, tool_ids each program the driver ran with its size and mtime. */
void pp_cache_format(pp_buf *b, const char *key, const pp_plan *plan, const char *triple,
                     const unsigned char *table, size_t len, const pp_strv *header_sums,
                     const pp_strv *tool_ids, const char *object_sum, int dwarf);
/* An item's state as a cache entry keeps it. */
typedef struct pp_cache_item {
	int state, kind, links;
	char *why;
} pp_cache_item;
/* An entry's text read back (pp_cache_load reads the file and checks the dependencies it
 * returns): -1, with *why, for a miss. The plan is only read: *items (one per plan item) holds
 * the states it would take, for pp_cache_apply once the entry is known to be good. */
int pp_cache_parse(const char *text, size_t len, const char *key, const pp_plan *plan,
                   char **triple, pp_buf *table, char object_sum[33], int *dwarf,
                   pp_strv *header_sums, pp_strv *tool_ids, pp_cache_item **items,
                   const char **why);
/* The plan's items take the entry's states; frees items. */
void pp_cache_apply(pp_plan *plan, pp_cache_item *items);
void pp_cache_items_free(pp_cache_item *items, size_t n);
int pp_cache_load(const char *dir, const char *key, pp_plan *plan, char **triple, pp_buf *table,
                  char **object, int *dwarf, pp_strv *headers, const char **why);
void pp_templates_hash(pp_hash *h); /* every embedded template (pp_tmpl.c) */

/* ---- object scan (pp_scan.c) ---- */
typedef struct pp_table {
	const unsigned char *base; /* start of the table (magic) inside the scanned bytes */
	size_t size;               /* bytes from base to the end of the end magic */
	int big_endian;
	uint64_t count;
	size_t values_off;         /* offsetof(values) */
} pp_table;

extern const unsigned char pp_magic[16];
extern const unsigned char pp_magic_end[16];

/* Finds the one valid answer table among every copy of the magic; expected_count must match.
 * Returns 0 and fills t, or -1 with a message in why (caller frees). */
int pp_scan(const unsigned char *data, size_t len, uint64_t expected_count, pp_table *t, char **why);
uint64_t pp_table_slot(const pp_table *t, size_t i);
/* Reads an n-byte (1..16) integer at byte offset off of the table; sign-extends when sgn. */
int pp_table_int(const pp_table *t, size_t off, size_t n, int sgn, uint64_t *v, int *neg);

/* ---- results (pp_result.c) ---- */
enum pp_kind { PP_K_INT, PP_K_FLOAT, PP_K_POINTER, PP_K_STRUCT, PP_K_UNION, PP_K_ARRAY, PP_K_ENUM,
	PP_K_FUNCTION, PP_K_COMPLEX, PP_K_VOID, PP_K_OTHER };
extern const char *const pp_kind_names[];

typedef struct pp_tfacts {
	uint64_t size, align, palign, count;
	enum pp_kind kind;
	int is_signed;     /* -1: not applicable */
} pp_tfacts;

typedef struct pp_fres {
	char *name;        /* member path from the outer struct; "" for an anonymous struct/union */
	int answered;
	uint64_t offset;   /* from the start of the outer struct, nested members too */
	pp_tfacts t;
	int is_bitfield;
	uint64_t bit_offset, bit_size;
	size_t order;      /* declaration order: members at one offset (a union's) keep it */
	/* From debug information (pp_dwarf.c); empty where there is none. */
	char *type;        /* the C type as written, typedef names kept */
	uint64_t *dims;    /* arrays: every dimension, outermost first (0: flexible) */
	size_t ndims;
	pp_tfacts elem;    /* arrays: the element */
	char *elem_type;
	struct pp_fres *sub; /* members of an untagged struct/union (or of an array's first element) */
	size_t nsub;
	int has_layout;    /* sub is the whole member list; pad_bits is its tail padding */
	uint64_t hole_bits;/* unused bits between this member's end and the next member (structs) */
	uint64_t pad_bits;
} pp_fres;

/* A type in a function's prototype (pp_proto.c): a member's facts (t, type, dims, element; name
 * and offset unused), and what a binding needs to declare it: the struct or union it is, what a
 * pointer points to, a function type's own prototype. */
typedef struct pp_ptype {
	pp_fres f;
	char *record;      /* struct, union or enum: its tag ("struct timespec"), when it has one */
	struct pp_ptype *pointee; /* pointers: the type pointed to (NULL past the depth read) */
	struct pp_proto *proto;   /* functions (a function pointer's pointee) */
	/* A union of pointers as big as one (a transparent union such as glibc's __SOCKADDR_ARG,
	 * which is passed as its first member): that first member. */
	struct pp_ptype *first;
} pp_ptype;

typedef struct pp_proto {
	pp_ptype ret;      /* kind void for void */
	pp_ptype *params;
	size_t nparams;
	int variadic;      /* ends in ... */
	int unprototyped;  /* declared as f(): nothing is known of its parameters */
	char *symbol;      /* the symbol an asm label gives it (stat64), NULL when its own name */
	int noreturn;      /* declared noreturn (_exit), where the compiler records it (gcc) */
} pp_proto;

void pp_ptype_clear(pp_ptype *t);
void pp_proto_free(pp_proto *p);
/* A prototype as C spells its function type, "int (const char *, ...)", and the symbol it links
 * as where that differs: for people (show). */
void pp_proto_text(pp_buf *b, const pp_proto *p);
/* The "prototypes" section of a result (after constant_types). */
void pp_json_prototypes(pp_buf *b, const pp_result *r);

typedef struct pp_enumval {
	char *name;
	uint64_t u;        /* two's complement bits when neg */
	int neg;
} pp_enumval;

enum pp_cval_kind { PP_CV_INT, PP_CV_FLOAT, PP_CV_STRING };

typedef struct pp_eres {
	char *name;
	int answered;      /* 0: null (optional and failed) */
	pp_tfacts t;       /* types and structs */
	pp_fres *fields;   /* structs, sorted by offset */
	size_t nfields;
	/* structs: 1 when fields hold every member (from debug information); -1 when every member was
	 * wanted and the debug information could not be read (opaque: size and alignment only) */
	int fields_complete;
	uint64_t pad_bits; /* with fields_complete: tail padding */
	pp_enumval *vals;  /* enums, in declaration order */
	size_t nvals;
	int omit;          /* left out of the JSON (show: asked as something it is not) */
	enum pp_cval_kind cv; /* constants */
	uint64_t u;        /* integer magnitude bits */
	int neg;           /* integer is negative (u holds the two's complement bits) */
	int csize, csigned; /* sizeof the constant's type; signedness of an integer */
	int cptr;          /* an integer constant that is a pointer (MAP_FAILED) */
	double d;
	char *str;
	size_t strlen;
	int yes;           /* defined, functions; libraries: -lNAME links */
	char *soname, *path; /* libraries: the shared object a program loads (NULL: static only) */
	pp_proto *proto;   /* functions: the prototype, from debug information (NULL: none) */
	char *as;          /* the spec's "as": the bindings' name for it (NULL: from name) */
} pp_eres;

typedef struct pp_target {
	char *triple, *compiler, *compiler_version, *data_model;
	int big_endian, char_signed;
	unsigned pointer_size, int_size, long_size, llong_size;
	unsigned ldbl_mant; /* decoding only: __LDBL_MANT_DIG__, how a long double is stored */
} pp_target;

struct pp_result {
	pp_target target;
	pp_eres *e[PP_NSECTIONS];
	size_t n[PP_NSECTIONS];
	pp_strv deps;      /* files the compiler read, when asked for (pp_options_set_deps) */
	int have_deps;
};

/* ---- depfiles (pp_dep.c) ---- */
/* Reads the files a depfile (cc -MD's Make syntax) lists for its first target into out, unescaped,
 * leaving out those under skip_dir (platprobe's own temp files); 0, or -1 (reported). */
int pp_dep_read(const char *path, const char *skip_dir, pp_strv *out, pp_diag *d);
/* The same from a depfile's text (NUL-terminated): what pp_dep_read does after reading it. */
void pp_dep_parse(const char *text, const char *skip_dir, pp_strv *out);
/* A path as a word of Make's syntax, as cc -MD writes it (blanks and '#' escaped, '$' doubled). */
void pp_dep_escape(pp_buf *b, const char *path);

/* A result shaped like spec: every entry and field named, answered, all facts zero (pp_probe.c). */
pp_result *pp_result_alloc(const pp_spec *spec);
/* Fills res (from pp_result_alloc) with the answers of every live item of p from the table t; an
 * item whose answer the table cannot give is failed with the reason. The target's triple and
 * compiler are the caller's to set. */
void pp_decode_table(pp_plan *p, const pp_table *t, pp_result *res, enum pp_mode mode);
/* Turns the items' states into answers and errors (in d): a failed optional entry is null (false),
 * a failed optional field left out; returns 1 when a required entry failed. */
int pp_settle(pp_plan *p, pp_result *res, enum pp_mode mode, pp_diag *d);
/* qsort order of a struct's fields: by offset, bit-fields by their first bit. */
int pp_fres_cmp(const void *a, const void *b);

void pp_fres_clear(pp_fres *f);
void pp_eres_clear(pp_eres *e);
/* "size": N, "kind": K and what goes with the kind (signed, count); align too when asked. */
void pp_json_tfacts(pp_buf *b, const pp_tfacts *t, int with_align);
/* A member's type: its facts, "type", "dims", "element" and "flexible" where it has them. */
void pp_json_fres_type(pp_buf *b, const pp_fres *fr);

/* The sizes of int and long that a data model's name ("LP64") stands for; 0 and 0 for "other".
 * A result records only the name, so what is written from a result may only use these. */
void pp_data_model_sizes(const char *model, unsigned *int_size, unsigned *long_size);

/* Header-macro spelling of a C name, autoconf style: "void *" -> "VOID_P". Caller frees. */
char *pp_macro_name(const char *s);
/* C literals: a string (quoted, any bytes), an integer constant with the suffixes it needs. */
void pp_c_string(pp_buf *b, const char *s, size_t n);
void pp_c_int(pp_buf *b, const pp_eres *e);

/* ---- libraries (pp_libs.c) ---- */
/* What a link needs, from the probe's job: compiler words, flags before our options, and the
 * libraries a link takes anyway ($LDFLAGS, spec libs, pkg-config). */
typedef struct pp_linkenv {
	const pp_spec *spec;
	const pp_options *o;
	pp_diag *d;
	const pp_strv *cc, *flags, *libs;
	const pp_tmpdir *tmp;
} pp_linkenv;
/* Answers the spec's "libraries" into res (one compile, one link, a relink per failing round);
 * returns 0, 1 when a required library did not link (reported in d), -1 when it could not run. */
int pp_libs_probe(const pp_linkenv *env, pp_result *res);

/* ---- output templates (pp_render.c) and the binding formats (pp_emit.c) ---- */
struct cJSON;
/* Renders a template (name is for messages) over a data tree; NULL with a message in d when the
 * template is malformed or names what the data lacks. Caller frees. */
char *pp_render_template(const char *name, const char *text, const struct cJSON *data, pp_diag *d);
int pp_utf8_valid(const char *s, size_t n);
/* The output template of a format ("python" -> templates/python.py.tmpl), its file name in *name;
 * NULL if templates/ has none. */
const char *pp_template_format(const char *format, const char **name);
/* Appends the formats that templates/ provides, comma-separated. */
void pp_template_formats(pp_buf *b);
/* The data tree's leaves (pp_emit.c): a number as decimal text, bytes as hex, text for a comment;
 * a C name's binding name ("struct stat" -> "stat", NULL when it has none). */
void pp_put_u64(struct cJSON *o, const char *key, uint64_t v);
void pp_put_hex(struct cJSON *o, const char *key, const char *s, size_t n);
void pp_put_comment(struct cJSON *o, const char *key, const char *s);
char *pp_ident(const char *c);
/* The tree's "prototypes" (pp_emitproto.c): records is the tree's "records" (C name -> ident). */
struct cJSON *pp_model_prototypes(const pp_result *r, const struct cJSON *records);
/* The tree's record (of records) that a prototype's struct or union type is, by C name or tag. */
const struct cJSON *pp_proto_record(const struct cJSON *records, const pp_ptype *t);
/* A C type's name without leading qualifiers ("const char" -> "char"); whether it is const. */
char *pp_unqualified(const char *type);
int pp_is_const(const char *type);
/* -f cdecl's prototypes (pp_cdeclproto.c): a "cdecl" in each of the tree's "prototypes" (its
 * declaration, or why there is none), "cdecl_opaque" (struct tags they point to, declared
 * incomplete); taken holds the ordinary names the file declares already. */
void pp_cdecl_prototypes(struct cJSON *m, const pp_result *r, const pp_strv *taken);
/* The data tree the binding formats render (README, "The data tree"); the caller deletes it. */
struct cJSON *pp_emit_model(const pp_result *r, const char *prefix);
/* Adds the Go and cdecl formats' facts (pp_bind.c): gc's and a C FFI's own layout of each record. */
void pp_bind_decorate(struct cJSON *m, const pp_result *r);
/* The JSON result format and the autoconf-style header (pp_result.c), for pp_formats.c. */
void pp_json_result(pp_buf *b, const pp_result *r);
void pp_header_result(pp_buf *b, const pp_result *r, const char *prefix);

/* ---- a strict JSON reader that keeps numbers as text (pp_jdom.c) ---- */
enum pp_jtype { PP_J_NULL, PP_J_BOOL, PP_J_NUM, PP_J_STR, PP_J_ARR, PP_J_OBJ };
typedef struct pp_jnode {
	enum pp_jtype type;
	char *key;               /* the member's key, inside an object */
	char *str;               /* strings: decoded bytes; numbers: the token as written */
	size_t len;
	int b;                   /* booleans */
	struct pp_jnode *child;  /* first element or member */
	struct pp_jnode *next;   /* next sibling */
	size_t off;              /* byte offset in the text */
	size_t key_off;          /* inside an object: the byte offset of its key */
} pp_jnode;
/* NULL on error, with the offset of the first problem and what it is. */
pp_jnode *pp_jparse(const char *text, size_t len, size_t *err_off, const char **what);
int pp_jcheck(const char *text, size_t len, size_t *err_off, const char **what);
void pp_jfree(pp_jnode *n);
const pp_jnode *pp_jget(const pp_jnode *obj, const char *key);
void pp_jwrite(pp_buf *b, const pp_jnode *n); /* compact JSON text */

/* ---- comparing results (pp_diff.c; check in pp_check.c) ---- */
typedef struct pp_dstep {
	const char *key;   /* an object's key or a field's name (points into a tree) */
	size_t pos;        /* an array position, when index */
	int index;
} pp_dstep;
typedef struct pp_diff {
	pp_dstep *steps;   /* where: types, "off_t", size */
	size_t nsteps;
	const pp_jnode *a, *b; /* the two values; NULL on the side where it is absent */
} pp_diff;
typedef struct pp_diffs {
	pp_diff *v;
	size_t n, cap;
} pp_diffs;
/* Objects member by member, arrays of named objects ("fields") by name, numbers exactly. */
void pp_diff_trees(const pp_jnode *a, const pp_jnode *b, pp_diffs *out);
void pp_diffs_free(pp_diffs *ds);
void pp_path_add(pp_buf *b, const pp_dstep *st);              /* .key, ."struct stat", [3] */
char *pp_path_text(const pp_dstep *steps, size_t n);          /* caller frees */
/* A result file as a tree: NULL (reported with FILE:LINE:COL) when it is not JSON or not a
 * platprobe result. pp_result_parse does the same for text in memory, name standing for the file. */
pp_jnode *pp_result_read(const char *path, pp_diag *d);
pp_jnode *pp_result_parse(const char *text, size_t len, const char *name, pp_diag *d);
/* diff's and check's work on trees already read (pp_diff_files, pp_check_results read the files);
 * json selects the JSON form of the text. Return as those functions do. */
int pp_diff_text(const pp_jnode *a, const pp_jnode *b, const char *a_name, const char *b_name,
                 int json, char **text);
int pp_check_tree(pp_result *const *r, size_t n, const pp_jnode *want, const char *baseline,
                  int json, unsigned flags, const char *const *ignore, size_t nignore, char **text,
                  pp_diag *d);
/* pp_results_load for a result's text in memory, name standing for the file in messages. */
pp_result **pp_results_parse(const pp_spec *spec, const char *text, size_t len, const char *name,
                             size_t *n, pp_diag *d);

/* Marks a live item failed with the compiler's (or a reader's) reason; keeps the first reason. */
void pp_fail_item(pp_item *it, enum pp_item_state st, const char *why);

/* ---- MSVC-style drivers: cl.exe, clang-cl (pp_dialect.c) ---- */
/* Whether a compile given gcc's options shows, in its own output, an MSVC-style driver (clang-cl's
 * -v line, cl.exe's banner or its D9002 warning about an unknown option). */
int pp_msvc_detect(const pp_proc_result *r);
/* Asks the compiler itself: whether it preprocesses with /nologo /E (a file in dir), as only an
 * MSVC-style driver does. For a compile that failed with nothing else to say. */
int pp_msvc_ask(const pp_strv *cc, const pp_strv *flags, int clang, const pp_options *o,
                const char *dir);
/* One compile (or link, to out) in the MSVC dialect; deps: /showIncludes for the depfile. */
void pp_msvc_argv(pp_strv *argv, const pp_strv *cc, const pp_strv *flags, const pp_strv *libs,
                  int clang, const char *src, const char *out, int link, int deps);
/* Rewrites r's output as gcc's readers take it: errout holds both streams with diagnostics as
 * FILE:LINE:COL: error: lines; /showIncludes lines go to depfile (unless NULL) in make syntax. */
void pp_msvc_output(pp_proc_result *r, const char *src, const char *out, const char *depfile);

/* ---- debug information (pp_dwarf.c) ---- */
/* Whether any live item needs the object's DWARF (whole layouts, enums, member types, function
 * prototypes). */
int pp_dwarf_wanted(const pp_plan *p);
/* Reads the DWARF in the compiler's output at path (object or program) and completes res: whole
 * layouts, enum values, member type names and bit-field signedness. Items that need it and cannot
 * have it fail with the reason; a disagreement with the generated code's answers is an error in d.
 * A struct whose whole layout was wanted but cannot be read gets fields_complete -1 and one
 * warning in warn (entry, object format, reason). Returns 0, or -1 after adding to d. */
int pp_dwarf_apply(pp_plan *p, pp_result *res, const char *path, const char *specfile, pp_diag *d,
                   pp_diag *warn);
/* Whether path opens as an object with debug information (a cached copy must, or it is a miss:
 * pp_dwarf_apply itself degrades to what generated code knows, as it must for COFF). */
int pp_dwarf_readable(const char *path, size_t nitems);
/* Whether this build reads constants' facts from debug information (pp_dwvalues.c; 0 without
 * libdw). */
int pp_dwvalues_possible(void);
/* Writes every live constant's value offset and size and its PP_CINFO bits (but the constant
 * bit, which the compile gave) into the table's slots at base (t->base, writable), from the
 * DWARF of the object at path. Returns 0, or -1 with a reason in *why (caller frees). */
int pp_dwvalues_fill(const pp_plan *p, const char *path, const pp_table *t, unsigned char *base,
                     char **why);
/* Fails an item that needs debug information (pp_dwneed.c) with why it cannot be had. */
void pp_dwarf_unread(pp_item *it, const char *why);
/* A struct whose whole layout was wanted but cannot be read: fields_complete -1 and one warning
 * in warn naming the entry, the object format and why (pp_dwneed.c). */
void pp_dwarf_opaque(pp_eres *er, const pp_entry *e, const char *specfile, const char *format,
                     const char *why, pp_diag *warn);

/* ---- json text helpers (pp_json.c) ---- */
/* Length of the valid UTF-8 sequence at s (at most n bytes; no overlong forms, surrogates or code
 * points past U+10FFFF), or 0 when it is not one. */
size_t pp_utf8_len(const unsigned char *s, size_t n);
void pp_json_str(pp_buf *b, const char *s, size_t n);   /* quoted, escaped, byte-exact */
void pp_json_double(pp_buf *b, double d);
void pp_json_int(pp_buf *b, uint64_t u, int neg);

/* ---- show (pp_show.c; several targets side by side in pp_showcols.c) ---- */
/* The spec that asks every way what each name is (optional entries), or NULL (reported) when a
 * name is no C name, type or expression; the index of name in a section of r, or -1. */
pp_spec *pp_show_spec(const pp_spec *base, const char *const *names, size_t n, pp_diag *d);
long pp_result_find(const pp_result *r, enum pp_section sec, const char *name);

/* ---- several results at once (pp_report.c; diff's table in pp_difftab.c) ---- */
typedef struct pp_rep {
	pp_jnode **trees;         /* the files as read */
	size_t ntrees;
	const pp_jnode **r;       /* each result: a file of several targets gives several */
	char **label;             /* each one's triple; with its file's name where two are the same */
	size_t n;
} pp_rep;
/* Marks odd[i] where cell[i] is not the most common of the n cells (ties: the earliest); whether
 * any is. */
int pp_mark_odd(char *const *cell, size_t n, int *odd);
/* Reads every file; 0, or -1 (reported) when one is not a result. Free with pp_rep_free either way. */
int pp_rep_load(pp_rep *rp, const char *const *paths, size_t n, pp_diag *d);
void pp_rep_free(pp_rep *rp);

/* ---- the report's byte rulers (pp_ruler.c, for pp_report.c) ---- */
/* all: one struct's node in each result (NULL where it has none). Whether the k-th member named
 * name (anonymous ones share "") is absent from one, or lies elsewhere or is sized otherwise in one; the bytes per row that fits them all;
 * st's layout as an inline SVG with rows of bpr bytes. */
int pp_member_changed(const pp_jnode *const *all, size_t n, const char *name, size_t k);
unsigned pp_ruler_bytes_per_row(const pp_jnode *const *all, size_t n);
void pp_ruler_svg(pp_buf *b, const pp_jnode *st, const pp_jnode *const *all, size_t n,
                  unsigned bpr);
void pp_html_escape(pp_buf *b, const char *s); /* text for HTML and attributes */

#endif
