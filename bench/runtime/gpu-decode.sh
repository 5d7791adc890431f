#!/usr/bin/env bash
# GPU-host pass for the raw-WebGPU decode engine (lib/models/webgpu-decode.ts) and the prefill flash-attention kernel,
# everything in one run so that ours and PyTorch are measured on the same machine:
# (1) webgpu generation parity on the fixture (gen_greedy, gen_greedy_steer_last), decode engine on;
# (2) PyTorch eager fp32 (TF32 off) on a fresh random Qwen2.5-0.5B-shaped checkpoint, then ours on it: prefill 8×512,
#     greedy decode batch 1 / 8 × 128, extraction; our greedy tokens vs PyTorch's on its prompts; A/B in the same
#     process: engine vs tfjs decode path (identical tokens, speeds), flash attention vs matmul+softmax chain;
# (3) if time is left (MEM7B=1, the default): the 7B memory check — a random Qwen2.5-7B-shaped fp32 checkpoint in
#     ≈4 GB shards, loaded shard by shard by our runtime, prefill 1×128 + 8 decode steps, peak GPU memory (nvidia-smi).
# Only JSON/text results land in $OUT; checkpoints and logs stay in /tmp/gpu-decode.
#   source .gpu/activate.sh; OUT=results bash bench/runtime/gpu-decode.sh
set -u
G=${G:-.gpu}; F=$G/check/fixture; O=${OUT:-gpu-results}; P=/tmp/gpu-decode
mkdir -p "$O" "$P"
export IMPOSTOR_BACKEND=webgpu
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$O/gpu.txt"
python3 -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)' | tee -a "$O/gpu.txt"
date -u | tee -a "$O/gpu.txt"

STEER=(--steer-layer 1 --steer-vector "$F/steer.npy" --steer-coeff 1)
timeout 60 node "$G/impostor.mjs" model generate --model "$F/model" --messages "$F/convs.json" --max-new-tokens 12 --greedy --no-eos --json "$P/gen_greedy.json" 2>>"$P/cli.log"
timeout 60 node "$G/impostor.mjs" model generate --model "$F/model" --messages "$F/convs.json" --max-new-tokens 12 --greedy --no-eos "${STEER[@]}" --steer-positions last --json "$P/gen_steer.json" 2>>"$P/cli.log"
timeout 60 node "$G/impostor.mjs" model forward --model "$F/model" --input-ids "$F/ids.json" --out "$P/fw_plain.npz" 2>>"$P/cli.log"
python3 - "$F" "$P" <<'PY' | tee "$O/parity.txt"
import json, sys, numpy as np
ref = np.load(sys.argv[1] + "/reference.npz")
mask = np.array(json.load(open(sys.argv[1] + "/inputs.json"))["forward"]["attention_mask"], bool)
try:
    out = np.load(sys.argv[2] + "/fw_plain.npz")
    worst = max(np.abs(out[k][mask] - ref["plain." + k][mask]).max() / np.abs(ref["plain." + k][mask]).max() for k in out.files)
    print("forward plain: worst relative error over", len(out.files), "tensors", f"{worst:.2e}", "(tolerance 1e-4)")
except Exception as e:
    print("forward FAILED:", e)
for key, name in [("gen_greedy", "gen_greedy.json"), ("gen_greedy_steer_last", "gen_steer.json")]:
    try:
        print(key, "match:", json.load(open(f"{sys.argv[2]}/{name}"))["generated_ids"] == ref[key].tolist())
    except Exception as e:
        print(key, "FAILED:", e)
PY

Q=/tmp/qwen05-random
timeout 90 python3 bench/runtime/torch_bench.py --make-qwen05 "$Q" --tokenizer-from "$F/model" 2>>"$P/torch.log"
timeout 150 python3 bench/runtime/torch_bench.py --model "$Q" --out "$O/torch_bench.json" 2>>"$P/torch.log" >/dev/null
python3 -c "import json; r=json.load(open('$O/torch_bench.json')); print('torch prefill', round(r['prefill']['tokens_per_s']), 'decode', {k: round(v['tokens_per_s'], 1) for k, v in r['decode'].items()}, 'extract', round(r['extract']['tokens_per_s']))"
timeout 240 node "$G/bench.mjs" --model "$Q" --backend webgpu --ab-checks --prefill-profile --torch-json "$O/torch_bench.json" --out "$O/ours_bench.json" 2>"$P/ours.log" >/dev/null
grep -v "^var Module" "$P/ours.log" | tail -n 16 | tee "$O/ours_log.txt"

if [ "${MEM7B:-1}" = 1 ] && [ "$SECONDS" -lt 330 ]; then
  Q7=/tmp/qwen7b-random
  timeout 120 python3 bench/runtime/make_random_7b.py "$Q7" --tokenizer-from "$F/model" 2>>"$P/7b.log" | tee "$O/7b.txt"
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$P/mem.log" &
  MON=$!
  timeout $((560 - SECONDS)) node "$G/bench.mjs" --model "$Q7" --backend webgpu --matmul-size 512 --prefill-batch 1 --prefill-len 128 \
    --decode-batches 1 --new-tokens 8 --skip-extract --out "$O/ours_7b.json" 2>"$P/7b_ours.log" >/dev/null
  echo "exit $?" >>"$O/7b.txt"
  kill "$MON"
  grep -v "^var Module" "$P/7b_ours.log" | tail -n 6 | tee -a "$O/7b.txt"
  echo "peak GPU memory used (MiB, nvidia-smi, whole device): $(sort -n "$P/mem.log" | tail -1)" | tee -a "$O/7b.txt"
fi
echo "elapsed ${SECONDS}s"
