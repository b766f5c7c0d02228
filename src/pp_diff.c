/* pp_diff.c: what differs between two results (two targets, or two versions of a library), for a
 * person or, as JSON, for a program. Objects are compared member by member, struct fields by
 * name, numbers exactly (64-bit integers never go through a double). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

typedef struct pp_dctx {
	pp_buf *out;
	int json;
	size_t n;
} pp_dctx;

static int pp_is_int_text(const pp_jnode *n)
{
	return n->type == PP_J_NUM && !strpbrk(n->str, ".eE");
}

static int pp_same_scalar(const pp_jnode *a, const pp_jnode *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case PP_J_NULL: return 1;
	case PP_J_BOOL: return a->b == b->b;
	case PP_J_STR: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	case PP_J_NUM:
		if (pp_is_int_text(a) && pp_is_int_text(b)) {
			/* Same sign and same magnitude digits, leading zeros aside: exact at any width. */
			const char *x = a->str, *y = b->str;
			int nx = *x == '-', ny = *y == '-';
			x += nx;
			y += ny;
			while (*x == '0' && x[1])
				x++;
			while (*y == '0' && y[1])
				y++;
			if (!strcmp(x, "0") && !strcmp(y, "0"))
				return 1;
			return nx == ny && strcmp(x, y) == 0;
		}
		return strtod(a->str, NULL) == strtod(b->str, NULL);
	default: return 0;
	}
}

static void pp_value_text(pp_buf *b, const pp_jnode *n)
{
	if (n)
		pp_jwrite(b, n);
	else
		pp_buf_adds(b, "(absent)");
}

static void pp_report(pp_dctx *c, const char *path, const pp_jnode *a, const pp_jnode *b)
{
	if (c->json) {
		pp_buf_adds(c->out, c->n ? ",\n    {\"path\": " : "\n    {\"path\": ");
		pp_json_str(c->out, path, strlen(path));
		pp_buf_addf(c->out, ", \"in\": \"%s\"", a && b ? "both" : a ? "a" : "b");
		if (a) {
			pp_buf_adds(c->out, ", \"a\": ");
			pp_jwrite(c->out, a);
		}
		if (b) {
			pp_buf_adds(c->out, ", \"b\": ");
			pp_jwrite(c->out, b);
		}
		pp_buf_addc(c->out, '}');
	} else {
		pp_buf_addf(c->out, "%s: ", path);
		pp_value_text(c->out, a);
		pp_buf_adds(c->out, " -> ");
		pp_value_text(c->out, b);
		pp_buf_addc(c->out, '\n');
	}
	c->n++;
}

static char *pp_path_key(const char *path, const char *key)
{
	pp_buf b = PP_BUF_INIT;
	pp_buf_adds(&b, path);
	if (*path)
		pp_buf_addc(&b, '.');
	/* Plain words stay bare; names like "struct stat" or "-1" are quoted. */
	int plain = *key != 0;
	for (const char *k = key; *k; k++)
		plain &= (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_' ||
		         (k > key && *k >= '0' && *k <= '9');
	if (plain)
		pp_buf_adds(&b, key);
	else
		pp_json_str(&b, key, strlen(key));
	return pp_buf_detach(&b);
}

/* A "fields" array: objects that each have a string "name", matched by it. */
static int pp_named_array(const pp_jnode *arr)
{
	if (arr->type != PP_J_ARR)
		return 0;
	for (const pp_jnode *e = arr->child; e; e = e->next) {
		const pp_jnode *nm = pp_jget(e, "name");
		if (!nm || nm->type != PP_J_STR)
			return 0;
	}
	return 1;
}

static const pp_jnode *pp_find_named(const pp_jnode *arr, const char *name)
{
	for (const pp_jnode *e = arr->child; e; e = e->next)
		if (strcmp(pp_jget(e, "name")->str, name) == 0)
			return e;
	return NULL;
}

static void pp_dnode(pp_dctx *c, const char *path, const pp_jnode *a, const pp_jnode *b)
{
	if (a->type == PP_J_OBJ && b->type == PP_J_OBJ) {
		for (const pp_jnode *x = a->child; x; x = x->next) {
			char *p = pp_path_key(path, x->key);
			const pp_jnode *y = pp_jget(b, x->key);
			if (y)
				pp_dnode(c, p, x, y);
			else
				pp_report(c, p, x, NULL);
			free(p);
		}
		for (const pp_jnode *y = b->child; y; y = y->next)
			if (!pp_jget(a, y->key)) {
				char *p = pp_path_key(path, y->key);
				pp_report(c, p, NULL, y);
				free(p);
			}
	} else if (a->type == PP_J_ARR && b->type == PP_J_ARR && pp_named_array(a) &&
	           pp_named_array(b)) {
		for (const pp_jnode *x = a->child; x; x = x->next) {
			const char *name = pp_jget(x, "name")->str;
			char *p = pp_path_key(path, name);
			const pp_jnode *y = pp_find_named(b, name);
			if (y)
				pp_dnode(c, p, x, y);
			else
				pp_report(c, p, x, NULL);
			free(p);
		}
		for (const pp_jnode *y = b->child; y; y = y->next) {
			const char *name = pp_jget(y, "name")->str;
			if (!pp_find_named(a, name)) {
				char *p = pp_path_key(path, name);
				pp_report(c, p, NULL, y);
				free(p);
			}
		}
	} else if (a->type == PP_J_ARR && b->type == PP_J_ARR) {
		const pp_jnode *x = a->child, *y = b->child;
		for (size_t i = 0; x || y; i++) {
			char *p = pp_xasprintf("%s[%zu]", path, i);
			if (x && y)
				pp_dnode(c, p, x, y);
			else
				pp_report(c, p, x, y);
			free(p);
			x = x ? x->next : NULL;
			y = y ? y->next : NULL;
		}
	} else if (!pp_same_scalar(a, b)) {
		pp_report(c, path, a, b);
	}
}

static pp_jnode *pp_load_result(const char *path, pp_diag *d)
{
	pp_buf text = PP_BUF_INIT;
	if (pp_buf_read_file(&text, path) < 0) {
		pp_diag_add(d, "%s: error: cannot read: %s", path, strerror(errno));
		pp_buf_free(&text);
		return NULL;
	}
	size_t off = 0;
	const char *what = NULL;
	pp_jnode *root = pp_jparse(pp_buf_str(&text), text.len, &off, &what);
	if (!root) {
		size_t line = 1, col = 1;
		for (size_t i = 0; i < off; i++) {
			if (text.s[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		pp_diag_add(d, "%s:%zu:%zu: error: invalid JSON: %s", path, line, col, what);
	} else if (root->type != PP_J_OBJ || !pp_jget(root, "platprobe")) {
		pp_diag_add(d, "%s: error: not a platprobe result (no \"platprobe\" key)", path);
		pp_jfree(root);
		root = NULL;
	}
	pp_buf_free(&text);
	return root;
}

int pp_diff_files(const char *a_path, const char *b_path, const char *format, char **text,
                  pp_diag *d)
{
	*text = NULL;
	int json = format && !strcmp(format, "json");
	if (format && !json && strcmp(format, "text")) {
		pp_diag_add(d, "platprobe: error: diff: unknown format '%s' (text, json)", format);
		return PP_EUSAGE;
	}
	pp_jnode *a = pp_load_result(a_path, d), *b = pp_load_result(b_path, d);
	if (!a || !b) {
		pp_jfree(a);
		pp_jfree(b);
		return PP_EUSAGE;
	}
	pp_buf out = PP_BUF_INIT;
	pp_dctx c = { &out, json, 0 };
	if (json) {
		pp_buf_adds(&out, "{\n  \"platprobe_diff\": 1,\n  \"a\": ");
		pp_json_str(&out, a_path, strlen(a_path));
		pp_buf_adds(&out, ",\n  \"b\": ");
		pp_json_str(&out, b_path, strlen(b_path));
		pp_buf_adds(&out, ",\n  \"differences\": [");
	}
	pp_dnode(&c, "", a, b);
	if (json)
		pp_buf_addf(&out, "%s],\n  \"same\": %s\n}\n", c.n ? "\n  " : "", c.n ? "false" : "true");
	pp_jfree(a);
	pp_jfree(b);
	*text = pp_buf_detach(&out);
	return c.n ? 1 : 0;
}
