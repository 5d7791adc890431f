"""CPU tokens/s of our runtime (wasm, cpu-ours.ts) vs PyTorch CPU (torch_cpu_bench.py, Debian python3-torch, 1 thread)
on the same ~1.1M-parameter Qwen2, in alternating rounds (the order flips every round), with the 1-minute load average
before each process, wall and CPU seconds per workload, and medians over the rounds. `ours_hf` is ours with
IMPOSTOR_WASM_FAST_MATMUL=0 (the HF-layout x·Wᵀ products that miss XNNPACK), to measure the in-place [in, out] layout.
    /usr/bin/python3 bench/runtime/cpu-interleaved.py [--rounds 7] [--out bench/runtime/results/cpu-interleaved.json]
"""
import argparse, json, os, statistics, subprocess, time

ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=7)
ap.add_argument("--model", default="runs/bench-cpu-model")
ap.add_argument("--out", default="bench/runtime/results/cpu-interleaved.json")
a = ap.parse_args()

# Debian torch runs its GEMMs on OpenBLAS, whose threads ignore torch.set_num_threads: pin every pool to 1.
ONE_THREAD = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
SIDES = {
    "ours": ["npx", "tsx", "bench/runtime/cpu-ours.ts", "--model", a.model],
    "ours_hf": ["npx", "tsx", "bench/runtime/cpu-ours.ts", "--model", a.model],
    "torch": ["/usr/bin/python3", "bench/runtime/torch_cpu_bench.py", a.model, "--threads", "1"],
}
WORKLOADS = ["prefill", "decode_batch_1", "decode_batch_8"]


def run(side):
    load = os.getloadavg()[0]
    env = {**ONE_THREAD, "IMPOSTOR_WASM_FAST_MATMUL": "0"} if side == "ours_hf" else ONE_THREAD
    out = subprocess.run(SIDES[side], check=True, capture_output=True, text=True, env=env).stdout
    return {"side": side, "load_1m": load, **json.loads(out.strip().splitlines()[-1])}


if not os.path.exists(os.path.join(a.model, "config.json")):
    run("ours")  # writes the seeded checkpoint
rounds = []
for r in range(a.rounds):
    order = ["ours", "ours_hf", "torch"] if r % 2 == 0 else ["torch", "ours_hf", "ours"]
    for side in order:
        rounds.append({"round": r, **run(side)})
        w = rounds[-1]
        print(f"round {r} {side:5s} load {w['load_1m']:.2f} " + " ".join(f"{k} {w[k]['tokens_per_s']:.0f} tok/s (cpu/wall {w[k]['cpu_s'] / w[k]['wall_s']:.2f})" for k in WORKLOADS), flush=True)

med = lambda xs: statistics.median(xs)
summary = {}
for k in WORKLOADS:
    row = {}
    for side in SIDES:
        rs = [x for x in rounds if x["side"] == side]
        row[side] = {
            "tokens_per_s_median": med([x[k]["tokens_per_s"] for x in rs]),
            "tokens_per_s_range": [min(x[k]["tokens_per_s"] for x in rs), max(x[k]["tokens_per_s"] for x in rs)],
            # tokens per CPU-second: what the workload costs when the process does not get a whole core
            "tokens_per_cpu_s_median": med([x[k]["tokens_per_s"] * x[k]["wall_s"] / x[k]["cpu_s"] for x in rs]),
            "cpu_over_wall_median": med([x[k]["cpu_s"] / x[k]["wall_s"] for x in rs]),
        }
    row["ratio_ours_over_torch"] = row["ours"]["tokens_per_s_median"] / row["torch"]["tokens_per_s_median"]
    row["ratio_per_cpu_s"] = row["ours"]["tokens_per_cpu_s_median"] / row["torch"]["tokens_per_cpu_s_median"]
    row["speedup_ours_over_ours_hf"] = row["ours"]["tokens_per_s_median"] / row["ours_hf"]["tokens_per_s_median"]
    summary[k] = row
loads = [x["load_1m"] for x in rounds]
result = {
    "machine": f"{os.cpu_count()} cores, {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}",
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "load_1m_median": med(loads),
    "load_1m_range": [min(loads), max(loads)],
    "summary": summary,
    "rounds": rounds,
}
with open(a.out + ".tmp", "w") as f:
    json.dump(result, f, indent=1)
os.replace(a.out + ".tmp", a.out)
print(json.dumps({"load_1m_median": result["load_1m_median"], **{k: {"ours": v["ours"]["tokens_per_s_median"], "ours_hf": v["ours_hf"]["tokens_per_s_median"], "torch": v["torch"]["tokens_per_s_median"], "ratio": v["ratio_ours_over_torch"]} for k, v in summary.items()}}, indent=1))
