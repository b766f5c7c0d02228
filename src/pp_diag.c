/* pp_diag.c: error lists (collected through the pipeline, printed once by the caller), string
 * vectors for argument lists, and the options object. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

const char *pp_version(void)
{
	return PP_VERSION;
}

pp_diag *pp_diag_new(void)
{
	return pp_xcalloc(1, sizeof(pp_diag));
}

void pp_diag_free(pp_diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->msg[i]);
	free(d->msg);
	free(d);
}

size_t pp_diag_count(const pp_diag *d)
{
	return d ? d->n : 0;
}

const char *pp_diag_message(const pp_diag *d, size_t i)
{
	return d && i < d->n ? d->msg[i] : NULL;
}

void pp_diag_add(pp_diag *d, const char *fmt, ...)
{
	if (!d)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = pp_xvasprintf(fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->msg = pp_xrealloc(d->msg, d->cap * sizeof(char *));
	}
	d->msg[d->n++] = msg;
}

void pp_strv_push_own(pp_strv *sv, char *s)
{
	/* Keep one NULL after the last element so v can serve as an argv. */
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = pp_xrealloc(sv->v, sv->cap * sizeof(char *));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

int pp_strv_has(const pp_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return 1;
	return 0;
}

void pp_strv_push(pp_strv *sv, const char *s)
{
	pp_strv_push_own(sv, pp_xstrdup(s));
}

/* Words as a POSIX shell splits them, with no expansion: blanks separate, '...' is literal,
 * "..." keeps blanks and lets \ escape only $ ` " \ and newline, \ outside quotes escapes the
 * next character. So $CC='"/opt/my cc/gcc" -m32' and pkg-config's "-I/a\ b" mean what make's
 * shell makes of them; an unterminated quote runs to the end. */
void pp_strv_split(pp_strv *sv, const char *words)
{
	const char *p = words;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		pp_buf w = PP_BUF_INIT;
		char quote = 0;
		for (; *p && (quote || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
			if (quote == '\'') {
				if (*p == '\'')
					quote = 0;
				else
					pp_buf_addc(&w, *p);
			} else if (*p == '\\' && p[1] && (quote != '"' || strchr("$`\"\\\n", p[1]))) {
				p++;
				if (*p != '\n') /* backslash-newline joins lines */
					pp_buf_addc(&w, *p);
			} else if (quote == '"' && *p == '"') {
				quote = 0;
			} else if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p;
			} else {
				pp_buf_addc(&w, *p);
			}
		}
		pp_strv_push_own(sv, pp_buf_detach(&w));
	}
}

void pp_strv_free(pp_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* ---- options ---- */

pp_options *pp_options_new(void)
{
	pp_options *o = pp_xcalloc(1, sizeof *o);
	o->mode = PP_MODE_OBJECT;
	o->timeout = 300;
	return o;
}

void pp_options_free(pp_options *o)
{
	if (!o)
		return;
	free(o->cc);
	free(o->target);
	free(o->sysroot);
	free(o->exec_wrapper);
	free(o->cache_dir);
	pp_strv_free(&o->cflags);
	pp_strv_free(&o->pkgs);
	free(o);
}

void pp_options_set_cache_dir(pp_options *o, const char *dir)
{
	free(o->cache_dir);
	o->cache_dir = dir && *dir ? pp_xstrdup(dir) : NULL;
}

static char *pp_dup_or_null(const char *s)
{
	return s && *s ? pp_xstrdup(s) : NULL;
}

pp_options *pp_options_clone(const pp_options *o)
{
	pp_options *c = pp_xcalloc(1, sizeof *c);
	*c = *o;
	c->cc = pp_dup_or_null(o->cc);
	c->target = pp_dup_or_null(o->target);
	c->sysroot = pp_dup_or_null(o->sysroot);
	c->exec_wrapper = pp_dup_or_null(o->exec_wrapper);
	c->cache_dir = pp_dup_or_null(o->cache_dir);
	memset(&c->cflags, 0, sizeof c->cflags);
	for (size_t i = 0; i < o->cflags.n; i++)
		pp_strv_push(&c->cflags, o->cflags.v[i]);
	memset(&c->pkgs, 0, sizeof c->pkgs);
	for (size_t i = 0; i < o->pkgs.n; i++)
		pp_strv_push(&c->pkgs, o->pkgs.v[i]);
	return c;
}

void pp_options_set_target(pp_options *o, const char *triple)
{
	free(o->target);
	o->target = pp_dup_or_null(triple);
}

void pp_options_set_sysroot(pp_options *o, const char *dir)
{
	free(o->sysroot);
	o->sysroot = pp_dup_or_null(dir);
}

void pp_options_add_cflag(pp_options *o, const char *flag)
{
	pp_strv_push(&o->cflags, flag);
}

void pp_options_add_pkg(pp_options *o, const char *name)
{
	pp_strv_push(&o->pkgs, name);
}

void pp_options_set_deps(pp_options *o, int deps)
{
	o->deps = deps;
}

void pp_options_set_cc(pp_options *o, const char *cc)
{
	free(o->cc);
	o->cc = cc ? pp_xstrdup(cc) : NULL;
}

void pp_options_set_mode(pp_options *o, enum pp_mode mode)
{
	o->mode = mode;
}

void pp_options_set_exec_wrapper(pp_options *o, const char *wrapper)
{
	free(o->exec_wrapper);
	o->exec_wrapper = wrapper && *wrapper ? pp_xstrdup(wrapper) : NULL;
}

void pp_options_set_timeout(pp_options *o, double seconds)
{
	o->timeout = seconds > 0 ? seconds : 300;
}

void pp_options_set_keep_temps(pp_options *o, int keep)
{
	o->keep_temps = keep;
}

void pp_options_set_log(pp_options *o, void (*log)(void *ud, const char *line), void *ud)
{
	o->log = log;
	o->log_ud = ud;
}
