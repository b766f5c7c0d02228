#!/usr/bin/env python3
"""The figures of issue 14, as `make bench` prints them after the main table (tests/bench.py):
platprobe against the physical limit of its design, one `cc -c` of the same answers as ONE typed
initializer (`struct { __typeof__(A) v0; ... } t = { A, ... };` after the spec's headers; with -g
where platprobe needs debug information: structs, enums, function prototypes), and against the
headers alone. Whether a function links is an answer only a link gives, so for a spec with
functions (W100) the limit is that initializer compiled and linked in one `cc` with a main()
taking each function's address.

    python3 tests/bench_speed.py        (BENCH_RUNS: runs per row, default 7)

Rows (cold: --no-cache; a fresh directory each run; medians, rows taken round-robin):
  W100   tests/bench/workload.json, 100 answers          target <= 1.3x initializer, 1.5x headers
  C300   300 constants + 6 types + 2 structs, 13 libc headers        the same targets
  C5000  5,000 integer macros of the scale headers that all answer   <= 1.3x initializer
  F5000  5,000 scale macros as they come (a few fail): a first run   <= 2.2x initializer
  S100/S5000  the scale spec's first 100 and 5,000 entries           S5000 <= 2.5x S100
  memory a second cold run of F5000 (a header changed, the cache misses): one round, the main
         unit compiled once (its remembered entries in a unit beside it, a run of its own)
Each row also gives the CPU time of the whole run (platprobe and its compilers) and platprobe's
own CPU time and peak RSS (getrusage in a preloaded library), which should stay flat. Nothing
here fails on timing; it exits 1 only when a command fails."""
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import bench_scale as scale

TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLATPROBE = os.environ.get("PLATPROBE") or os.path.join(TOP, "build", "platprobe")
RUNS = max(3, int(os.environ.get("BENCH_RUNS", "7")))
CC = shlex.split(os.environ.get("CC") or "cc")
LIBC13 = ["sys/types.h", "sys/stat.h", "sys/socket.h", "sys/wait.h", "sys/mman.h", "netinet/in.h",
          "fcntl.h", "unistd.h", "errno.h", "signal.h", "limits.h", "stdio.h", "stdlib.h"]

SELF_C = r"""/* Preloaded into platprobe: its own CPU time and peak RSS, written at exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
__attribute__((destructor)) static void ppspeed_self(void)
{
	const char *log = getenv("PPSPEED_LOG");
	struct rusage ru;
	char line[96];
	/* LD_PRELOAD reaches the compilers too: only platprobe itself reports */
	if (!log || strcmp(program_invocation_short_name, "platprobe") != 0 ||
	    getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	double cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	             (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	int n = snprintf(line, sizeof line, "%.6f %ld\n", cpu, ru.ru_maxrss);
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) < 0)
			perror(log);
		close(fd);
	}
}
"""


def run(argv, env=None, cwd=None):
    p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    if p.returncode != 0:
        sys.exit(f"bench: `{shlex.join(argv)}` exited {p.returncode}:\n{p.stderr[-3000:]}")
    return p


class Row:
    def __init__(self, name, make):
        self.name, self.make = name, make   # make(work) -> (argv, env)
        self.wall, self.cpu, self.self_cpu, self.rss = [], [], [], []

    def once(self, base):
        work = tempfile.mkdtemp(dir=base)
        argv, env = self.make(work)
        log = os.path.join(work, "self.log")
        e = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"), **(env or {}))
        if env and "LD_PRELOAD" in env:
            e["PPSPEED_LOG"] = log
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run(argv, e, work)
        self.wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        if os.path.exists(log):
            with open(log) as f:
                cpu, rss = f.readline().split()
            self.self_cpu.append(float(cpu))
            self.rss.append(int(rss))
        shutil.rmtree(work, True)

    def med(self, what="wall"):
        v = getattr(self, what)
        return statistics.median(v) if v else None


def prelude(spec):
    src = "".join(f"#define {k} {v}\n" for k, v in (spec.get("defines") or {}).items())
    return src + "".join(f"#include <{h if isinstance(h, str) else h['name']}>\n"
                         for h in spec["headers"])


def initializer(spec, doc):
    """The same answers as one typed initializer: the limit of platprobe's design."""
    decl, init = [], []
    for t, v in doc["types"].items():
        if v is not None:
            decl += [f"unsigned long s{len(decl)};", f"unsigned long a{len(decl) + 1};"]
            init += [f"sizeof({t})", f"_Alignof({t})"]
    for s, v in doc["structs"].items():
        if v is None:
            continue
        decl += [f"unsigned long s{len(decl)};", f"unsigned long a{len(decl) + 1};"]
        init += [f"sizeof({s})", f"_Alignof({s})"]
        for f in v.get("fields", []):
            if f["name"] and "bit_size" not in f:
                decl.append(f"unsigned long o{len(decl)};")
                init.append(f"__builtin_offsetof({s}, {f['name']})")
    for c, v in doc["constants"].items():
        if v is not None:
            decl.append(f"__typeof__({c}) c{len(decl)};")
            init.append(c)
    text = (prelude(spec) + "__attribute__((used)) static const struct {\n" + "\n".join(decl) +
            "\n} pp_limit = {\n" + ",\n".join(init) + "\n};\n")
    # Whether a function links is an answer only a link gives: the limit then links too, one cc
    # command taking each function's address (their prototypes come with -g, needs_g).
    fns = [f for f, v in (doc.get("functions") or {}).items() if v]
    if fns:
        text += ("int main(void)\n{\n\tstatic volatile unsigned long s;\n" +
                 "".join(f"\ts ^= (unsigned long)&{f};\n" for f in fns) + "\treturn 0;\n}\n")
    return text


def needs_g(spec):
    return bool(spec.get("structs") or spec.get("enums") or spec.get("functions"))


def compile_row(name, text, g, link=False):
    def make(work):
        c = os.path.join(work, "t.c")
        with open(c, "w") as f:
            f.write(text)
        return (CC + ["-w"] + ([] if link else ["-c"]) + [c, "-o", os.path.join(work, "t.o")] +
                (["-g"] if g else [])), None
    return Row(name, make)


def probe_row(name, spec_path, preload, extra=()):
    def make(work):
        return ([PLATPROBE, "probe", spec_path, "--no-cache", *extra, "-o",
                 os.path.join(work, "out.json")], {"LD_PRELOAD": preload})
    return Row(name, make)


def answered(spec_path):
    p = run([PLATPROBE, "probe", spec_path, "--no-cache"])
    return json.loads(p.stdout)


def write(path, spec):
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def fmt_ms(s):
    return "-" if s is None else (f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s")


def main():
    base = tempfile.mkdtemp(prefix="ppspeed-")
    try:
        return bench(base)
    finally:
        shutil.rmtree(base, True)


def bench(base):
    preload = os.path.join(base, "ppspeed_self.so")
    with open(preload[:-3] + ".c", "w") as f:
        f.write(SELF_C)
    run(CC + ["-shared", "-fPIC", "-O2", preload[:-3] + ".c", "-o", preload])

    # The workloads.
    specs = {"W100": os.path.join(TOP, "tests", "bench", "workload.json")}
    saved = scale.SCALE_HEADERS
    scale.SCALE_HEADERS = LIBC13
    consts13, _ = scale.scale_entries(CC)
    scale.SCALE_HEADERS = saved
    c300 = {"headers": LIBC13, "constants": [{"name": c, "optional": True} for c in consts13]}
    doc = answered(write(os.path.join(base, "c300-all.json"), c300))
    good = [c for c, v in doc["constants"].items() if v is not None][:300]
    specs["C300"] = write(os.path.join(base, "c300.json"), {
        "headers": LIBC13, "constants": good,
        "types": ["size_t", "off_t", "pid_t", "time_t", "mode_t", "struct timespec"],
        "structs": [{"name": "struct stat", "fields": ["st_size", "st_mode", "st_mtim"]},
                    {"name": "struct sockaddr_in", "fields": ["sin_family", "sin_port"]}]})
    constants, types = scale.scale_entries(CC)
    full = scale.scale_spec(constants, [], None)
    full["constants"] = full["constants"][:5000]
    # F5000 includes a header of our own, so a second run can miss the cache by changing it
    local = os.path.join(base, "local")
    os.mkdir(local)
    with open(os.path.join(local, "bench_local.h"), "w") as f:
        f.write("/* bench */\n")
    full["include_dirs"] = [local]
    full["headers"] = list(full["headers"]) + ["bench_local.h"]
    specs["F5000"] = write(os.path.join(base, "f5000.json"), full)
    doc5 = answered(specs["F5000"])
    nfail = sum(1 for v in doc5["constants"].values() if v is None)
    specs["C5000"] = write(os.path.join(base, "c5000.json"), dict(
        full, constants=[c for c, v in doc5["constants"].items() if v is not None]))
    specs["S100"] = write(os.path.join(base, "s100.json"), scale.scale_spec(constants, types, 100))
    specs["S5000"] = write(os.path.join(base, "s5000.json"), scale.scale_spec(constants, types, 5000))

    rows = {}
    for key in ("W100", "C300", "C5000", "F5000", "S100", "S5000"):
        with open(specs[key]) as f:
            spec = json.load(f)
        rows[key] = probe_row(key, specs[key], preload)
        if key in ("S100", "S5000"):
            continue
        ans = doc5 if key == "F5000" else answered(specs[key])
        spec_i = dict(spec)
        text = initializer(spec_i, ans)
        if spec.get("include_dirs"):
            text = text.replace("#include <bench_local.h>", f'#include "{local}/bench_local.h"')
        rows[key + " initializer"] = compile_row(key, text, needs_g(spec),
                                                 link="int main(void)" in text)
        rows[key + " headers"] = compile_row(key, text[:text.index("__attribute__((used))")], False)
    order = list(rows.values())
    for i in range(RUNS):
        for r in order[i % len(order):] + order[:i % len(order)]:
            r.once(base)

    # The failure memory: a second cold run of F5000 whose failures are the first's.
    cache = os.path.join(base, "memcache")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    run([PLATPROBE, "probe", specs["F5000"], "-o", os.path.join(base, "m1.json")], env)
    with open(os.path.join(local, "bench_local.h"), "a") as f:
        f.write("/* touched */\n")
    p = run([PLATPROBE, "probe", specs["F5000"], "-v", "-o", os.path.join(base, "m2.json")], env)
    runs = [[os.path.basename(w) for w in line.split() if w.endswith(".c")]
            for line in p.stderr.splitlines() if line.startswith("platprobe: run: ")]
    # Every run but the remembered entries' unit compiles ours; without that unit (exactly one,
    # naming remembered.c alone) the memory was not used, which counts as a compile more.
    mem_runs = len(runs) - runs.count(["remembered.c"]) + (runs.count(["remembered.c"]) != 1)

    def x(a, b):
        return rows[a].med() / rows[b].med()

    print(f"\n== issue 14: platprobe against one typed initializer of the same answers "
          f"(cold, --no-cache, medians of {RUNS}; {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f})\n")
    print("| row | platprobe | initializer | headers alone | x initializer | x headers | "
          "CPU (all) | CPU platprobe | RSS platprobe |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key in ("W100", "C300", "C5000", "F5000", "S100", "S5000"):
        r = rows[key]
        ini, hdr = rows.get(key + " initializer"), rows.get(key + " headers")
        xi = f"{r.med() / ini.med():.2f}" if ini else "-"
        xh = f"{r.med() / hdr.med():.2f}" if hdr else "-"
        print(f"| {key} | {fmt_ms(r.med())} | {fmt_ms(ini.med() if ini else None)} | "
              f"{fmt_ms(hdr.med() if hdr else None)} | {xi} | {xh} | "
              f"{fmt_ms(r.med('cpu'))} | {fmt_ms(r.med('self_cpu'))} | "
              f"{(r.med('rss') or 0) / 1024:.1f} MB |")
    print()
    print("| row | CPU platprobe + compilers | CPU initializer | x initializer (CPU) |")
    print("| --- | ---: | ---: | ---: |")
    for key in ("W100", "C300", "C5000", "F5000"):
        r, ini = rows[key], rows[key + " initializer"]
        print(f"| {key} | {fmt_ms(r.med('cpu'))} | {fmt_ms(ini.med('cpu'))} | "
              f"{r.med('cpu') / ini.med('cpu'):.2f} |")
    checks = [
        ("W100 (100 answers) cold <= 1.3x its one-initializer compile", x("W100", "W100 initializer"), 1.3),
        ("W100 cold <= 1.5x the headers alone", x("W100", "W100 headers"), 1.5),
        ("C300 (300 constants, 6 types, 2 structs) <= 1.3x its initializer", x("C300", "C300 initializer"), 1.3),
        ("C300 <= 1.5x the headers alone", x("C300", "C300 headers"), 1.5),
        ("C5000 (5,000 constants, none fails) <= 1.3x its initializer", x("C5000", "C5000 initializer"), 1.3),
        (f"F5000 (a first run, {nfail} optional entries fail) <= 2.2x the initializer of the rest",
         x("F5000", "F5000 initializer"), 2.2),
        ("5,000 entries <= 2.5x the time of 100 (S5000 / S100)", x("S5000", "S100"), 2.5),
        ("a second cold run with the same failures compiles one round (the main unit once, "
         "the remembered unit beside it)", mem_runs, 1),
    ]
    print()
    for what, got, limit in checks:
        holds = got <= limit
        print(f"- {'Holds' if holds else 'Does not hold'}: {what}: {got:.2f}"
              + ("" if holds else f" ({got / limit:.2f}x the target)"))
    s1, s5 = rows["S100"], rows["S5000"]
    print(f"- platprobe's own CPU time: {fmt_ms(s1.med('self_cpu'))} for 100 entries, "
          f"{fmt_ms(s5.med('self_cpu'))} for 5,000; peak RSS {s1.med('rss') / 1024:.1f} MB and "
          f"{s5.med('rss') / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
