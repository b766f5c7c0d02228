/* unit_buf.c: pp_buf, the one growable text buffer: appends of every kind, growth far past the
 * first allocation, truncation back to a mark (as the generator drops an empty chunk), reset,
 * detach. Expected texts are written out by hand or built with snprintf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"
#include "unit.h"

int main(void)
{
	pp_buf b = PP_BUF_INIT;
	CHECK_STR("empty buffer reads as \"\"", pp_buf_str(&b), "");
	pp_buf_truncate(&b, 0);
	pp_buf_reset(&b);
	CHECK("truncate and reset of a never-grown buffer: still empty", b.len == 0);

	pp_buf_adds(&b, "struct {");
	pp_buf_addc(&b, '\n');
	pp_buf_add(&b, "int x;\0junk", 6);
	pp_buf_addf(&b, " /* %d %s */", 42, "z");
	CHECK_STR("appends in order", pp_buf_str(&b), "struct {\nint x; /* 42 z */");
	CHECK("len counts every byte", b.len == strlen("struct {\nint x; /* 42 z */"));

	size_t mark = b.len;
	char want[64];
	snprintf(want, sizeof want, "%s", pp_buf_str(&b));
	for (int i = 0; i < 10000; i++)
		pp_buf_addf(&b, "pp_v%d;", i);
	CHECK("grows far past its first allocation", b.len > 60000);
	pp_buf_truncate(&b, mark);
	CHECK_STR("truncate: back to the mark, terminated", pp_buf_str(&b), want);
	CHECK("truncate: len is the mark", b.len == mark);
	pp_buf_truncate(&b, mark + 100);
	CHECK_STR("truncate past the end: no change", pp_buf_str(&b), want);
	pp_buf_adds(&b, "}");
	snprintf(want + strlen(want), sizeof want - strlen(want), "}");
	CHECK_STR("appends after a truncate", pp_buf_str(&b), want);

	pp_buf_reset(&b);
	CHECK_STR("reset: empty", pp_buf_str(&b), "");
	pp_buf_adds(&b, "again");
	char *s = pp_buf_detach(&b);
	CHECK_STR("detach gives the text", s, "again");
	CHECK("detach leaves the buffer empty", b.len == 0 && b.s == NULL);
	free(s);
	pp_buf_free(&b);
	return unit_done();
}
