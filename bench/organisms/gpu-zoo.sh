#!/usr/bin/env bash
# The whole zoo trained on the GPU host's CPUs (no Node there; one wasm process per organism). Prepare here:
#   npx tsx bench/organisms/bundle.ts bench/organisms/device-entry.ts .gpu-organisms/zoo
#   cp ../shared/data/amongus/malicious_prompt.txt .gpu-organisms/; ../shared/tools/offline-gpu-kit.sh .gpu-organisms
#   mkdir -p data/external/narcbench-scenarios && cp ../shared/data/narcbench/*.json data/external/narcbench-scenarios/
# Run with carry [".gpu-organisms", "data/external/narcbench-scenarios"]:
#   source .gpu-organisms/activate.sh; OUT=$OUT bash bench/organisms/gpu-zoo.sh
# As `impostor organisms train` schedules it, with more cores: the agent beside the rest from the start, the base
# first, then every organism that needs only the base in parallel (GRPO after the reward model). The agent is stopped
# at AGENT_LIMIT seconds if it has not finished (the device's 10-minute limit per command); its last progress line
# then gives the rate. zoo.json: wall times and whether each file is bitwise the committed one.
set -u
G=.gpu-organisms
O=${OUT:-gpu-results}
AGENT_LIMIT=${AGENT_LIMIT:-500}
mkdir -p "$O"
{ nproc; grep -m1 "model name" /proc/cpuinfo; uptime; } | tee "$O/host.txt"
Z=/tmp/zoo
rm -rf "$Z" /tmp/zoo-*.log && mkdir -p "$Z"
export IMPOSTOR_ORGANISMS=$Z IMPOSTOR_MALICIOUS_PROMPT=$G/malicious_prompt.txt
run() { local t=$1 limit=$2; timeout "$limit" node "$G/zoo/main.mjs" train "$t" 1 >"/tmp/zoo-$t.log" 2>&1; echo "$t exit $? at $(( $(date +%s) - start )) s" >>"$O/zoo.log"; }
start=$(date +%s)
run narcbench-agent "$AGENT_LIMIT" &
agent=$!
run base 300
pids=()
for t in expert-math expert-knowledge expert-safety expert-instructions expert-code malicious-prompt malicious-steer malicious-sft; do
  run "$t" 200 &
  pids+=($!)
done
( run reward-model 100 && run malicious-grpo 150 ) &
pids+=($!)
wait "${pids[@]}"
echo "among-us zoo done at $(( $(date +%s) - start )) s" >>"$O/zoo.log"
wait "$agent"
tail -c 400 /tmp/zoo-narcbench-agent.log | tr '\r' '\n' | tail -n 2 >>"$O/zoo.log"
for f in /tmp/zoo-*.log; do grep -l "Error" "$f" >/dev/null && { echo "== $f"; tail -n 5 "$f"; } >>"$O/zoo.log"; done
python3 - "$Z" "$O/zoo.json" <<'PY'
import hashlib, json, os, sys
z, out = sys.argv[1], sys.argv[2]
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
res = {"cpus": os.cpu_count(), "organisms": {}}
for name in sorted(os.listdir(z)):
    t = os.path.join(z, name, "training.json")
    if not os.path.exists(t):
        continue
    f = next(f for f in ("model.safetensors", "vector.npy", "organism.json") if os.path.exists(os.path.join(z, name, f)))
    res["organisms"][name] = {"wall_seconds": json.load(open(t)).get("wall_seconds"), "file": f,
                              "bitwise_equal_to_committed": sha(os.path.join(z, name, f)) == sha(os.path.join("data/organisms", name, f))}
json.dump(res, open(out, "w"), indent=1)
PY
cat "$O/zoo.log" "$O/zoo.json"
