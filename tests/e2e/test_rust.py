"""End-to-end: -f rust. The generated module builds with rustc as a library (its compile-time
layout assertions hold) with every rustc found (the one on PATH and Debian's /usr/bin/rustc, 1.63
on Debian 12); a program using it calls libc's stat() and uname() and a C bit-field library built
here, compared with os.stat(), os.uname() and the C header's values; a wrong layout fails to build."""
import atexit, json, os, shutil, subprocess, tempfile
import pptest
from pptest import check

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
WORK = tempfile.mkdtemp(prefix="pptest-rs-")
atexit.register(shutil.rmtree, WORK, True)

rustcs = []
for r in (shutil.which("rustc"), "/usr/bin/rustc"):
    if r and os.path.exists(r) and os.path.realpath(r) not in [os.path.realpath(x) for x in rustcs]:
        rustcs.append(r)
check("a rustc is installed (.ci/deps installs Debian's)", rustcs, "no rustc on PATH or in /usr/bin")

FIELDS = ["tag", "a", "b", "c", "after", "big", "rest", "s", "neg", "x", "y", "lone"]
SPEC = {
    "headers": ["sys/types.h", "sys/stat.h", "time.h", "sys/utsname.h", "stdio.h", "float.h",
                "limits.h", "errno.h", "sys/epoll.h", "bitfields.h"],
    "defines": {"_GNU_SOURCE": "1"},
    "include_dirs": [DATA],
    "types": ["off_t", "mode_t", "time_t", "size_t", "long double", "void *", "sigset_t"],
    "structs": [
        {"name": "struct stat", "fields": ["st_dev", "st_ino", "st_mode", "st_nlink", "st_uid",
                                           "st_gid", "st_size", "st_mtim", "st_mtim.tv_sec",
                                           "st_mtim.tv_nsec"]},
        {"name": "struct timespec", "fields": ["tv_sec", "tv_nsec"]},
        {"name": "struct utsname", "fields": ["sysname", "nodename", "release", "version",
                                              "machine"]},
        {"name": "struct tm", "fields": ["tm_sec", "tm_year", "tm_gmtoff", "tm_zone"]},
        {"name": "struct epoll_event", "fields": ["events", "data", "data.fd", "data.u64"]},
        {"name": "union epoll_data", "fields": ["ptr", "fd", "u64"]},
        {"name": "struct bf", "fields": FIELDS},
    ],
    "constants": ["EAGAIN", "LLONG_MIN", "ULLONG_MAX", "DBL_MAX", "P_tmpdir", "-1"],
}
gen = os.path.join(WORK, "platform.rs")
text = pptest.generate(SPEC, "rust", gen)


def rustc(rc, src, *args):
    out = os.path.join(WORK, "out-" + os.path.basename(src))
    return subprocess.run([rc, "--edition", "2021", *args, src, "-o", out],
                          capture_output=True, text=True)


for rc in rustcs:
    ver = subprocess.run([rc, "--version"], capture_output=True, text=True).stdout.strip()
    r = rustc(rc, gen, "--crate-type", "lib")
    check(f"the module builds as a library with {ver} (its layout assertions hold)",
          r.returncode == 0, r.stderr[-2000:])

# A program that uses the module as a binding would.
lib = os.path.join(WORK, "libbitfields.so")
subprocess.run(["cc", "-shared", "-fPIC", "-I", DATA, os.path.join(DATA, "bitfields.c"), "-o", lib],
               check=True)
target = os.path.join(WORK, "some file")
with open(target, "wb") as f:
    f.write(b"y" * 4321)
os.chmod(target, 0o604)
os.utime(target, ns=(1_600_000_000_000_000_001, 1_650_000_000_123_456_789))
main = os.path.join(WORK, "main.rs")
with open(main, "w") as f:
    f.write(r'''mod platform;
use platform::*;
extern "C" {
    fn stat(path: *const u8, buf: *mut platform::stat) -> i32;
    fn uname(buf: *mut utsname) -> i32;
    fn bitfields_fill(p: *mut bf);
}
fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]).into_owned()
}
fn main() {
    unsafe {
        let mut st: platform::stat = core::mem::zeroed();
        let path = std::env::args().nth(1).unwrap() + "\0";
        println!("stat {}", stat(path.as_ptr(), &mut st));
        println!("st_size {}", st.st_size);
        println!("st_mode {}", st.st_mode);
        println!("st_ino {}", st.st_ino);
        println!("st_nlink {}", st.st_nlink);
        println!("st_uid {}", st.st_uid);
        println!("st_mtime_ns {}", st.st_mtim.tv_sec as i128 * 1000000000 + st.st_mtim.tv_nsec as i128);
        let mut u: utsname = core::mem::zeroed();
        println!("uname {}", uname(&mut u));
        println!("sysname {}", text(&u.sysname));
        println!("release {}", text(&u.release));
        println!("machine {}", text(&u.machine));
        let mut v: bf = core::mem::zeroed();
        bitfields_fill(&mut v);
        println!("bf {} {} {} {} {} {} {} {} {} {} {} {}", v.tag, v.a(), v.b(), v.c(), v.after,
                 v.big(), v.rest(), v.s, v.neg(), v.x(), v.y(), v.lone());
        v.set_c(1234);
        v.set_big(0x1122334455);
        v.set_neg(0x3b);
        println!("set {} {} {} {}", v.c(), v.big(), v.neg(), v.b());
        println!("EAGAIN {} {} {}", EAGAIN, LLONG_MIN, ULLONG_MAX);
    }
}
''')
expect_bf = [int(x) for x in pptest.cc_run(
    '#include <stdio.h>\n#include "bitfields.h"\nint main(void) { printf("%lld %lld %lld %lld %lld '
    '%lld %lld %lld %lld %lld %lld %lld\\n", (long long)BF_TAG, (long long)BF_A, (long long)BF_B, '
    '(long long)BF_C, (long long)BF_AFTER, (long long)BF_BIG, (long long)BF_REST, (long long)BF_S, '
    '(long long)BF_NEG, (long long)BF_X, (long long)BF_Y, (long long)BF_LONE); return 0; }',
    ["-I", DATA]).split()]
expect_c = pptest.cc_run('#include <errno.h>\n#include <limits.h>\n#include <stdio.h>\n'
                         'int main(void) { printf("%d %lld %llu\\n", EAGAIN, LLONG_MIN, ULLONG_MAX); '
                         'return 0; }').split()
for rc in rustcs:
    ver = subprocess.run([rc, "--version"], capture_output=True, text=True).stdout.strip()
    r = rustc(rc, main, "-L", WORK, "-l", "dylib=bitfields", "-C", f"link-arg=-Wl,-rpath,{WORK}")
    if not check(f"a program using the module builds with {ver}", r.returncode == 0, r.stderr[-2000:]):
        continue
    out = subprocess.run([os.path.join(WORK, "out-main.rs"), target], capture_output=True,
                         text=True).stdout
    got = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.splitlines()}
    ref, un = os.stat(target), os.uname()
    for key, want in (("stat", "0"), ("st_size", str(ref.st_size)), ("st_mode", str(ref.st_mode)),
                      ("st_ino", str(ref.st_ino)), ("st_nlink", str(ref.st_nlink)),
                      ("st_uid", str(ref.st_uid)), ("st_mtime_ns", str(ref.st_mtime_ns)),
                      ("uname", "0"), ("sysname", un.sysname), ("release", un.release),
                      ("machine", un.machine)):
        check(f"{ver}: {key} through the module == Python's", got.get(key) == want,
              (got.get(key), want))
    check(f"{ver}: bit-field getters read what C stored",
          [int(x) for x in got.get("bf", "").split()] == expect_bf, (got.get("bf"), expect_bf))
    check(f"{ver}: bit-field setters store without touching their neighbours",
          got.get("set") == f"1234 {0x1122334455} {0x3b - 64} {expect_bf[2]}",  # 0x3b in 6 signed bits
          got.get("set"))
    check(f"{ver}: integer constants with Rust types", got.get("EAGAIN", "").split() == expect_c,
          (got.get("EAGAIN"), expect_c))

# The default spec, probe/posix.json, builds too.
posix = os.path.join(WORK, "posix.rs")
pptest.generate(json.load(open(os.path.join(pptest.TOP, "probe", "posix.json"))), "rust", posix)
for rc in rustcs:
    r = rustc(rc, posix, "--crate-type", "lib")
    check(f"posix.json's module builds with {rc}", r.returncode == 0, r.stderr[-1500:])

# A wrong layout does not build: a member's type changed, and an expected offset changed.
for what, old, new in (("a member of the wrong size", "    pub st_mode: u32,", "    pub st_mode: u64,"),
                       ("a wrong offset", "&b) == 24 && pp_end_set(&b) == 28", "&b) == 20 && pp_end_set(&b) == 24"),
                       ("a wrong size", "size_of::<timespec>() == 16", "size_of::<timespec>() == 24")):
    check(f"the generated module holds what {what} changes", old in text, old)
    bad = os.path.join(WORK, "bad.rs")
    with open(bad, "w") as f:
        f.write(text.replace(old, new, 1))
    for rc in rustcs:
        r = rustc(rc, bad, "--crate-type", "lib")
        check(f"{what} fails to build with {rc}", r.returncode != 0 and
              ("E0080" in r.stderr or "E0512" in r.stderr), r.stderr[-800:])

pptest.done()
