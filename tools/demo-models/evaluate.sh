#!/usr/bin/env bash
# Writes resources/models/<model>/evaluation.json: the shipped model's accuracy on each set its
# MODEL_CARD reports (the repository's copies in tests/data). test_demo_models recomputes every
# figure and fails when one moves by more than 0.5 points.
#   tools/demo-models/evaluate.sh [CLI]   (default build/release/bin/attrscope-cli)
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build/release/bin/attrscope-cli}
data=tests/data

# model  name  file (under tests/data)  format  split
sets=(
  "sick-nli sick_test datasets/sick/SICK.txt sick test"
  "sick-nli everyday_nli everyday/nli.tsv glue-pair -"
  "sst2-sentiment sst2_dev datasets/sst2/dev.tsv sst2 -"
  "sst2-sentiment everyday_sentiment everyday/sentiment.tsv glue-single -"
)
for model in sick-nli sst2-sentiment; do
  entries=()
  for s in "${sets[@]}"; do
    read -r m name file format split <<<"$s"
    [ "$m" = "$model" ] || continue
    args=(--quiet evaluate --model "resources/models/$model" --data "$data/$file" --format "$format")
    [ "$split" = - ] || args+=(--split "$split")
    json=$("$cli" "${args[@]}")
    entries+=("$(python3 -c 'import json,sys
j=json.loads(sys.argv[1])
print(json.dumps({"name":sys.argv[2],"data":sys.argv[3],"format":sys.argv[4],
  "split":None if sys.argv[5]=="-" else sys.argv[5],"examples":j["examples"],
  "accuracy":round(j["accuracy"],6),"majority_baseline":round(j["majority_baseline"],6)}))' \
      "$json" "$name" "$file" "$format" "$split")")
  done
  out=resources/models/$model/evaluation.json
  printf '%s\n' "${entries[@]}" | python3 -c 'import json,sys
print(json.dumps({"evaluations":[json.loads(l) for l in sys.stdin]},indent=2))' >"$out.tmp"
  mv "$out.tmp" "$out"
  echo "$out:"; cat "$out"
done
