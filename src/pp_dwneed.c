/* pp_dwneed.c: which entries need debug information, and how one fails when it cannot be had;
 * shared by pp_dwarf.c (elfutils) and pp_nodwarf.c (a build without libdw). */
#include <stdlib.h>

#include "pp_internal.h"

int pp_dwarf_wanted(const pp_plan *p)
{
	for (size_t i = 0; i < p->nitems; i++) {
		const pp_item *it = &p->items[i];
		if (it->state == PP_LIVE && (it->kind == PP_ITEM_STRUCT || it->kind == PP_ITEM_ENUM ||
		                             it->kind == PP_ITEM_FUNCTION))
			return 1;
	}
	return 0;
}

void pp_dwarf_unread(pp_item *it, const char *why)
{
	char *msg = pp_xasprintf("%s cannot be read without debug information: %s%s",
	                         it->kind == PP_ITEM_ENUM ? "its values" :
	                         "its whole layout (\"fields\": \"*\")", why,
	                         it->kind == PP_ITEM_ENUM ? "" : "; list its fields "
	                         "instead, which the compiler answers without it");
	pp_fail_item(it, PP_FAILED, msg);
	free(msg);
}

void pp_dwarf_opaque(pp_eres *er, const pp_entry *e, const char *specfile, const char *format,
                     const char *why, pp_diag *warn)
{
	/* Never a silent downgrade: the result and stderr both say the members are missing, so a
	 * binding treats the struct as opaque bytes. */
	er->fields_complete = -1;
	pp_diag_add(warn, "%s: warning: structs[%zu] \"%s\": its members cannot be read from the "
	            "compiler's %s output (\"fields_complete\": false, size and alignment only): %s",
	            specfile, e->index, e->name, format, why);
}
