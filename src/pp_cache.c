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

#define PP_CACHE_FORMAT 2
#define PP_CACHE_FORMAT_TEXT "2"

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

/* The entry's text. A trailing sum over all that comes before it makes any damage a miss: a flipped
 * bit in the table would otherwise be read as a different answer. */
#define PP_SUM_HEAD ",\n \"sum\": \""
#define PP_SUM_TAIL "\"}\n"

static void pp_entry_sum(const char *text, size_t len, char out[33])
{
	pp_hash h;
	pp_hash_init(&h);
	pp_hash_add(&h, text, len);
	pp_hash_hex(&h, out);
}

/* A pair list (path, then its sum or identity) as JSON: [[path, id], ...]. */
static void pp_pairs_json(pp_buf *b, const pp_strv *pairs)
{
	pp_buf_adds(b, "[");
	for (size_t i = 0; i + 1 < pairs->n; i += 2) {
		pp_buf_adds(b, i ? ",\n  [" : "\n  [");
		pp_json_str(b, pairs->v[i], strlen(pairs->v[i]));
		pp_buf_adds(b, ", ");
		pp_json_str(b, pairs->v[i + 1], strlen(pairs->v[i + 1]));
		pp_buf_addc(b, ']');
	}
	pp_buf_addc(b, ']');
}

void pp_cache_format(pp_buf *b, const char *key, const pp_plan *plan, const char *triple,
                     const unsigned char *table, size_t len, const pp_strv *header_sums,
                     const pp_strv *tool_ids, const char *object_sum, int dwarf)
{
	pp_buf_addf(b, "{\"format\": %d, \"key\": ", PP_CACHE_FORMAT);
	pp_json_str(b, key, strlen(key));
	pp_buf_adds(b, ", \"object\": ");
	if (object_sum)
		pp_json_str(b, object_sum, strlen(object_sum));
	else
		pp_buf_adds(b, "null");
	pp_buf_addf(b, ", \"dwarf\": %s, \"triple\": ", dwarf ? "true" : "false");
	pp_json_str(b, triple ? triple : "", triple ? strlen(triple) : 0);
	pp_buf_adds(b, ",\n \"items\": [");
	for (size_t i = 0; i < plan->nitems; i++) {
		const pp_item *it = &plan->items[i];
		/* An item that had slots in the table is stored live, whatever decoding or the debug
		 * information made of it since: a hit assigns slots from these states, and decodes (and
		 * fails) it again the same way. */
		int live = it->in_table || it->state == PP_LIVE;
		const char *why = live ? NULL : it->why;
		pp_buf_addf(b, "%s[%d, %d, %d, ", i ? ",\n  " : "\n  ", live ? (int)PP_LIVE : (int)it->state,
		            (int)it->kind, it->links);
		pp_json_str(b, why ? why : "", why ? strlen(why) : 0);
		pp_buf_addc(b, ']');
	}
	pp_buf_adds(b, "],\n \"table\": \"");
	for (size_t i = 0; i < len; i++)
		pp_buf_addf(b, "%02x", table[i]);
	pp_buf_adds(b, "\",\n \"headers\": ");
	pp_pairs_json(b, header_sums);
	pp_buf_adds(b, ",\n \"tools\": ");
	pp_pairs_json(b, tool_ids);
	char sum[33];
	pp_entry_sum(pp_buf_str(b), b->len, sum);
	pp_buf_addf(b, PP_SUM_HEAD "%s" PP_SUM_TAIL, sum);
}

int pp_cache_store(const char *dir, const char *key, const pp_plan *plan, const char *triple,
                   const unsigned char *table, size_t len, const pp_strv *headers,
                   const pp_strv *tools, const char *object, int dwarf, pp_diag *d)
{
	(void)d; /* a cache that cannot be written is no error: the answers are right anyway */
	if (pp_mkdirs(dir) < 0)
		return -1;
	pp_diag *quiet = pp_diag_new(); /* nor is a failed write the user's error */
	char osum[33];
	int rc = -1;
	pp_buf b = PP_BUF_INIT;
	if (object) {
		/* The compiled object (or run-mode program) itself, for its DWARF: whole layouts and
		 * enum values are read from it on a hit. Written before the entry that names it, whose
		 * sum of its content makes a changed object a miss. */
		pp_buf o = PP_BUF_INIT;
		char *opath = pp_xasprintf("%s/%s.obj", dir, key);
		int bad = pp_buf_read_file(&o, object) < 0 || pp_write_cache_file(opath, o.s ? o.s : "", o.len, quiet) < 0;
		if (!bad)
			pp_entry_sum(o.s ? o.s : "", o.len, osum);
		free(opath);
		pp_buf_free(&o);
		if (bad)
			goto out;
	}
	/* What the entry depends on: each header's content, each program's size and mtime. */
	pp_strv hsums = { 0 }, tids = { 0 };
	int ok = 1;
	for (size_t i = 0; i < headers->n && ok; i++) {
		char hex[33];
		ok = pp_hash_file(headers->v[i], hex) == 0;
		pp_strv_push(&hsums, headers->v[i]);
		pp_strv_push(&hsums, hex);
	}
	for (size_t i = 0; i < tools->n && ok; i++) {
		char *id = pp_stat_text(tools->v[i]);
		ok = id != NULL;
		pp_strv_push(&tids, tools->v[i]);
		pp_strv_push_own(&tids, id ? id : pp_xstrdup(""));
	}
	if (ok) {
		pp_cache_format(&b, key, plan, triple, table, len, &hsums, &tids, object ? osum : NULL,
		                dwarf);
		char *path = pp_entry_path(dir, key);
		rc = pp_write_cache_file(path, b.s, b.len, quiet);
		free(path);
	}
	pp_strv_free(&hsums);
	pp_strv_free(&tids);
out:
	pp_diag_free(quiet);
	pp_buf_free(&b);
	return rc;
}

static int pp_hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A [[path, id], ...] list into pairs; -1 when it is not one. */
static int pp_pairs_read(const pp_jnode *list, pp_strv *pairs)
{
	for (const pp_jnode *h = list->child; h; h = h->next) {
		const pp_jnode *p = h->child, *x = p ? p->next : NULL;
		if (h->type != PP_J_ARR || !p || !x || x->next || p->type != PP_J_STR ||
		    x->type != PP_J_STR || strlen(p->str) != p->len || strlen(x->str) != x->len)
			return -1;
		pp_strv_push(pairs, p->str);
		pp_strv_push(pairs, x->str);
	}
	return 0;
}

/* Reads an entry's text and checks its own sum and that it is for this plan. On success the plan's
 * items take the cached states, *table the answer table's bytes, object_sum the sum of the
 * object's content ("" when the entry keeps none), and the two pair lists what it depends on
 * (header, content sum; program, size and mtime) for the caller to check. Anything amiss is -1
 * with *why; nothing is then changed. */
void pp_cache_apply(pp_plan *plan, pp_cache_item *items)
{
	for (size_t i = 0; i < plan->nitems; i++) {
		pp_item *x = &plan->items[i];
		x->state = (enum pp_item_state)items[i].state;
		x->kind = (enum pp_item_kind)items[i].kind;
		x->links = items[i].links;
		free(x->why);
		x->why = items[i].why;
	}
	free(items);
}

void pp_cache_items_free(pp_cache_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		free(items[i].why);
	free(items);
}

int pp_cache_parse(const char *text, size_t len, const char *key, const pp_plan *plan,
                   char **triple, pp_buf *table, char object_sum[33], int *dwarf,
                   pp_strv *header_sums, pp_strv *tool_ids, pp_cache_item **cached_items,
                   const char **why)
{
	*cached_items = NULL;
	object_sum[0] = 0;
	*dwarf = 0;
	*triple = NULL;
	int rc = -1;
	size_t off;
	const char *what;
	*why = "a corrupt entry";
	pp_jnode *root = pp_jparse(text, len, &off, &what);
	const pp_jnode *fmt = pp_jget(root, "format"), *k = pp_jget(root, "key");
	const pp_jnode *items = pp_jget(root, "items"), *tb = pp_jget(root, "table");
	const pp_jnode *hd = pp_jget(root, "headers"), *tl = pp_jget(root, "tools");
	const pp_jnode *tr = pp_jget(root, "triple"), *ob = pp_jget(root, "object");
	const pp_jnode *dw = pp_jget(root, "dwarf"), *sm = pp_jget(root, "sum");
	if (!root || root->type != PP_J_OBJ || !fmt || fmt->type != PP_J_NUM ||
	    strcmp(fmt->str, PP_CACHE_FORMAT_TEXT)) {
		*why = root && fmt ? "an entry of another format" : "a corrupt entry";
		goto out;
	}
	if (!k || k->type != PP_J_STR || strcmp(k->str, key) || !items || items->type != PP_J_ARR ||
	    !tb || tb->type != PP_J_STR || (tb->len & 1) || !hd || hd->type != PP_J_ARR || !tl ||
	    tl->type != PP_J_ARR || !tr || tr->type != PP_J_STR || strlen(tr->str) != tr->len || !ob ||
	    (ob->type != PP_J_NULL && (ob->type != PP_J_STR || ob->len != 32)) || !dw ||
	    dw->type != PP_J_BOOL || !sm || sm->type != PP_J_STR || sm->len != 32)
		goto out;
	/* The sum: the text must end as pp_cache_format ends it, the sum of all before. */
	size_t tail = sizeof PP_SUM_HEAD - 1 + 32 + sizeof PP_SUM_TAIL - 1;
	char sum[33];
	if (len < tail || memcmp(text + len - tail, PP_SUM_HEAD, sizeof PP_SUM_HEAD - 1) ||
	    memcmp(text + len - sizeof PP_SUM_TAIL + 1, PP_SUM_TAIL, sizeof PP_SUM_TAIL - 1))
		goto out;
	pp_entry_sum(text, len - tail, sum);
	if (memcmp(sum, text + len - tail + sizeof PP_SUM_HEAD - 1, 32) || strcmp(sum, sm->str)) {
		*why = "a damaged entry (its sum does not match)";
		goto out;
	}
	pp_strv hs = { 0 }, ts = { 0 };
	if (pp_pairs_read(hd, &hs) < 0 || pp_pairs_read(tl, &ts) < 0) {
		pp_strv_free(&hs);
		pp_strv_free(&ts);
		goto out;
	}
	*why = "an entry for other entries (items differ)";
	size_t n = 0;
	for (const pp_jnode *it = items->child; it; it = it->next)
		n++;
	int fits = n == plan->nitems;
	size_t i = 0;
	for (const pp_jnode *it = items->child; fits && it; it = it->next, i++) {
		const pp_jnode *a = it->child, *b = a ? a->next : NULL, *c = b ? b->next : NULL;
		const pp_jnode *w = c ? c->next : NULL;
		if (it->type != PP_J_ARR || !w || a->type != PP_J_NUM || b->type != PP_J_NUM ||
		    c->type != PP_J_NUM || w->type != PP_J_STR || w->next || strlen(w->str) != w->len) {
			fits = 0;
			break;
		}
		int st = atoi(a->str), kind = atoi(b->str), links = atoi(c->str);
		/* A field may have been asked again as a bit-field, a flexible array member or the way
		 * C reads its path. */
		int field_as = plan->items[i].kind == PP_ITEM_FIELD && (kind == PP_ITEM_BITFIELD ||
		               kind == PP_ITEM_FLEXFIELD || kind == PP_ITEM_CFIELD);
		fits = st >= PP_LIVE && st <= PP_NONCONST && kind >= PP_ITEM_TARGET &&
		       kind <= PP_ITEM_DECLARED && links >= -1 && links <= 1 &&
		       (kind == (int)plan->items[i].kind || field_as);
	}
	pp_buf bytes = PP_BUF_INIT;
	for (size_t j = 0; fits && j < tb->len; j += 2) {
		int hi = pp_hexval(tb->str[j]), lo = pp_hexval(tb->str[j + 1]);
		fits = hi >= 0 && lo >= 0;
		pp_buf_addc(&bytes, (char)(hi * 16 + lo));
	}
	if (!fits) {
		pp_buf_free(&bytes);
		pp_strv_free(&hs);
		pp_strv_free(&ts);
		goto out;
	}
	pp_buf_reset(table);
	pp_buf_add(table, pp_buf_str(&bytes), bytes.len);
	pp_buf_free(&bytes);
	/* The plan takes them only once the caller knows the entry is good (pp_cache_apply): a
	 * miss must leave it as it was, or a stale failure would be left out of the compile. */
	pp_cache_item *ci = pp_xcalloc(n ? n : 1, sizeof *ci);
	i = 0;
	for (const pp_jnode *it = items->child; it; it = it->next, i++) {
		const pp_jnode *a = it->child, *b = a->next, *c = b->next, *w = c->next;
		ci[i].state = atoi(a->str);
		ci[i].kind = atoi(b->str);
		ci[i].links = atoi(c->str);
		ci[i].why = w->len ? pp_xstrndup(w->str, w->len) : NULL;
	}
	*cached_items = ci;
	if (ob->type == PP_J_STR)
		memcpy(object_sum, ob->str, 33);
	*dwarf = dw->b;
	*triple = tr->len ? pp_xstrdup(tr->str) : NULL;
	*header_sums = hs;
	*tool_ids = ts;
	*why = NULL;
	rc = 0;
out:
	pp_jfree(root);
	return rc;
}

/* Whether every dependency an entry names is as it was: -1 with *why at the first that is not. */
static int pp_deps_same(const pp_strv *header_sums, const pp_strv *tool_ids, const char **why)
{
	*why = "a header changed";
	for (size_t i = 0; i + 1 < header_sums->n; i += 2) {
		char hex[33];
		if (pp_hash_file(header_sums->v[i], hex) < 0 || strcmp(hex, header_sums->v[i + 1]))
			return -1;
	}
	*why = "the compiler changed";
	for (size_t i = 0; i + 1 < tool_ids->n; i += 2) {
		char *id = pp_stat_text(tool_ids->v[i]);
		int same = id && !strcmp(id, tool_ids->v[i + 1]);
		free(id);
		if (!same)
			return -1;
	}
	*why = NULL;
	return 0;
}

int pp_cache_load(const char *dir, const char *key, pp_plan *plan, char **triple, pp_buf *table,
                  char **object, int *dwarf, pp_strv *headers, const char **why)
{
	*object = NULL;
	*triple = NULL;
	*dwarf = 0;
	char *path = pp_entry_path(dir, key);
	pp_buf text = PP_BUF_INIT;
	char osum[33];
	pp_strv hs = { 0 }, ts = { 0 };
	pp_cache_item *items = NULL;
	int rc = -1;
	*why = "no entry";
	if (pp_buf_read_file(&text, path) < 0)
		goto out;
	if (pp_cache_parse(pp_buf_str(&text), text.len, key, plan, triple, table, osum, dwarf, &hs,
	                   &ts, &items, why) < 0 || pp_deps_same(&hs, &ts, why) < 0)
		goto out;
	if (osum[0]) {
		/* The object as it was stored, or a miss: its DWARF gives answers too. */
		char *opath = pp_xasprintf("%s/%s.obj", dir, key);
		char sum[33];
		pp_buf o = PP_BUF_INIT;
		int same = pp_buf_read_file(&o, opath) == 0;
		if (same) {
			pp_entry_sum(o.s ? o.s : "", o.len, sum);
			same = strcmp(sum, osum) == 0;
		}
		pp_buf_free(&o);
		if (!same) {
			*why = "its object is missing or changed";
			free(opath);
			goto out;
		}
		*object = opath;
	}
	for (size_t i = 0; i < hs.n; i += 2)
		pp_strv_push(headers, hs.v[i]);
	pp_cache_apply(plan, items);
	items = NULL;
	rc = 0;
out:
	if (rc < 0) {
		free(*triple);
		*triple = NULL;
		pp_cache_items_free(items, plan->nitems);
	}
	pp_strv_free(&hs);
	pp_strv_free(&ts);
	pp_buf_free(&text);
	free(path);
	return rc;
}
