# bash completion for platprobe(1): commands, options (read from `platprobe --help`, so they are
# the program's own), -f formats, --mode, --target triples of the cross compilers on PATH
# (TRIPLE-gcc), spec and result files (*.json), template files. Installed as
# share/bash-completion/completions/platprobe by make install.

# The options `platprobe --help` gives CMD in its usage synopsis (check also takes probe's, but
# not those about probe's output, which check refuses), with the long form of each short one from
# the option lines (-f, --format).
_platprobe_output_opts='-o -f --prefix --depfile --package --template --model'
_platprobe_options()
{
    local prog=$1 cmd=$2 line word current= usage=1
    local -a opts=() alias=()
    while IFS= read -r line; do
        if [[ -z $line ]]; then
            usage=0
        elif ((usage)); then
            [[ $line =~ platprobe\ ([a-z]+|-) ]] && current=${BASH_REMATCH[1]}
            [[ $current == "$cmd" || ($cmd == check && $current == probe) ]] || continue
            for word in ${line#*platprobe}; do
                word=${word#[}
                word=${word%%[]=|]*}
                [[ $word == -[a-zA-Z-]* ]] || continue
                [[ $cmd != "$current" && " $_platprobe_output_opts " == *" $word "* ]] && continue
                opts+=("$word")
            done
        elif [[ $line =~ ^\ \ (-[a-zA-Z]),\ (--[a-zA-Z-]+) ]]; then
            alias+=("${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
        fi
    done < <("$prog" --help 2>/dev/null)
    for word in "${opts[@]}"; do
        printf '%s\n' "$word"
        for line in "${alias[@]}"; do
            [[ ${line%%=*} == "$word" ]] && printf '%s\n' "${line#*=}"
        done
    done | sort -u
}

# TRIPLE for every TRIPLE-gcc (or TRIPLE-gcc-N) on PATH.
_platprobe_triples()
{
    local dir f
    local IFS=:
    for dir in $PATH; do
        for f in "${dir:-.}"/*-*-gcc "${dir:-.}"/*-*-gcc-[0-9]*; do
            [[ -x $f ]] || continue
            f=${f##*/}
            printf '%s\n' "${f%-gcc*}"
        done
    done | sort -u
}

_platprobe()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --opt=value: bash splits it at '=' (COMP_WORDBREAKS)
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    local prog=${COMP_WORDS[0]} cmd= i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} != -* ]]; then
            cmd=${COMP_WORDS[i]}
            break
        fi
    done
    COMPREPLY=()
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W 'probe check diff show spec report --help --version' -- "$cur"))
        return
    fi
    case $prev in
        -f | --format)
            case $cmd in
                probe) COMPREPLY=($(compgen -W 'json header python rust guard go cdecl model' -- "$cur")) ;;
                report) COMPREPLY=($(compgen -W 'html markdown' -- "$cur")) ;;
                *) COMPREPLY=($(compgen -W 'text json' -- "$cur")) ;;
            esac
            return ;;
        --mode)
            COMPREPLY=($(compgen -W 'object run' -- "$cur"))
            return ;;
        --target)
            COMPREPLY=($(compgen -W "$(_platprobe_triples)" -- "$cur"))
            return ;;
        --cc | --exec-wrapper)
            COMPREPLY=($(compgen -c -- "$cur"))
            return ;;
        --sysroot | --cache-dir)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return ;;
        -o | --output | --depfile | --template)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --from)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
            return ;;
        --pkg)
            COMPREPLY=($(compgen -W "$(pkg-config --list-package-names 2>/dev/null)" -- "$cur"))
            return ;;
        -i | --include | -D | --define | --prefix | --timeout | --ignore | --package | --match | \
            --regex | --from-file)
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_platprobe_options "$prog" "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
        probe | check | diff | report)
            # spec files (a baseline or result for check, diff and report): JSON, and directories
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
    esac
}
complete -F _platprobe platprobe
