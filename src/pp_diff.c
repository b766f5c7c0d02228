/* pp_diff.c: what differs between two results (two targets, or two versions of a library), for a
 * person or, as JSON, for a program; check (pp_check.c) reports the same walk its own way. Objects
 * are compared member by member, struct fields by name, numbers exactly (never through a double). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

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

/* One step of a path: plain words stay bare, names like "struct stat" or "-1" are quoted. */
void pp_path_add(pp_buf *b, const pp_dstep *st)
{
	if (st->index) {
		pp_buf_addf(b, "[%zu]", st->pos);
		return;
	}
	if (b->len)
		pp_buf_addc(b, '.');
	const char *key = st->key;
	int plain = *key != 0;
	for (const char *k = key; *k; k++)
		plain &= (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_' ||
		         (k > key && *k >= '0' && *k <= '9');
	if (plain)
		pp_buf_adds(b, key);
	else
		pp_json_str(b, key, strlen(key));
}

char *pp_path_text(const pp_dstep *steps, size_t n)
{
	pp_buf b = PP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		pp_path_add(&b, &steps[i]);
	return pp_buf_detach(&b);
}

/* The walk: the path so far (steps point at keys and names inside the trees) and the list. */
typedef struct pp_dwalk {
	pp_dstep *path;
	size_t depth, cap;
	pp_diffs *out;
} pp_dwalk;

static void pp_push(pp_dwalk *w, const char *key, size_t pos)
{
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->path = pp_xrealloc(w->path, w->cap * sizeof *w->path);
	}
	w->path[w->depth++] = (pp_dstep){ key, pos, key == NULL };
}

static void pp_report(pp_dwalk *w, const pp_jnode *a, const pp_jnode *b)
{
	pp_diffs *o = w->out;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = pp_xrealloc(o->v, o->cap * sizeof *o->v);
	}
	pp_diff *d = &o->v[o->n++];
	d->steps = pp_xcalloc(w->depth, sizeof *d->steps);
	memcpy(d->steps, w->path, w->depth * sizeof *d->steps);
	d->nsteps = w->depth;
	d->a = a;
	d->b = b;
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

static void pp_dnode(pp_dwalk *w, const pp_jnode *a, const pp_jnode *b);

/* How many elements of arr carry name, and the k-th of them (NULL if there are fewer). */
static size_t pp_count_named(const pp_jnode *arr, const char *name)
{
	size_t n = 0;
	for (const pp_jnode *e = arr->child; e; e = e->next)
		n += strcmp(pp_jget(e, "name")->str, name) == 0;
	return n;
}

static const pp_jnode *pp_find_named(const pp_jnode *arr, const char *name, size_t k)
{
	for (const pp_jnode *e = arr->child; e; e = e->next)
		if (strcmp(pp_jget(e, "name")->str, name) == 0 && k-- == 0)
			return e;
	return NULL;
}

/* The k-th element named name of one array against the k-th of the other: anonymous members of
 * a whole layout all have the name "", and must each meet their own counterpart. Where a name is
 * not unique the path says which one: fields.""[1]. */
static void pp_dnamed(pp_dwalk *w, const pp_jnode *a, const pp_jnode *b, int from_a)
{
	const pp_jnode *mine = from_a ? a : b, *other = from_a ? b : a;
	for (const pp_jnode *x = mine->child; x; x = x->next) {
		const char *name = pp_jget(x, "name")->str;
		size_t k = 0;
		for (const pp_jnode *e = mine->child; e != x; e = e->next)
			k += strcmp(pp_jget(e, "name")->str, name) == 0;
		const pp_jnode *y = pp_find_named(other, name, k);
		if (!from_a && y)
			continue; /* met from a's side */
		int many = pp_count_named(a, name) > 1 || pp_count_named(b, name) > 1;
		pp_push(w, name, 0);
		if (many)
			pp_push(w, NULL, k);
		if (y)
			pp_dnode(w, x, y);
		else
			pp_report(w, from_a ? x : NULL, from_a ? NULL : x);
		w->depth -= many ? 2 : 1;
	}
}

static void pp_dnode(pp_dwalk *w, const pp_jnode *a, const pp_jnode *b)
{
	if (a->type == PP_J_OBJ && b->type == PP_J_OBJ) {
		for (const pp_jnode *x = a->child; x; x = x->next) {
			const pp_jnode *y = pp_jget(b, x->key);
			pp_push(w, x->key, 0);
			if (y)
				pp_dnode(w, x, y);
			else
				pp_report(w, x, NULL);
			w->depth--;
		}
		for (const pp_jnode *y = b->child; y; y = y->next)
			if (!pp_jget(a, y->key)) {
				pp_push(w, y->key, 0);
				pp_report(w, NULL, y);
				w->depth--;
			}
	} else if (a->type == PP_J_ARR && b->type == PP_J_ARR && pp_named_array(a) &&
	           pp_named_array(b)) {
		pp_dnamed(w, a, b, 1);
		pp_dnamed(w, a, b, 0);
	} else if (a->type == PP_J_ARR && b->type == PP_J_ARR) {
		const pp_jnode *x = a->child, *y = b->child;
		for (size_t i = 0; x || y; i++) {
			pp_push(w, NULL, i);
			if (x && y)
				pp_dnode(w, x, y);
			else
				pp_report(w, x, y);
			w->depth--;
			x = x ? x->next : NULL;
			y = y ? y->next : NULL;
		}
	} else if (!pp_same_scalar(a, b)) {
		pp_report(w, a, b);
	}
}

void pp_diff_trees(const pp_jnode *a, const pp_jnode *b, pp_diffs *out)
{
	pp_dwalk w = { NULL, 0, 0, out };
	pp_dnode(&w, a, b);
	free(w.path);
}

void pp_diffs_free(pp_diffs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		free(ds->v[i].steps);
	free(ds->v);
	memset(ds, 0, sizeof *ds);
}

pp_jnode *pp_result_parse(const char *text, size_t len, const char *name, pp_diag *d)
{
	size_t off = 0;
	const char *what = NULL;
	pp_jnode *root = pp_jparse(text, len, &off, &what);
	if (!root) {
		size_t line, col;
		pp_linecol(text, off, &line, &col);
		pp_diag_add(d, "%s:%zu:%zu: error: invalid JSON: %s", name, line, col, what);
	} else if (root->type != PP_J_OBJ || !pp_jget(root, "platprobe")) {
		pp_diag_add(d, "%s: error: not a platprobe result (no \"platprobe\" key)", name);
		pp_jfree(root);
		root = NULL;
	}
	return root;
}

pp_jnode *pp_result_read(const char *path, pp_diag *d)
{
	pp_buf text = PP_BUF_INIT;
	if (pp_buf_read_file(&text, path) < 0) {
		pp_diag_add(d, "%s: error: cannot read: %s", path, strerror(errno));
		pp_buf_free(&text);
		return NULL;
	}
	pp_jnode *root = pp_result_parse(pp_buf_str(&text), text.len, path, d);
	pp_buf_free(&text);
	return root;
}

int pp_diff_text(const pp_jnode *a, const pp_jnode *b, const char *a_name, const char *b_name,
                 int json, char **text)
{
	pp_diffs ds = { 0 };
	pp_diff_trees(a, b, &ds);
	pp_buf out = PP_BUF_INIT;
	if (json) {
		pp_buf_adds(&out, "{\n  \"platprobe_diff\": 1,\n  \"a\": ");
		pp_json_str(&out, a_name, strlen(a_name));
		pp_buf_adds(&out, ",\n  \"b\": ");
		pp_json_str(&out, b_name, strlen(b_name));
		pp_buf_adds(&out, ",\n  \"differences\": [");
	}
	for (size_t i = 0; i < ds.n; i++) {
		const pp_diff *df = &ds.v[i];
		char *path = pp_path_text(df->steps, df->nsteps);
		if (json) {
			pp_buf_adds(&out, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
			pp_json_str(&out, path, strlen(path));
			pp_buf_addf(&out, ", \"in\": \"%s\"", df->a && df->b ? "both" : df->a ? "a" : "b");
			if (df->a) {
				pp_buf_adds(&out, ", \"a\": ");
				pp_jwrite(&out, df->a);
			}
			if (df->b) {
				pp_buf_adds(&out, ", \"b\": ");
				pp_jwrite(&out, df->b);
			}
			pp_buf_addc(&out, '}');
		} else {
			pp_buf_addf(&out, "%s: ", path);
			pp_value_text(&out, df->a);
			pp_buf_adds(&out, " -> ");
			pp_value_text(&out, df->b);
			pp_buf_addc(&out, '\n');
		}
		free(path);
	}
	if (json)
		pp_buf_addf(&out, "%s],\n  \"same\": %s\n}\n", ds.n ? "\n  " : "", ds.n ? "false" : "true");
	int rc = ds.n ? 1 : 0;
	pp_diffs_free(&ds);
	*text = pp_buf_detach(&out);
	return rc;
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
	pp_jnode *a = pp_result_read(a_path, d), *b = pp_result_read(b_path, d);
	int rc = a && b ? pp_diff_text(a, b, a_path, b_path, json, text) : PP_EUSAGE;
	pp_jfree(a);
	pp_jfree(b);
	return rc;
}
