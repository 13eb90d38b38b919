#!/usr/bin/env bash
# make-manpage.sh PROGRAM OUT.1.gz VERSION "one-line description" [SUBCOMMAND ...]
# Writes a gzipped man page made by help2man from PROGRAM --help, with one section per
# subcommand holding that subcommand's --help (CLI11 prints options per subcommand).
set -euo pipefail
prog=$1 out=$2 version=$3 description=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  if [ $# -gt 0 ]; then
    echo "[COMMANDS]"
    for sub in "$@"; do
      echo ".SS $sub"
      echo ".nf"
      # Escape roff: backslashes first, then leading dots and quotes.
      "$prog" "$sub" --help | sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'
      echo ".fi"
    done
  fi
  echo "[SEE ALSO]"
  echo "attrscope(1), attrscope-cli(1). The method: Hao, Dong, Wei, Xu, Self-Attention"
  echo "Attribution: Interpreting Information Interactions Inside Transformer, AAAI 2021."
} > "$work/include.h2m"
help2man --no-info --section=1 --version-string="$version" \
  --name="$description" --include="$work/include.h2m" --output="$work/page.1" "$prog"
gzip -9n -c "$work/page.1" > "$out"
