/* pp_cachekey.c: the probe's side of the answer cache: the key (everything the answers depend on
 * but the headers), storing a fresh answer, and decoding a cached one as a fresh table. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pp_job.h"

/* A cache hit: the cached items' states and table, decoded as a fresh table would be. An entry
 * that cannot be used after all is a miss (-1, *why), never the user's error: the caller probes
 * afresh and rewrites it. */
int pp_finish_cached(pp_job *j, enum pp_mode mode, pp_buf *bytes, const char *triple,
                     const char *object, int dwarf, pp_strv *headers, pp_result **out,
                     const char **why)
{
	pp_gen_assign(&j->plan);
	pp_table t;
	char *scan_why = NULL;
	if (pp_scan((const unsigned char *)pp_buf_str(bytes), bytes->len, j->plan.nslots, &t,
	            &scan_why) < 0) {
		pp_log(j, "platprobe: cache: its answer table is unreadable: %s", scan_why);
		free(scan_why);
		*why = "its answer table does not fit the spec";
		return -1;
	}
	pp_result *res = pp_result_alloc(j->spec);
	pp_decode_table(&j->plan, &t, res, mode);
	pp_diag *quiet = pp_diag_new(), *warn = pp_diag_new();
	if (pp_dwarf_wanted(&j->plan) &&
	    (!object || (dwarf && !pp_dwarf_readable(object, j->plan.nitems)) ||
	     pp_dwarf_apply(&j->plan, res, object, j->spec->filename, quiet, warn) < 0)) {
		*why = "its object is unreadable";
		goto miss;
	}
	res->target.triple = pp_xstrdup(triple ? triple : "unknown");
	res->target.compiler = pp_xstrdup(j->cc_name);
	/* Only probes that succeeded are stored: one that settles with an error now is not what
	 * was stored. */
	if (pp_settle(&j->plan, res, mode, quiet)) {
		*why = "its answers do not settle as they did";
		goto miss;
	}
	/* What the cold probe warned of (a layout the debug information cannot give), a hit says
	 * again. */
	for (size_t w = 0; w < pp_diag_count(warn); w++)
		pp_diag_add(j->d, "%s", pp_diag_message(warn, w));
	pp_diag_free(quiet);
	pp_diag_free(warn);
	res->deps = *headers; /* what the compile read: --depfile needs them from a hit too */
	res->have_deps = 1;
	memset(headers, 0, sizeof *headers);
	*out = res;
	return PP_OK;
miss:
	pp_diag_free(quiet);
	pp_diag_free(warn);
	pp_result_free(res);
	return -1;
}

/* The cache key: everything the answers depend on but the headers (checked by content when an
 * entry is loaded) and the programs the driver runs (checked by size and mtime). */
/* entries 0: the failure memory's key, everything but the entries. */
void pp_cache_key(pp_job *j, char key[33], int entries)
{
	pp_hash h;
	pp_hash_init(&h);
	char format[64];
	snprintf(format, sizeof format, "platprobe %s cache 1 mode %d", PP_VERSION, (int)j->o->mode);
	pp_hash_str(&h, format);
	pp_templates_hash(&h);
	pp_hash_str(&h, j->o->exec_wrapper);
	pp_hash_str(&h, j->o->sysroot);
	for (size_t i = 0; i < j->cc.n; i++)
		pp_hash_str(&h, j->cc.v[i]);
	char *path = pp_which(j->cc.v[0]);
	char *id = path ? pp_cache_identity(path) : NULL;
	pp_hash_str(&h, path);
	pp_hash_str(&h, id);
	free(path);
	free(id);
	for (size_t i = 0; i < j->flags.n; i++)
		pp_hash_str(&h, j->flags.v[i]);
	pp_hash_str(&h, "--libs--");
	for (size_t i = 0; i < j->libs.n; i++)
		pp_hash_str(&h, j->libs.v[i]);
	const pp_spec *s = j->spec;
	for (size_t i = 0; i < s->ndefines; i++) {
		pp_hash_str(&h, s->defines[i].name);
		pp_hash_str(&h, s->defines[i].value);
	}
	pp_hash_str(&h, "--headers--");
	for (size_t i = 0; i < s->headers.n; i++)
		pp_hash_str(&h, s->headers.v[i]);
	pp_hash_str(&h, "--optional headers--");
	for (size_t i = 0; i < s->optional_headers.n; i++)
		pp_hash_str(&h, s->optional_headers.v[i]);
	for (int sec = 0; entries && sec < PP_NSECTIONS; sec++) {
		pp_hash_str(&h, pp_section_names[sec]);
		for (size_t i = 0; i < s->nentries[sec]; i++) {
			const pp_entry *e = &s->entries[sec][i];
			pp_hash_str(&h, e->name);
			pp_hash_add(&h, &e->optional, sizeof e->optional);
			pp_hash_add(&h, &e->no_link, sizeof e->no_link);
			pp_hash_add(&h, &e->nfields, sizeof e->nfields);
			for (size_t f = 0; f < e->nfields; f++) {
				pp_hash_str(&h, e->fields[f].name);
				pp_hash_add(&h, &e->fields[f].optional, sizeof e->fields[f].optional);
			}
		}
	}
	pp_hash_hex(&h, key);
}

/* headers: what the main compile read (our own generated file left out); the driver itself and
 * the programs it ran are dependencies too. */
void pp_cache_save(pp_job *j, const char *key, const pp_table *t, const char *object,
                          const pp_strv *headers)
{
	pp_strv tools = { 0 };
	char *driver = pp_which(j->cc.v[0]);
	if (driver)
		pp_strv_push_own(&tools, driver);
	pp_cache_tools_from_v(j->main_err, &tools, pp_which);
	if (headers->n && pp_cache_store(j->o->cache_dir, key, &j->plan, j->triple, t->base, t->size,
	                                 headers, &tools, pp_dwarf_wanted(&j->plan) ? object : NULL,
	                                 pp_dwarf_readable(object, j->plan.nitems), j->d) == 0)
		pp_log(j, "platprobe: cache: stored %s/%s.json", j->o->cache_dir, key);
	pp_strv_free(&tools);
}
