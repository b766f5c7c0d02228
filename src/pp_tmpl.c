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
