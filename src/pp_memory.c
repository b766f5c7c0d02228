/* pp_memory.c: failure memory. Which entries the compiler refused (or made platprobe ask another
 * way: a bit-field, a flexible array member, a path as C reads it) the last time this compiler
 * and these flags probed, kept beside the cache. A cold run leaves them out of its compile and
 * checks each in a translation unit of its own, compiled beside the main one (pp_isolate.c): a
 * failing compile does no code generation, and a remembered failure that now compiles is asked
 * again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pp_internal.h"

#define PP_MEMORY_FORMAT 1

static int pp_ident_ch(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int pp_item_uses_name(const pp_item *it, const char *name, size_t n)
{
	if (!it->entry || !n || it->kind == PP_ITEM_DEFINED || pp_item_is_field(it))
		return 0;
	const char *e = it->entry->name;
	for (const char *s = e; *s; s++)
		if (!strncmp(s, name, n) && (s == e || !pp_ident_ch(s[-1])) && !pp_ident_ch(s[n]))
			return 1;
	return 0;
}

const char *pp_undeclared_name(const char *msg, size_t *n)
{
	*n = 0;
	if (!strstr(msg, "undeclared"))
		return NULL;
	const char *q = strchr(msg, '\'');
	const char *u = strstr(msg, "\xe2\x80\x98"); /* gcc's left quote in a UTF-8 locale */
	if (u && (!q || u < q))
		q = u + 2;
	if (!q)
		return NULL;
	q++;
	while (pp_ident_ch(q[*n]))
		(*n)++;
	return *n ? q : NULL;
}

/* An item as the memory names it: its section, entry and field names. */
static int pp_memory_is(const pp_item *it, int sec, const char *name, const char *field)
{
	if (!it->entry || (int)it->entry->sec != sec || strcmp(it->entry->name, name))
		return 0;
	if (!pp_item_is_field(it))
		return field == NULL;
	return field && !strcmp(it->entry->fields[it->field].name, field);
}

size_t pp_memory_load(const char *path, pp_plan *p)
{
	pp_buf text = PP_BUF_INIT;
	size_t n = 0;
	pp_jnode *doc = NULL;
	if (pp_buf_read_file(&text, path) < 0)
		goto out;
	size_t off;
	const char *what;
	doc = pp_jparse(pp_buf_str(&text), text.len, &off, &what);
	const pp_jnode *fmt = doc ? pp_jget(doc, "format") : NULL;
	const pp_jnode *items = doc ? pp_jget(doc, "items") : NULL;
	if (!fmt || fmt->type != PP_J_NUM || atoi(fmt->str) != PP_MEMORY_FORMAT || !items ||
	    items->type != PP_J_ARR)
		goto out;
	for (const pp_jnode *e = items->child; e; e = e->next) {
		/* [section, name, field or null, state, kind, 0 (unused), why] */
		const pp_jnode *v[7];
		size_t k = 0;
		for (const pp_jnode *c = e->child; c && k < 7; c = c->next)
			v[k++] = c;
		if (k != 7 || v[0]->type != PP_J_NUM || v[1]->type != PP_J_STR ||
		    (v[2]->type != PP_J_STR && v[2]->type != PP_J_NULL) || v[3]->type != PP_J_NUM ||
		    v[4]->type != PP_J_NUM || v[5]->type != PP_J_NUM || v[6]->type != PP_J_STR)
			continue;
		int st = atoi(v[3]->str), kind = atoi(v[4]->str);
		if (st < PP_LIVE || st > PP_NONCONST)
			continue;
		for (size_t i = 0; i < p->nitems; i++) {
			pp_item *it = &p->items[i];
			if (it->state != PP_LIVE || it->remembered ||
			    !pp_memory_is(it, atoi(v[0]->str), v[1]->str,
			                  v[2]->type == PP_J_STR ? v[2]->str : NULL))
				continue;
			if (st != PP_LIVE) {
				pp_fail_item(it, (enum pp_item_state)st, v[6]->str);
			} else if (it->kind == PP_ITEM_FIELD && (kind == PP_ITEM_BITFIELD ||
			           kind == PP_ITEM_FLEXFIELD || kind == PP_ITEM_CFIELD)) {
				it->kind = (enum pp_item_kind)kind;
			} else {
				break;
			}
			it->remembered = 1;
			n++;
			break;
		}
	}
out:
	pp_jfree(doc);
	pp_buf_free(&text);
	return n;
}

/* Whether the compile made this item fail or asked it another way. */
static int pp_memory_worth(const pp_item *it)
{
	return it->entry && (it->state != PP_LIVE || it->kind == PP_ITEM_BITFIELD ||
	                     it->kind == PP_ITEM_FLEXFIELD || it->kind == PP_ITEM_CFIELD);
}

void pp_memory_save(const char *path, const pp_plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nitems; i++)
		n += pp_memory_worth(&p->items[i]);
	if (!n) {
		unlink(path);
		return;
	}
	pp_buf b = PP_BUF_INIT;
	pp_buf_addf(&b, "{\"format\": %d, \"items\": [", PP_MEMORY_FORMAT);
	int first = 1;
	for (size_t i = 0; i < p->nitems; i++) {
		const pp_item *it = &p->items[i];
		if (!pp_memory_worth(it))
			continue;
		pp_buf_addf(&b, "%s\n [%d, ", first ? "" : ",", (int)it->entry->sec);
		first = 0;
		pp_json_str(&b, it->entry->name, strlen(it->entry->name));
		pp_buf_adds(&b, ", ");
		if (pp_item_is_field(it)) {
			const char *f = it->entry->fields[it->field].name;
			pp_json_str(&b, f, strlen(f));
		} else {
			pp_buf_adds(&b, "null");
		}
		const char *why = it->why ? it->why : "";
		pp_buf_addf(&b, ", %d, %d, 0, ", (int)it->state, (int)it->kind);
		pp_json_str(&b, why, strlen(why));
		pp_buf_addc(&b, ']');
	}
	pp_buf_adds(&b, "]}\n");
	/* Replaced whole (pp_out.c), so a reader never sees half of it. */
	char *dir = pp_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (!slash || pp_mkdirs(dir) == 0)
		pp_write_cache_file(path, b.s, b.len, NULL);
	free(dir);
	pp_buf_free(&b);
}

char *pp_memory_render(pp_plan *p)
{
	/* The remembered items as they were first asked, alone; the rest out of the way. */
	size_t n = p->nitems;
	enum pp_item_state *st = pp_xcalloc(n, sizeof *st);
	enum pp_item_kind *kind = pp_xcalloc(n, sizeof *kind);
	for (size_t i = 0; i < n; i++) {
		pp_item *it = &p->items[i];
		st[i] = it->state;
		kind[i] = it->kind;
		it->state = it->remembered ? PP_LIVE : PP_FAILED;
		if (it->remembered && pp_item_is_field(it))
			it->kind = PP_ITEM_FIELD;
	}
	char *text = pp_gen_render(p, "object.c", PP_MODE_OBJECT);
	for (size_t i = 0; i < n; i++) {
		p->items[i].state = st[i];
		p->items[i].kind = kind[i];
	}
	free(st);
	free(kind);
	/* Its own virtual file, so its errors are never taken for the main compile's. */
	pp_buf out = PP_BUF_INIT;
	static const char from[] = "\"" PP_VIRTUAL_FILE "\"";
	for (const char *s = text;;) {
		const char *hit = strstr(s, from);
		if (!hit) {
			pp_buf_adds(&out, s);
			break;
		}
		pp_buf_add(&out, s, (size_t)(hit - s));
		pp_buf_adds(&out, "\"" PP_MEMORY_FILE "\"");
		s = hit + sizeof from - 1;
	}
	free(text);
	return pp_buf_detach(&out);
}

size_t pp_memory_declared(pp_plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		if (it->kind != PP_ITEM_DECLARED || it->state != PP_LIVE || it->remembered)
			continue;
		pp_fail_item(it, PP_FAILED, "asked in the second unit");
		it->remembered = 1;
		n++;
	}
	return n;
}

size_t pp_memory_confirm(pp_plan *p, const char *err, int asked)
{
	static const char vfile[] = PP_MEMORY_FILE ":";
	char *msg = NULL;
	for (const char *s = err; s && *s;) {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		char *line = pp_xstrndup(s, len);
		s = eol ? eol + 1 : NULL;
		const char *e = strstr(line, ": error: ");
		if (e || strstr(line, ": fatal error: ")) {
			free(msg);
			const char *t = strstr(line, "error: ");
			msg = pp_xstrdup(t + 7);
			size_t nn;
			const char *name = pp_undeclared_name(msg, &nn);
			for (size_t i = 0; name && i < p->nitems; i++)
				if (p->items[i].remembered == 1 && pp_item_uses_name(&p->items[i], name, nn))
					p->items[i].remembered = 2;
		}
		int counts = msg && (e || (strstr(line, "note:") && strstr(line, "macro")));
		for (const char *q = line; counts && (q = strstr(q, vfile)); q++) {
			unsigned long ln = strtoul(q + sizeof vfile - 1, NULL, 10);
			if (ln < 1 || ln > p->nitems)
				continue;
			pp_item *it = &p->items[ln - 1];
			if (it->remembered == 1) {
				it->remembered = 2;
				if (it->state != PP_LIVE) {
					free(it->why); /* this compile's own words */
					it->why = pp_xstrdup(msg);
				}
			}
		}
		free(line);
	}
	free(msg);
	/* What did not fail again is asked again: never kept as a failure it no longer is. */
	size_t back = 0;
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		if (it->remembered != 1)
			continue;
		it->remembered = 0;
		if (it->state != PP_LIVE) {
			it->state = PP_LIVE;
			free(it->why);
			it->why = NULL;
		} else {
			it->kind = PP_ITEM_FIELD;
		}
		if (!(asked && it->kind == PP_ITEM_DECLARED))
			back++;
	}
	return back;
}
