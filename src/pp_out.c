/* pp_out.c: writes files: an output replaced atomically (a temp file beside the target, written
 * and synced, then renamed over it; a failure or a signal leaves the old file as it was and no
 * temp behind), a cache entry the same way but unsynced, a file in platprobe's own temp dir. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pp_internal.h"

/* Follows symlinks (even dangling ones) so the rename replaces the file, not the link. */
static char *pp_resolve_links(const char *path)
{
	char *cur = pp_xstrdup(path);
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return cur;
		char target[PATH_MAX];
		ssize_t n = readlink(cur, target, sizeof target - 1);
		if (n < 0)
			return cur;
		target[n] = 0;
		char *next;
		if (target[0] == '/') {
			next = pp_xstrdup(target);
		} else {
			char *copy = pp_xstrdup(cur);
			next = pp_xasprintf("%s/%s", dirname(copy), target);
			free(copy);
		}
		free(cur);
		cur = next;
	}
	return cur;
}

/* Writes all of data to fd (retrying after signals other than ours); 0, or the errno. */
static int pp_write_all(int fd, const char *data, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR && !pp_signal_pending())
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		done += (size_t)n;
	}
	return 0;
}

/* Writes data to path in place through open(path, oflags): no temp, no rename. */
static int pp_write_plain(const char *path, const char *data, size_t len, int oflags, pp_diag *d)
{
	int fd = open(path, oflags | O_WRONLY | O_CLOEXEC, 0600);
	int err = fd < 0 ? errno : pp_write_all(fd, data, len);
	if (fd >= 0 && close(fd) < 0 && !err)
		err = errno;
	if (err) {
		pp_diag_add(d, "platprobe: error: cannot write %s: %s", path, strerror(err));
		return -1;
	}
	return 0;
}

static int pp_replace(const char *path, const char *data, size_t len, int sync, pp_diag *d)
{
	struct stat st0;
	if (stat(path, &st0) == 0 && !S_ISREG(st0.st_mode) && !S_ISDIR(st0.st_mode)) {
		/* Not a file (/dev/null, /dev/stdout, a FIFO): written straight, since a rename
		 * would replace the device or pipe with a regular file. */
		return pp_write_plain(path, data, len, 0, d);
	}
	char *target = pp_resolve_links(path);
	char *copy = pp_xstrdup(target), *copy2 = pp_xstrdup(target);
	char *tmp = pp_xasprintf("%s/.%s.platprobe-XXXXXX", dirname(copy), basename(copy2));
	free(copy);
	free(copy2);
	int rc = -1;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		pp_diag_add(d, "platprobe: error: cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	struct stat st;
	mode_t mode;
	if (stat(target, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	int err = pp_write_all(fd, data, len);
	if (!err && fchmod(fd, mode) < 0)
		err = errno;
	if (!err && sync && fsync(fd) < 0 && errno != EINVAL)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && pp_signal_pending())
		err = EINTR;
	if (!err && rename(tmp, target) < 0)
		err = errno;
	if (err) {
		pp_diag_add(d, "platprobe: error: cannot write %s: %s", path, strerror(err ? err : EIO));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(target);
	return rc;
}

int pp_write_file(const char *path, const char *data, size_t len, pp_diag *d)
{
	return pp_replace(path, data, len, 1, d);
}

/* No fsync: it cost a cold probe ~25 ms (two cache files on ext4), more than the compile of a
 * small spec's answers. A cache file is still replaced whole by a rename, and each carries what
 * checks it (a sum of its content, or a strict syntax), so one torn by a crash before the data
 * reached the disk is a miss, never an answer. */
int pp_write_cache_file(const char *path, const char *data, size_t len, pp_diag *d)
{
	return pp_replace(path, data, len, 0, d);
}

int pp_write_temp(const char *path, const char *data, size_t len, pp_diag *d)
{
	return pp_write_plain(path, data, len, O_CREAT | O_TRUNC, d);
}
