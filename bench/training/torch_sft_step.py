"""PyTorch side of the SFT-step comparison (bench/training/sft-step.ts is ours): the same organism checkpoint, the same
left-padded batch, full fine-tuning with torch.optim.AdamW (lr 3e-3, weight decay 0.01), mean cross-entropy over the
assistant tokens only; per-step wall and CPU seconds and the losses as one JSON line.
    python3 bench/training/torch_sft_step.py BATCH.json --model DIR [--device cpu|cuda] [--impl minimal|hf] [--steps 10]
`minimal` is a plain-PyTorch Qwen2 (Debian python3-torch 1.13 has no transformers); `hf` is transformers'
Qwen2ForCausalLM (eager attention). fp32 everywhere; on CUDA TF32 is off.
"""
import argparse, json, os, struct, time

import numpy as np
import torch
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("batch")
ap.add_argument("--model", required=True)
ap.add_argument("--device", default="cpu")
ap.add_argument("--impl", default="minimal", choices=["minimal", "hf"])
ap.add_argument("--steps", type=int, default=10)
ap.add_argument("--warmup", type=int, default=2)
ap.add_argument("--lr", type=float, default=3e-3)
ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device(a.device)


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    return {k: torch.from_numpy(np.frombuffer(raw, np.float32, int(np.prod(v["shape"])), 8 + n + v["data_offsets"][0]).reshape(v["shape"]).copy())
            for k, v in header.items() if k != "__metadata__"}


class MinimalQwen2(torch.nn.Module):
    """Qwen2 forward as HF computes it (RMSNorm, rope at positions cumsum(mask) − 1, GQA, q/k/v bias, SwiGLU, tied head)."""

    def __init__(self, cfg, weights):
        super().__init__()
        self.cfg = cfg
        self.w = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v) for k, v in weights.items()})
        D = cfg["hidden_size"] // cfg["num_attention_heads"]
        self.register_buffer("inv", 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, D, 2).float() / D)))

    def p(self, name):
        return self.w[name.replace(".", "__")]

    def bias(self, name):
        key = name.replace(".", "__")
        return self.w[key] if key in self.w else None

    def rms(self, x, name):
        return self.p(name) * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.cfg["rms_norm_eps"]))

    def forward(self, ids, mask):
        c = self.cfg
        B, T = ids.shape
        H, nh, kvh = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
        D = H // nh
        pos = (mask.cumsum(-1) - 1).clamp(min=0).float()
        f = pos[..., None] * self.inv
        emb = torch.cat([f, f], -1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        rot = lambda x: torch.cat([-x[..., D // 2:], x[..., :D // 2]], -1)
        causal = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril()
        visible = causal[None, None] & mask[:, None, None, :].bool()
        bias = torch.zeros(B, 1, T, T, device=ids.device).masked_fill(~visible, -1e9)
        x = self.p("model.embed_tokens.weight")[ids]
        for i in range(c["num_hidden_layers"]):
            pre = f"model.layers.{i}."
            h = self.rms(x, pre + "input_layernorm.weight")
            lin = lambda t, n: F.linear(t, self.p(pre + n + ".weight"), self.bias(pre + n + ".bias"))
            q = lin(h, "self_attn.q_proj").view(B, T, nh, D).transpose(1, 2)
            k = lin(h, "self_attn.k_proj").view(B, T, kvh, D).transpose(1, 2)
            v = lin(h, "self_attn.v_proj").view(B, T, kvh, D).transpose(1, 2)
            q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
            k, v = k.repeat_interleave(nh // kvh, 1), v.repeat_interleave(nh // kvh, 1)
            att = torch.softmax(q @ k.transpose(-1, -2) / D ** 0.5 + bias, -1) @ v
            x = x + lin(att.transpose(1, 2).reshape(B, T, H), "self_attn.o_proj")
            h = self.rms(x, pre + "post_attention_layernorm.weight")
            x = x + lin(F.silu(lin(h, "mlp.gate_proj")) * lin(h, "mlp.up_proj"), "mlp.down_proj")
        return self.rms(x, "model.norm.weight") @ self.p("model.embed_tokens.weight").T


def build_model():
    if a.impl == "hf":
        from transformers import AutoModelForCausalLM
        m = AutoModelForCausalLM.from_pretrained(a.model, torch_dtype=torch.float32, attn_implementation="eager").to(dev)

        def fwd(ids, mask):
            pos = (mask.cumsum(-1) - 1).clamp(min=0)
            return m(input_ids=ids, attention_mask=mask, position_ids=pos).logits
        return m, fwd
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    m = MinimalQwen2(cfg, read_safetensors(os.path.join(a.model, "model.safetensors"))).to(dev)
    return m, m.forward


batch = json.load(open(a.batch))
ids = torch.tensor(batch["inputIds"], device=dev)
mask = torch.tensor(batch["attentionMask"], device=dev)
labels = torch.tensor(batch["labelMask"], device=dev)
# logits at t predict token t+1, counted where both are real tokens and t+1 is an assistant token (as causalLmLoss).
weights = (mask[:, :-1] * mask[:, 1:] * labels[:, 1:]).float()
model, fwd = build_model()
opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
steps = []
for i in range(a.warmup + a.steps):
    sync()
    t, c = time.perf_counter(), time.process_time()
    logits = fwd(ids, mask)
    nll = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
    loss = (nll * weights.reshape(-1)).sum() / weights.sum()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    value = loss.item()  # reads the loss back, as ours does
    sync()
    steps.append({"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - c, "loss": value})
timed = steps[a.warmup:]
med = lambda xs: sorted(xs)[len(xs) // 2]
tokens = ids.numel()
step_s = med([s["wall_s"] for s in timed])
print(json.dumps({
    "side": "torch", "impl": a.impl, "device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu", "torch": torch.__version__,
    "threads": a.threads, "batch": list(ids.shape), "tokens_per_step": tokens, "step_s_median": step_s,
    "cpu_s_median": med([s["cpu_s"] for s in timed]), "tokens_per_s": tokens / step_s,
    "losses": [s["loss"] for s in steps], "steps": steps, "cpus": os.cpu_count(), "load_1m": os.getloadavg()[0],
}))
