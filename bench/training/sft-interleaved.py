"""Training throughput of one SFT step, ours vs PyTorch, in alternating rounds (the order rotates every round) with the
1-minute load average, per-step wall and CPU seconds, medians over rounds, and a check that both sides compute the same
step (the loss trajectories over the 12 AdamW steps agree).
  here (2-core CPU):  /usr/bin/python3 bench/training/sft-interleaved.py --mode cpu
  GPU host:           python3 bench/training/sft-interleaved.py --mode gpu --ours-bundle .gpu-organisms/train-bench/main.mjs
Model: the base organism (data/organisms/base); batch: the first batch of its recipe (batch-base-step0.json, 8 × 258).
"""
import argparse, json, os, statistics, subprocess, time

ap = argparse.ArgumentParser()
ap.add_argument("--mode", choices=["cpu", "gpu"], default="cpu")
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--steps", type=int, default=10)
ap.add_argument("--model", default="data/organisms/base")
ap.add_argument("--batch", default="bench/training/batch-base-step0.json")
ap.add_argument("--ours-bundle", help="bundled sft-step.ts (bench/organisms/bundle.ts) to run with plain node")
ap.add_argument("--python", default="/usr/bin/python3")
ap.add_argument("--with-tfjs-matmul", action="store_true", help="also ours with tfjs-wasm's own BatchMatMul (IMPOSTOR_WASM_FAST_MATMUL=0)")
ap.add_argument("--process-timeout", type=float, default=300)
ap.add_argument("--out", required=True)
a = ap.parse_args()

common = [a.batch, "--model", a.model, "--steps", str(a.steps)]
ours = (["node", a.ours_bundle, "run"] if a.ours_bundle else ["npx", "tsx", "bench/training/sft-step.ts", "run"]) + common
torch_cmd = [a.python, "bench/training/torch_sft_step.py"] + common
if a.mode == "cpu":
    SIDES = {"ours-wasm": ours + ["--backend", "wasm"], "torch-cpu": torch_cmd + ["--device", "cpu", "--impl", "minimal", "--threads", "1"]}
    if a.with_tfjs_matmul:
        SIDES["ours-wasm-tfjs-matmul"] = ours + ["--backend", "wasm"]
else:
    SIDES = {
        "ours-webgpu": ours + ["--backend", "webgpu"],
        "torch-cuda-hf": torch_cmd + ["--device", "cuda", "--impl", "hf"],
        "torch-cuda-minimal": torch_cmd + ["--device", "cuda", "--impl", "minimal"],
    }
# Debian torch's GEMMs run on OpenBLAS, whose threads ignore torch.set_num_threads: one thread for every pool.
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"} if a.mode == "cpu" else dict(os.environ)

rounds = []
names = list(SIDES)
for r in range(a.rounds):
    order = names[r % len(names):] + names[:r % len(names)]
    for side in order:
        load = os.getloadavg()[0]
        t = time.perf_counter()
        try:
            env = {**ENV, "IMPOSTOR_WASM_FAST_MATMUL": "0"} if side.endswith("tfjs-matmul") else ENV
            p = subprocess.run(SIDES[side], capture_output=True, text=True, env=env, timeout=a.process_timeout)
            failure = p.stderr[-2000:] if p.returncode != 0 else None
        except subprocess.TimeoutExpired:
            failure = f"no result within {a.process_timeout} s"
        if failure:
            rounds.append({"round": r, "side": side, "error": failure})
            print(f"round {r} {side}: FAILED\n{failure}", flush=True)
            continue
        res = json.loads(p.stdout.strip().splitlines()[-1])
        rounds.append({**res, "round": r, "side": side, "load_1m_before": load, "process_wall_s": time.perf_counter() - t})
        print(f"round {r} {side:18s} load {load:.2f} step {res['step_s_median'] * 1000:.1f} ms (cpu {res['cpu_s_median'] * 1000:.1f} ms) {res['tokens_per_s']:.0f} tok/s", flush=True)

med = statistics.median
summary = {}
for side in names:
    rs = [x for x in rounds if x["side"] == side and "error" not in x]
    if not rs:
        summary[side] = {"error": "every round failed"}
        continue
    summary[side] = {
        "tokens_per_s_median": med([x["tokens_per_s"] for x in rs]),
        "tokens_per_s_range": [min(x["tokens_per_s"] for x in rs), max(x["tokens_per_s"] for x in rs)],
        "step_ms_median": 1000 * med([x["step_s_median"] for x in rs]),
        "step_cpu_ms_median": 1000 * med([x["cpu_s_median"] for x in rs]),
        "rounds": len(rs),
        "losses": rs[0]["losses"],
    }
ok = [s for s in names if "error" not in summary[s]]
ref = ok[0] if ok else None
for side in ok:
    summary[side]["loss_max_rel_diff_vs_" + ref] = max(abs(x - y) / abs(y) for x, y in zip(summary[side]["losses"], summary[ref]["losses"]))
    summary[side]["ours_tokens_per_s_over_this"] = summary[ref]["tokens_per_s_median"] / summary[side]["tokens_per_s_median"]
loads = [x["load_1m_before"] for x in rounds if "load_1m_before" in x]
first = next((x for x in rounds if "batch" in x), {})
result = {
    "mode": a.mode,
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "cpus": os.cpu_count(),
    "cpu_model": open("/proc/cpuinfo").read().split("model name")[1].split(":")[1].splitlines()[0].strip(),
    "batch": first.get("batch"),
    "tokens_per_step": first.get("tokens_per_step"),
    "load_1m_median": med(loads) if loads else None,
    "load_1m_range": [min(loads), max(loads)] if loads else None,
    "summary": summary,
    "rounds": rounds,
}
os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
with open(a.out + ".tmp", "w") as f:
    json.dump(result, f, indent=1)
os.replace(a.out + ".tmp", a.out)
print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "losses"} for k, v in summary.items()}, indent=1))
