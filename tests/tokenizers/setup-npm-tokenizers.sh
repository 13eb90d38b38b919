#!/bin/sh
# Installs the official Hugging Face tokenizers (npm package, Rust core) into DIR for the
# differential test. Never fails: without npm or network the test reports itself skipped.
set -u
DIR=${1:?usage: setup-npm-tokenizers.sh DIR}
VERSION=0.23.2
if [ -f "$DIR/node_modules/tokenizers/package.json" ] &&
   grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/tokenizers/package.json"; then
  echo "npm tokenizers@$VERSION already in $DIR"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "npm or node not installed: the differential tokenizer test will be skipped"
  exit 0
fi
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{"private": true}' > "$DIR/package.json"
if timeout 300 npm install --prefix "$DIR" --no-audit --no-fund "tokenizers@$VERSION" >"$DIR/npm-install.log" 2>&1; then
  echo "installed npm tokenizers@$VERSION into $DIR"
else
  echo "npm unreachable (see $DIR/npm-install.log): the differential tokenizer test will be skipped"
fi
exit 0
