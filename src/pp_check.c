/* pp_check.c: compares a probe's answers with a committed baseline result, for CI: one line per
 * difference naming the entry, the field, what the baseline expected and what the probe got, or
 * the same as JSON. The walk is diff's (pp_diff.c); this module only decides what counts. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* A difference seen from one result: the steps after "results", [i] in a multi-target document,
 * and that target's triple. */
typedef struct pp_cview {
	const pp_dstep *s;
	size_t n;
	const char *triple;
} pp_cview;

static pp_cview pp_view(const pp_diff *df, const pp_jnode *got)
{
	pp_cview v = { df->steps, df->nsteps, NULL };
	const pp_jnode *results = pp_jget(got, "results");
	if (v.n >= 2 && !v.s[0].index && !strcmp(v.s[0].key, "results") && v.s[1].index && results) {
		const pp_jnode *r = results->child;
		for (size_t i = 0; r && i < v.s[1].pos; i++)
			r = r->next;
		const pp_jnode *t = r ? pp_jget(pp_jget(r, "target"), "triple") : NULL;
		v.triple = t && t->type == PP_J_STR ? t->str : "?";
		v.s += 2;
		v.n -= 2;
	}
	return v;
}

/* Sections of facts about the target rather than entries of the spec. */
static int pp_is_target_key(const char *k)
{
	return !strcmp(k, "target") || !strcmp(k, "platprobe");
}

/* Present in the probe, absent from the baseline, and an entry of the spec (or a struct field,
 * also one of several that share a name: fields.""[1]). */
static int pp_is_new_entry(const pp_diff *df, const pp_cview *v)
{
	if (df->a || !df->b || v->n < 2 || v->s[0].index || pp_is_target_key(v->s[0].key))
		return 0;
	int field = v->n >= 4 && !v->s[2].index && !strcmp(v->s[2].key, "fields") && !v->s[3].index;
	return v->n == 2 || (field && (v->n == 4 || (v->n == 5 && v->s[4].index)));
}

/* A section that later versions added and the baseline, saved before them, has none of: what it
 * lacks is not a difference, or upgrading platprobe would fail every committed baseline. */
static int pp_is_newer_section(const pp_diff *df, const pp_cview *v)
{
	return !df->a && df->b && v->n == 1 && !v->s[0].index && !strcmp(v->s[0].key, "prototypes");
}

/* --ignore PATH: the difference's path is PATH or lies under it. */
static int pp_is_ignored(const pp_cview *v, const char *const *ignore, size_t nignore)
{
	char *path = pp_path_text(v->s, v->n);
	int hit = 0;
	for (size_t i = 0; i < nignore && !hit; i++) {
		size_t k = strlen(ignore[i]);
		hit = !strncmp(path, ignore[i], k) && (path[k] == 0 || path[k] == '.' || path[k] == '[');
	}
	free(path);
	return hit;
}

/* The entry ("types", "off_t") and the rest of the path after it ("fields.st_mode.offset"). */
static void pp_split(const pp_cview *v, const char **section, const char **entry, char **field)
{
	*section = v->n && !v->s[0].index ? v->s[0].key : NULL;
	size_t at = *section ? 1 : 0;
	*entry = NULL;
	if (*section && !pp_is_target_key(*section) && v->n >= 2 && !v->s[1].index) {
		*entry = v->s[1].key;
		at = 2;
	}
	*field = at < v->n ? pp_path_text(v->s + at, v->n - at) : NULL;
}

static void pp_check_line(pp_buf *b, const pp_diff *df, const pp_cview *v)
{
	const char *section, *entry;
	char *field;
	pp_split(v, &section, &entry, &field);
	if (v->triple)
		pp_buf_addf(b, "[%s] ", v->triple);
	pp_buf_adds(b, section ? section : "(the document)");
	if (entry) {
		pp_buf_addc(b, ' ');
		pp_json_str(b, entry, strlen(entry));
	}
	if (field && *field == '.')
		pp_buf_addf(b, ": %s", field + 1);
	else if (field)
		pp_buf_addf(b, ": %s", field);
	if (df->a && df->b) {
		pp_buf_adds(b, ": expected ");
		pp_jwrite(b, df->a);
		pp_buf_adds(b, ", got ");
		pp_jwrite(b, df->b);
	} else if (df->b) {
		pp_buf_adds(b, ": not in the baseline, got ");
		pp_jwrite(b, df->b);
	} else {
		pp_buf_adds(b, ": not in the probe's result, expected ");
		pp_jwrite(b, df->a);
	}
	pp_buf_addc(b, '\n');
	free(field);
}

static void pp_check_json(pp_buf *b, const pp_diff *df, const pp_cview *v, int first)
{
	const char *section, *entry;
	char *field, *path = pp_path_text(df->steps, df->nsteps);
	pp_split(v, &section, &entry, &field);
	pp_buf_adds(b, first ? "\n    {\"path\": " : ",\n    {\"path\": ");
	pp_json_str(b, path, strlen(path));
	if (v->triple) {
		pp_buf_adds(b, ", \"target\": ");
		pp_json_str(b, v->triple, strlen(v->triple));
	}
	const char *keys[] = { "section", "entry", "field" };
	const char *vals[] = { section, entry, field && *field == '.' ? field + 1 : field };
	for (int i = 0; i < 3; i++)
		if (vals[i]) {
			pp_buf_addf(b, ", \"%s\": ", keys[i]);
			pp_json_str(b, vals[i], strlen(vals[i]));
		}
	if (df->a) {
		pp_buf_adds(b, ", \"expected\": ");
		pp_jwrite(b, df->a);
	}
	if (df->b) {
		pp_buf_adds(b, ", \"got\": ");
		pp_jwrite(b, df->b);
	}
	pp_buf_addc(b, '}');
	free(field);
	free(path);
}

int pp_check_results(pp_result *const *r, size_t n, const char *baseline, const char *format,
                     unsigned flags, const char *const *ignore, size_t nignore, char **text,
                     pp_diag *d)
{
	*text = NULL;
	int json = format && !strcmp(format, "json");
	if (format && !json && strcmp(format, "text")) {
		pp_diag_add(d, "platprobe: error: check: unknown format '%s' (text, json)", format);
		return PP_EUSAGE;
	}
	pp_jnode *want = pp_result_read(baseline, d);
	if (!want)
		return PP_EUSAGE;
	int rc = pp_check_tree(r, n, want, baseline, json, flags, ignore, nignore, text, d);
	pp_jfree(want);
	return rc;
}

int pp_check_tree(pp_result *const *r, size_t n, const pp_jnode *want, const char *baseline,
                  int json, unsigned flags, const char *const *ignore, size_t nignore, char **text,
                  pp_diag *d)
{
	*text = NULL;
	char *got_text = n == 1 ? pp_result_format(r[0], "json", NULL, d) : pp_results_format(r, n, d);
	size_t off;
	const char *what;
	pp_jnode *got = got_text ? pp_jparse(got_text, strlen(got_text), &off, &what) : NULL;
	free(got_text);
	if (!got) {
		pp_diag_add(d, "platprobe: error: check: the probe's own result does not read back");
		return PP_EANSWER;
	}
	pp_diffs ds = { 0 };
	pp_diff_trees(want, got, &ds);
	pp_buf out = PP_BUF_INIT, skipped = PP_BUF_INIT;
	size_t nbad = 0, nskipped = 0;
	if (json) {
		pp_buf_adds(&out, "{\n  \"platprobe_check\": 1,\n  \"baseline\": ");
		pp_json_str(&out, baseline, strlen(baseline));
		pp_buf_adds(&out, ",\n  \"differences\": [");
	}
	for (size_t i = 0; i < ds.n; i++) {
		pp_cview v = pp_view(&ds.v[i], got);
		int accepted = ((flags & PP_CHECK_ALLOW_NEW) && pp_is_new_entry(&ds.v[i], &v)) ||
		               pp_is_ignored(&v, ignore, nignore) || pp_is_newer_section(&ds.v[i], &v);
		if (accepted && json) {
			char *path = pp_path_text(ds.v[i].steps, ds.v[i].nsteps);
			pp_buf_adds(&skipped, nskipped ? ", " : "");
			pp_json_str(&skipped, path, strlen(path));
			free(path);
		}
		if (accepted) {
			nskipped++;
			continue;
		}
		if (json)
			pp_check_json(&out, &ds.v[i], &v, nbad == 0);
		else
			pp_check_line(&out, &ds.v[i], &v);
		nbad++;
	}
	if (json)
		pp_buf_addf(&out, "%s],\n  \"accepted\": [%s],\n  \"same\": %s\n}\n", nbad ? "\n  " : "",
		            pp_buf_str(&skipped), nbad ? "false" : "true");
	pp_buf_free(&skipped);
	pp_diffs_free(&ds);
	pp_jfree(got);
	*text = pp_buf_detach(&out);
	return nbad ? 1 : 0;
}
