/* pp_buf.c: growable strings and checked allocation for the whole library. */
#include "pp_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void pp_oom(void)
{
	fputs("platprobe: out of memory\n", stderr);
	abort();
}

void *pp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		pp_oom();
	return p;
}

void *pp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		pp_oom();
	return p;
}

void *pp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		pp_oom();
	return p;
}

char *pp_xstrdup(const char *s)
{
	return pp_xstrndup(s, strlen(s));
}

char *pp_xstrndup(const char *s, size_t n)
{
	char *p = pp_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *pp_xvasprintf(const char *fmt, va_list ap)
{
	pp_buf b = PP_BUF_INIT;
	pp_buf_vaddf(&b, fmt, ap);
	return pp_buf_detach(&b);
}

char *pp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = pp_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void pp_buf_grow(pp_buf *b, size_t extra)
{
	if (extra > (size_t)-1 / 2 - b->len)
		pp_oom();
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = pp_xrealloc(b->s, cap);
	b->cap = cap;
}

void pp_buf_add(pp_buf *b, const void *data, size_t n)
{
	pp_buf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = 0;
}

void pp_buf_adds(pp_buf *b, const char *s)
{
	pp_buf_add(b, s, strlen(s));
}

void pp_buf_addc(pp_buf *b, char c)
{
	pp_buf_add(b, &c, 1);
}

void pp_buf_vaddf(pp_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	pp_buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void pp_buf_addf(pp_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pp_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void pp_buf_reset(pp_buf *b)
{
	pp_buf_truncate(b, 0);
}

void pp_buf_truncate(pp_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->s[len] = 0;
}

void pp_buf_free(pp_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *pp_buf_detach(pp_buf *b)
{
	char *s = b->s ? b->s : pp_xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

int pp_buf_read_fd(pp_buf *b, int fd)
{
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			pp_buf_add(b, chunk, (size_t)n);
	return n < 0 ? -1 : 0;
}

int pp_buf_read_file(pp_buf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = pp_buf_read_fd(b, fd), err = errno;
	close(fd);
	errno = err; /* callers report why a read failed */
	return rc;
}

const char *pp_buf_str(const pp_buf *b)
{
	return b->s ? b->s : "";
}
