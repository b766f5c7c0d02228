/* pp_proto.c: function prototypes in a result (the "prototypes" section): each type in the member
 * type model, plus what a binding needs to declare it (pointee, record, a function's own prototype). */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

void pp_ptype_clear(pp_ptype *t)
{
	if (!t)
		return;
	pp_fres_clear(&t->f);
	free(t->record);
	pp_ptype *own[] = { t->pointee, t->first };
	for (size_t i = 0; i < 2; i++) {
		pp_ptype_clear(own[i]);
		free(own[i]);
	}
	pp_proto_free(t->proto);
	memset(t, 0, sizeof *t);
}

void pp_proto_free(pp_proto *p)
{
	if (!p)
		return;
	pp_ptype_clear(&p->ret);
	for (size_t i = 0; i < p->nparams; i++)
		pp_ptype_clear(&p->params[i]);
	free(p->params);
	free(p->symbol);
	free(p);
}

static void pp_json_proto(pp_buf *b, const pp_proto *p);

void pp_proto_text(pp_buf *b, const pp_proto *p)
{
	pp_buf_addf(b, "%s (", p->ret.f.type ? p->ret.f.type : "?");
	for (size_t i = 0; i < p->nparams; i++)
		pp_buf_addf(b, "%s%s", i ? ", " : "", p->params[i].f.type ? p->params[i].f.type : "?");
	if (p->variadic)
		pp_buf_adds(b, p->nparams ? ", ..." : "...");
	else if (!p->nparams && !p->unprototyped)
		pp_buf_adds(b, "void");
	pp_buf_addc(b, ')');
	if (p->symbol)
		pp_buf_addf(b, ", links as %s", p->symbol);
}

static void pp_json_strkey(pp_buf *b, const char *key, const char *s)
{
	pp_buf_addf(b, ", \"%s\": ", key);
	pp_json_str(b, s, strlen(s));
}

/* {"size", "kind", ..., "type"} as a member's, then "record", "pointee", "prototype",
 * "first_member". */
static void pp_json_ptype(pp_buf *b, const pp_ptype *t)
{
	pp_buf_addc(b, '{');
	pp_json_fres_type(b, &t->f);
	if (t->record)
		pp_json_strkey(b, "record", t->record);
	if (t->pointee) {
		pp_buf_adds(b, ", \"pointee\": ");
		pp_json_ptype(b, t->pointee);
	}
	if (t->proto) {
		pp_buf_adds(b, ", \"prototype\": ");
		pp_json_proto(b, t->proto);
	}
	if (t->first) {
		pp_buf_adds(b, ", \"first_member\": ");
		pp_json_ptype(b, t->first);
	}
	pp_buf_addc(b, '}');
}

static void pp_json_proto(pp_buf *b, const pp_proto *p)
{
	pp_buf_adds(b, "{\"returns\": ");
	pp_json_ptype(b, &p->ret);
	pp_buf_adds(b, ", \"params\": [");
	for (size_t i = 0; i < p->nparams; i++) {
		pp_buf_adds(b, i ? ", " : "");
		pp_json_ptype(b, &p->params[i]);
	}
	pp_buf_addf(b, "], \"variadic\": %s", p->variadic ? "true" : "false");
	if (p->unprototyped)
		pp_buf_adds(b, ", \"prototyped\": false");
	if (p->symbol)
		pp_json_strkey(b, "symbol", p->symbol);
	if (p->noreturn)
		pp_buf_adds(b, ", \"noreturn\": true");
	pp_buf_addc(b, '}');
}

void pp_json_prototypes(pp_buf *b, const pp_result *r)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < r->n[PP_FUNCTIONS]; i++)
		n += !r->e[PP_FUNCTIONS][i].omit;
	pp_buf_adds(b, ",\n  \"prototypes\": {");
	for (size_t i = 0; i < r->n[PP_FUNCTIONS]; i++) {
		const pp_eres *e = &r->e[PP_FUNCTIONS][i];
		if (e->omit)
			continue;
		pp_buf_adds(b, k++ ? ",\n    " : "\n    ");
		pp_json_str(b, e->name, strlen(e->name));
		pp_buf_adds(b, ": ");
		if (e->proto && e->answered && e->yes)
			pp_json_proto(b, e->proto);
		else
			pp_buf_adds(b, "null");
	}
	pp_buf_adds(b, n ? "\n  }" : "}");
}
