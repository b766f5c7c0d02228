/* pp_isolate.c: compiles with entry isolation: the compiler's diagnostics name the entries
 * they point at (by #line), those are dropped or asked another way, and it compiles again (at
 * most twice); the linker's complaints name functions; the failure memory's unit is read here. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pp_job.h"

static pp_item *pp_item_at_line(pp_job *j, unsigned long line)
{
	if (line < 1 || line > j->plan.nitems)
		return NULL;
	return &j->plan.items[line - 1];
}

/* A field the compiler refused may be asked another way: a bit-field by its bits (it has no size
 * or type), a flexible array member by its element (sizeof refuses its incomplete type), a path
 * whose later names were kept from macro expansion as C reads it (pp_gen.c). */
static int pp_field_retry(pp_item *it, int bitfield, const char *text)
{
	if (it->kind != PP_ITEM_FIELD || it->state != PP_LIVE)
		return 0;
	if (bitfield)
		it->kind = PP_ITEM_BITFIELD;
	else if (strstr(text, "incomplete type"))
		it->kind = PP_ITEM_FLEXFIELD;
	else if (pp_field_hides(it->entry->fields[it->field].name))
		it->kind = PP_ITEM_CFIELD;
	else
		return 0;
	return 1;
}

/* The compiler reports an undeclared name once in a file (or function): every other entry that
 * uses it as a name fails with it, or each next pass would find one more. An entry (it) that does
 * not name it reached it through a macro (s6_addr is __in6_u.__u6_addr8): others may too, unseen,
 * so the job may take one more pass for each such error (pp_compile). */
static size_t pp_fail_undeclared(pp_job *j, const pp_item *it0, const char *text)
{
	size_t n, failed = 0;
	const char *name = pp_undeclared_name(text, &n);
	if (name && !pp_item_uses_name(it0, name, n))
		j->hidden_undeclared = 1;
	for (size_t i = 0; name && i < j->plan.nitems; i++) {
		pp_item *it = &j->plan.items[i];
		if (it->state == PP_LIVE && pp_item_uses_name(it, name, n)) {
			pp_fail_item(it, PP_FAILED, text);
			failed++;
		}
	}
	return failed;
}

/* Reads the compiler's diagnostics: each error (with its notes) that points into the virtual file
 * fails the items at those lines. Returns how many items it failed; *stray gets the errors that
 * point at no item (the spec's headers, flags, or platprobe's frame). */
static size_t pp_isolate(pp_job *j, const char *err, pp_buf *stray)
{
	size_t failed = 0;
	j->pass++;
	const char *p = err;
	static const char vfile[] = PP_VIRTUAL_FILE ":";
	/* Lines of the current error block that name virtual lines, and its message. */
	unsigned long lines[64];
	size_t nlines = 0;
	char *msg = NULL;
	int bitfield = 0;
	for (;;) {
		const char *e = p && *p ? strchr(p, '\n') : NULL;
		size_t len = p && *p ? (e ? (size_t)(e - p) : strlen(p)) : 0;
		int at_end = !p || !*p;
		const char *errpos = at_end ? NULL : memmem(p, len, ": error: ", 9);
		const char *fatal = at_end ? NULL : memmem(p, len, ": fatal error: ", 15);
		if (at_end || errpos || fatal) {
			/* Close the previous block. */
			if (msg) {
				if (nlines == 0) {
					pp_buf_adds(stray, "\n  ");
					pp_buf_adds(stray, msg);
				}
				for (size_t i = 0; i < nlines; i++) {
					pp_item *it = pp_item_at_line(j, lines[i]);
					if (!it || it->kind == PP_ITEM_TARGET) {
						pp_buf_adds(stray, "\n  ");
						pp_buf_adds(stray, msg);
						continue;
					}
					const char *text = strstr(msg, "error: ");
					text = text ? text + 7 : msg;
					if (it->retyped == j->pass)
						continue; /* asked another way next pass: its other errors are moot */
					if (pp_field_retry(it, bitfield, text)) {
						it->retyped = j->pass;
						failed++;
						continue;
					}
					if (it->state == PP_LIVE) {
						int nonconst = strstr(text, "not constant") ||
						               strstr(text, "not a compile-time constant");
						pp_fail_item(it, nonconst ? PP_NONCONST : PP_FAILED, text);
						failed++;
						failed += pp_fail_undeclared(j, it, text);
					}
				}
				free(msg);
				msg = NULL;
			}
			if (at_end)
				break;
			nlines = 0;
			msg = pp_xstrndup(p, len);
			bitfield = strstr(msg, "bit-field") != NULL || strstr(msg, "bit field") != NULL;
		}
		/* Positions count on the error line itself and on notes that trace a macro expansion
		 * back to its use; other notes ("did you forget to #include", "previous declaration")
		 * may point anywhere, even at another item. */
		int counts = msg && (p == NULL || errpos || fatal ||
		                     (memmem(p, len, "note:", 5) && memmem(p, len, "macro", 5)));
		if (counts) {
			/* Collect every virtual-file position on this line. */
			const char *q = p;
			while ((q = memmem(q, len - (size_t)(q - p), vfile, sizeof vfile - 1))) {
				q += sizeof vfile - 1;
				char *endp;
				unsigned long ln = strtoul(q, &endp, 10);
				if (endp != q && nlines < 64) {
					int dup = 0;
					for (size_t i = 0; i < nlines; i++)
						dup |= lines[i] == ln;
					if (!dup)
						lines[nlines++] = ln;
				}
				if ((size_t)(q - p) >= len)
					break;
			}
		}
		p = e ? e + 1 : NULL;
	}
	/* A struct that fails takes its fields with it. */
	for (size_t i = 0; i < j->plan.nitems; i++) {
		pp_item *it = &j->plan.items[i];
		if (pp_item_is_field(it) && it->state == PP_LIVE) {
			for (size_t k = 0; k < j->plan.nitems; k++) {
				pp_item *s = &j->plan.items[k];
				if (s->kind == PP_ITEM_STRUCT && s->entry == it->entry && s->state != PP_LIVE)
					pp_fail_item(it, PP_FAILED, "its struct cannot be answered");
			}
		}
	}
	return failed;
}

/* Reads the linker's complaints: every undefined symbol that maps to a function item (by the
 * virtual line in its debug info, else by name) marks that item as not linking. */
static size_t pp_link_failures(pp_job *j, const char *err)
{
	size_t n = 0;
	unsigned fill = 0; /* run mode: the item whose pp_fill_N the linker last named */
	for (const char *p = err; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *line = pp_xstrndup(p, len);
		p = e ? e + 1 : NULL;
		/* "in function `pp_fill_14':" precedes what that function's code left undefined, and
		 * some targets' debug lines point at the frame rather than the entry. */
		const char *inf = strstr(line, "in function ");
		if (inf) {
			inf = strstr(inf, "pp_fill_");
			fill = inf ? (unsigned)strtoul(inf + 8, NULL, 10) : 0;
		}
		const char *u = strstr(line, "undefined reference to ");
		const char *sym = NULL;
		if (u)
			sym = u + 23;
		else if ((u = strstr(line, "undefined symbol: ")))
			sym = u + 18;
		if (!sym) {
			free(line);
			continue;
		}
		char name[256];
		size_t k = 0;
		while (*sym && strchr("`'\"_", *sym) && k == 0 && *sym != '_')
			sym++;
		while (*sym && *sym != '\'' && *sym != '`' && *sym != '"' && *sym != ' ' && k < 255)
			name[k++] = *sym++;
		name[k] = 0;
		pp_item *hit = NULL;
		const char *v = strstr(line, PP_VIRTUAL_FILE ":");
		if (v)
			hit = pp_item_at_line(j, strtoul(v + sizeof PP_VIRTUAL_FILE, NULL, 10));
		if (!hit && fill)
			hit = pp_item_at_line(j, fill);
		for (size_t i = 0; !hit && i < j->plan.nitems; i++) {
			pp_item *it = &j->plan.items[i];
			if (it->kind == PP_ITEM_FUNCTION && it->state == PP_LIVE &&
			    (strcmp(it->entry->name, name) == 0 ||
			     (name[0] == '_' && strcmp(it->entry->name, name + 1) == 0)))
				hit = it;
		}
		if (hit && hit->kind == PP_ITEM_FUNCTION && hit->links != 0) {
			hit->links = 0;
			free(hit->why);
			hit->why = pp_xasprintf("declared, but does not link: undefined reference to '%s'",
			                        name);
			n++;
		} else if (hit && hit->kind != PP_ITEM_FUNCTION && hit->state == PP_LIVE) {
			/* Run mode links every entry: a constant whose value is the address (or the
			 * content) of an object the libraries do not define cannot be run. */
			char *why = pp_xasprintf("its value refers to '%s', which does not link", name);
			pp_fail_item(hit, PP_FAILED, why);
			free(why);
			n++;
		}
		free(line);
	}
	return n;
}

/* The failure memory's unit (the remembered entries, the declared functions) compiles alone in a
 * compiler process of its own, beside the main unit: the two compiles overlap instead of queueing
 * behind one driver. Rendered before the main unit (that reassigns the plan's slots). */
static int pp_remembered_start(pp_job *j, pp_bg *b)
{
	char *src = pp_tmpdir_file(&j->tmp, "remembered.c");
	char *obj = pp_tmpdir_file(&j->tmp, "remembered.o");
	char *text = pp_memory_render(&j->plan);
	int w = pp_write_text(j, src, text);
	free(text);
	if (w == 0) {
		pp_compile_argv(j, &b->argv, src, obj, 0, 0, 1);
		pp_bg_start(j, b);
	}
	free(src);
	free(obj);
	return w;
}

/* Waits for the memory's unit; its errors (all its own) confirm or forget the remembered items.
 * A unit that did not run to an exit (or whose answer is moot: discard) asked nothing: they are
 * asked again in the main unit. Returns how many remembered items compile now. */
static size_t pp_remembered_finish(pp_job *j, pp_bg *b, int discard)
{
	pp_bg_join(b);
	const pp_proc_result *r = &b->r;
	int asked = !discard && r->started && r->exited && !r->timed_out && !pp_signal_pending();
	size_t back = pp_memory_confirm(&j->plan, asked ? pp_buf_str(&r->errout) : "", asked);
	j->nremembered = 0;
	pp_bg_free(b);
	if (back && !discard)
		pp_log(j, "platprobe: failure memory: %zu remembered entr%s compile%s now: asked again",
		       back, back == 1 ? "y" : "ies", back == 1 ? "s" : "");
	return back;
}

/* Keeps the first 8 and the last 4 lines of a "\n  line" list and says how many were left out
 * between: a compiler may print millions of errors that no entry explains. */
static void pp_clip_lines(pp_buf *b)
{
	size_t n = 0, cut = 0, tail = 0;
	for (size_t i = 0; i < b->len; i++)
		if (b->s[i] == '\n' && ++n == 9)
			cut = i;
	if (n <= 12)
		return;
	for (size_t i = b->len, k = 0; i-- > 0;)
		if (b->s[i] == '\n' && ++k == 4) {
			tail = i;
			break;
		}
	pp_buf out = PP_BUF_INIT;
	pp_buf_add(&out, b->s, cut);
	pp_buf_addf(&out, "\n  (%zu more)", n - 12);
	pp_buf_add(&out, b->s + tail, b->len - tail);
	pp_buf_free(b);
	*b = out;
}

/* Compiles (object mode: -c; run mode: to a program) with entry isolation. Returns 0 with the
 * output at out, or -1 after reporting why. */
int pp_compile(pp_job *j, const char *top, enum pp_mode mode, const char *src,
                      const char *out, int link)
{
	int relinks = 0, hidden = 0;
	for (int pass = 0;; pass++) {
		pp_bg mem = { 0 };
		int with_mem = j->nremembered && pass == 0 && !strcmp(top, "object.c") && !link;
		if (with_mem && j->msvc) {
			/* Its dialect compiles no such unit: they are asked in ours, as before. */
			pp_remembered_finish(j, &mem, 1);
			with_mem = 0;
		}
		if (with_mem && pp_remembered_start(j, &mem) < 0) {
			pp_bg_free(&mem);
			return -1;
		}
		char *text = pp_gen_render(&j->plan, top, mode);
		int w = pp_write_text(j, src, text);
		free(text);
		if (w < 0) {
			if (with_mem)
				pp_remembered_finish(j, &mem, 1);
			return -1;
		}
		pp_strv argv = { 0 };
		pp_compile_argv(j, &argv, src, out, link, strcmp(top, "link.c") != 0, 0);
		pp_proc_result r;
		int ran = pp_run_tool(j, &argv, "compiler", &r);
		pp_strv_free(&argv);
		if (ran < 0) {
			if (with_mem)
				pp_remembered_finish(j, &mem, 1);
			pp_proc_result_free(&r);
			return -1;
		}
		/* The dialect is the compiler's: learnt from the job's first compile, once. */
		int first = !j->dialect_known;
		j->dialect_known = 1;
		if (first && (pp_msvc_detect(&r) ||
		              ((r.status != 0 || access(out, F_OK) != 0) &&
		               !strstr(pp_buf_str(&r.errout), PP_VIRTUAL_FILE ":") &&
		               pp_msvc_ask(&j->cc, &j->flags, j->clang, j->o, j->tmp.path)))) {
			/* It took gcc's options for its own or ignored them: ask again in its dialect. */
			pp_log(j, "platprobe: '%s' is an MSVC-style driver: compiling in its dialect",
			       j->cc_name);
			j->msvc = 1;
			j->plan.dw_values = 0; /* its objects carry CodeView, not DWARF */
			j->clang |= strstr(pp_buf_str(&r.errout), "clang") != NULL;
			pp_proc_result_free(&r);
			/* The memory's unit ran with gcc's options: its answer is moot, and its dialect
			 * compiles no such unit: the remembered entries are asked again in ours. */
			if (with_mem)
				pp_remembered_finish(j, &mem, 1);
			pass--;
			continue;
		}
		if (j->msvc)
			pp_msvc_output(&r, src, out, j->depfile && strcmp(top, "link.c") ? j->depfile : NULL);
		/* Remembered entries that compile now are asked again, in another round. */
		if (with_mem && pp_remembered_finish(j, &mem, 0) && r.status == 0) {
			pp_proc_result_free(&r);
			continue;
		}
		const char *err = pp_buf_str(&r.errout);
		pp_note_triple(j, err);
		/* A clang behind a wrapper of another name: it says so in -v, and it stopped at its
		 * default limit of 20 errors; the next pass asks for all of them. */
		if (strstr(err, "clang version") || strstr(err, "too many errors emitted"))
			j->clang = 1;
		if (r.status == 0) {
			if (strcmp(top, "link.c")) {
				free(j->main_err);
				j->main_err = pp_xstrdup(err);
			}
			pp_proc_result_free(&r);
			return 0;
		}
		pp_buf stray = PP_BUF_INIT;
		size_t dropped = 0;
		/* The linker's complaints come with "collect2: error:", so tell them apart first. */
		int link_errors = link && (strstr(err, "undefined reference to ") ||
		                           strstr(err, "undefined symbol: "));
		int compile_errors = !link_errors && (strstr(err, ": error: ") ||
		                                      strstr(err, ": fatal error: "));
		if (compile_errors)
			dropped = pp_isolate(j, err, &stray);
		else if (link_errors && relinks < 1 && (dropped = pp_link_failures(j, err)) > 0)
			relinks++;
		/* A name undeclared through a macro is reported at one of its uses each pass: a pass
		 * more each time (failing compiles, which generate no code), a bounded number. */
		if (compile_errors && dropped && j->hidden_undeclared && hidden < PP_MAX_HIDDEN)
			hidden++;
		j->hidden_undeclared = 0;
		int last = compile_errors ? pass + 1 >= PP_MAX_COMPILES + relinks + hidden : relinks > 1;
		if (stray.len || !dropped || last) {
			/* A linker's complaints ("cannot find crt1.o") are not "error:" lines: quote all. */
			if (link && stray.len)
				pp_buf_free(&stray);
			pp_clip_lines(&stray);
			char *lines = stray.len ? NULL : pp_error_lines(err);
			pp_diag_add(j->d, "%s: error: compiler '%s' failed%s:%s", j->spec->filename,
			            j->cc_name, dropped ? " even after dropping the entries it rejected" :
			            stray.len ? " on something no spec entry explains (headers, defines, flags)" : "",
			            stray.len ? pp_buf_str(&stray) : lines);
			free(lines);
			pp_buf_free(&stray);
			pp_proc_result_free(&r);
			j->failed = 1;
			return -1;
		}
		pp_buf_free(&stray);
		pp_proc_result_free(&r);
	}
}
