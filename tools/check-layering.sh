#!/usr/bin/env bash
# The module rules of docs/architecture.md, checked on the sources (CTest runs this as
# `layering`). Prints every violation and exits 1 if there is any.
set -u
cd "$(dirname "$0")/.." || exit 2
bad=0
violation() { echo "layering: $*"; bad=1; }

# grep -rn for an include pattern in a folder, reported as violations with a reason.
forbid() {  # forbid REASON PATTERN PATH...
    local reason=$1 pattern=$2; shift 2
    local hits
    hits=$(grep -rnE "$pattern" "$@" --include='*.h' --include='*.cpp' 2>/dev/null)
    [ -n "$hits" ] && while IFS= read -r line; do violation "$reason: $line"; done <<< "$hits"
}

# core: no Qt anywhere; public headers expose no torch or Graphviz.
forbid "core/ must not use Qt" '#include *<Q[A-Za-z]|#include *<qt|Q_OBJECT' core
forbid "public core headers must not include torch or Graphviz" \
    '#include *<(torch|ATen|c10|graphviz|gvc|cgraph)' core/include
# Only the training library includes training headers.
forbid "core modules other than train/ must not include training code" \
    '#include *"attrscope/train/' core/src/io core/src/text core/src/model core/src/data \
    core/src/attribution core/src/analysis core/src/tree core/src/json core/include/attrscope/io \
    core/include/attrscope/text core/include/attrscope/model core/include/attrscope/data \
    core/include/attrscope/attribution core/include/attrscope/analysis \
    core/include/attrscope/tree core/include/attrscope/json
# ui: never torch; views never reach export/ or the main window; document and plot are below
# views; the GUI never trains.
forbid "ui/ reaches the engine only through core's public headers" \
    '#include *<(torch|ATen|c10)/|#include *"(model|attribution|io|analysis|tree|json|text|train)/[a-z_]+\.h"' ui app/desktop
forbid "views must not include export/" '#include *"export/' ui/views
forbid "views must not include the main window" '#include *"mainwindow/' ui/views
forbid "document/ and plot/ must not include views, export or the main window" \
    '#include *"(views|export|mainwindow|session)/' ui/document ui/plot
forbid "figure/ (paper figures) must not include the document, views, export or the main window" \
    '#include *"(document|views|export|mainwindow|session|engine)/' ui/figure
forbid "engine/ must not include views, export or the main window" \
    '#include *"(views|export|mainwindow|session)/' ui/engine
forbid "the GUI must not include training code" '#include *"attrscope/train/' ui app/desktop
grep -qE 'attrscope_train' ui/CMakeLists.txt app/desktop/CMakeLists.txt &&
    violation "the GUI (ui/, app/desktop) must not link attrscope_train"

# CMake targets follow the folders: every core/src/<module>/ source is listed in that
# module's attrscope_module(<module> ...) call, and in no other.
for src in $(cd core && find src -name '*.cpp' | sort); do
    module=$(echo "$src" | cut -d/ -f2)
    block=$(awk -v m="attrscope_module($module" '
        index($0, m) == 1 { on = 1 }
        on { print }
        on && /\)/ { exit }' core/CMakeLists.txt)
    # (or in a helper target of the module's own, e.g. add_library(attrscope_text_... / attrscope_spm_shim)
    grep -qF "$src" <<< "$block" ||
        grep -qE "^add_library\(attrscope_[a-z_]+ .*$src" core/CMakeLists.txt ||
        violation "core/$src is not in attrscope_module($module ...) of core/CMakeLists.txt"
done

[ $bad -eq 0 ] && echo "layering: ok"
exit $bad
