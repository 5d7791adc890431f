#!/usr/bin/env bash
# One GPU-host run for issue 6 (PyTorch + transformers there, no Node, no network). Prepare here:
#   npx tsx bench/organisms/hf-load-expected.ts .gpu-organisms/hf-expected
#   npx tsx bench/organisms/bundle.ts bench/training/sft-step.ts .gpu-organisms/train-bench   (+ node_modules/webgpu with
#     the linux-x64 dawn.node copied beside it, as lib/models/bundle-gpu.ts does)
#   (cd .gpu-organisms && tar -cJf bundles.tar.xz train-bench && rm -r train-bench)   # within the carry limit
#   ../shared/tools/offline-gpu-kit.sh .gpu-organisms
# On the host, from the repository root: source .gpu-organisms/activate.sh; OUT=results bash bench/organisms/gpu-run.sh
# Writes into $OUT: host.txt, hf-load-check.{json,log} (A), sft-gpu.json (B: SFT step, ours webgpu vs PyTorch CUDA fp32).
set -u
G=.gpu-organisms
O=${OUT:-gpu-results}
mkdir -p "$O"
tar -xJf "$G/bundles.tar.xz" -C "$G"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nproc; grep -m1 "model name" /proc/cpuinfo; uptime
  python3 -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)'; } | tee "$O/host.txt"

echo "== A: HF loads the organisms"
timeout 120 python3 bench/organisms/hf-load-check.py "$G/hf-expected" --out "$O/hf-load-check.json" 2>"$O/hf-load-check.log" | tail -n 30
tail -n 3 "$O/hf-load-check.log"

echo "== B: SFT step, ours (webgpu) vs PyTorch CUDA fp32"
timeout 200 python3 bench/training/sft-interleaved.py --mode gpu --rounds 3 --process-timeout 60 --python python3 --ours-bundle "$G/train-bench/main.mjs" --out "$O/sft-gpu.json" 2>&1 | grep -v "^var Module" | tail -n 40

# The zoo on the host's CPUs (formerly a third part here, all but the base and the agent): bench/organisms/gpu-zoo.sh,
# its own device call, which trains every organism as `impostor organisms train` schedules them.
