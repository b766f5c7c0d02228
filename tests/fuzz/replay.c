/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput on every file of its seed corpus and its
 * regression inputs, without libFuzzer, so make check (plain and under ASan+UBSan) keeps every
 * input that once crashed a test. Prints one PASS line per input (tests/run.sh counts them); a
 * crash or a broken property aborts, which run.sh reports as a failure.
 *   replay [DIR|FILE]...   default: $TOP/tests/fuzz/corpus/TARGET and .../regress/TARGET */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET=\"name\""
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int nfailed;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("FAIL %s: cannot open: %s\n", path, strerror(errno));
		nfailed++;
		return;
	}
	size_t len = 0, cap = 4096;
	unsigned char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad) {
		printf("FAIL %s: cannot read\n", path);
		nfailed++;
		free(buf);
		return;
	}
	/* libFuzzer hands over exactly the input's bytes: so does this, in a block of their size. */
	unsigned char *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	printf("PASS " FUZZ_TARGET " %s\n", path);
	fflush(stdout);
}

/* Every regular file of dir, in name order (so a failure is found at the same place each run). */
static void replay_dir(const char *dir, int required)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (required || errno != ENOENT) {
			printf("FAIL %s: cannot open: %s\n", dir, strerror(errno));
			nfailed++;
		}
		return;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	size_t files = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			replay_file(names[i]);
			files++;
		}
		free(names[i]);
	}
	free(names);
	if (required && !files) {
		printf("FAIL %s: no inputs in it\n", dir);
		nfailed++;
	}
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			struct stat st;
			if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
				replay_dir(argv[i], 1);
			else
				replay_file(argv[i]);
		}
		return nfailed ? 1 : 0;
	}
	const char *top = getenv("TOP");
	if (!top)
		top = ".";
	static const char *const kinds[] = { "corpus", "regress" };
	for (int k = 0; k < 2; k++) {
		size_t len = strlen(top) + 64 + strlen(FUZZ_TARGET);
		char *dir = malloc(len);
		snprintf(dir, len, "%s/tests/fuzz/%s/%s", top, kinds[k], FUZZ_TARGET);
		replay_dir(dir, k == 0); /* a target always has seeds; regressions only once it crashed */
		free(dir);
	}
	return nfailed ? 1 : 0;
}
