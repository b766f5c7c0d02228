/* scan_spec.h: tests/fuzz/seeds/scan.json, parsed once, for the targets that decode its answers
 * (fuzz_scan from an object, fuzz_cache from a cache entry). */
#ifndef PP_FUZZ_SCAN_SPEC_H
#define PP_FUZZ_SCAN_SPEC_H

#include "fuzz.h"

static const char scan_spec[] =
#include "scan_spec.inc"
	;

static pp_spec *fuzz_spec;

static void fuzz_spec_free(void)
{
	pp_spec_free(fuzz_spec);
}

static const pp_spec *fuzz_scan_spec(void)
{
	if (!fuzz_spec) {
		pp_diag *d = pp_diag_new();
		fuzz_spec = pp_spec_parse(scan_spec, strlen(scan_spec), "scan.json", d);
		if (!fuzz_spec)
			fuzz_fail("scan.json does not parse: %s", pp_diag_message(d, 0));
		pp_diag_free(d);
		atexit(fuzz_spec_free);
	}
	return fuzz_spec;
}

#endif
