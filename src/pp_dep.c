/* pp_dep.c: depfiles in Make syntax, the way cc -MD writes them: reads the compiler's list of the
 * headers it opened and writes one for platprobe's own output, so make and ninja rerun platprobe
 * only when the spec or one of those headers changes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* Splits Make's dependency syntax into words: a blank after 2N+1 backslashes is N backslashes and
 * the blank, in the word (after 2N, N backslashes end the word: GNU make's rule, which cc -MD
 * follows when it doubles the backslashes before a blank); "\#" is '#' with the backslashes before
 * it kept; "$$" is '$'; a backslash before a newline continues the line; other backslashes are
 * themselves. Stops at the end of the first rule; the words before its ':' go to targets, the
 * rest to words. */
static void pp_dep_words(const char *s, pp_strv *words, pp_strv *targets)
{
	pp_buf w = PP_BUF_INIT;
	int in_word = 0, seen_colon = 0;
	for (const char *p = s;; p++) {
		char c = *p;
		int end_rule = c == 0 || (c == '\n' && seen_colon);
		int blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
		if (c == '\\' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n'))) {
			p += p[1] == '\r' ? 2 : 1;
			blank = 1;
			c = ' ';
			end_rule = 0;
		}
		if (blank || end_rule) {
			if (in_word)
				pp_strv_push(seen_colon ? words : targets, pp_buf_str(&w));
			pp_buf_reset(&w);
			in_word = 0;
			if (end_rule)
				break;
			continue;
		}
		size_t k = 0;
		while (c == '\\' && p[k] == '\\')
			k++;
		char after = k ? p[k] : 0;
		if (k && (after == ' ' || after == '\t' || after == '#')) {
			/* The backslashes the run stands for go in, then the blank or '#' (or the word's end). */
			size_t keep = after == '#' ? k - 1 : k / 2;
			for (size_t i = 0; i < keep; i++)
				pp_buf_addc(&w, '\\');
			in_word |= keep > 0;
			p += k - 1;
			if (after != '#' && k % 2 == 0)
				continue; /* the blank after them is a separator, handled next round */
			c = *++p;
		} else if (k > 1) {
			/* Literal backslashes before something else; the last one is looked at again next
			 * round (it may start a line continuation). */
			for (size_t i = 0; i + 1 < k; i++)
				pp_buf_addc(&w, '\\');
			in_word = 1;
			p += k - 2;
			continue;
		} else if (c == '$' && p[1] == '$') {
			p++;
		} else if (c == ':' && !seen_colon && (p[1] == ' ' || p[1] == '\t' || p[1] == '\n' ||
		                                       p[1] == '\r' || !p[1])) {
			/* "target: dep" ends the targets; a ':' inside a word (C:\x) does not. */
			if (in_word)
				pp_strv_push(targets, pp_buf_str(&w));
			pp_buf_reset(&w);
			in_word = 0;
			seen_colon = 1;
			continue;
		}
		pp_buf_addc(&w, c);
		in_word = 1;
	}
	pp_buf_free(&w);
}

int pp_dep_read(const char *path, const char *skip_dir, pp_strv *out, pp_diag *d)
{
	pp_buf text = PP_BUF_INIT;
	if (pp_buf_read_file(&text, path) < 0) {
		pp_diag_add(d, "platprobe: error: the compiler wrote no dependency file %s: %s", path,
		            strerror(errno));
		pp_buf_free(&text);
		return -1;
	}
	pp_dep_parse(pp_buf_str(&text), skip_dir, out);
	pp_buf_free(&text);
	return 0;
}

void pp_dep_parse(const char *text, const char *skip_dir, pp_strv *out)
{
	pp_strv words = { 0 }, targets = { 0 };
	pp_dep_words(text, &words, &targets);
	size_t skip = skip_dir ? strlen(skip_dir) : 0;
	for (size_t i = 0; i < words.n; i++) {
		const char *w = words.v[i];
		if (skip && !strncmp(w, skip_dir, skip) && w[skip] == '/')
			continue;
		pp_strv_push(out, w);
	}
	pp_strv_free(&words);
	pp_strv_free(&targets);
}

/* A path as a word of Make's syntax (what cc -MD does): blanks and '#' escaped, '$' doubled. */
void pp_dep_escape(pp_buf *b, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			/* Backslashes before an escaped blank are doubled, so they stay backslashes. */
			for (const char *q = p; q > path && q[-1] == '\\'; q--)
				pp_buf_addc(b, '\\');
			pp_buf_addc(b, '\\');
		} else if (*p == '#') {
			/* Only the one: make and ninja keep the backslashes before "\#" as they are. */
			pp_buf_addc(b, '\\');
		} else if (*p == '$') {
			pp_buf_addc(b, '$');
		}
		pp_buf_addc(b, *p);
	}
}

char *pp_depfile_format(pp_result *const *r, size_t n, const char *output,
                        const char *const *inputs, size_t ninputs, pp_diag *d)
{
	pp_strv all = { 0 }, headers = { 0 };
	for (size_t i = 0; i < ninputs; i++)
		if (!pp_strv_has(&all, inputs[i]))
			pp_strv_push(&all, inputs[i]);
	for (size_t i = 0; i < n; i++) {
		if (!r[i]->have_deps) {
			pp_diag_add(d, "platprobe: error: no record of the files the compiler read for %s "
			            "(probe with dependencies on)", r[i]->target.triple);
			pp_strv_free(&all);
			return NULL;
		}
		for (size_t k = 0; k < r[i]->deps.n; k++)
			if (!pp_strv_has(&all, r[i]->deps.v[k])) {
				pp_strv_push(&all, r[i]->deps.v[k]);
				pp_strv_push(&headers, r[i]->deps.v[k]);
			}
	}
	pp_buf b = PP_BUF_INIT;
	pp_dep_escape(&b, output);
	pp_buf_addc(&b, ':');
	for (size_t i = 0; i < all.n; i++) {
		pp_buf_adds(&b, i ? " \\\n " : " ");
		pp_dep_escape(&b, all.v[i]);
	}
	pp_buf_addc(&b, '\n');
	/* As cc -MP: a header that disappears (a package upgrade) must not stop make with "no rule
	 * to make it"; the output is then simply out of date. */
	for (size_t i = 0; i < headers.n; i++) {
		pp_buf_addc(&b, '\n');
		pp_dep_escape(&b, headers.v[i]);
		pp_buf_adds(&b, ":\n");
	}
	pp_strv_free(&all);
	pp_strv_free(&headers);
	return pp_buf_detach(&b);
}
