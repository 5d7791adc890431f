"""Writes a random Qwen2.5-7B-shaped fp32 checkpoint (hidden 3584, intermediate 18944, 28 layers, 28 heads, 4 KV heads,
vocab 152064, untied head) as sharded safetensors + index, for the runtime's 7B memory check (bench/runtime/gpu-decode.sh).
Tensors are drawn on the GPU one at a time and written shard by shard (≈4 GB each), so the host holds one shard at most.

    python bench/runtime/make_random_7b.py OUT_DIR --tokenizer-from FIXTURE_MODEL
"""
import argparse, json, os, shutil
import torch
from safetensors.torch import save_file

CONFIG = dict(architectures=["Qwen2ForCausalLM"], model_type="qwen2", hidden_size=3584, intermediate_size=18944,
              num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4, vocab_size=152064,
              tie_word_embeddings=False, rope_theta=1e6, rms_norm_eps=1e-6, max_position_embeddings=32768,
              torch_dtype="float32")


def specs(c):
    h, i, q, kv = c["hidden_size"], c["intermediate_size"], c["hidden_size"], c["num_key_value_heads"] * (c["hidden_size"] // c["num_attention_heads"])
    yield "model.embed_tokens.weight", (c["vocab_size"], h)
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        yield p + "input_layernorm.weight", (h,)
        for name, shape in [("q_proj", (q, h)), ("k_proj", (kv, h)), ("v_proj", (kv, h))]:
            yield p + f"self_attn.{name}.weight", shape
            yield p + f"self_attn.{name}.bias", shape[:1]
        yield p + "self_attn.o_proj.weight", (h, q)
        yield p + "post_attention_layernorm.weight", (h,)
        yield p + "mlp.gate_proj.weight", (i, h)
        yield p + "mlp.up_proj.weight", (i, h)
        yield p + "mlp.down_proj.weight", (h, i)
    yield "model.norm.weight", (h,)
    yield "lm_head.weight", (c["vocab_size"], h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tokenizer-from", required=True)
    ap.add_argument("--shard-bytes", type=float, default=4e9)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(0)
    shard, size, n, weight_map, total = {}, 0, 0, {}, 0

    def flush():
        nonlocal shard, size, n
        if shard:
            n += 1
            name = f"model-{n:05d}.safetensors"
            save_file(shard, os.path.join(a.out, name), metadata={"format": "pt"})
            for k in shard:
                weight_map[k] = name
            shard, size = {}, 0

    for name, shape in specs(CONFIG):
        t = torch.ones(shape, device="cuda") if name.endswith("norm.weight") else torch.randn(shape, device="cuda") * 0.02
        shard[name] = t.cpu()
        size += t.numel() * 4
        total += t.numel() * 4
        if size >= a.shard_bytes:
            flush()
    flush()
    # Shard names need the total count (HF's model-0000i-of-0000n pattern is conventional, not required).
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, open(os.path.join(a.out, "model.safetensors.index.json"), "w"))
    json.dump(CONFIG, open(os.path.join(a.out, "config.json"), "w"), indent=1)
    for f in ["tokenizer.json", "tokenizer_config.json", "chat_template.jinja"]:
        if os.path.exists(os.path.join(a.tokenizer_from, f)):
            shutil.copy(os.path.join(a.tokenizer_from, f), a.out)
    print(f"wrote {n} shards, {total / 1e9:.1f} GB")


if __name__ == "__main__":
    main()
