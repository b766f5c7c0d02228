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

volatile sig_atomic_t pp_interrupted;
static volatile sig_atomic_t pp_child_pgid;
static const char *pp_child_tmpdir; /* TMPDIR for children: their temp files die with ours */

static void pp_on_signal(int sig)
{
	pp_interrupted = sig;
	if (pp_child_pgid > 0)
		kill(-(pid_t)pp_child_pgid, SIGKILL);
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

static void pp_drain(int *fd, pp_buf *b)
{
	char chunk[16384];
	ssize_t n = read(*fd, chunk, sizeof chunk);
	if (n > 0) {
		pp_buf_add(b, chunk, (size_t)n);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

void pp_proc_run(char *const *argv, double timeout, int env_c, pp_proc_result *r)
{
	memset(r, 0, sizeof *r);
	int out[2], err[2], ex[2];
	if (pipe(out) < 0)
		goto fail_early;
	if (pipe(err) < 0) {
		close(out[0]);
		close(out[1]);
		goto fail_early;
	}
	if (pipe(ex) < 0) {
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		goto fail_early;
	}
	fcntl(ex[1], F_SETFD, FD_CLOEXEC);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		close(ex[0]);
		close(ex[1]);
		errno = e;
		goto fail_early;
	}
	if (pid == 0) {
		setpgid(0, 0);
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		close(ex[0]);
		if (env_c) {
			setenv("LC_ALL", "C", 1);
			unsetenv("LANGUAGE");
		}
		if (pp_child_tmpdir)
			setenv("TMPDIR", pp_child_tmpdir, 1);
		execvp(argv[0], argv);
		int e = errno;
		ssize_t w = write(ex[1], &e, sizeof e);
		(void)w;
		_exit(127);
	}
	setpgid(pid, pid);
	pp_child_pgid = pid;
	if (pp_interrupted)
		kill(-pid, SIGKILL);
	close(out[1]);
	close(err[1]);
	close(ex[1]);
	int e = 0;
	ssize_t got;
	do
		got = read(ex[0], &e, sizeof e);
	while (got < 0 && errno == EINTR);
	close(ex[0]);
	r->started = got != (ssize_t)sizeof e;
	r->err = r->started ? 0 : e;

	double deadline = pp_now() + (timeout > 0 ? timeout : 1e9);
	int fds[2] = { out[0], err[0] };
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
					pp_drain(&fds[i], i == 0 ? &r->out : &r->errout);
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
							pp_drain(&fds[i], i == 0 ? &r->out : &r->errout);
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
	pp_child_pgid = 0;
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (WIFEXITED(st)) {
		r->exited = 1;
		r->status = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		r->signaled = 1;
		r->sig = WTERMSIG(st);
	}
	return;
fail_early:
	r->started = 0;
	r->err = errno;
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
	pp_child_tmpdir = t->path;
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
	if (pp_child_tmpdir == t->path)
		pp_child_tmpdir = NULL;
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
