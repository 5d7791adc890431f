"""Do the committed organisms load in Hugging Face transformers, and compute what our runtime computes? (GPU host.)
For every case written by hf-load-expected.ts (the ten organisms + the reward model), loads the checkpoint with
AutoModelForCausalLM / AutoModelForSequenceClassification (fp32, eager attention), runs the same left-padded ids with
HF's generation positions (cumsum(mask) − 1), applies the organism's mechanism (steering: a forward hook adding
coeff·vector to block `layer`'s output at the last position; prompt: the ids already carry the system prompt), and
reports per array the max |ours − hf| / max |hf| over the real (non-padded) positions, on CPU and on CUDA (TF32 off).
Also checks that AutoTokenizer renders the chat template and tokenizes exactly as we did.
    python3 bench/organisms/hf-load-check.py EXPECTED_DIR --out results.json [--tolerance 1e-4]
"""
import argparse, json, os, sys

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer

ap = argparse.ArgumentParser()
ap.add_argument("expected")
ap.add_argument("--out", required=True)
ap.add_argument("--tolerance", type=float, default=1e-4)
a = ap.parse_args()
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def rel(ours, hf, mask):
    keep = mask.astype(bool)
    o, h = ours[keep], hf[keep]
    return float(np.abs(o - h).max() / np.abs(h).max())


def run_case(case, ours, device):
    path = case["model_dir"]
    seq_cls = case["kind"] == "sequence-classification"
    cls = AutoModelForSequenceClassification if seq_cls else AutoModelForCausalLM
    model = cls.from_pretrained(path, torch_dtype=torch.float32, attn_implementation="eager").to(device).eval()
    trunk = model.base_model
    ids = torch.tensor(case["input_ids"], device=device)
    mask = torch.tensor(case["attention_mask"], device=device)
    pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
    captured = {}

    def out_of(o):
        return o[0] if isinstance(o, tuple) else o

    hooks = [trunk.embed_tokens.register_forward_hook(lambda m, i, o: captured.__setitem__("embeddings", o.detach()))]
    steer = case["steer"]
    for li, layer in enumerate(trunk.layers):
        def hook(m, i, o, li=li):
            h = out_of(o)
            if steer and steer["layer"] == li:
                # positions "last": the last position of the forward call (every row's last token under left padding)
                delta = torch.zeros_like(h)
                delta[:, -1, :] = steer["coeff"] * torch.tensor(steer["vector"], device=h.device, dtype=h.dtype)
                h = h + delta
            captured[f"layer_{li}"] = h.detach()
            return (h,) + tuple(o[1:]) if isinstance(o, tuple) else h
        hooks.append(layer.register_forward_hook(hook))
    hooks.append(trunk.norm.register_forward_hook(lambda m, i, o: captured.__setitem__("final_norm", o.detach())))
    with torch.no_grad():
        res = model(input_ids=ids, attention_mask=mask, position_ids=pos)
    for h in hooks:
        h.remove()
    m = case["attention_mask"]
    m_np = np.array(m)
    errs = {}
    for key in ours.files:
        if key == "reward":
            hf = res.logits[:, 0].float().cpu().numpy()
            errs[key] = float(np.abs(ours[key] - hf).max() / np.abs(hf).max())
            continue
        hf = (res.logits if key == "logits" else captured[key]).float().cpu().numpy()
        errs[key] = rel(ours[key], hf, m_np)
    return type(model).__name__, errs


results = {"transformers": transformers.__version__, "torch": torch.__version__,
           "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
           "metric": "max |ours - hf| / max |hf| over non-padded positions", "tolerance": a.tolerance, "organisms": {}}
ok = True
for name in sorted(os.listdir(a.expected)):
    case = json.load(open(os.path.join(a.expected, name, "case.json")))
    ours = np.load(os.path.join(a.expected, name, "ours.npz"))
    entry = {"mechanism": case["mechanism"], "checkpoint": case["model_dir"]}
    try:
        for device in devices:
            cls, errs = run_case(case, ours, device)
            entry["class"] = cls
            entry[device] = {"max_rel": max(errs.values()), "per_array": errs}
            ok &= max(errs.values()) <= a.tolerance
        if case["rendered"]:
            tok = AutoTokenizer.from_pretrained(case["model_dir"])
            rendered = [tok.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False) for msgs in case["messages"]]
            ids = [tok(r, add_special_tokens=False)["input_ids"] for r in rendered]
            real = [[t for t, k in zip(row, mrow) if k] for row, mrow in zip(case["input_ids"], case["attention_mask"])]
            entry["tokenizer"] = {"template_identical": rendered == case["rendered"], "ids_identical": ids == real}
            ok &= rendered == case["rendered"] and ids == real
    except Exception as e:  # one organism failing to load must not hide the others' results
        entry["error"] = f"{type(e).__name__}: {e}"
        ok = False
    results["organisms"][name] = entry
    print(name, json.dumps({k: v for k, v in entry.items() if k != "checkpoint"}), file=sys.stderr, flush=True)
results["all_within_tolerance"] = ok
json.dump(results, open(a.out, "w"), indent=1)
print(json.dumps({n: {d: e.get(d, {}).get("max_rel") for d in devices} | ({"error": e["error"]} if "error" in e else {}) for n, e in results["organisms"].items()}, indent=1))
