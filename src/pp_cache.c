/* pp_cache.c: answers kept between runs. An entry is found by a key over everything a probe's
 * answers depend on except the headers (compiler identity, flags, mode, spec, templates), and is
 * trusted only while every header the compile read has the same content and every program the
 * compiler ran (cc1, as, clang -cc1) the same size and mtime. Entries are JSON, written atomically;
 * one that does not parse or check out is ignored and rewritten. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pp_internal.h"

#define PP_CACHE_FORMAT 1

void pp_hash_init(pp_hash *h)
{
	/* Two FNV-1a lanes with different offset bases: 128 bits against accidental collisions. */
	h->a = 0xcbf29ce484222325ULL;
	h->b = 0x84222325cbf29ce4ULL;
	h->n = 0;
}

void pp_hash_add(pp_hash *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t a = h->a, b = h->b;
	for (size_t i = 0; i < n; i++) {
		a = (a ^ p[i]) * 0x100000001b3ULL;
		b = (b ^ p[i]) * 0x00000100000001b3ULL + 0x9e3779b97f4a7c15ULL;
	}
	h->a = a;
	h->b = b;
	h->n += n;
}

void pp_hash_str(pp_hash *h, const char *s)
{
	/* With its length, so ("ab","c") and ("a","bc") differ. */
	size_t n = s ? strlen(s) : (size_t)-1;
	pp_hash_add(h, &n, sizeof n);
	if (s)
		pp_hash_add(h, s, n);
}

void pp_hash_hex(const pp_hash *h, char out[33])
{
	uint64_t a = h->a ^ (h->n * 0x9e3779b97f4a7c15ULL), b = h->b;
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

/* Only a regular file is hashed: every header the compiler read is one, and an entry that names
 * /dev/zero or a FIFO (corrupt, or written by someone else) must be a miss, not a read that never
 * ends. O_NONBLOCK: opening a FIFO with no writer must not wait either. */
static int pp_hash_file(const char *path, char out[33])
{
	pp_buf b = PP_BUF_INIT;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	int rc = pp_buf_read_fd(&b, fd);
	close(fd);
	if (rc < 0) {
		pp_buf_free(&b);
		return -1;
	}
	pp_hash h;
	pp_hash_init(&h);
	pp_hash_add(&h, b.s ? b.s : "", b.len);
	pp_hash_hex(&h, out);
	pp_buf_free(&b);
	return 0;
}

static char *pp_stat_text(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return NULL;
	return pp_xasprintf("%lld:%lld.%09ld:%llu", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
	                    st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
}

char *pp_cache_identity(const char *path)
{
	return pp_stat_text(path);
}

/* ---- dependencies ---- */

/* The programs a driver ran, from its -v output: indented command lines (gcc's cc1 and as,
 * clang's "clang" -cc1). Relative names are looked up on PATH by the caller's resolver. */
void pp_cache_tools_from_v(const char *err, pp_strv *tools, char *(*which)(const char *))
{
	int in_search_list = 0;
	for (const char *p = err; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		/* The include search list is indented too, but names directories, not programs. */
		if (memmem(p, len, "search starts here:", 19))
			in_search_list = 1;
		else if (memmem(p, len, "End of search list.", 19))
			in_search_list = 0;
		if (!in_search_list && len > 2 && p[0] == ' ' && p[1] != ' ') {
			const char *w = p + 1;
			int quoted = *w == '"';
			w += quoted;
			size_t n = 0;
			while (n < len - 1 - (size_t)quoted && w[n] && w[n] != (quoted ? '"' : ' ') &&
			       w[n] != '\n')
				n++;
			char *word = pp_xstrndup(w, n);
			char *path = word[0] == '/' ? pp_xstrdup(word) : which(word);
			int dup = 0;
			for (size_t i = 0; path && i < tools->n; i++)
				dup |= strcmp(tools->v[i], path) == 0;
			if (path && !dup)
				pp_strv_push(tools, path);
			free(path);
			free(word);
		}
		p = e ? e + 1 : NULL;
	}
}

/* ---- entries ---- */

static char *pp_entry_path(const char *dir, const char *key)
{
	return pp_xasprintf("%s/%s.json", dir, key);
}

int pp_mkdirs(const char *dir)
{
	char *copy = pp_xstrdup(dir);
	for (char *p = copy + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(copy, 0755);
			*p = '/';
		}
	int rc = mkdir(copy, 0755) == 0 || errno == EEXIST ? 0 : -1;
	free(copy);
	return rc;
}

int pp_cache_store(const char *dir, const char *key, const pp_plan *plan, const char *triple,
                   const unsigned char *table, size_t len, const pp_strv *headers,
                   const pp_strv *tools, const char *object, int dwarf, pp_diag *d)
{
	if (pp_mkdirs(dir) < 0)
		return -1; /* a cache that cannot be written is no error: the answers are right anyway */
	pp_diag *quiet = pp_diag_new(); /* nor is a failed write the user's error */
	if (object) {
		/* The compiled object (or run-mode program) itself, for its DWARF: whole layouts and
		 * enum values are read from it on a hit. Written before the entry that names it. */
		pp_buf o = PP_BUF_INIT;
		char *opath = pp_xasprintf("%s/%s.obj", dir, key);
		int bad = pp_buf_read_file(&o, object) < 0 || pp_write_file(opath, o.s ? o.s : "", o.len, quiet) < 0;
		free(opath);
		pp_buf_free(&o);
		if (bad) {
			pp_diag_free(quiet);
			return -1;
		}
	}
	pp_buf b = PP_BUF_INIT;
	pp_buf_addf(&b, "{\"format\": %d, \"key\": \"%s\", \"object\": %s, \"dwarf\": %s, "
	            "\"triple\": ", PP_CACHE_FORMAT, key, object ? "true" : "false",
	            dwarf ? "true" : "false");
	pp_json_str(&b, triple ? triple : "", triple ? strlen(triple) : 0);
	pp_buf_adds(&b, ",\n \"items\": [");
	for (size_t i = 0; i < plan->nitems; i++) {
		const pp_item *it = &plan->items[i];
		pp_buf_addf(&b, "%s[%d, %d, %d, ", i ? ",\n  " : "\n  ", (int)it->state, (int)it->kind,
		            it->links);
		pp_json_str(&b, it->why ? it->why : "", it->why ? strlen(it->why) : 0);
		pp_buf_addc(&b, ']');
	}
	pp_buf_adds(&b, "],\n \"table\": \"");
	for (size_t i = 0; i < len; i++)
		pp_buf_addf(&b, "%02x", table[i]);
	pp_buf_adds(&b, "\",\n \"headers\": [");
	int ok = 1;
	for (size_t i = 0; i < headers->n && ok; i++) {
		char hex[33];
		ok = pp_hash_file(headers->v[i], hex) == 0;
		pp_buf_adds(&b, i ? ",\n  [" : "\n  [");
		pp_json_str(&b, headers->v[i], strlen(headers->v[i]));
		pp_buf_addf(&b, ", \"%s\"]", ok ? hex : "");
	}
	pp_buf_adds(&b, "],\n \"tools\": [");
	for (size_t i = 0; i < tools->n && ok; i++) {
		char *id = pp_stat_text(tools->v[i]);
		ok = id != NULL;
		pp_buf_adds(&b, i ? ",\n  [" : "\n  [");
		pp_json_str(&b, tools->v[i], strlen(tools->v[i]));
		pp_buf_adds(&b, ", ");
		pp_json_str(&b, id ? id : "", id ? strlen(id) : 0);
		pp_buf_addc(&b, ']');
		free(id);
	}
	pp_buf_adds(&b, "]}\n");
	int rc = -1;
	if (ok) {
		char *path = pp_entry_path(dir, key);
		rc = pp_write_file(path, b.s, b.len, quiet);
		free(path);
	}
	pp_diag_free(quiet);
	(void)d;
	pp_buf_free(&b);
	return rc;
}

static int pp_hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Loads the entry for key and checks it against the files it depends on. On a hit, the plan's
 * items take the cached states and *table the answer table's bytes. Anything amiss is a miss. */
int pp_cache_load(const char *dir, const char *key, pp_plan *plan, char **triple, pp_buf *table,
                  char **object, int *dwarf, pp_strv *headers, const char **why)
{
	*object = NULL;
	*dwarf = 0;
	char *path = pp_entry_path(dir, key);
	pp_buf text = PP_BUF_INIT;
	int rc = -1;
	*why = "no entry";
	pp_jnode *root = NULL;
	if (pp_buf_read_file(&text, path) < 0)
		goto out;
	size_t off;
	const char *what;
	*why = "a corrupt entry";
	root = pp_jparse(pp_buf_str(&text), text.len, &off, &what);
	const pp_jnode *fmt = pp_jget(root, "format"), *k = pp_jget(root, "key");
	const pp_jnode *items = pp_jget(root, "items"), *tb = pp_jget(root, "table");
	const pp_jnode *hd = pp_jget(root, "headers"), *tl = pp_jget(root, "tools");
	const pp_jnode *tr = pp_jget(root, "triple"), *ob = pp_jget(root, "object");
	const pp_jnode *dw = pp_jget(root, "dwarf");
	if (!root || !fmt || fmt->type != PP_J_NUM || atoi(fmt->str) != PP_CACHE_FORMAT || !k ||
	    k->type != PP_J_STR || strcmp(k->str, key) || !items || items->type != PP_J_ARR || !tb ||
	    tb->type != PP_J_STR || (tb->len & 1) || !hd || hd->type != PP_J_ARR || !tl ||
	    tl->type != PP_J_ARR || !tr || tr->type != PP_J_STR || !ob || ob->type != PP_J_BOOL || !dw ||
	    dw->type != PP_J_BOOL)
		goto out;
	*dwarf = dw->b;
	if (ob->b) {
		char *opath = pp_xasprintf("%s/%s.obj", dir, key);
		if (access(opath, R_OK) < 0) {
			free(opath);
			goto out;
		}
		*object = opath;
	}
	/* Dependencies first: headers by content, the compiler's programs by size and mtime. */
	*why = "a header changed";
	for (const pp_jnode *h = hd->child; h; h = h->next) {
		const pp_jnode *p = h->child, *x = p ? p->next : NULL;
		char hex[33];
		if (!p || !x || p->type != PP_J_STR || x->type != PP_J_STR ||
		    pp_hash_file(p->str, hex) < 0 || strcmp(hex, x->str))
			goto out;
	}
	*why = "the compiler changed";
	for (const pp_jnode *t = tl->child; t; t = t->next) {
		const pp_jnode *p = t->child, *x = p ? p->next : NULL;
		if (!p || !x || p->type != PP_J_STR || x->type != PP_J_STR)
			goto out;
		char *id = pp_stat_text(p->str);
		int same = id && !strcmp(id, x->str);
		free(id);
		if (!same)
			goto out;
	}
	*why = "a corrupt entry";
	size_t n = 0;
	for (const pp_jnode *it = items->child; it; it = it->next)
		n++;
	if (n != plan->nitems)
		goto out;
	size_t i = 0;
	for (const pp_jnode *it = items->child; it; it = it->next, i++) {
		const pp_jnode *a = it->child, *b = a ? a->next : NULL, *c = b ? b->next : NULL;
		const pp_jnode *w = c ? c->next : NULL;
		if (!w || a->type != PP_J_NUM || b->type != PP_J_NUM || c->type != PP_J_NUM ||
		    w->type != PP_J_STR)
			goto out;
		int st = atoi(a->str), kind = atoi(b->str);
		/* A field may have been asked again as a bit-field or a flexible array member. */
		int field_as = plan->items[i].kind == PP_ITEM_FIELD && (kind == PP_ITEM_BITFIELD ||
		               kind == PP_ITEM_FLEXFIELD || kind == PP_ITEM_CFIELD);
		if (st < PP_LIVE || st > PP_NONCONST || kind < PP_ITEM_TARGET ||
		    (kind > PP_ITEM_FUNCTION && kind != PP_ITEM_FLEXFIELD && kind != PP_ITEM_CFIELD) ||
		    (kind != (int)plan->items[i].kind && !field_as))
			goto out;
	}
	pp_buf_reset(table);
	for (size_t j = 0; j < tb->len; j += 2) {
		int hi = pp_hexval(tb->str[j]), lo = pp_hexval(tb->str[j + 1]);
		if (hi < 0 || lo < 0)
			goto out;
		pp_buf_addc(table, (char)(hi * 16 + lo));
	}
	i = 0;
	for (const pp_jnode *it = items->child; it; it = it->next, i++) {
		pp_item *x = &plan->items[i];
		const pp_jnode *a = it->child, *b = a->next, *c = b->next, *w = c->next;
		x->state = (enum pp_item_state)atoi(a->str);
		x->kind = (enum pp_item_kind)atoi(b->str);
		x->links = atoi(c->str);
		free(x->why);
		x->why = w->len ? pp_xstrdup(w->str) : NULL;
	}
	*triple = tr->len ? pp_xstrdup(tr->str) : NULL;
	for (const pp_jnode *h = hd->child; h; h = h->next)
		pp_strv_push(headers, h->child->str);
	*why = NULL;
	rc = 0;
out:
	if (rc < 0) {
		free(*object);
		*object = NULL;
	}
	pp_jfree(root);
	pp_buf_free(&text);
	free(path);
	return rc;
}
