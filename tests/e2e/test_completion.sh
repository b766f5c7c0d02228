#!/usr/bin/env bash
# Shell completion. Bash (completion/platprobe.bash) driven as bash drives it: COMP_WORDS and COMP_CWORD
# set, _platprobe called, COMPREPLY read; Debian's bash-completion loaded first, as in a user's
# shell. Commands, per-command options (from --help), -f formats per command (each one then
# accepted by platprobe itself), --mode, --target triples of the cross compilers on PATH (stub
# TRIPLE-gcc programs, and the real ones .ci/deps installs), spec, result and template files. Then zsh's (completion/_platprobe)
# the same way, its completion builtins stubbed.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
PLATPROBE=${PLATPROBE:-$TOP/build/platprobe}
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
work=$(mktemp -d "${TMPDIR:-/tmp}/pptest-completion-XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -r /usr/share/bash-completion/bash_completion ]; then
  # shellcheck disable=SC1091
  . /usr/share/bash-completion/bash_completion
  pass "Debian's bash-completion is installed (.ci/deps)"
else
  fail "Debian's bash-completion is installed (.ci/deps)" "no /usr/share/bash-completion/bash_completion"
fi
# shellcheck disable=SC1091
. "$TOP/completion/platprobe.bash"
case $(complete -p platprobe 2>&1) in
  *"-F _platprobe platprobe"*) pass "complete -F _platprobe platprobe is registered" ;;
  *) fail "complete -F _platprobe platprobe is registered" "$(complete -p platprobe 2>&1)" ;;
esac

# comp WORD...: complete the last word (may be empty) of "platprobe WORD..."; the sorted
# candidates, one a line.
comp() {
  COMP_WORDS=("$PLATPROBE" "$@")
  COMP_CWORD=$#
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _platprobe platprobe "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort -u | sed '/^$/d'
}
# offers COMPLETER NAME "WANTED..." "UNWANTED..." WORD...: every wanted word offered by COMPLETER
# (comp or zcomp) for WORD..., no unwanted one.
offers() {
  local completer=$1 name=$2 want=$3 unwant=$4 got w bad=""
  shift 4
  got=$("$completer" "$@")
  local -
  set -f # the words may be patterns for the shell completing, not for this one
  for w in $want; do grep -qxF -- "$w" <<<"$got" || bad="$bad missing $w;"; done
  for w in $unwant; do grep -qxF -- "$w" <<<"$got" && bad="$bad unwanted $w;"; done
  if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad offered: $(tr '\n' ' ' <<<"$got")"; fi
}
expect() { offers comp "$@"; }

expect "commands" "probe check diff show spec report --help --version" "" ""
expect "commands by prefix" "probe" "check diff show spec report" "pr"
expect "commands by prefix: report" "report" "probe spec" "re"
expect "probe's options" "--target --format -f -o --output --no-cache --cc --from --depfile --pkg
  --package --template --model" "--allow-new --include -D --help --match" probe spec.json -
expect "check's options (its own and probe's)" "--allow-new --ignore --ignore-compiler-version --target
  --format --cc --no-cache" "--include --output --prefix --depfile --package --template --model" \
  check spec.json base.json --
expect "check's short options" "-f -v" "-o -i" check spec.json base.json -
expect "show's options (--target: one column per target)" \
  "--include -i -D --define --cc --format --target --mode --timeout" "--from --allow-new --template" show -
expect "diff's options" "-f --format" "--target --cc" diff a.json -
expect "spec's options" "-i --include --match --regex --from-file -D --define --cc --target -o --output
  -v --verbose" "-f --format --from --allow-new --mode --template --package" spec -i x.h -
expect "report's options" "-o --output -f --format" "--target --cc --include --from" report r.json -
expect "--mode" "object run" "" probe s.json --mode ""
expect "--format=VALUE (split at =)" "json header" "text" probe s.json --format = ""

# -f: what is offered for probe is what platprobe writes (from a saved result: no compiler).
printf '{"headers": ["errno.h"], "constants": ["EAGAIN"], "types": ["int"]}\n' >"$work/spec.json"
if "$PLATPROBE" probe "$work/spec.json" --no-cache -o "$work/result.json" 2>"$work/err"; then
  formats=$(comp probe "$work/spec.json" -f "")
  [ "$(wc -w <<<"$formats")" -ge 5 ] && pass "probe -f offers formats" ||
    fail "probe -f offers formats" "$formats"
  # every binding format of templates/NAME.EXT.tmpl is offered (a new one must be added to
  # completion/platprobe.bash)
  for t in "$TOP"/templates/*.tmpl; do
    t=${t##*/}
    t=${t%%.*}
    if grep -qxF "$t" <<<"$formats"; then pass "probe -f offers the template format $t"; else
      fail "probe -f offers the template format $t" "add $t to -f in completion/platprobe.bash"; fi
  done
  for f in $formats; do
    if "$PLATPROBE" probe "$work/spec.json" --from "$work/result.json" -f "$f" -o "$work/out" 2>"$work/err"; then
      pass "probe -f $f (offered) is accepted"
    else
      fail "probe -f $f (offered) is accepted" "$(head -c 600 "$work/err")"
    fi
  done
else
  fail "probe a tiny spec for the -f checks" "$(head -c 600 "$work/err")"
fi
for c in show diff check; do
  expect "$c -f" "text json" "header python go html markdown" $c x -f ""
done
expect "report -f" "html markdown" "text json header" report r.json -f ""
expect "report --format=VALUE" "markdown" "html json" report r.json --format = m
expect "spec --match, --regex, --from-file, -i: no completion" "" "a.json probe" spec -i x.h --match ""
# -f: what is offered for report is what platprobe writes (from the result probed above).
if [ -s "$work/result.json" ]; then
  for f in $(comp report "$work/result.json" -f ""); do
    if "$PLATPROBE" report "$work/result.json" -f "$f" -o "$work/out" 2>"$work/err"; then
      pass "report -f $f (offered) is accepted"
    else
      fail "report -f $f (offered) is accepted" "$(head -c 600 "$work/err")"
    fi
  done
else
  fail "a result for the report -f checks" "no $work/result.json"
fi

# --target: stub cross compilers on PATH (executable ones only), and the real ones of .ci/deps.
mkdir -p "$work/bin"
for f in zz80-none-elf-gcc qq-linux-gnu-gcc-12 nx-linux-gnu-gcc; do
  printf '#!/bin/sh\n' >"$work/bin/$f"
done
chmod +x "$work/bin/zz80-none-elf-gcc" "$work/bin/qq-linux-gnu-gcc-12"
PATH="$work/bin:$PATH" expect "--target: TRIPLE-gcc programs on PATH" "zz80-none-elf qq-linux-gnu" \
  "nx-linux-gnu" probe s.json --target ""
PATH="$work/bin:$PATH" expect "--target=TRIPLE by prefix" "zz80-none-elf" "qq-linux-gnu" \
  probe s.json --target = zz
real=""
for t in aarch64-linux-gnu s390x-linux-gnu x86_64-w64-mingw32; do
  command -v "$t-gcc" >/dev/null && real="$real $t"
done
if [ -n "$real" ]; then
  expect "--target: the cross compilers installed ($real )" "$real" "" probe s.json --target ""
else
  fail "--target: the cross compilers installed" "none of aarch64, s390x, mingw gcc on PATH (.ci/deps)"
fi

# Spec files: *.json and directories, nothing else.
mkdir -p "$work/specs/sub"
: >"$work/specs/a.json"
: >"$work/specs/b.txt"
(cd "$work/specs" && expect "spec files: *.json and directories" "a.json sub" "b.txt" probe "")
(cd "$work/specs" && expect "--from: *.json" "a.json" "b.txt" probe x.json --from "")
(cd "$work/specs" && expect "diff's second result" "a.json" "b.txt" diff a.json "")
(cd "$work/specs" && expect "diff's third result" "a.json sub" "b.txt" diff a.json a.json "")
(cd "$work/specs" && expect "report's results: *.json" "a.json sub" "b.txt" report a.json "")
(cd "$work/specs" && expect "--template: any file" "a.json b.txt" "" probe a.json --template "")
(cd "$work/specs" && expect "spec -i: header names, no files" "" "a.json b.txt sub" spec -i "")

# zsh (completion/_platprobe): compinit finds it by its #compdef line; its function is driven with
# words and CURRENT set, and compadd/_files stubbed to print what they were given.
if command -v zsh >/dev/null; then
  pass "zsh is installed (.ci/deps)"
  got=$(zsh -f -c 'fpath=("$1" $fpath); autoload -U compinit; compinit -u -d "$2/zcompdump"
    print -r -- $_comps[platprobe]' zsh "$TOP/completion" "$work" 2>&1)
  [ "$got" = _platprobe ] && pass "zsh: compinit registers _platprobe for platprobe" ||
    fail "zsh: compinit registers _platprobe for platprobe" "$got"
else
  fail "zsh is installed (.ci/deps)" "no zsh"
fi
# zcomp WORD...: what zsh's _platprobe offers for the last word of "platprobe WORD...".
zcomp() {
  zsh -f -c '
    compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
    compset() { PREFIX=${PREFIX#*=}; }
    _files() { print -r -- "_files:${(j:,:)@}"; }
    _directories() { print -- _directories; }
    _command_names() { print -- _command_names; }
    eval "_platprobe_file() { $(<$1) }"
    shift
    words=("$@"); CURRENT=$#words; PREFIX=$words[CURRENT]
    _platprobe_file' zsh "$TOP/completion/_platprobe" "$PLATPROBE" "$@" 2>&1 | sort -u | sed '/^$/d'
}
zexpect() { offers zcomp "zsh: $1" "${@:2}"; }
zexpect "commands" "probe check diff show spec report" "" ""
zexpect "probe's options" "--target --format -f -o --no-cache" "--allow-new --include" probe s.json -
zexpect "check's options" "--allow-new --ignore --target -f --format --cc" \
  "--include -o --output --prefix --depfile --package --template --model" check s.json b.json -
zexpect "show's options" "--include -D --cc --target" "--from --template" show -
zexpect "spec's options" "-i --match --regex --from-file -D --cc --target -o" "-f --from --mode" \
  spec -i x.h -
zexpect "report's options" "-o -f --format" "--target --cc" report r.json -
zexpect "probe -f" "json header python rust guard go cdecl model" "text html" probe s.json -f ""
zexpect "report -f" "html markdown" "text json header" report r.json -f ""
zexpect "show -f" "text json" "header html" show x -f ""
zexpect "--format=VALUE" "json header" "text" probe s.json --format=
zexpect "diff -f" "text json" "header" diff a.json -f ""
zexpect "--mode" "object run" "" probe s.json --mode ""
PATH="$work/bin:$PATH" zexpect "--target: TRIPLE-gcc programs on PATH" "zz80-none-elf qq-linux-gnu" \
  "nx-linux-gnu" probe s.json --target ""
zexpect "spec files" "_files:-g,*.json" "" probe ""
zexpect "report's results" "_files:-g,*.json" "" report ""
zexpect "--template: any file" "_files:" "_files:-g,*.json" probe s.json --template ""
zexpect "spec --match: no completion" "" "_files:-g,*.json" spec -i x.h --match ""

[ "$fails" -eq 0 ]
