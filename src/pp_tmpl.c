/* pp_tmpl.c: looks up the templates/ texts that the build embeds (build/pp_templates.c), so an
 * installed platprobe needs no data files. */
#include <string.h>

#include "pp_internal.h"

struct pp_template_text {
	const char *name;
	const char *text;
};
extern const struct pp_template_text pp_templates[];

const char *pp_template(const char *name)
{
	for (size_t i = 0; pp_templates[i].name; i++)
		if (strcmp(pp_templates[i].name, name) == 0)
			return pp_templates[i].text;
	return NULL;
}

void pp_templates_hash(pp_hash *h)
{
	for (size_t i = 0; pp_templates[i].name; i++) {
		pp_hash_str(h, pp_templates[i].name);
		pp_hash_str(h, pp_templates[i].text);
	}
}

/* Output formats are the templates named FORMAT.EXT.tmpl. */
static const char *pp_format_of(const char *tname, size_t *len)
{
	size_t n = strlen(tname);
	const char *dot = strchr(tname, '.');
	if (n < 6 || strcmp(tname + n - 5, ".tmpl") != 0 || !dot || dot == tname)
		return NULL;
	*len = (size_t)(dot - tname);
	return tname;
}

const char *pp_template_format(const char *format, const char **name)
{
	for (size_t i = 0; pp_templates[i].name; i++) {
		size_t len;
		const char *f = pp_format_of(pp_templates[i].name, &len);
		if (f && strlen(format) == len && !strncmp(f, format, len)) {
			*name = pp_templates[i].name;
			return pp_templates[i].text;
		}
	}
	return NULL;
}

void pp_template_formats(pp_buf *b)
{
	for (size_t i = 0; pp_templates[i].name; i++) {
		size_t len;
		const char *f = pp_format_of(pp_templates[i].name, &len);
		if (f)
			pp_buf_addf(b, ", %.*s", (int)len, f);
	}
}
