/* pp_format.c: the output formats by name: JSON and the header from pp_result.c, every other
 * from a template through pp_emit.c (so neither of those two calls the other back). */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

int pp_format_known(const char *format)
{
	const char *name;
	return !strcmp(format, "json") || !strcmp(format, "header") ||
	       pp_template_format(format, &name) != NULL;
}

char *pp_format_names(void)
{
	pp_buf b = PP_BUF_INIT;
	pp_buf_adds(&b, "json, header");
	pp_template_formats(&b);
	return pp_buf_detach(&b);
}

char *pp_result_format(const pp_result *r, const char *format, const char *prefix, pp_diag *d)
{
	pp_buf b = PP_BUF_INIT;
	if (prefix && *prefix && !pp_name_is_ident(prefix)) {
		pp_diag_add(d, "platprobe: error: --prefix '%s' is not the start of a C identifier",
		            prefix);
		return NULL;
	}
	if (!format || !strcmp(format, "json")) {
		pp_json_result(&b, r);
	} else if (!strcmp(format, "header")) {
		pp_header_result(&b, r, prefix ? prefix : "");
	} else if (pp_format_known(format)) {
		return pp_emit_format(r, format, prefix ? prefix : "", d);
	} else {
		char *names = pp_format_names();
		pp_diag_add(d, "platprobe: error: unknown output format '%s' (%s)", format, names);
		free(names);
		return NULL;
	}
	return pp_buf_detach(&b);
}
