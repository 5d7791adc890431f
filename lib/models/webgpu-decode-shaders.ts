/**
 * WGSL sources of the raw-WebGPU decode engine (webgpu-decode.ts): one generated shader per role, sizes baked in as
 * constants so that each pipeline is compiled once per model shape and batch size.
 *
 * Where the tfjs path (decoder.ts + webgpu-kernels.ts) has a kernel for the same step, these repeat its operation and
 * reduction order (RMSNorm: strided sum over 64/256 threads + tree, (x·inv)·w; GEMV: 32 lanes per column streaming vec4
 * + tree; SwiGLU: (g·σ(g))·u; rope: x·cos + rotate_half(x)·sin), so the linears give the same values as the tfjs path;
 * attention sums in a different order (a few ulp).
 */

/** Shortest decimal that parses back to the same f32 (a WGSL literal equal to the f32 uniform tfjs would pass). */
export function f32Literal(v: number): string {
  return Math.fround(v).toPrecision(9);
}

export interface GemvSpec {
  /** Input rows (the batch), ≤ 8. */
  M: number;
  K: number;
  /** Output columns per weight binding; the output column index runs over them in order (q, k, v for the fused QKV). */
  segments: number[];
  /** Two weights of N rows each (gate, up): the output is SwiGLU (g·σ(g))·u. */
  swiglu: boolean;
  /** Fused RMSNorm of the input rows with this eps (the norm weight is the binding after A). */
  normEps: number | null;
  bias: boolean;
  /** OUT += result (the residual stream updated in place) instead of OUT = result. */
  residual: boolean;
  /** Output row stride and column offset (the output head writes its row blocks into one [M, V] logits buffer). */
  outStride: number;
  outOffset: number;
}

/**
 * Bindings: A [M,K] (vec4), [norm weight], weights (segments, or gate + up), [bias over all columns], OUT.
 * One workgroup of 256 threads per 8 output columns; 32 lanes per column stream its weight row as vec4.
 */
export function gemvShader(s: GemvSpec): string {
  const { M, K } = s;
  const N = s.segments.reduce((a, b) => a + b, 0);
  const P = s.swiglu ? 2 : 1;
  const MP = M * P;
  const wgNorm = K >= 512 ? 256 : 64; // rmsNormFused's workgroup size for this width
  const weights = s.swiglu ? ['WG', 'WU'] : s.segments.map((_, i) => `W${i}`);
  let binding = 0;
  const decl: string[] = [`@group(0) @binding(${binding++}) var<storage, read> A : array<vec4<f32>>;`];
  if (s.normEps !== null) decl.push(`@group(0) @binding(${binding++}) var<storage, read> LN : array<vec4<f32>>;`);
  for (const w of weights) decl.push(`@group(0) @binding(${binding++}) var<storage, read> ${w} : array<vec4<f32>>;`);
  if (s.bias) decl.push(`@group(0) @binding(${binding++}) var<storage, read> BIAS : array<f32>;`);
  decl.push(`@group(0) @binding(${binding++}) var<storage, read_write> OUT : array<f32>;`);
  const starts: number[] = [];
  s.segments.reduce((a, n) => (starts.push(a), a + n), 0);
  const loadW = s.swiglu
    ? 'return WG[col * K4 + kv];'
    : s.segments.map((_, i) => (i === s.segments.length - 1 ? `return W${i}[(col - ${starts[i]}u) * K4 + kv];` : `if (col < ${starts[i + 1]}u) { return W${i}[(col - ${starts[i]}u) * K4 + kv]; }`)).join('\n      ');
  const rows = Array.from({ length: M }, (_, m) => m);
  const accs = Array.from({ length: MP }, (_, i) => i);
  const scaled = (m: number) => (s.normEps !== null ? `(A[${m}u * K4 + kv] * inv[${m}]) * LN[kv]` : `A[${m}u * K4 + kv]`);
  const normPrologue =
    s.normEps === null
      ? ''
      : `
  if (tid < ${wgNorm}u) {
    for (var m = 0u; m < M; m = m + 1u) {
      var sq = 0.0;
      for (var j = tid; j < K; j = j + ${wgNorm}u) { let e = m * K + j; let v = A[e / 4u][e % 4u]; sq = sq + v * v; }
      part[m * ${wgNorm}u + tid] = sq;
    }
  }
  workgroupBarrier();
  for (var stride = ${wgNorm / 2}u; stride > 0u; stride = stride / 2u) {
    if (tid < stride) { for (var m = 0u; m < M; m = m + 1u) { part[m * ${wgNorm}u + tid] = part[m * ${wgNorm}u + tid] + part[m * ${wgNorm}u + tid + stride]; } }
    workgroupBarrier();
  }
  if (tid < M) { inv[tid] = inverseSqrt(part[tid * ${wgNorm}u] / f32(K) + ${f32Literal(s.normEps)}); }
  workgroupBarrier();`;
  const bias = s.bias ? ' + BIAS[col]' : '';
  const epilogue = rows
    .map((m) => {
      if (s.swiglu) return `{ let g = part[tid * MP + ${m * 2}u]${bias}; let u = part[tid * MP + ${m * 2 + 1}u]; let sg = 1.0 / (1.0 + exp(-1.0 * g)); OUT[${m}u * ${s.outStride}u + ${s.outOffset}u + col] = (g * sg) * u; }`;
      const r = `part[tid * MP + ${m}u]${bias}`;
      const at = `${m}u * ${s.outStride}u + ${s.outOffset}u + col`;
      return s.residual ? `OUT[${at}] = OUT[${at}] + (${r});` : `OUT[${at}] = ${r};`;
    })
    .join('\n      ');
  return `
const M = ${M}u;
const K = ${K}u;
const K4 = ${K / 4}u;
const N = ${N}u;
const MP = ${MP}u;
${decl.join('\n')}
var<workgroup> part : array<f32, ${Math.max(256 * MP, M * wgNorm)}>;
${s.normEps !== null ? `var<workgroup> inv : array<f32, ${M}>;` : ''}

fn loadW(col : u32, kv : u32) -> vec4<f32> {
      ${loadW}
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) tid : u32, @builtin(workgroup_id) wid : vec3<u32>) {
  ${normPrologue}
  let lane = tid % 32u;
  let col = wid.x * 8u + tid / 32u;
  ${accs.map((i) => `var acc${i} = 0.0;`).join(' ')}
  if (col < N) {
    for (var kv = lane; kv < K4; kv = kv + 32u) {
      let w = loadW(col, kv);
      ${s.swiglu ? 'let w2 = WU[col * K4 + kv];' : ''}
      ${rows
        .map((m) => {
          const a = `let a${m} = ${scaled(m)};`;
          return s.swiglu ? `${a} acc${2 * m} = acc${2 * m} + dot(a${m}, w); acc${2 * m + 1} = acc${2 * m + 1} + dot(a${m}, w2);` : `${a} acc${m} = acc${m} + dot(a${m}, w);`;
        })
        .join('\n      ')}
    }
  }
  workgroupBarrier();
  ${accs.map((i) => `part[tid * MP + ${i}u] = acc${i};`).join(' ')}
  workgroupBarrier();
  for (var s = 16u; s > 0u; s = s / 2u) {
    if (lane < s) {
      for (var i = 0u; i < MP; i = i + 1u) { part[tid * MP + i] = part[tid * MP + i] + part[(tid + s) * MP + i]; }
    }
    workgroupBarrier();
  }
  if (lane == 0u && col < N) {
      ${epilogue}
  }
}
`;
}

export interface AttentionSpec {
  B: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  /** Mistral's sliding window (0: none). */
  window: number;
}

/**
 * Single-query attention of one decode step, one workgroup of 256 threads per (row, query head). It ropes q and the
 * new k from the fused QKV output (cos/sin of each row's position come in ROPE [2,B,D]), the first query head of each
 * kv group writes the new k/v into the cache at `slot`, and all heads attend over cache positions 0..slot (the new
 * token's k/v taken from workgroup memory): scores → exact softmax (max, exp, sum over the visible keys, keys hidden by
 * the mask [cap,B] or the window get probability 0, as tfjs's −1e9 bias does) → probability-weighted values.
 * Bindings: QKV [B, q+2kv], ROPE, KC / VC [cap,B,kvHeads,D], MASK [cap,B] u32, SCORES [B,heads,cap], CTX [B,q], STEP.
 */
export function attentionShader(s: AttentionSpec): string {
  const D = s.headDim;
  const QD = s.numHeads * D;
  const KVD = s.numKvHeads * D;
  const G = s.numHeads / s.numKvHeads;
  const slices = 256 / D;
  return `
struct Step { slot : u32, capacity : u32, pad0 : u32, pad1 : u32 }
const B = ${s.B}u;
const NH = ${s.numHeads}u;
const KVH = ${s.numKvHeads}u;
const D = ${D}u;
const D4 = ${D / 4}u;
const HALF = ${D / 2}u;
const QD = ${QD}u;
const KVD = ${KVD}u;
const QKV = ${QD + 2 * KVD}u;
const G = ${G}u;
const SLICES = ${slices}u;
const WINDOW = ${s.window}u;
const SCALE = ${f32Literal(1 / Math.sqrt(D))};
@group(0) @binding(0) var<storage, read> QKVBUF : array<f32>;
@group(0) @binding(1) var<storage, read> ROPE : array<f32>;
@group(0) @binding(2) var<storage, read_write> KC : array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> VC : array<f32>;
@group(0) @binding(4) var<storage, read> MASK : array<u32>;
@group(0) @binding(5) var<storage, read_write> SCORES : array<f32>;
@group(0) @binding(6) var<storage, read_write> CTX : array<f32>;
@group(0) @binding(7) var<uniform> params : Step;
var<workgroup> qs : array<vec4<f32>, ${D / 4}>;
var<workgroup> ks : array<vec4<f32>, ${D / 4}>;
var<workgroup> vs : array<f32, ${D}>;
var<workgroup> red : array<f32, 256>;

fn roped(base : u32, d : u32, b : u32) -> f32 {
  let v = QKVBUF[base + d];
  var rot = 0.0;
  if (d < HALF) { rot = -QKVBUF[base + d + HALF]; } else { rot = QKVBUF[base + d - HALF]; }
  return v * ROPE[b * D + d] + rot * ROPE[B * D + b * D + d];
}

fn visible(j : u32, b : u32, slot : u32) -> bool {
  if (MASK[j * B + b] == 0u) { return false; }
  return WINDOW == 0u || slot - j < WINDOW;
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) tid : u32, @builtin(workgroup_id) wid : vec3<u32>) {
  let b = wid.x / NH;
  let h = wid.x % NH;
  let kvh = h / G;
  let slot = params.slot;
  let row = b * QKV;
  if (tid < D) {
    qs[tid / 4u][tid % 4u] = roped(row + h * D, tid, b);
    ks[tid / 4u][tid % 4u] = roped(row + QD + kvh * D, tid, b);
    vs[tid] = QKVBUF[row + QD + KVD + kvh * D + tid];
  }
  workgroupBarrier();
  let cacheRow = (slot * B + b) * KVH + kvh;
  if (h % G == 0u && tid < D) {
    KC[cacheRow * D4 + tid / 4u][tid % 4u] = ks[tid / 4u][tid % 4u];
    VC[cacheRow * D + tid] = vs[tid];
  }
  let sbase = (b * NH + h) * params.capacity;
  var mx = -3.4e38;
  for (var j = tid; j <= slot; j = j + 256u) {
    var sc = -3.4e38;
    if (visible(j, b, slot)) {
      var dp = 0.0;
      if (j == slot) {
        for (var d = 0u; d < D4; d = d + 1u) { dp = dp + dot(qs[d], ks[d]); }
      } else {
        let kb = ((j * B + b) * KVH + kvh) * D4;
        for (var d = 0u; d < D4; d = d + 1u) { dp = dp + dot(qs[d], KC[kb + d]); }
      }
      sc = dp * SCALE;
      mx = max(mx, sc);
    }
    SCORES[sbase + j] = sc;
  }
  red[tid] = mx;
  workgroupBarrier();
  for (var st = 128u; st > 0u; st = st / 2u) {
    if (tid < st) { red[tid] = max(red[tid], red[tid + st]); }
    workgroupBarrier();
  }
  let rowMax = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = tid; j <= slot; j = j + 256u) {
    var p = 0.0;
    if (visible(j, b, slot)) { p = exp(SCORES[sbase + j] - rowMax); }
    SCORES[sbase + j] = p;
    sum = sum + p;
  }
  red[tid] = sum;
  storageBarrier();
  workgroupBarrier();
  for (var st = 128u; st > 0u; st = st / 2u) {
    if (tid < st) { red[tid] = red[tid] + red[tid + st]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  let d = tid % D;
  let slice = tid / D;
  var acc = 0.0;
  for (var j = slice; j <= slot; j = j + SLICES) {
    let p = SCORES[sbase + j] / total;
    if (p != 0.0) {
      var v = 0.0;
      if (j == slot) { v = vs[d]; } else { v = VC[((j * B + b) * KVH + kvh) * D + d]; }
      acc = acc + p * v;
    }
  }
  red[tid] = acc;
  workgroupBarrier();
  if (tid < D) {
    var o = 0.0;
    for (var i = 0u; i < SLICES; i = i + 1u) { o = o + red[i * D + tid]; }
    CTX[b * QD + h * D + tid] = o;
  }
}
`;
}

/** x[b] = table[id − first] for the ids of this row block of the embedding (other ids are left to the other blocks). */
export function embedShader(B: number, H: number, first: number, rows: number): string {
  return `
@group(0) @binding(0) var<storage, read> TOKENS : array<u32>;
@group(0) @binding(1) var<storage, read> TABLE : array<f32>;
@group(0) @binding(2) var<storage, read_write> X : array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid : vec3<u32>) {
  let i = gid.x;
  if (i >= ${B * H}u) { return; }
  let id = TOKENS[i / ${H}u];
  if (id >= ${first}u && id < ${first + rows}u) { X[i] = TABLE[(id - ${first}u) * ${H}u + i % ${H}u]; }
}
`;
}

/** x[b, :] += delta for every row (a steering vector, already multiplied by its coefficient). */
export function addRowsShader(B: number, H: number): string {
  return `
@group(0) @binding(0) var<storage, read> DELTA : array<f32>;
@group(0) @binding(1) var<storage, read_write> X : array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid : vec3<u32>) {
  let i = gid.x;
  if (i < ${B * H}u) { X[i] = X[i] + DELTA[i % ${H}u]; }
}
`;
}

/** Columns of the logits one argmax workgroup scans in its first stage. */
export const ARGMAX_CHUNK = 4096;

/**
 * Greedy choice on the GPU, ties to the lowest index (as torch.argmax and sampling.ts's argmax): stage 1, one
 * workgroup per (chunk, row) → PARTIAL (value, index); stage 2 (`final`), one workgroup per row → TOKENS[row].
 */
export function argmaxShader(B: number, V: number, final: boolean): string {
  const chunks = Math.ceil(V / ARGMAX_CHUNK);
  const reduce = `
  for (var st = 128u; st > 0u; st = st / 2u) {
    if (tid < st) {
      let ov = bv[tid + st]; let oi = bi[tid + st];
      if (ov > bv[tid] || (ov == bv[tid] && oi < bi[tid])) { bv[tid] = ov; bi[tid] = oi; }
    }
    workgroupBarrier();
  }`;
  const head = `
var<workgroup> bv : array<f32, 256>;
var<workgroup> bi : array<u32, 256>;`;
  if (!final) {
    return `
@group(0) @binding(0) var<storage, read> LOGITS : array<f32>;
@group(0) @binding(1) var<storage, read_write> PARTIAL : array<f32>;
${head}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) tid : u32, @builtin(workgroup_id) wid : vec3<u32>) {
  let chunk = wid.x;
  let b = wid.y;
  var best = -3.4e38;
  var idx = 0xffffffffu;
  let end = min((chunk + 1u) * ${ARGMAX_CHUNK}u, ${V}u);
  for (var j = chunk * ${ARGMAX_CHUNK}u + tid; j < end; j = j + 256u) {
    let v = LOGITS[b * ${V}u + j];
    if (v > best || idx == 0xffffffffu) { best = v; idx = j; }
  }
  bv[tid] = best; bi[tid] = idx;
  workgroupBarrier();
  ${reduce}
  if (tid == 0u) { PARTIAL[(b * ${chunks}u + chunk) * 2u] = bv[0]; PARTIAL[(b * ${chunks}u + chunk) * 2u + 1u] = bitcast<f32>(bi[0]); }
}
`;
  }
  return `
@group(0) @binding(0) var<storage, read> PARTIAL : array<f32>;
@group(0) @binding(1) var<storage, read_write> TOKENS : array<u32>;
${head}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) tid : u32, @builtin(workgroup_id) wid : vec3<u32>) {
  let b = wid.x;
  bv[tid] = -3.4e38; bi[tid] = 0xffffffffu;
  for (var c = tid; c < ${chunks}u; c = c + 256u) {
    let v = PARTIAL[(b * ${chunks}u + c) * 2u]; let i = bitcast<u32>(PARTIAL[(b * ${chunks}u + c) * 2u + 1u]);
    if (v > bv[tid] || (v == bv[tid] && i < bi[tid])) { bv[tid] = v; bi[tid] = i; }
  }
  workgroupBarrier();
  ${reduce}
  if (tid == 0u) { TOKENS[b] = bi[0]; }
}
`;
}

/** Copies a tfjs KV-cache tensor [B, kvHeads, S, D] into the engine's cache layout [capacity, B, kvHeads, D]. */
export function prefixCopyShader(B: number, kvHeads: number, S: number, D: number): string {
  return `
@group(0) @binding(0) var<storage, read> SRC : array<f32>;
@group(0) @binding(1) var<storage, read_write> DST : array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid : vec3<u32>) {
  let i = gid.x + gid.y * 65535u * 256u;
  if (i >= ${B * kvHeads * S * D}u) { return; }
  let d = i % ${D}u;
  let j = (i / ${D}u) % ${S}u;
  let h = (i / ${D * S}u) % ${kvHeads}u;
  let b = i / ${D * S * kvHeads}u;
  DST[((j * ${B}u + b) * ${kvHeads}u + h) * ${D}u + d] = SRC[i];
}
`;
}
