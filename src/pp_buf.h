/* pp_buf.h: a growable NUL-terminated byte string (after git's strbuf); private to libplatprobe.
 * Allocation failure aborts: a probe has no sensible way to continue without memory. */
#ifndef PP_BUF_H
#define PP_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pp_buf {
	char *s;      /* always NUL-terminated once anything was added; NULL when empty and unused */
	size_t len;
	size_t cap;
} pp_buf;

#define PP_BUF_INIT { NULL, 0, 0 }

void pp_buf_grow(pp_buf *b, size_t extra);
void pp_buf_add(pp_buf *b, const void *data, size_t n);
void pp_buf_adds(pp_buf *b, const char *s);
void pp_buf_addc(pp_buf *b, char c);
void pp_buf_addf(pp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pp_buf_vaddf(pp_buf *b, const char *fmt, va_list ap);
void pp_buf_reset(pp_buf *b);
/* Cuts b back to its first len bytes (a mark taken from b->len earlier); longer: no change. */
void pp_buf_truncate(pp_buf *b, size_t len);
void pp_buf_free(pp_buf *b);
/* Hands the string to the caller (never NULL: "" when empty) and leaves b empty. */
char *pp_buf_detach(pp_buf *b);
const char *pp_buf_str(const pp_buf *b);
/* Appends the whole file at path; -1 (errno set) if it cannot be opened or read. */
int pp_buf_read_file(pp_buf *b, const char *path);
int pp_buf_read_fd(pp_buf *b, int fd); /* to end of file; the caller closes fd */

void *pp_xmalloc(size_t n);
void *pp_xcalloc(size_t n, size_t size);
void *pp_xrealloc(void *p, size_t n);
char *pp_xstrdup(const char *s);
char *pp_xstrndup(const char *s, size_t n);
char *pp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *pp_xvasprintf(const char *fmt, va_list ap);

#endif
