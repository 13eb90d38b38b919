#!/usr/bin/env bash
# Re-runs the analyses behind docs/experiments.md. Usage:
#   docs/experiments/run_experiments.sh CLI MODELS_DIR OUT_DIR [THREADS]
# CLI is the attrscope-cli binary, MODELS_DIR holds sick-nli/ and sst2-sentiment/.
# Writes OUT_DIR/{sick,sst2}/{heads,prune,patterns,triggers}.json, NAME.seconds (wall time of
# each step) and the SVG plots. THREADS defaults to 1 (the machine is shared).
set -euo pipefail
CLI=$(realpath "$1")
MODELS=$(realpath "$2")
mkdir -p "$3"
OUT=$(realpath "$3")
THREADS=${4:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(realpath "${ATTRSCOPE_SHARED:-$HERE/../../../shared}/data")

run() {  # step name, then the CLI arguments
    local name=$1
    shift
    local t0
    t0=$(date +%s.%N)
    "$CLI" --threads "$THREADS" --quiet "$@"
    python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" \
        "$t0" "$(date +%s.%N)" > "$name.seconds"
}

one() {  # name, model, evaluation data args, mining data args, mining options, plot title
    local name=$1 model=$2 eval_args=$3 mine_args=$4 mine_opts=$5 title=$6
    mkdir -p "$OUT/$name"
    cd "$OUT/$name"
    # Importance on the first 200 evaluation examples (the official setting) with every
    # baseline; the accuracy difference on the same 200 examples.
    run heads heads --model "$model" $eval_args --examples 200 \
        --baselines attention,taylor,taylor-loss,accuracy --out heads.json
    # Pruning curves and the per-layer experiment on the whole evaluation split.
    run prune prune --model "$model" $eval_args --importance heads.json \
        --ranking attribution,attention,taylor,taylor-loss,accuracy,random --seeds 10 \
        --mode both --per-layer-ranking attribution,attention,taylor,accuracy --out prune.json
    # Triggers: mine on the first 500 training examples (official), evaluate the strongest 30.
    run mine triggers mine --model "$model" $mine_args --examples 500 $mine_opts \
        --out patterns.json
    run triggers triggers evaluate --model "$model" $eval_args --patterns patterns.json \
        --max-patterns 30 --top 30 --out triggers.json
    python3 "$HERE/make_plots.py" . . "$name" "$title"
}

one sick "$MODELS/sick-nli" "--data $DATA/sick/SICK.txt --format sick --split test" \
    "--data $DATA/sick/SICK.txt --format sick --split train" "" "sick-nli, SICK test"
one sst2 "$MODELS/sst2-sentiment" "--data $DATA/sst2/dev.tsv --format sst2" \
    "--data $DATA/sst2/train.tsv --format sst2" "--min-tokens 15" "sst2-sentiment, SST-2 dev"
