#!/usr/bin/env python3
"""platprobe's benchmark: compiler invocations and wall time, side by side, in one run.

    python3 tests/bench.py [SPEC.json]        (make bench; SPEC defaults to probe/posix.json)

Rows (each is one call in main()):
  bare cc -c         the single-compile limit: one `cc -c` of a file holding only the spec's
                     defines and #include lines; every other row is compared with it
  platprobe object   platprobe probe SPEC (object mode: compile, read the object)
  platprobe run      platprobe probe SPEC --mode run (link and run a program)

How a row is measured:
  - invocations: one untimed run with a logging wrapper script as the compiler; the wrapper
    (named like the real compiler) appends one line per call to a log and execs the real
    compiler. This run is also the warm-up.
  - wall time: BENCH_RUNS (default 7, at least 5) timed runs with the real compiler, taken
    round-robin over all rows (the order rotates each round) so that drift of the machine hits
    every row alike; the median is reported. After 5 rounds, rounds stop once BENCH_BUDGET
    seconds (default 60) have passed.
  - every run gets a fresh working directory (and XDG_CACHE_HOME inside it), so no run can
    reuse an answer cached by an earlier one.
The real compiler is $CC (split on blanks, as platprobe does), else cc; $CPPFLAGS and $CFLAGS
reach both platprobe and the bare compile.

Results: a table on stdout and the same numbers in build/bench.json (BENCH_JSON overrides).
The bench never fails on timing noise: it exits 1 only when a command fails.

Adding a row (autoconf, CMake, Meson, a cross compiler) is one call of Bench.add() with a
function that, given the compiler's argv and a fresh working directory, returns the command
to run (see bare_cc_row and platprobe_row). Cross rows pass their own `cc` and name their own
bare-cc row as `baseline`.
"""
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLATPROBE = os.environ.get("PLATPROBE") or os.path.join(TOP, "build", "platprobe")
BUILD = os.environ.get("BUILD") or os.path.join(TOP, "build")
ANSWER_LISTS = ("types", "structs", "constants", "defined", "functions")


class CommandFailed(Exception):
    pass


def default_cc():
    """The real compiler as an argv prefix: $CC split on blanks, else cc."""
    words = (os.environ.get("CC") or "").split()
    return words or ["cc"]


def env_flags():
    return (os.environ.get("CPPFLAGS") or "").split() + (os.environ.get("CFLAGS") or "").split()


def count_answers(spec):
    """(entries, fields): every entry of the answer lists, plus every field of every struct."""
    entries = sum(len(spec.get(k) or []) for k in ANSWER_LISTS)
    fields = sum(len(s.get("fields") or []) for s in spec.get("structs") or [] if isinstance(s, dict))
    return entries, fields


def make_wrapper(path, cc, log):
    """A shell script that logs one line per call to LOG, then execs the real compiler CC."""
    with open(path, "w") as f:
        f.write("#!/bin/sh\n"
                f"printf '%s\\n' \"$*\" >> {shlex.quote(log)}\n"
                f"exec {shlex.join(cc)} \"$@\"\n")
    os.chmod(path, 0o755)


class Row:
    def __init__(self, key, what, command, cc, baseline, answers):
        self.key, self.what, self.command = key, what, command
        self.cc, self.baseline, self.answers = cc, baseline, answers
        self.invocations = None
        self.times = []

    def median_ms(self):
        return statistics.median(self.times) * 1000.0


class Bench:
    def __init__(self, runs=7, min_runs=5, budget=60.0):
        self.rows = []
        self.runs, self.min_runs, self.budget = max(runs, min_runs), min_runs, budget
        self.root = None

    def add(self, key, what, command, cc=None, baseline="bare", answers=None):
        """Add a row. COMMAND(cc_argv, workdir) -> (argv, env overrides or None, cwd or None).
        cc_argv is the compiler to use (the logging wrapper, or the real one when timed);
        workdir is a fresh, empty directory for this run. BASELINE names the row that the
        ratio is taken against (None: no ratio). ANSWERS: how many answers the row gives."""
        self.rows.append(Row(key, what, command, cc or default_cc(), baseline, answers))

    def _run(self, row, cc_argv, tag):
        work = tempfile.mkdtemp(prefix=f"{row.key}-{tag}-", dir=self.root)
        try:
            argv, env_over, cwd = row.command(cc_argv, work)
            env = dict(os.environ)
            env["XDG_CACHE_HOME"] = os.path.join(work, ".cache")
            env.update(env_over or {})
            t0 = time.perf_counter()
            p = subprocess.run(argv, env=env, cwd=cwd or work, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - t0
            if p.returncode != 0:
                tail = p.stderr.decode(errors="replace").strip().splitlines()[-20:]
                raise CommandFailed(f"{row.what}: `{shlex.join(argv)}` exited {p.returncode}\n"
                                    + "\n".join("    " + line for line in tail))
            return elapsed
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _count(self, row):
        # The wrapper carries the real compiler's name (cc, gcc, clang...): tools that look at
        # the name (platprobe adds clang's -ferror-limit=0) must see what they would see anyway.
        d = os.path.join(self.root, f"wrap-{row.key}")
        os.mkdir(d)
        wrapper = os.path.join(d, os.path.basename(row.cc[0]))
        log = os.path.join(self.root, f"cc-{row.key}.log")
        make_wrapper(wrapper, row.cc, log)
        self._run(row, [wrapper], "count")
        try:
            with open(log) as f:
                row.invocations = sum(1 for _ in f)
        except FileNotFoundError:
            row.invocations = 0

    def run(self):
        self.root = tempfile.mkdtemp(prefix="platprobe-bench-")
        try:
            for row in self.rows:
                self._count(row)
            start = time.perf_counter()
            for i in range(self.runs):
                if i >= self.min_runs and time.perf_counter() - start > self.budget:
                    break
                k = i % len(self.rows)
                for row in self.rows[k:] + self.rows[:k]:
                    row.times.append(self._run(row, row.cc, f"t{i}"))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _ratio(self, row):
        base = next((r for r in self.rows if r.key == row.baseline), None)
        if base is None or base is row or not base.times:
            return None
        return row.median_ms() / base.median_ms()

    def results(self):
        out = []
        for r in self.rows:
            ratio = self._ratio(r)
            out.append({
                "key": r.key, "what": r.what, "compiler": " ".join(r.cc),
                "invocations": r.invocations, "runs": len(r.times),
                "median_ms": round(r.median_ms(), 2),
                "min_ms": round(min(r.times) * 1000.0, 2),
                "max_ms": round(max(r.times) * 1000.0, 2),
                "times_ms": [round(t * 1000.0, 2) for t in r.times],
                "baseline": r.baseline if ratio is not None else None,
                "ratio": round(ratio, 2) if ratio is not None else None,
                "answers": r.answers,
                "invocations_per_answer": (round(r.invocations / r.answers, 5)
                                           if r.answers else None),
            })
        return out

    def table(self):
        head = ("what", "invocations", "median wall ms", "ratio", "invocations/answer")
        lines = []
        for r in self.results():
            lines.append((r["what"], str(r["invocations"]), f"{r['median_ms']:.1f}",
                          "1.00 (baseline)" if r["key"] == "bare" else
                          (f"{r['ratio']:.2f} x {r['baseline']}" if r["ratio"] is not None else "-"),
                          f"{r['invocations_per_answer']:.4f}"
                          if r["invocations_per_answer"] is not None else "-"))
        widths = [max(len(x) for x in col) for col in zip(head, *lines)]
        fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                      for i, (c, w) in enumerate(zip(cells, widths)))
        rule = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(head), rule] + [fmt(c) for c in lines])


def bare_cc_row(spec, spec_dir):
    """The single-compile limit: one `cc -c` of a file with only the spec's defines and headers
    (with the spec's include_dirs, cflags and pkg-config --cflags, resolved once, untimed)."""
    src = "".join(f"#define {name} {value}\n".replace(" \n", "\n")
                  for name, value in (spec.get("defines") or {}).items())
    src += "".join(f"#include <{h}>\n" for h in spec.get("headers") or [])
    flags = env_flags()
    flags += ["-I" + os.path.join(spec_dir, d) for d in spec.get("include_dirs") or []]
    flags += list(spec.get("cflags") or [])
    pkgs = spec.get("pkg-config") or []
    if pkgs:
        pc = (os.environ.get("PKG_CONFIG") or "pkg-config").split()
        p = subprocess.run(pc + ["--cflags"] + list(pkgs), capture_output=True, text=True)
        if p.returncode != 0:
            raise CommandFailed(f"pkg-config --cflags {' '.join(pkgs)} failed:\n{p.stderr}")
        flags += p.stdout.split()

    def command(cc, work):
        c = os.path.join(work, "bare.c")
        with open(c, "w") as f:
            f.write(src)
        return cc + flags + ["-c", c, "-o", os.path.join(work, "bare.o")], None, None
    return command


def platprobe_row(spec_path, mode):
    def command(cc, work):
        return ([PLATPROBE, "probe", spec_path, "--mode", mode, "--cc", " ".join(cc),
                 "-o", os.path.join(work, "out.json")], None, None)
    return command


CROSS4 = ["aarch64-linux-gnu", "arm-linux-gnueabihf", "s390x-linux-gnu", "x86_64-linux-gnu"]


def targets_row(spec, triples):
    """platprobe probing SPEC for several targets in one call, one file each. The row's compiler
    is `env`, so each target's compiler is "CC TRIPLE-gcc": through the counting wrapper when
    counted, plain `env TRIPLE-gcc` when timed."""
    def command(cc, work):
        path = os.path.join(work, "spec.json")
        with open(path, "w") as f:
            json.dump(dict(spec, targets=[{"cc": shlex.join(cc + [f"{t}-gcc"])} for t in triples]), f)
        return ([PLATPROBE, "probe", path, "-o", os.path.join(work, "{triple}.json")], None, None)
    return command


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    spec_path = os.path.abspath(argv[1] if len(argv) == 2 else os.path.join(TOP, "probe", "posix.json"))
    try:
        with open(spec_path) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        print(f"bench: error: {spec_path}: {e}", file=sys.stderr)
        return 1
    entries, fields = count_answers(spec)
    answers = entries + fields
    cc = default_cc()

    bench = Bench(runs=int(os.environ.get("BENCH_RUNS") or 7),
                  budget=float(os.environ.get("BENCH_BUDGET") or 60))
    try:
        bench.add("bare", "bare cc -c (defines + #includes)",
                  bare_cc_row(spec, os.path.dirname(spec_path)), baseline=None)
        bench.add("object", "platprobe probe (object)", platprobe_row(spec_path, "object"),
                  answers=answers)
        bench.add("run", "platprobe probe --mode run", platprobe_row(spec_path, "run"),
                  answers=answers)
        missing = [t for t in CROSS4 if not shutil.which(f"{t}-gcc")]
        if missing:
            raise CommandFailed(f"cross compilers missing: {missing} (bash .ci/deps installs them)")
        bench.add("cross4", f"platprobe, {len(CROSS4)} targets at once",
                  targets_row(spec, CROSS4), cc=["env"], baseline="object", answers=answers * 4)
        # Later rows: autoconf, CMake, Meson peers.
        bench.run()
    except CommandFailed as e:
        print(f"bench: error: {e}", file=sys.stderr)
        return 1

    version = subprocess.run(cc + ["--version"], capture_output=True, text=True).stdout
    version = (version.splitlines() or ["?"])[0]
    rel = os.path.relpath(spec_path, TOP)
    rel = spec_path if rel.startswith("..") else rel
    print(f"spec {rel}: {entries} entries + {fields} fields = {answers} answers")
    print(f"compiler {' '.join(cc)} ({version}); {platform.machine()} {platform.system()}; "
          f"median of {len(bench.rows[0].times)} runs each")
    print()
    print(bench.table())

    doc = {
        "platprobe_bench": 1,
        "spec": rel,
        "answers": {"entries": entries, "fields": fields, "total": answers},
        "compiler": {"cc": " ".join(cc), "version": version, "flags": env_flags()},
        "machine": {"arch": platform.machine(), "system": platform.system(),
                    "release": platform.release(), "cpus": os.cpu_count()},
        "rows": bench.results(),
    }
    out = os.environ.get("BENCH_JSON") or os.path.join(BUILD, "bench.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, out)
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
