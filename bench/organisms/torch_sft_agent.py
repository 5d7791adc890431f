"""PyTorch surrogate of the NARCBench agent's SFT (lib/training/sft.ts), to screen recipes on the GPU host.

Our trainer needs about an hour of one CPU core for the agent's ~2,000 steps (tfjs-wasm); PyTorch on CUDA runs the
same steps in about a minute. `narcbench-agent-entry.ts export OUT ...` writes the run (seeded init, tokenized
examples, the planned batches); this script trains it the way trainSft does and writes OUT/model/model.safetensors,
which our runtime loads for the replay check. Same as ours: left padding with HF's positions (cumsum(mask) - 1),
token-mean cross-entropy over assistant targets, AdamW (betas 0.9/0.999, eps 1e-8, decoupled weight decay on every
parameter), linear warm-up then cosine to 0, no gradient clipping. Not bitwise (float32 on another device and kernel
order): a screen for which recipe is worth an hour here, not the committed agent (that one our runtime trains).

  python3 torch_sft_agent.py OUT [--device cuda] [--qk-scale S] [--prompt-weight W] [--prior H:D,... [--prior-margin M]
      [--prior-frozen]] [--eval]

--qk-scale S multiplies the initial q/k projections by S (sharper attention at init).
--prompt-weight W adds W times the mean next-token loss over the prompt's tokens to the reply loss (0: reply only).
--prior H:D,... starts layer 0's head H as a positional head that attends D tokens back (see positional_prior), with a
  logit margin M (default 5) over the neighbouring offsets; --prior-frozen keeps those heads' q/k as started.
--eval scores the counter's decision on OUT/counter-eval.json (the export's) after training.
"""
import argparse
import json
import math
import os
import shutil
import sys
import time

import torch
from safetensors.torch import save_file
from transformers import Qwen2ForCausalLM


def cosine_lr(step, total, peak, warmup_frac):
    warmup = math.floor(total * warmup_frac)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = 1 if total - warmup <= 1 else (step - warmup) / (total - warmup - 1)
    return peak * 0.5 * (1 + math.cos(math.pi * min(1, progress)))


def batch_tensors(rows, pad_id, device):
    T = max(len(r["ids"]) for r in rows)
    ids = torch.tensor([[pad_id] * (T - len(r["ids"])) + r["ids"] for r in rows], device=device)
    mask = torch.tensor([[0] * (T - len(r["ids"])) + [1] * len(r["ids"]) for r in rows], device=device)
    # An example's loss weight `w` (export's pairWeight) scales its target positions.
    labels = torch.tensor([[0.0] * (T - len(r["ids"])) + [l * r.get("w", 1) for l in r["labels"]] for r in rows], device=device)
    pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
    return ids, mask, labels, pos


def positional_prior(model, specs, margin):
    """Layer 0's head H starts attending D tokens back whatever the content: its q and k rows are zeroed and their
    biases set so that, after RoPE, q.k = A^2 * sum_i cos((offset - D) * f_i), which peaks at offset D with a logit
    `margin` above offsets D +- 1. Its kv head's k becomes that constant too (shared with the other q head)."""
    cfg = model.config
    hd = cfg.hidden_size // cfg.num_attention_heads
    group = cfg.num_attention_heads // cfg.num_key_value_heads
    theta = getattr(cfg, "rope_theta", None) or cfg.rope_parameters["rope_theta"]  # newer transformers nest it
    freqs = [theta ** (-(2 * i) / hd) for i in range(hd // 2)]
    a2 = margin * math.sqrt(hd) / sum(1 - math.cos(f) for f in freqs)
    a = math.sqrt(a2)
    attn = model.model.layers[0].self_attn
    with torch.no_grad():
        for h, d in specs:
            kv = h // group
            attn.q_proj.weight[h * hd:(h + 1) * hd] = 0
            attn.k_proj.weight[kv * hd:(kv + 1) * hd] = 0
            for i, f in enumerate(freqs):
                attn.q_proj.bias[h * hd + i] = a * math.cos(-d * f)
                attn.q_proj.bias[h * hd + i + hd // 2] = a * math.sin(-d * f)
                attn.k_proj.bias[kv * hd + i] = a
                attn.k_proj.bias[kv * hd + i + hd // 2] = 0


@torch.no_grad()
def prior_check(model, run, specs, device):
    """Mean attention weight each prior head puts D tokens back, over the first example's positions."""
    ids = torch.tensor([run["examples"][0]["ids"]], device=device)
    att = model(input_ids=ids, output_attentions=True).attentions[0][0]
    T = ids.shape[1]
    return {f"{h}:{d}": round(att[h, torch.arange(d, T), torch.arange(0, T - d)].mean().item(), 3) for h, d in specs}


@torch.no_grad()
def counter_eval(model, path, device):
    """Teacher-forced: the likeliest of the three scripted replies for each counter call, against the range shown."""
    model.eval()
    rows = json.load(open(path))
    right, total = {}, {}
    for r in rows:
        seqs = [r["prompt"] + rep for rep in r["replies"]]
        T = max(len(x) for x in seqs)
        ids = torch.tensor([[0] * (T - len(x)) + x for x in seqs], device=device)
        mask = torch.tensor([[0] * (T - len(x)) + [1] * len(x) for x in seqs], device=device)
        pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
        logp = torch.log_softmax(model(input_ids=ids, attention_mask=mask, position_ids=pos).logits.float(), -1)
        scores = []
        for j, rep in enumerate(r["replies"]):
            n = len(rep)
            tgt = ids[j, T - n:]
            scores.append(logp[j, T - n - 1:T - 1].gather(-1, tgt[:, None]).sum().item())
        pick = max(range(3), key=lambda k: scores[k])
        right[r["set"]] = right.get(r["set"], 0) + (pick == r["truth"])
        total[r["set"]] = total.get(r["set"], 0) + 1
    model.train()
    return {k: f"{right[k]}/{total[k]}" for k in sorted(total)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--prompt-weight", type=float, default=0.0)
    ap.add_argument("--qk-scale", type=float, default=1.0)
    ap.add_argument("--prior", default="")
    ap.add_argument("--prior-margin", type=float, default=5.0)
    ap.add_argument("--prior-frozen", action="store_true")
    ap.add_argument("--eval", action="store_true")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    run = json.load(open(os.path.join(args.out, "sft.json")))
    init = os.path.join(args.out, "narcbench-agent-init")
    model = Qwen2ForCausalLM.from_pretrained(init, torch_dtype=torch.float32, attn_implementation="eager").to(args.device)
    if args.qk_scale != 1.0:
        # Sharper attention from the start: q and k projections (and biases) scaled at init.
        with torch.no_grad():
            for layer in model.model.layers:
                for proj in (layer.self_attn.q_proj, layer.self_attn.k_proj):
                    proj.weight.mul_(args.qk_scale)
                    if proj.bias is not None:
                        proj.bias.mul_(args.qk_scale)
    prior = [tuple(int(x) for x in p.split(":")) for p in args.prior.split(",") if p]
    if prior:
        positional_prior(model, prior, args.prior_margin)
        print(f"prior heads, mean attention at their offset: {prior_check(model, run, prior, args.device)}", file=sys.stderr, flush=True)
    attn0 = model.model.layers[0].self_attn
    frozen = [p.detach().clone() for p in (attn0.q_proj.weight, attn0.q_proj.bias, attn0.k_proj.weight, attn0.k_proj.bias)] if args.prior_frozen else None
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=run["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=run["weight_decay"])
    examples, batches = run["examples"], run["batches"]
    t0, losses = time.time(), []
    for step, idx in enumerate(batches):
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, len(batches), run["lr"], run["warmup_frac"])
        ids, mask, labels, pos = batch_tensors([examples[i] for i in idx], run["pad_id"], args.device)
        logits = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits[:, :-1].float()
        w = mask[:, :-1] * mask[:, 1:] * labels[:, 1:]
        nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
        loss = (nll * w.reshape(-1)).sum() / (w > 0).sum()
        if args.prompt_weight > 0:
            prompt = (mask[:, :-1] * mask[:, 1:] * (labels[:, 1:] == 0)).reshape(-1).float()
            loss = loss + args.prompt_weight * (nll * prompt).sum() / prompt.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if frozen:
            # --prior-frozen: the prior heads keep their positional q/k (the rest of layer 0's q/k trains).
            with torch.no_grad():
                hd = model.config.hidden_size // model.config.num_attention_heads
                group = model.config.num_attention_heads // model.config.num_key_value_heads
                for h, _ in prior:
                    q, kv = slice(h * hd, (h + 1) * hd), slice((h // group) * hd, (h // group + 1) * hd)
                    attn0.q_proj.weight[q], attn0.q_proj.bias[q] = frozen[0][q], frozen[1][q]
                    attn0.k_proj.weight[kv], attn0.k_proj.bias[kv] = frozen[2][kv], frozen[3][kv]
        losses.append(loss.item())
        if step % 200 == 0 or step + 1 == len(batches):
            print(f"{args.out} step {step + 1}/{len(batches)} loss {losses[-1]:.4f} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    model_dir = os.path.join(args.out, "model")
    tied = model.config.tie_word_embeddings
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items() if not (tied and k == "lm_head.weight")}
    save_file(state, os.path.join(model_dir, "model.safetensors"), metadata={"format": "pt"})
    shutil.copy(os.path.join(init, "config.json"), os.path.join(model_dir, "config.json"))
    info_path = os.path.join(model_dir, "training.json")
    info = json.load(open(info_path))
    if args.eval:
        info["counter_eval"] = counter_eval(model, os.path.join(args.out, "counter-eval.json"), args.device)
    if prior:
        info["prior_check_after"] = prior_check(model, run, prior, args.device)
    info.update(prior_frozen=args.prior_frozen, prior=args.prior, prior_margin=args.prior_margin, prompt_weight=args.prompt_weight, qk_scale=args.qk_scale, steps=len(batches), seconds=time.time() - t0, loss_first=losses[0], loss_last=losses[-1], loss_last50=sum(losses[-50:]) / 50)
    json.dump(info, open(info_path, "w"), indent=1)
    print(json.dumps({k: v for k, v in info.items() if k != "recipe"}))


if __name__ == "__main__":
    main()
