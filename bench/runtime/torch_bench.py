"""PyTorch + transformers side of bench/runtime: the same workloads as runtime-bench.ts, fp32, eager attention, TF32 off.

    python bench/runtime/torch_bench.py --model DIR [--out results.json] [--extract-prompts 32]
    python bench/runtime/torch_bench.py --make-qwen05 DIR --tokenizer-from FIXTURE_MODEL   # random Qwen2.5-0.5B shape
"""
import argparse, json, shutil, time, os
import torch
from transformers import AutoModelForCausalLM, Qwen2Config, Qwen2ForCausalLM

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False

QWEN05 = dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
              vocab_size=151936, tie_word_embeddings=True, rope_theta=1e6, rms_norm_eps=1e-6, max_position_embeddings=32768)


def make_qwen05(out, tokenizer_from):
    torch.manual_seed(0)
    cfg = Qwen2Config(**QWEN05, torch_dtype="float32")
    with torch.device("cuda"):
        model = Qwen2ForCausalLM(cfg)
    model.save_pretrained(out, safe_serialization=True)
    for f in ["tokenizer.json", "tokenizer_config.json", "chat_template.jinja"]:
        if os.path.exists(os.path.join(tokenizer_from, f)):
            shutil.copy(os.path.join(tokenizer_from, f), out)


def sync():
    torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--out")
    ap.add_argument("--make-qwen05")
    ap.add_argument("--tokenizer-from")
    ap.add_argument("--prefill-batch", type=int, default=8)
    ap.add_argument("--prefill-len", type=int, default=512)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--extract-prompts", type=int, default=32)
    ap.add_argument("--extract-len", type=int, default=1000)
    ap.add_argument("--extract-batch", type=int, default=8)
    a = ap.parse_args()
    if a.make_qwen05:
        make_qwen05(a.make_qwen05, a.tokenizer_from)
        return
    res = {"torch": torch.__version__, "device": torch.cuda.get_device_name()}
    n = 4096
    x = torch.randn(n, n, device="cuda"); y = torch.randn(n, n, device="cuda")
    x @ y; sync(); t = time.perf_counter()
    for _ in range(10): x @ y
    sync(); res["matmul_tflops"] = 2 * n ** 3 * 10 / (time.perf_counter() - t) / 1e12
    t = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(a.model, torch_dtype=torch.float32, attn_implementation="eager").cuda().eval()
    res["load_s"] = time.perf_counter() - t
    V = model.config.vocab_size
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, V, (a.prefill_batch, a.prefill_len), generator=g).cuda()
    with torch.no_grad():
        model(ids, logits_to_keep=1); sync()
        times = []
        for _ in range(7):
            t = time.perf_counter(); model(ids, logits_to_keep=1); sync(); times.append(time.perf_counter() - t)
        s = sorted(times)[3]
        res["prefill"] = {"batch": a.prefill_batch, "len": a.prefill_len, "seconds": s, "tokens_per_s": a.prefill_batch * a.prefill_len / s}
        res["decode"] = {}
        for b in (1, 8):
            p = torch.randint(3, V, (b, 16), generator=g).cuda()
            model.generate(p, max_new_tokens=4, min_new_tokens=4, do_sample=False); sync()
            t = time.perf_counter()
            out = model.generate(p, attention_mask=torch.ones_like(p), max_new_tokens=a.new_tokens, min_new_tokens=a.new_tokens, do_sample=False, pad_token_id=0)
            sync(); s = time.perf_counter() - t
            produced = (out.shape[1] - 16) * b
            res["decode"][f"batch_{b}"] = {"seconds": s, "new_tokens": produced, "tokens_per_s": produced / s,
                                           # so that runtime-bench.ts --torch-json can compare its greedy tokens with ours
                                           "prompts": p.tolist(), "generated": out[:, 16:].tolist()}
        L = model.config.num_hidden_layers
        layers = sorted({round(i * (L - 1) / 4) for i in range(5)})
        prompts = torch.randint(3, V, (a.extract_prompts, a.extract_len), generator=g).cuda()
        sync(); t = time.perf_counter()
        for i in range(0, a.extract_prompts, a.extract_batch):
            hs = model.model(prompts[i:i + a.extract_batch], output_hidden_states=True).hidden_states
            _ = [hs[l + 1][:, -1].cpu() for l in layers]
        sync(); s = time.perf_counter() - t
        res["extract"] = {"prompts": a.extract_prompts, "len": a.extract_len, "layers": layers, "seconds": s, "tokens_per_s": a.extract_prompts * a.extract_len / s}
    text = json.dumps(res, indent=2)
    if a.out:
        open(a.out, "w").write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
