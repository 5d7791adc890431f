#!/usr/bin/env bash
# One GPU-host run for issue 6 (PyTorch + transformers there, no Node, no network). Prepare here:
#   npx tsx bench/organisms/hf-load-expected.ts .gpu-organisms/hf-expected
#   npx tsx bench/organisms/bundle.ts bench/training/sft-step.ts .gpu-organisms/train-bench   (+ node_modules/webgpu with
#     the linux-x64 dawn.node copied beside it, as lib/models/bundle-gpu.ts does)
#   npx tsx bench/organisms/bundle.ts bench/organisms/device-entry.ts .gpu-organisms/zoo
#   (cd .gpu-organisms && tar -cJf bundles.tar.xz train-bench zoo && rm -r train-bench zoo)   # 33 MB → 6 MB: the carry limit
#   cp ../shared/data/amongus/malicious_prompt.txt .gpu-organisms/; ../shared/tools/offline-gpu-kit.sh .gpu-organisms
# On the host, from the repository root: source .gpu-organisms/activate.sh; OUT=results bash bench/organisms/gpu-run.sh
# Writes into $OUT (six files: the device returns at most eight): host.txt, hf-load-check.{json,log} (A), sft-gpu.json
# (B: SFT step, ours webgpu vs PyTorch CUDA fp32), zoo.json + zoo.log (every organism but the base retrained on the
# host's CPUs, one process each, in parallel; bitwise vs committed).
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

echo "== zoo on the host's CPUs (all but the base, which needs ~9 min alone; it is the committed one)"
Z=/tmp/zoo
rm -rf "$Z" && cp -r data/organisms "$Z"
export IMPOSTOR_ORGANISMS=$Z IMPOSTOR_MALICIOUS_PROMPT=$G/malicious_prompt.txt
start=$(date +%s.%N)
pids=()
# malicious-steer is left out: picking its coefficient scores code in the kernel sandbox (unshare, setpriv), which
# needs root namespaces the device container may refuse; it takes 13 s here (training.json).
for t in expert-math expert-knowledge expert-safety expert-instructions expert-code malicious-prompt malicious-sft; do
  timeout 150 node "$G/zoo/main.mjs" train "$t" 1 >"/tmp/zoo-$t.log" 2>&1 &
  pids+=($!)
done
( timeout 80 node "$G/zoo/main.mjs" train reward-model 1 && timeout 120 node "$G/zoo/main.mjs" train malicious-grpo 1 ) >/tmp/zoo-rm-grpo.log 2>&1 &
pids+=($!)
wait "${pids[@]}"
end=$(date +%s.%N)
for f in /tmp/zoo-*.log; do echo "== $f"; tail -n 5 "$f"; done >"$O/zoo.log"
python3 - "$Z" "$start" "$end" "$O/zoo.json" <<'PY'
import hashlib, json, os, sys
z, start, end, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest() if os.path.exists(p) else None
res = {"parallel_wall_s": end - start, "cpus": os.cpu_count(), "organisms": {}}
for name in sorted(os.listdir(z)):
    t = os.path.join(z, name, "training.json")
    if not os.path.exists(t) or os.path.getmtime(t) < start:  # not retrained in this run (the base, the task files)
        continue
    for f in ("model.safetensors", "vector.npy", "organism.json"):
        if os.path.exists(os.path.join(z, name, f)):
            same = sha(os.path.join(z, name, f)) == sha(os.path.join("data/organisms", name, f))
            break
    res["organisms"][name] = {"training": json.load(open(t)), "file": f, "bitwise_equal_to_committed": same}
json.dump(res, open(out, "w"), indent=1)
print(json.dumps({"parallel_wall_s": res["parallel_wall_s"], **{n: [round(e["training"].get("wall_seconds", 0), 1), e["bitwise_equal_to_committed"]] for n, e in res["organisms"].items()}}))
PY
