#!/bin/bash
# Trains several surrogate candidates at once on the GPU host (torch_sft_agent.py --eval) and prints each one's
# counter scores (bench/organisms/RESULTS.md, session 9). Prepare each run here with
#   npx tsx bench/organisms/narcbench-agent-entry.ts export .gpu-cand/SRC SCENARIOS '{...}'
# then, with `carry: [".gpu-cand"]`:  bash bench/organisms/surrogate-screen.sh 'NAME|SRC|ARGS' ...
# NAME: the candidate, SRC: its exported folder under .gpu-cand, ARGS: extra torch_sft_agent.py options.
# Each candidate trains in its own copy of SRC; $OUT gets NAME/training.json (and NAME.tgz of the model if KEEP=1).
cd "$(dirname "$0")/../../.gpu-cand" || exit 1
for spec in "$@"; do
  IFS='|' read -r name src args <<< "$spec"
  rm -rf "run-$name"; cp -r "$src" "run-$name"
  ( python3 ../bench/organisms/torch_sft_agent.py "run-$name" --eval $args > "run-$name/stdout.json" 2> "run-$name/stderr.log"; echo "$name rc=$?" ) &
done
wait
mkdir -p "$OUT"
for spec in "$@"; do
  name=${spec%%|*}
  echo "== $name"; grep -m1 prior "run-$name/stderr.log"; tail -1 "run-$name/stderr.log"
  python3 -c "import json; d=json.load(open('run-$name/model/training.json')); print(d.get('prior_check_after'), d.get('counter_eval'), d.get('loss_last50'), round(d.get('seconds', 0)))"
  mkdir -p "$OUT/$name"; cp "run-$name/model/training.json" "$OUT/$name/"
  if [ -n "${KEEP:-}" ]; then tar czf "$OUT/$name.tgz" -C "run-$name" model; fi
done
