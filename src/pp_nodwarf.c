/* pp_nodwarf.c: stands in for pp_dwarf.c in a build without elfutils' libdw (make WITH_LIBDW=0,
 * or no libdw found by pkg-config): no debug information is read, so what needs it (whole
 * layouts, enum values) fails with that reason, as for a COFF object; the rest is unchanged. */
#include "pp_internal.h"

int pp_dwarf_apply(pp_plan *p, pp_result *res, const char *path, const char *specfile, pp_diag *d,
                   pp_diag *warn)
{
	(void)path, (void)d;
	static const char why[] = "platprobe was built without libdw (elfutils), which reads it";
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		if (it->state != PP_LIVE || (it->kind != PP_ITEM_ENUM && it->kind != PP_ITEM_STRUCT))
			continue;
		pp_entry *e = it->entry;
		pp_eres *er = &res->e[e->sec][e->index];
		if (it->kind == PP_ITEM_ENUM || e->whole == PP_WHOLE_REQUIRED)
			pp_dwarf_unread(it, why);
		else if (e->whole == PP_WHOLE_WANTED && er->answered)
			pp_dwarf_opaque(er, e, specfile, "any", why, warn);
	}
	return 0;
}

int pp_dwarf_readable(const char *path, size_t nitems)
{
	(void)path, (void)nitems;
	return 0;
}

int pp_dwvalues_possible(void)
{
	return 0;
}

int pp_dwvalues_fill(const pp_plan *p, const char *path, const pp_table *t, unsigned char *base,
                     char **why)
{
	(void)p, (void)path, (void)t, (void)base;
	*why = pp_xstrdup("platprobe was built without libdw (elfutils)");
	return -1;
}
