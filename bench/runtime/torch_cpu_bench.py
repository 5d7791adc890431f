"""CPU comparison for bench/runtime: a minimal PyTorch Qwen2 (Debian python3-torch 1.13, no transformers needed; q/k/v
biases, tied embeddings, no padding) on the same small checkpoint and workloads as cpu-ours.ts on wasm (cpu-interleaved.py alternates the two); wall and
CPU (process_time) seconds per workload.
    /usr/bin/python3 bench/runtime/torch_cpu_bench.py DIR [--threads 1]
"""
import json, struct, sys, time, argparse
import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--prefill-batch", type=int, default=8)
ap.add_argument("--prefill-len", type=int, default=128)
ap.add_argument("--new-tokens", type=int, default=64)
a = ap.parse_args()
torch.set_num_threads(a.threads)
cfg = json.load(open(f"{a.dir}/config.json"))
raw = open(f"{a.dir}/model.safetensors", "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
W = {k: torch.from_numpy(np.frombuffer(raw, np.float32, int(np.prod(v["shape"])), 8 + n + v["data_offsets"][0]).reshape(v["shape"]).copy())
     for k, v in header.items() if k != "__metadata__"}
H, nh, kvh, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["num_hidden_layers"]
D, eps = H // nh, cfg["rms_norm_eps"]
inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, D, 2).float() / D))


def rms(x, w):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rot(x):
    return torch.cat([-x[..., D // 2:], x[..., :D // 2]], -1)


def forward(ids, cache, start):
    B, T = ids.shape
    x = W["model.embed_tokens.weight"][ids]
    pos = torch.arange(start, start + T).float()
    f = torch.outer(pos, inv)
    cos, sin = torch.cat([f, f], -1).cos(), torch.cat([f, f], -1).sin()
    S = start + T
    mask = torch.full((T, S), float("-inf")).triu(start + 1)
    for i in range(L):
        p = f"model.layers.{i}."
        h = rms(x, W[p + "input_layernorm.weight"])
        q = (h @ W[p + "self_attn.q_proj.weight"].T + W[p + "self_attn.q_proj.bias"]).view(B, T, nh, D).transpose(1, 2)
        k = (h @ W[p + "self_attn.k_proj.weight"].T + W[p + "self_attn.k_proj.bias"]).view(B, T, kvh, D).transpose(1, 2)
        v = (h @ W[p + "self_attn.v_proj.weight"].T + W[p + "self_attn.v_proj.bias"]).view(B, T, kvh, D).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        if cache[i] is not None:
            k, v = torch.cat([cache[i][0], k], 2), torch.cat([cache[i][1], v], 2)
        cache[i] = (k, v)
        k, v = k.repeat_interleave(nh // kvh, 1), v.repeat_interleave(nh // kvh, 1)
        att = torch.softmax(q @ k.transpose(-1, -2) / D ** 0.5 + mask, -1) @ v
        x = x + att.transpose(1, 2).reshape(B, T, H) @ W[p + "self_attn.o_proj.weight"].T
        h = rms(x, W[p + "post_attention_layernorm.weight"])
        g = h @ W[p + "mlp.gate_proj.weight"].T
        x = x + (torch.nn.functional.silu(g) * (h @ W[p + "mlp.up_proj.weight"].T)) @ W[p + "mlp.down_proj.weight"].T
    return rms(x, W["model.norm.weight"])[:, -1] @ W["model.embed_tokens.weight"].T


g = torch.Generator().manual_seed(1)
V = cfg["vocab_size"]
res = {"torch": torch.__version__, "threads": a.threads}
with torch.no_grad():
    ids = torch.randint(3, V, (a.prefill_batch, a.prefill_len), generator=g)
    forward(ids, [None] * L, 0)
    t, c = time.perf_counter(), time.process_time()
    for _ in range(3):
        forward(ids, [None] * L, 0)
    s = time.perf_counter() - t
    res["prefill"] = {"tokens_per_s": 3 * ids.numel() / s, "wall_s": s, "cpu_s": time.process_time() - c}
    for b in (1, 8):
        p = torch.randint(3, V, (b, 16), generator=g)
        t, c = time.perf_counter(), time.process_time()
        cache = [None] * L
        logits = forward(p, cache, 0)
        for step in range(a.new_tokens - 1):
            logits = forward(logits.argmax(-1, keepdim=True), cache, 16 + step)
        s = time.perf_counter() - t
        res[f"decode_batch_{b}"] = {"tokens_per_s": b * a.new_tokens / s, "wall_s": s, "cpu_s": time.process_time() - c}
res["params"] = sum(w.numel() for w in W.values())
print(json.dumps(res))
