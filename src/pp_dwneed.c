/* pp_dwneed.c: which entries need debug information, and how one fails when it cannot be had;
 * shared by pp_dwarf.c (elfutils) and pp_nodwarf.c (a build without libdw). */
#include <stdlib.h>

#include "pp_internal.h"

int pp_dwarf_wanted(const pp_plan *p)
{
	for (size_t i = 0; i < p->nitems; i++) {
		const pp_item *it = &p->items[i];
		if (it->state == PP_LIVE && (it->kind == PP_ITEM_STRUCT || it->kind == PP_ITEM_ENUM))
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
