/* pp_probe.c: the driver. One probe: the cache, then the compile (with the function link beside
 * it in a thread of its own), the answers read back and decoded, libraries; several targets at
 * once, a thread each. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pp_job.h"

/* Object mode links once for the functions, and that link parses every header again, as long
 * as the object compile does. So it starts at once, beside the compile, from the plan as it
 * stands: when it links and the compile dropped no function, that is the answer (the probe
 * takes the longer of the two, not their sum); otherwise it is thrown away and the link runs
 * again after the compile, as it would have without it (one invocation more, only then). */
typedef struct pp_early {
	size_t nfn;      /* live function items when it started */
	pp_bg bg;
} pp_early;

static void pp_early_start(pp_job *j, pp_early *e)
{
	memset(e, 0, sizeof *e);
	e->nfn = pp_plan_live(&j->plan, PP_ITEM_FUNCTION);
	if (!e->nfn)
		return;
	char *src = pp_tmpdir_file(&j->tmp, "link-early.c");
	char *exe = pp_tmpdir_file(&j->tmp, "link-early.exe");
	char *text = pp_gen_render(&j->plan, "link.c", PP_MODE_OBJECT);
	int w = pp_write_text(j, src, text);
	free(text);
	if (w == 0) {
		pp_compile_argv(j, &e->bg.argv, src, exe, 1, 0, 0);
		pp_bg_start(j, &e->bg);
	}
	free(src);
	free(exe);
}

/* Waits for the early link; true when its answer stands: it linked every function the plan
 * still holds live (the same ones it was given). */
static int pp_early_finish(pp_job *j, pp_early *e)
{
	if (!e->bg.started)
		return 0;
	pp_bg_join(&e->bg);
	const pp_proc_result *r = &e->bg.r;
	return r->started && r->exited && r->status == 0 && !pp_signal_pending() &&
	       pp_plan_live(&j->plan, PP_ITEM_FUNCTION) == e->nfn;
}

/* Whether the compiler's objects are ELF, so constants' facts can come from their DWARF
 * (constant_dw.c): not for a Windows or Apple target, as its name or flags say. A guess wrong
 * the other way costs a second compile, never an answer (pp_dwvalues_fill then fails). */
static int pp_elf_likely(const pp_job *j)
{
	static const char *const not_elf[] = { "mingw", "cygwin", "windows", "msvc", "darwin",
		"apple", "macos", "clang-cl", NULL };
	const pp_strv *words[] = { &j->cc, &j->flags };
	for (size_t w = 0; w < 2; w++)
		for (size_t i = 0; i < words[w]->n; i++)
			for (size_t k = 0; not_elf[k]; k++)
				if (strstr(words[w]->v[i], not_elf[k]))
					return 0;
	return !j->msvc;
}

int pp_probe(const pp_spec *spec, const pp_options *o, pp_result **out, pp_diag *d)
{
	*out = NULL;
	pp_job j;
	pp_job_init(&j, spec, o, d);
	if (j.failed) {
		pp_job_free(&j);
		return PP_EANSWER;
	}
	enum pp_mode mode = o->mode;
	pp_add_pkg_flags(&j);
	char key[33] = "";
	/* "libraries" answers depend on the installed libraries, not on what the compile read, and
	 * come from a link of their own: such a spec is probed afresh every time. */
	int cacheable = spec->nentries[PP_LIBRARIES] == 0;
	if (o->cache_dir && !cacheable)
		pp_log(&j, "platprobe: cache: not used (\"libraries\" are looked up on every run)");
	if (o->cache_dir && cacheable && !j.failed) {
		pp_cache_key(&j, key, 1);
		pp_buf cached = PP_BUF_INIT;
		const char *why = NULL;
		char *triple = NULL, *object = NULL;
		int dwarf = 0;
		pp_strv headers = { 0 };
		if (pp_cache_load(o->cache_dir, key, &j.plan, &triple, &cached, &object, &dwarf, &headers,
		                  &why) == 0) {
			pp_log(&j, "platprobe: cache: hit %s/%s.json", o->cache_dir, key);
			int rc = pp_finish_cached(&j, mode, &cached, triple, object, dwarf, &headers, out,
			                          &why);
			pp_strv_free(&headers);
			free(triple);
			free(object);
			pp_buf_free(&cached);
			if (rc >= 0) {
				pp_job_free(&j);
				return rc;
			}
			pp_plan_free(&j.plan); /* the entry's states went into it: start afresh */
			pp_plan_init(&j.plan, spec);
		} else {
			pp_buf_free(&cached);
		}
		pp_log(&j, "platprobe: cache: miss (%s)", why);
	}
	if (*key && mode == PP_MODE_OBJECT) {
		char mkey[33];
		pp_cache_key(&j, mkey, 0);
		j.memory = pp_xasprintf("%s/%s.failures.json", o->cache_dir, mkey);
		j.nremembered = pp_memory_load(j.memory, &j.plan);
		if (j.nremembered)
			pp_log(&j, "platprobe: failure memory: %zu entr%s left out, checked beside the "
			       "compile (%s)", j.nremembered, j.nremembered == 1 ? "y" : "ies", j.memory);
	}
	if (mode == PP_MODE_OBJECT)
		j.nremembered += pp_memory_declared(&j.plan);
	j.tmp.keep = o->keep_temps;
	if (pp_tmpdir_make(&j.tmp, d) < 0) {
		pp_job_free(&j);
		return PP_EANSWER;
	}
	if (o->keep_temps)
		pp_log(&j, "platprobe: keeping temp files in %s", j.tmp.path);
	if (*key || o->deps)
		j.depfile = pp_tmpdir_file(&j.tmp, "probe.d");
	char *src = pp_tmpdir_file(&j.tmp, mode == PP_MODE_RUN ? "probe-run.c" : "probe.c");
	/* ".exe": a Windows target's driver would add it to any other name. */
	char *obj = pp_tmpdir_file(&j.tmp, mode == PP_MODE_RUN ? "probe-run.exe" : "probe.o");
	pp_result *res = NULL;
	pp_strv deps = { 0 };
	int rc = PP_EANSWER, libs_bad = 0, early_linked = 0;
	pp_early early = { 0 };
	if (j.failed)
		goto done;
	j.plan.dw_values = pp_plan_live(&j.plan, PP_ITEM_CONSTANT) && mode == PP_MODE_OBJECT &&
	                   pp_dwvalues_possible() && pp_elf_likely(&j);
	if (mode == PP_MODE_OBJECT)
		pp_early_start(&j, &early);
	pp_buf bytes = PP_BUF_INIT;
	pp_table t;
	for (int first = 1;; first = 0) {
		int crc = pp_compile(&j, mode == PP_MODE_RUN ? "run.c" : "object.c", mode, src, obj,
		                     mode == PP_MODE_RUN);
		if (first)
			early_linked = pp_early_finish(&j, &early);
		pp_strv_free(&deps);
		if (crc < 0 || (j.depfile && pp_dep_read(j.depfile, j.tmp.path, &deps, d) < 0))
			goto done;
		if (j.memory && !pp_signal_pending())
			pp_memory_save(j.memory, &j.plan); /* what this compile refused, before decoding */
		pp_buf_reset(&bytes);
		if (pp_read_back(&j, mode, obj, &bytes) < 0) {
			pp_buf_free(&bytes);
			goto done;
		}
		char *why = NULL;
		if (pp_scan((const unsigned char *)pp_buf_str(&bytes), bytes.len, j.plan.nslots, &t,
		            &why) < 0) {
			pp_diag_add(d, "platprobe: error: %s", why);
			free(why);
			pp_buf_free(&bytes);
			goto done;
		}
		/* The table's bytes are ours (bytes): the constants' slots are written into them. */
		if (!j.plan.dw_values ||
		    pp_dwvalues_fill(&j.plan, obj, &t, (unsigned char *)t.base, &why) == 0)
			break;
		/* Not the object expected (another format, no DWARF): ask the compiler, as without. */
		pp_log(&j, "platprobe: constants: %s; compiling again with their questions", why);
		free(why);
		j.plan.dw_values = 0;
	}
	res = pp_result_alloc(spec);
	res->deps = deps; /* for the cache and --depfile */
	res->have_deps = j.depfile != NULL;
	memset(&deps, 0, sizeof deps);
	pp_decode_table(&j.plan, &t, res, mode);
	if (pp_dwarf_wanted(&j.plan) && pp_dwarf_apply(&j.plan, res, obj, spec->filename, d, d) < 0) {
		pp_buf_free(&bytes);
		goto done;
	}

	/* Object mode links once, for every declared function at once (beside the compile when
	 * that link stands). */
	if (mode == PP_MODE_OBJECT && early_linked)
		pp_log(&j, "platprobe: the link beside the compile found every function");
	else if (mode == PP_MODE_OBJECT && pp_plan_live(&j.plan, PP_ITEM_FUNCTION)) {
		char *lsrc = pp_tmpdir_file(&j.tmp, "link.c");
		char *lexe = pp_tmpdir_file(&j.tmp, "link.exe");
		int lrc = pp_compile(&j, "link.c", PP_MODE_OBJECT, lsrc, lexe, 1);
		free(lsrc);
		free(lexe);
		if (lrc < 0) {
			pp_buf_free(&bytes);
			goto done;
		}
	}
	if (spec->nentries[PP_LIBRARIES]) {
		pp_linkenv env = { spec, o, d, &j.cc, &j.flags, &j.libs, &j.tmp };
		libs_bad = pp_libs_probe(&env, res);
		if (libs_bad < 0) {
			pp_buf_free(&bytes);
			goto done;
		}
	}
	pp_find_triple(&j);
	res->target.triple = pp_xstrdup(j.triple ? j.triple : "unknown");
	res->target.compiler = pp_xstrdup(j.cc_name);
	rc = pp_settle(&j.plan, res, mode, d) || libs_bad ? PP_EANSWER : PP_OK;
	if (rc == PP_OK && *key && !pp_signal_pending())
		pp_cache_save(&j, key, &t, obj, &res->deps);
	pp_buf_free(&bytes);
	*out = res;
	res = NULL;
done:
	pp_bg_free(&early.bg);
	pp_result_free(res);
	pp_strv_free(&deps);
	free(src);
	free(obj);
	if (pp_signal_pending() && rc == PP_OK)
		rc = PP_EANSWER;
	pp_job_free(&j);
	return rc;
}

const char *pp_result_triple(const pp_result *r)
{
	return r->target.triple;
}

/* ---- several targets at once ---- */

typedef struct pp_many {
	const pp_spec *spec;
	pp_options *const *opts;
	size_t n;
	pp_result **results;
	pp_diag **diags;
	int *status;
	pthread_mutex_t lock;
	size_t next;
} pp_many;

static void *pp_many_worker(void *arg)
{
	pp_many *m = arg;
	for (;;) {
		pthread_mutex_lock(&m->lock);
		size_t i = m->next++;
		pthread_mutex_unlock(&m->lock);
		if (i >= m->n)
			return NULL;
		m->status[i] = pp_probe(m->spec, m->opts[i], &m->results[i], m->diags[i]);
	}
}

static const char *pp_target_label(const pp_options *o, const pp_result *r)
{
	if (r)
		return r->target.triple;
	if (o->target)
		return o->target;
	return o->cc ? o->cc : "default";
}

int pp_probe_many(const pp_spec *spec, pp_options *const *opts, size_t n, pp_result **results,
                  pp_diag *d)
{
	pp_many m;
	memset(&m, 0, sizeof m);
	m.spec = spec;
	m.opts = opts;
	m.n = n;
	m.results = results;
	m.diags = pp_xcalloc(n, sizeof(pp_diag *));
	m.status = pp_xcalloc(n, sizeof(int));
	for (size_t i = 0; i < n; i++)
		m.diags[i] = pp_diag_new();
	pthread_mutex_init(&m.lock, NULL);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cores > 0 ? (size_t)cores : 1;
	if (nthreads > n)
		nthreads = n;
	pthread_t *th = pp_xcalloc(nthreads, sizeof(pthread_t));
	size_t started = 0;
	for (size_t t = 0; t < nthreads; t++)
		if (pthread_create(&th[t], NULL, pp_many_worker, &m) == 0)
			started++;
	if (!started)
		pp_many_worker(&m); /* no threads to be had: one after the other */
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	int worst = PP_OK;
	for (size_t i = 0; i < n; i++) {
		const char *label = pp_target_label(opts[i], results[i]);
		for (size_t k = 0; k < pp_diag_count(m.diags[i]); k++)
			pp_diag_add(d, "[%s] %s", label, pp_diag_message(m.diags[i], k));
		if (m.status[i] > worst)
			worst = m.status[i];
		if (m.status[i] != PP_OK) {
			pp_result_free(results[i]);
			results[i] = NULL;
		}
		pp_diag_free(m.diags[i]);
	}
	pthread_mutex_destroy(&m.lock);
	free(th);
	free(m.diags);
	free(m.status);
	return worst;
}
