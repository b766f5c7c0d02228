/* pp_formats.c: the output formats by name: JSON and the header from pp_result.c, the bindings
 * from a template over pp_emit.c's data tree (their options: --package; a template of the user's
 * own, --template FILE, over the same tree; -f model, that tree), so neither of those two calls
 * the other or back here. */
#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* The Go package a spec's file name stands for: "probe/posix.json" -> "posix". */
static char *pp_default_package(const char *spec)
{
	const char *base = spec ? strrchr(spec, '/') : NULL;
	base = base ? base + 1 : spec ? spec : "";
	pp_buf b = PP_BUF_INIT;
	for (const char *p = base; *p && *p != '.'; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		pp_buf_addc(&b, (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
	}
	if (!b.len || (b.s[0] >= '0' && b.s[0] <= '9') || b.s[0] == '_') {
		char *t = pp_xasprintf("bindings%s", pp_buf_str(&b));
		pp_buf_free(&b);
		return t;
	}
	return pp_buf_detach(&b);
}

int pp_format_known(const char *format)
{
	const char *name;
	return !strcmp(format, "json") || !strcmp(format, "header") || !strcmp(format, "model") ||
	       pp_template_format(format, &name) != NULL;
}

char *pp_format_names(void)
{
	pp_buf b = PP_BUF_INIT;
	pp_buf_adds(&b, "json, header, model");
	pp_template_formats(&b);
	return pp_buf_detach(&b);
}

char *pp_result_format(const pp_result *r, const char *format, const char *prefix, pp_diag *d)
{
	pp_format_opts fo = { prefix, NULL, NULL, NULL };
	return pp_result_format_opts(r, format, &fo, d);
}

char *pp_result_format_opts(const pp_result *r, const char *format, const pp_format_opts *fo,
                            pp_diag *d)
{
	const char *prefix = fo && fo->prefix ? fo->prefix : "";
	const char *tpath = fo ? fo->template_path : NULL;
	if (!format)
		format = "json";
	if (*prefix && !pp_name_is_ident(prefix)) {
		pp_diag_add(d, "platprobe: error: --prefix '%s' is not the start of a C identifier", prefix);
		return NULL;
	}
	if (!tpath && (!strcmp(format, "json") || !strcmp(format, "header"))) {
		pp_buf b = PP_BUF_INIT;
		if (!strcmp(format, "json"))
			pp_json_result(&b, r);
		else
			pp_header_result(&b, r, prefix);
		return pp_buf_detach(&b);
	}
	if (!tpath && !pp_format_known(format)) {
		char *names = pp_format_names();
		pp_diag_add(d, "platprobe: error: unknown output format '%s' (%s)", format, names);
		free(names);
		return NULL;
	}
	if (fo && fo->package && (!pp_name_is_ident(fo->package) || fo->package[0] == '_')) {
		pp_diag_add(d, "platprobe: error: --package '%s' is not a Go package name (a letter, then "
		            "letters, digits or '_')", fo->package);
		return NULL;
	}
	const char *name = NULL, *text = NULL;
	pp_buf file = PP_BUF_INIT;
	if (tpath) {
		if (pp_buf_read_file(&file, tpath) < 0) {
			pp_diag_add(d, "platprobe: error: --template %s: %s", tpath, strerror(errno));
			pp_buf_free(&file);
			return NULL;
		}
		name = tpath;
		text = pp_buf_str(&file);
	} else if (strcmp(format, "model") && !(text = pp_template_format(format, &name))) {
		pp_diag_add(d, "platprobe: error: no template for output format '%s'", format);
		return NULL;
	}
	cJSON *m = pp_emit_model(r, prefix);
	char *pkg = fo && fo->package ? pp_xstrdup(fo->package) :
	            pp_default_package(fo ? fo->spec_name : NULL);
	cJSON_AddStringToObject(m, "package", pkg);
	free(pkg);
	char *out = NULL;
	const cJSON *go = cJSON_GetObjectItemCaseSensitive(m, "go");
	if (!text) {
		out = cJSON_Print(m);
		if (out) {
			char *t = pp_xasprintf("%s\n", out);
			cJSON_free(out);
			out = t;
		}
	} else if (!tpath && !strcmp(format, "go") &&
	           !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(go, "known"))) {
		pp_diag_add(d, "platprobe: error: -f go: Go has no GOOS/GOARCH for the target %s",
		            r->target.triple);
	} else {
		out = pp_render_template(name, text, m, d);
	}
	cJSON_Delete(m);
	pp_buf_free(&file);
	return out;
}
