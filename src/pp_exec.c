/* pp_exec.c: runs the compiler and target programs (captured output, own process group, time
 * limit), owns platprobe's private temp directory, and turns SIGINT/SIGTERM/SIGHUP into an orderly
 * unwind: the handler only kills the running child and sets a flag; the normal error paths clean up. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pp_internal.h"

#include <spawn.h>
#include <stdatomic.h>

extern char **environ;

volatile sig_atomic_t pp_interrupted;

/* Process groups of the children running now, one slot each (several targets probe in parallel
 * threads); the signal handler kills every one. Lock-free, so the handler may read it. */
#define PP_MAX_CHILDREN 64
static atomic_int pp_children[PP_MAX_CHILDREN];

static void pp_on_signal(int sig)
{
	pp_interrupted = sig;
	for (int i = 0; i < PP_MAX_CHILDREN; i++) {
		int pg = atomic_load(&pp_children[i]);
		if (pg > 0)
			kill(-(pid_t)pg, SIGKILL);
	}
}

static int pp_child_track(pid_t pid)
{
	for (int i = 0; i < PP_MAX_CHILDREN; i++) {
		int none = 0;
		if (atomic_compare_exchange_strong(&pp_children[i], &none, (int)pid))
			return i;
	}
	return -1; /* more children than slots: still runs, only a signal would not reach it */
}

static void pp_child_untrack(int slot)
{
	if (slot >= 0)
		atomic_store(&pp_children[slot], 0);
}

void pp_install_signal_cleanup(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = pp_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int pp_signal_pending(void)
{
	return pp_interrupted;
}

static double pp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pp_proc_result_free(pp_proc_result *r)
{
	pp_buf_free(&r->out);
	pp_buf_free(&r->errout);
}

/* What a child prints is kept bounded, whatever it writes (a compiler flooding stderr, a run-mode
 * program that never stops): the first PP_CAPTURE_HEAD bytes (all a well-behaved child ever
 * prints: the table, the diagnostics we parse) and the last PP_CAPTURE_TAIL in a ring, joined by a
 * line saying how much was left out. */
#define PP_CAPTURE_HEAD ((size_t)4 << 20)
#define PP_CAPTURE_TAIL ((size_t)64 << 10)

typedef struct pp_capture {
	pp_buf *b;
	char *ring;        /* PP_CAPTURE_TAIL bytes once the head is full */
	size_t ring_pos;   /* next byte to write in the ring */
	size_t ring_len;   /* bytes held in the ring */
	size_t *dropped;   /* bytes neither in the head nor in the ring */
} pp_capture;

static void pp_capture_add(pp_capture *c, const char *p, size_t n)
{
	if (c->b->len < PP_CAPTURE_HEAD) {
		size_t k = PP_CAPTURE_HEAD - c->b->len < n ? PP_CAPTURE_HEAD - c->b->len : n;
		pp_buf_add(c->b, p, k);
		p += k;
		n -= k;
	}
	if (!n)
		return;
	if (!c->ring)
		c->ring = pp_xmalloc(PP_CAPTURE_TAIL);
	if (n > PP_CAPTURE_TAIL) {
		*c->dropped += c->ring_len + n - PP_CAPTURE_TAIL;
		p += n - PP_CAPTURE_TAIL;
		n = PP_CAPTURE_TAIL;
		c->ring_len = 0;
		c->ring_pos = 0;
	}
	size_t over = c->ring_len + n > PP_CAPTURE_TAIL ? c->ring_len + n - PP_CAPTURE_TAIL : 0;
	*c->dropped += over;
	c->ring_len -= over;
	while (n) {
		size_t k = PP_CAPTURE_TAIL - c->ring_pos < n ? PP_CAPTURE_TAIL - c->ring_pos : n;
		memcpy(c->ring + c->ring_pos, p, k);
		c->ring_pos = (c->ring_pos + k) % PP_CAPTURE_TAIL;
		c->ring_len += k;
		p += k;
		n -= k;
	}
}

/* Head, the note on what was left out, then the tail in order. */
static void pp_capture_finish(pp_capture *c)
{
	if (!c->ring)
		return;
	if (*c->dropped)
		pp_buf_addf(c->b, "\n[platprobe: %zu bytes left out]\n", *c->dropped);
	size_t start = (c->ring_pos + PP_CAPTURE_TAIL - c->ring_len) % PP_CAPTURE_TAIL;
	size_t first = PP_CAPTURE_TAIL - start < c->ring_len ? PP_CAPTURE_TAIL - start : c->ring_len;
	pp_buf_add(c->b, c->ring + start, first);
	pp_buf_add(c->b, c->ring, c->ring_len - first);
	free(c->ring);
	c->ring = NULL;
}

static void pp_drain(int *fd, pp_capture *c)
{
	char chunk[65536];
	ssize_t n = read(*fd, chunk, sizeof chunk);
	if (n > 0) {
		pp_capture_add(c, chunk, (size_t)n);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

/* The child's environment, made before spawning (nothing but exec may run in a child of a
 * threaded process): ours, with LC_ALL=C for parseable diagnostics and TMPDIR set to our temp
 * directory so the compiler's own temp files are removed with ours. */
static char **pp_child_env(int env_c, const char *tmpdir, pp_strv *keep)
{
	for (char **e = environ; e && *e; e++) {
		if ((env_c && (!strncmp(*e, "LC_ALL=", 7) || !strncmp(*e, "LANGUAGE=", 9))) ||
		    (tmpdir && !strncmp(*e, "TMPDIR=", 7)))
			continue;
		pp_strv_push(keep, *e);
	}
	if (env_c)
		pp_strv_push(keep, "LC_ALL=C");
	if (tmpdir)
		pp_strv_push_own(keep, pp_xasprintf("TMPDIR=%s", tmpdir));
	return keep->v;
}

/* execvp's search: the path of the first executable NAME in $PATH (NAME itself when it holds a
 * slash), or NULL. *why gets ENOENT, or EACCES when only non-executable files were found. */
static char *pp_search(const char *name, int *why)
{
	*why = ENOENT;
	if (strchr(name, '/')) {
		if (access(name, X_OK) == 0)
			return pp_xstrdup(name);
		*why = errno;
		return NULL;
	}
	const char *path = getenv("PATH");
	char *copy = pp_xstrdup(path ? path : "/usr/bin:/bin"), *save = NULL, *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *cand = pp_xasprintf("%s/%s", *dir ? dir : ".", name);
		if (access(cand, X_OK) == 0)
			found = cand;
		else {
			if (errno == EACCES)
				*why = EACCES;
			free(cand);
		}
	}
	free(copy);
	return found;
}

char *pp_which(const char *name)
{
	int why;
	return pp_search(name, &why);
}

int pp_unrunnable(const char *name)
{
	int why;
	char *found = pp_search(name, &why);
	free(found);
	return found ? 0 : why;
}

void pp_proc_run(char *const *argv, const pp_proc_opts *po, pp_proc_result *r)
{
	memset(r, 0, sizeof *r);
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		r->err = errno;
		for (int i = 0; i < 2; i++) {
			if (out[i] >= 0)
				close(out[i]);
			if (err[i] >= 0)
				close(err[i]);
		}
		return;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawnattr_init(&attr);
	sigset_t none, dflt;
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGHUP);
	sigaddset(&dflt, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setpgroup(&attr, 0); /* its own group: a timeout kills the whole tree */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
	                         POSIX_SPAWN_SETSIGDEF);
	pp_strv env = { 0 };
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv,
	                      pp_child_env(po->env_c, po->tmpdir, &env));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	pp_strv_free(&env);
	close(out[1]);
	close(err[1]);
	if (rc != 0) {
		r->err = rc;
		close(out[0]);
		close(err[0]);
		return;
	}
	r->started = 1;
	int slot = pp_child_track(pid);
	if (pp_interrupted)
		kill(-pid, SIGKILL);

	double timeout = po->timeout;
	double deadline = pp_now() + (timeout > 0 ? timeout : 1e9);
	int fds[2] = { out[0], err[0] };
	pp_capture cap[2] = { { &r->out, NULL, 0, 0, &r->out_dropped },
		{ &r->errout, NULL, 0, 0, &r->err_dropped } };
	int killed = 0;
	for (;;) {
		struct pollfd pf[2];
		int n = 0;
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0) {
				pf[n].fd = fds[i];
				pf[n].events = POLLIN;
				n++;
			}
		siginfo_t si;
		memset(&si, 0, sizeof si);
		/* Exited (not yet reaped)? Then kill what it left in its group and read the rest. */
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid) {
			kill(-pid, SIGKILL);
			for (int i = 0; i < 2; i++)
				while (fds[i] >= 0)
					pp_drain(&fds[i], &cap[i]);
			break;
		}
		double left = deadline - pp_now();
		if (left <= 0 || pp_interrupted) {
			if (!killed) {
				kill(-pid, SIGKILL);
				killed = 1;
				r->timed_out = left <= 0 && !pp_interrupted;
			}
			left = 0.05;
		}
		int ms = left > 0.05 ? 50 : (int)(left * 1000) + 1;
		if (n) {
			int k = poll(pf, (nfds_t)n, ms);
			if (k > 0)
				for (int i = 0, j = 0; i < 2; i++)
					if (fds[i] >= 0) {
						if (pf[j].revents)
							pp_drain(&fds[i], &cap[i]);
						j++;
					}
		} else {
			/* Both pipes closed: the child is exiting; look again soon. */
			struct timespec ts = { 0, 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	pp_child_untrack(slot);
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		pp_capture_finish(&cap[i]);
	}
	if (WIFEXITED(st)) {
		r->exited = 1;
		r->status = WEXITSTATUS(st);
		/* POSIX lets posix_spawn report a failed exec as a child exiting 127 instead of an
		 * error (older C libraries, and valgrind, which turns glibc's vfork into a fork): a
		 * silent 127 from a program that cannot be found is "cannot run", not a failed run. */
		int why;
		if (r->status == 127 && !r->out.len && !r->errout.len && (why = pp_unrunnable(argv[0]))) {
			r->started = r->exited = r->status = 0;
			r->err = why;
		}
	} else if (WIFSIGNALED(st)) {
		r->signaled = 1;
		r->sig = WTERMSIG(st);
	}
}

char *pp_proc_failure(const pp_proc_result *r, double timeout)
{
	if (pp_interrupted)
		return pp_xasprintf("interrupted by signal %d", (int)pp_interrupted);
	if (!r->started)
		return pp_xstrdup(strerror(r->err));
	if (r->timed_out)
		return pp_xasprintf("timed out after %g s", timeout);
	if (r->signaled)
		return pp_xasprintf("killed by signal %d (%s)", r->sig, strsignal(r->sig));
	if (r->exited && r->status != 0)
		return pp_xasprintf("exited with status %d", r->status);
	return NULL;
}

/* ---- the private temp directory ---- */

int pp_tmpdir_make(pp_tmpdir *t, pp_diag *d)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	t->path = pp_xasprintf("%s/platprobe-XXXXXX", base);
	if (!mkdtemp(t->path)) {
		pp_diag_add(d, "platprobe: error: cannot create a temp directory in %s: %s", base,
		            strerror(errno));
		free(t->path);
		t->path = NULL;
		return -1;
	}
	return 0;
}

char *pp_tmpdir_file(const pp_tmpdir *t, const char *name)
{
	return pp_xasprintf("%s/%s", t->path, name);
}

static void pp_rmtree(const char *path)
{
	DIR *dir = opendir(path);
	if (dir) {
		struct dirent *de;
		while ((de = readdir(dir))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *p = pp_xasprintf("%s/%s", path, de->d_name);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
				pp_rmtree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(dir);
	}
	rmdir(path);
}

void pp_tmpdir_free(pp_tmpdir *t)
{
	if (!t->path)
		return;
	if (!t->keep)
		pp_rmtree(t->path);
	free(t->path);
	t->path = NULL;
}

void pp_log_argv(const pp_options *o, char *const *argv)
{
	if (!o->log)
		return;
	pp_buf b = PP_BUF_INIT;
	pp_buf_adds(&b, "platprobe: run:");
	for (size_t i = 0; argv[i]; i++) {
		pp_buf_addc(&b, ' ');
		pp_buf_adds(&b, argv[i]);
	}
	o->log(o->log_ud, pp_buf_str(&b));
	pp_buf_free(&b);
}
