import * as tf from '@tensorflow/tfjs-core';
import { f32Literal } from './webgpu-decode-shaders';

/**
 * A register-blocked f32 matmul in WGSL for the webgpu backend: out[b] = alpha · A[b] · B[b]ᵀ (+ bias), with A [M,K]
 * and B [N,K] both row-major (the layout of HF linear weights, so no transpose is materialised). tfjs's own matmul
 * takes its scalar path whenever transposeB is set; this kernel reads vec4 along K for both operands.
 *
 * Tiling: 128×128 output tile per workgroup of 256 threads, each thread an 8×8 micro-tile (two 4-row × two 4-column
 * blocks, 64 and 64 apart, so that shared-memory reads are broadcasts or consecutive vec4s), K in steps of 8 through
 * double-buffered workgroup memory (2 buffers × (A + B) × 4 KB = 16 KB) with the next step's global loads issued before
 * the current step's FMAs: one barrier per step. Needs K % 4 == 0 and N % 4 == 0; M, N, K need not be tile multiples.
 *
 * Decode steps (M ≤ 8) use a GEMV-style variant instead. Inference only on the webgpu backend (no gradient); see
 * `fastMatMulApplies`.
 */

const BM = 128;
const BN = 128;

interface ProgramUniform {
  type: 'int32' | 'float32';
  data: number[];
}

interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: ProgramUniform[]): tf.TensorInfo;
}

function fmaBlock(): string {
  const lines: string[] = [];
  for (let k = 0; k < 8; k++) {
    lines.push(`{
        let base = cur * 256 + ${k * 32};
        let a0 = mmAs[base + ty]; let a1 = mmAs[base + ty + 16];
        let b0 = mmBs[base + tx]; let b1 = mmBs[base + tx + 16];`);
    const rows = ['a0.x', 'a0.y', 'a0.z', 'a0.w', 'a1.x', 'a1.y', 'a1.z', 'a1.w'];
    rows.forEach((r, i) => {
      lines.push(`        acc${2 * i} = fma(vec4<f32>(${r}), b0, acc${2 * i});`);
      lines.push(`        acc${2 * i + 1} = fma(vec4<f32>(${r}), b1, acc${2 * i + 1});`);
    });
    lines.push('      }');
  }
  return lines.join('\n');
}

/**
 * `swiglu`: the B tile's first 64 rows come from the gate weight (B) and the last 64 from the same rows of the up
 * weight (U), so each thread holds gate and up for the same 4 columns and writes (g·σ(g))·u: a 128-row × 64-column
 * output tile, and no gate/up tensors in memory.
 */
function userCode(bias: boolean, swiglu = false): string {
  const accDecl = Array.from({ length: 16 }, (_, i) => `var acc${i} = vec4<f32>(0.0);`).join(' ');
  const writes: string[] = [];
  for (let i = 0; i < 8; i++) {
    const row = i < 4 ? `ty * 4 + ${i}` : `64 + ty * 4 + ${i - 4}`;
    if (swiglu) {
      writes.push(`mmWriteSwiglu(rowBase + ${row}, colBase + tx * 4, acc${2 * i}, acc${2 * i + 1});`);
      continue;
    }
    writes.push(`mmWrite(outBase, rowBase + ${row}, colBase + tx * 4, acc${2 * i});`);
    writes.push(`mmWrite(outBase, rowBase + ${row}, colBase + 64 + tx * 4, acc${2 * i + 1});`);
  }
  const loadB = swiglu
    ? `fn mmLoadB(bBase : i32, col : i32, kv : i32) -> vec4<f32> {
      let local = col - i32(workgroupId.x) * 64;
      let n = i32(workgroupId.x) * 64 + local % 64;
      if (n < uniforms.N && kv * 4 < uniforms.K) {
        if (local < 64) { return B[n * (uniforms.K / 4) + kv]; }
        return U[n * (uniforms.K / 4) + kv];
      }
      return vec4<f32>(0.0);
    }
    fn mmWriteSwiglu(row : i32, col : i32, g : vec4<f32>, u : vec4<f32>) {
      if (row < uniforms.M && col < uniforms.N) {
        let s = vec4<f32>(1.0) / (vec4<f32>(1.0) + exp(vec4<f32>(-1.0) * g));
        result[row * (uniforms.N / 4) + col / 4] = (g * s) * u;
      }
    }`
    : `fn mmLoadB(bBase : i32, col : i32, kv : i32) -> vec4<f32> {
      if (col < uniforms.N && kv * 4 < uniforms.K) { return B[bBase + col * (uniforms.K / 4) + kv]; }
      return vec4<f32>(0.0);
    }`;
  return `
    var<workgroup> mmAs : array<vec4<f32>, 512>;
    var<workgroup> mmBs : array<vec4<f32>, 512>;

    fn mmLoadA(aBase : i32, row : i32, kv : i32) -> vec4<f32> {
      if (row < uniforms.M && kv * 4 < uniforms.K) { return A[aBase + row * (uniforms.K / 4) + kv]; }
      return vec4<f32>(0.0);
    }
    ${loadB}
    fn mmStore(buf : i32, lr : i32, lk : i32, ra : vec4<f32>, rb : vec4<f32>) {
      let base = buf * 256 + lk * 128 + lr / 4;
      let c = lr % 4;
      mmAs[base][c] = ra.x; mmAs[base + 32][c] = ra.y; mmAs[base + 64][c] = ra.z; mmAs[base + 96][c] = ra.w;
      mmBs[base][c] = rb.x; mmBs[base + 32][c] = rb.y; mmBs[base + 64][c] = rb.z; mmBs[base + 96][c] = rb.w;
    }
    fn mmWrite(outBase : i32, row : i32, col : i32, v : vec4<f32>) {
      if (row < uniforms.M && col < uniforms.N) {
        var r = v * uniforms.alpha;
        ${bias ? 'r = r + bias[col / 4];' : ''}
        result[outBase + row * (uniforms.N / 4) + col / 4] = r;
      }
    }

    fn main() {
      let tid = i32(localIndex);
      let tx = tid % 16;
      let ty = tid / 16;
      let rowBase = i32(workgroupId.y) * ${BM};
      let colBase = i32(workgroupId.x) * ${swiglu ? 64 : BN};
      let batch = i32(workgroupId.z);
      let aBase = batch * uniforms.aBatch;
      let bBase = batch * uniforms.bBatch;
      let outBase = batch * (uniforms.M * uniforms.N / 4);
      let lr = tid / 2;
      let lk = tid % 2;
      let numTiles = (uniforms.K + 7) / 8;
      ${accDecl}
      var ra = mmLoadA(aBase, rowBase + lr, lk);
      var rb = mmLoadB(bBase, colBase + lr, lk);
      mmStore(0, lr, lk, ra, rb);
      workgroupBarrier();
      for (var t = 0; t < numTiles; t = t + 1) {
        let cur = t % 2;
        let more = t + 1 < numTiles;
        if (more) {
          ra = mmLoadA(aBase, rowBase + lr, (t + 1) * 2 + lk);
          rb = mmLoadB(bBase, colBase + lr, (t + 1) * 2 + lk);
        }
${fmaBlock()}
        if (more) { mmStore(1 - cur, lr, lk, ra, rb); }
        workgroupBarrier();
      }
      ${writes.join('\n      ')}
    }
  `;
}

/**
 * alpha · a · bᵀ (+ bias) on the webgpu backend. a [M,K] or [batch,M,K]; b [N,K] or [batch,N,K] (a 2-D b is shared by
 * every batch entry); bias [N]. Returns [M,N] / [batch,M,N]. Check `fastMatMulApplies` first.
 */
export function matMulTransposedB(a: tf.Tensor, b: tf.Tensor, bias?: tf.Tensor, alpha = 1): tf.Tensor {
  const batched = a.rank === 3;
  const batch = batched ? a.shape[0]! : 1;
  const M = a.shape[a.rank - 2]!;
  const K = a.shape[a.rank - 1]!;
  const N = b.shape[b.rank - 2]!;
  if (b.shape[b.rank - 1] !== K) throw new Error(`internal: matMulTransposedB inner sizes ${K} and ${b.shape[b.rank - 1]} differ`);
  if (K % 4 !== 0 || N % 4 !== 0) throw new Error('internal: matMulTransposedB needs K and N divisible by 4');
  if (b.rank === 3 && b.shape[0] !== batch) throw new Error('internal: matMulTransposedB batch sizes differ');
  const small = M <= 8;
  const program = {
    variableNames: bias ? ['A', 'B', 'bias'] : ['A', 'B'],
    variableComponents: bias ? [4, 4, 4] : [4, 4],
    outputComponent: 4,
    outputShape: batched ? [batch, M, N] : [M, N],
    dispatchLayout: batched ? { x: [2], y: [1], z: [0] } : { x: [1], y: [0] },
    dispatch: [Math.ceil(N / BN), Math.ceil(M / BM), batch] as [number, number, number],
    workgroupSize: [256, 1, 1] as [number, number, number],
    uniforms: 'M : i32, N : i32, K : i32, aBatch : i32, bBatch : i32, alpha : f32,',
    shaderKey: `impostorMatMulTB128x128x8${bias ? 'Bias' : ''}`,
    getUserCode: () => userCode(!!bias),
  };
  const uniforms: ProgramUniform[] = [
    { type: 'int32', data: [M] },
    { type: 'int32', data: [N] },
    { type: 'int32', data: [K] },
    { type: 'int32', data: [(M * K) / 4] },
    { type: 'int32', data: [b.rank === 3 ? (N * K) / 4 : 0] },
    { type: 'float32', data: [alpha] },
  ];
  return run(small ? gemvProgram(batch, M, N, !!bias) : program, bias ? [a, b, bias] : [a, b], uniforms);
}

/**
 * SwiGLU of two linears in one matmul: (g·σ(g))·u with g = a·gateᵀ, u = a·upᵀ; a [M,K], gate/up [N,K] → [M,N]. The
 * same tiles and k order as `matMulTransposedB`, so the result equals swigluFused(a·gateᵀ, a·upᵀ) bit for bit. Check
 * `fastMatMulApplies(M, N, K)` and M > 8 first.
 */
export function matMulSwiglu(a: tf.Tensor2D, gate: tf.Tensor2D, up: tf.Tensor2D): tf.Tensor2D {
  const [M, K] = a.shape;
  const N = gate.shape[0];
  const program = {
    variableNames: ['A', 'B', 'U'],
    variableComponents: [4, 4, 4],
    outputComponent: 4,
    outputShape: [M, N],
    dispatchLayout: { x: [1], y: [0] },
    dispatch: [Math.ceil(N / 64), Math.ceil(M / BM), 1] as [number, number, number],
    workgroupSize: [256, 1, 1] as [number, number, number],
    uniforms: 'M : i32, N : i32, K : i32, aBatch : i32, bBatch : i32, alpha : f32,',
    shaderKey: 'impostorMatMulSwiglu128x64x8',
    getUserCode: () => userCode(false, true),
  };
  return run(program, [a, gate, up], [
    { type: 'int32', data: [M] },
    { type: 'int32', data: [N] },
    { type: 'int32', data: [K] },
    { type: 'int32', data: [0] },
    { type: 'int32', data: [0] },
    { type: 'float32', data: [1] },
  ]) as tf.Tensor2D;
}

/**
 * The small-M (decode step) variant: one workgroup per 8 output columns, one 32-thread group per column streaming
 * its weight row as vec4 (coalesced) against all M ≤ 8 input rows, then a tree reduction in workgroup memory.
 * Memory-bound, so the weights are read once instead of being padded to a 128-row tile.
 */
function gemvProgram(batch: number, M: number, N: number, bias: boolean): object {
  const rows = Array.from({ length: M }, (_, m) => m);
  return {
    variableNames: bias ? ['A', 'B', 'bias'] : ['A', 'B'],
    variableComponents: bias ? [4, 4, 1] : [4, 4],
    outputComponent: 1,
    outputShape: batch > 1 ? [batch, M, N] : [M, N],
    dispatchLayout: batch > 1 ? { x: [2], y: [1], z: [0] } : { x: [1], y: [0] },
    dispatch: [Math.ceil(N / 8), batch, 1] as [number, number, number],
    workgroupSize: [256, 1, 1] as [number, number, number],
    uniforms: 'M : i32, N : i32, K : i32, aBatch : i32, bBatch : i32, alpha : f32,',
    shaderKey: `impostorGemvTB${M}${bias ? 'Bias' : ''}`,
    getUserCode: () => `
      var<workgroup> gvPart : array<f32, ${256 * M}>;
      fn main() {
        let tid = i32(localIndex);
        let lane = tid % 32;
        let col = i32(workgroupId.x) * 8 + tid / 32;
        let batch = i32(workgroupId.y);
        let K4 = uniforms.K / 4;
        let aBase = batch * uniforms.aBatch;
        let bBase = batch * uniforms.bBatch;
        ${rows.map((m) => `var acc${m} = 0.0;`).join(' ')}
        if (col < uniforms.N) {
          for (var kv = lane; kv < K4; kv = kv + 32) {
            let w = B[bBase + col * K4 + kv];
            ${rows.map((m) => `acc${m} = acc${m} + dot(A[aBase + ${m} * K4 + kv], w);`).join('\n            ')}
          }
        }
        ${rows.map((m) => `gvPart[tid * ${M} + ${m}] = acc${m};`).join(' ')}
        workgroupBarrier();
        for (var s = 16; s > 0; s = s / 2) {
          if (lane < s) {
            ${rows.map((m) => `gvPart[tid * ${M} + ${m}] = gvPart[tid * ${M} + ${m}] + gvPart[(tid + s) * ${M} + ${m}];`).join('\n            ')}
          }
          workgroupBarrier();
        }
        if (lane == 0 && col < uniforms.N) {
          let outBase = batch * uniforms.M * uniforms.N;
          ${rows.map((m) => `result[outBase + ${m} * uniforms.N + col] = gvPart[tid * ${M} + ${m}] * uniforms.alpha${bias ? ' + bias[col]' : ''};`).join('\n          ')}
        }
      }
    `,
  };
}

/**
 * Whether the hand-written kernels may compute an [M,K]·[N,K]ᵀ product: webgpu backend, no gradient tape recording
 * (they have no gradient), at least `minRowsDefault` rows (IMPOSTOR_WEBGPU_MATMUL_MIN_ROWS overrides it), K and N
 * divisible by 4. IMPOSTOR_WEBGPU_MATMUL=0 turns them off.
 */
export function fastMatMulApplies(M: number, N: number, K: number, minRowsDefault = 1): boolean {
  if (tf.getBackend() !== 'webgpu' || process.env.IMPOSTOR_WEBGPU_MATMUL === '0') return false;
  if ((tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth > 0) return false;
  const minRows = Number(process.env.IMPOSTOR_WEBGPU_MATMUL_MIN_ROWS ?? minRowsDefault);
  return M >= minRows && K % 4 === 0 && N % 4 === 0;
}

function run(program: object, inputs: tf.TensorInfo[], uniforms: ProgramUniform[]): tf.Tensor {
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  return tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, inputs, 'float32', uniforms));
}

/**
 * Whether the fused element-wise kernels below may replace tfjs op chains: webgpu backend, no gradient tape recording.
 * IMPOSTOR_WEBGPU_FUSED=0 turns them off.
 */
export function fusedKernelsApply(): boolean {
  if (tf.getBackend() !== 'webgpu' || process.env.IMPOSTOR_WEBGPU_FUSED === '0') return false;
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth === 0;
}

/**
 * HF RMSNorm over the last axis in one dispatch (one workgroup per row, tree reduction in workgroup memory):
 * x · rsqrt(mean(x²) + eps) · weight, the same operation order as `rmsNorm` in decoder.ts.
 */
export function rmsNormFused<T extends tf.Tensor>(x: T, weight: tf.Tensor, eps: number): T {
  const W = x.shape[x.rank - 1]!;
  const rows = x.size / W;
  const WG = W >= 512 ? 256 : 64;
  const gx = Math.min(rows, 32768);
  const program = {
    variableNames: ['X', 'Wt'],
    outputShape: [rows, W],
    dispatchLayout: { x: [1], y: [0] },
    dispatch: [gx, Math.ceil(rows / gx), 1] as [number, number, number],
    workgroupSize: [WG, 1, 1] as [number, number, number],
    uniforms: 'rows : i32, width : i32, eps : f32,',
    shaderKey: `impostorRmsNorm${WG}`,
    getUserCode: () => `
      var<workgroup> rnPart : array<f32, ${WG}>;
      fn main() {
        let tid = i32(localIndex);
        let row = i32(workgroupId.y) * i32(numWorkgroups.x) + i32(workgroupId.x);
        let width = uniforms.width;
        let valid = row < uniforms.rows;
        var s = 0.0;
        if (valid) {
          for (var j = tid; j < width; j = j + ${WG}) { let v = X[row * width + j]; s = s + v * v; }
        }
        rnPart[tid] = s;
        workgroupBarrier();
        for (var stride = ${WG / 2}; stride > 0; stride = stride / 2) {
          if (tid < stride) { rnPart[tid] = rnPart[tid] + rnPart[tid + stride]; }
          workgroupBarrier();
        }
        let inv = inverseSqrt(rnPart[0] / f32(width) + uniforms.eps);
        if (valid) {
          for (var j = tid; j < width; j = j + ${WG}) { result[row * width + j] = (X[row * width + j] * inv) * Wt[j]; }
        }
      }
    `,
  };
  const x2 = tf.reshape(x, [rows, W]);
  const out = run(program, [x2, weight], [
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [W] },
    { type: 'float32', data: [eps] },
  ]);
  x2.dispose();
  const shaped = tf.reshape(out, x.shape) as T;
  out.dispose();
  return shaped;
}

/** SwiGLU in one dispatch: (g · sigmoid(g)) · u, element-wise, the same operation order as the tfjs chain in decoder.ts. */
export function swigluFused<T extends tf.Tensor>(gate: T, up: T): T {
  const vec = gate.size % 4 === 0 ? 4 : 1;
  const ty = vec === 4 ? 'vec4<f32>' : 'f32';
  const size = gate.size / vec;
  const program = {
    variableNames: ['G', 'U'],
    variableComponents: [vec, vec],
    outputComponent: vec,
    outputShape: gate.shape,
    dispatchLayout: { x: gate.shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / 256), 1, 1] as [number, number, number],
    workgroupSize: [256, 1, 1] as [number, number, number],
    uniforms: 'count : i32,',
    shaderKey: `impostorSwiglu${vec}`,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.count) {
          let g = G[index];
          let s = ${ty}(1.0) / (${ty}(1.0) + exp(${ty}(-1.0) * g));
          result[index] = (g * s) * U[index];
        }
      }
    `,
  };
  return run(program, [gate, up], [{ type: 'int32', data: [size] }]) as T;
}

/**
 * Rotary embedding and the head transpose in one dispatch: x [B,T,n,D] → x·cos + rotate_half(x)·sin as [B,n,T,D],
 * with cos/sin [B,1,T,D] (rotate_half(x) = cat(−x₂, x₁)).
 */
export function ropeTransposeFused(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  const [B, T, n, D] = x.shape;
  const size = x.size;
  const program = {
    variableNames: ['X', 'C', 'S'],
    outputShape: [B, n, T, D],
    dispatchLayout: { x: [0, 1, 2, 3] },
    dispatch: [Math.ceil(size / 256), 1, 1] as [number, number, number],
    workgroupSize: [256, 1, 1] as [number, number, number],
    uniforms: 'count : i32, rT : i32, rN : i32, rD : i32,',
    shaderKey: 'impostorRopeTranspose',
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.count) {
          let D = uniforms.rD;
          let T = uniforms.rT;
          let n = uniforms.rN;
          let hd = D / 2;
          let d = index % D;
          let t = (index / D) % T;
          let h = (index / (D * T)) % n;
          let b = index / (D * T * n);
          let xi = ((b * T + t) * n + h) * D;
          let v = X[xi + d];
          var rot = 0.0;
          if (d < hd) { rot = -X[xi + d + hd]; } else { rot = X[xi + d - hd]; }
          let ci = (b * T + t) * D + d;
          result[index] = v * C[ci] + rot * S[ci];
        }
      }
    `,
  };
  return run(program, [x, cos, sin], [
    { type: 'int32', data: [size] },
    { type: 'int32', data: [T] },
    { type: 'int32', data: [n] },
    { type: 'int32', data: [D] },
  ]) as tf.Tensor4D;
}

/**
 * Whether `attentionFused` may run: the fused-kernel conditions plus head dim 64 (its tiles fill 26 KB of workgroup
 * memory at that size; other head dims keep the matmul + softmax chain). IMPOSTOR_WEBGPU_FLASH=0 turns it off.
 */
export function attentionFusedApplies(headDim: number): boolean {
  return headDim === 64 && process.env.IMPOSTOR_WEBGPU_FLASH !== '0' && fusedKernelsApply();
}

/**
 * Prefill attention in one dispatch (flash-attention style, f32): for every (64 query rows, head, batch row) a
 * workgroup of 256 threads streams 32-key tiles of K and V through workgroup memory with an online softmax, so the
 * [B, heads, T, S] scores never reach memory, and writes the context already transposed to [B·T, heads·D]. Four threads
 * share a query row: each keeps the row's q in registers, scores 8 of the tile's keys and accumulates 16 of the 64
 * output dims. Same inputs as the tfjs chain it replaces: q [B,heads,T,D] (roped), k/v [B,kvHeads,S,D] (cache
 * included, GQA by head / (heads/kvHeads)), the additive mask [B,1,T,S]; scores are q·k·(1/√D) + mask. Key tiles past
 * the tile's last query (causal) are skipped: their mask is −1e9 for every real query row, so only padding query rows
 * (whose output nobody reads) could differ.
 */
export function attentionFused(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor, past: number): tf.Tensor2D {
  const [B, NH, T, D] = q.shape;
  const KVH = k.shape[1];
  const S = k.shape[2];
  const G = NH / KVH;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  // Key i·4 + part for thread part: with a 17-vec4 row stride the four parts of a row hit different banks.
  const scores = range(8)
    .map((i) => `{
            let key = ${i * 4} + part;
            let kb = key * 17;
            let s = ${range(16).map((d) => `dot(q${d}, faK[kb + ${d}])`).join(' + ')};
            var val = -3.4e38;
            if (rowOk && kt + key < S) { val = s * ${f32Literal(1 / Math.sqrt(D))} + Mask[maskRow + kt + key]; }
            sc${i} = val;
          }`)
    .join('\n          ');
  const program = {
    variableNames: ['Q', 'Kt', 'Vt', 'Mask'],
    variableComponents: [4, 4, 4, 1],
    outputComponent: 4,
    outputShape: [B * T, NH * D],
    dispatchLayout: { x: [1], y: [0] },
    dispatch: [Math.ceil(T / 64), NH, B] as [number, number, number],
    workgroupSize: [256, 1, 1] as [number, number, number],
    uniforms: 'qT : i32, kS : i32, kPast : i32,',
    shaderKey: `impostorFlashAttention2_${NH}x${G}`,
    getUserCode: () => `
      var<workgroup> faK : array<vec4<f32>, ${32 * 17}>;
      var<workgroup> faV : array<vec4<f32>, 512>;
      var<workgroup> faP : array<f32, ${64 * 33}>;
      var<workgroup> faR : array<f32, 256>;
      var<workgroup> faEnd : i32;
      fn main() {
        let tid = i32(localIndex);
        let rowBase = i32(workgroupId.x) * 64;
        let h = i32(workgroupId.y);
        let b = i32(workgroupId.z);
        let kvh = h / ${G};
        let T = uniforms.qT;
        let S = uniforms.kS;
        let r = tid / 4;
        let part = tid % 4;
        let row = rowBase + r;
        let rowOk = row < T;
        let qb = ((b * ${NH} + h) * T + min(row, T - 1)) * 16;
        ${range(16).map((d) => `let q${d} = Q[qb + ${d}];`).join(' ')}
        let maskRow = (b * T + min(row, T - 1)) * S;
        var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
        var mRow = -3.4e38;
        var lPart = 0.0;
        ${range(8).map((i) => `var sc${i} = 0.0;`).join(' ')}
        // tfjs keeps workgroupId in a private variable, which WGSL's uniformity analysis cannot see as uniform: the
        // loop bound goes through workgroupUniformLoad so the barriers inside the loop are allowed.
        if (tid == 0) { faEnd = min(S, uniforms.kPast + min(rowBase + 64, T)); }
        let kEnd = workgroupUniformLoad(&faEnd);
        for (var kt = 0; kt < kEnd; kt = kt + 32) {
          workgroupBarrier();
          for (var i = 0; i < 2; i = i + 1) {
            let idx = tid + 256 * i;
            let key = idx / 16;
            let d = idx % 16;
            var kv = vec4<f32>(0.0);
            var vv = vec4<f32>(0.0);
            if (kt + key < S) {
              let at = ((b * ${KVH} + kvh) * S + kt + key) * 16 + d;
              kv = Kt[at];
              vv = Vt[at];
            }
            faK[key * 17 + d] = kv;
            faV[idx] = vv;
          }
          workgroupBarrier();
          ${scores}
          faR[tid] = max(max(max(sc0, sc1), max(sc2, sc3)), max(max(sc4, sc5), max(sc6, sc7)));
          workgroupBarrier();
          let mt = max(mRow, max(max(faR[r * 4], faR[r * 4 + 1]), max(faR[r * 4 + 2], faR[r * 4 + 3])));
          let alpha = exp(mRow - mt);
          mRow = mt;
          var ps = 0.0;
          ${range(8).map((i) => `{ let p = exp(sc${i} - mt); faP[r * 33 + ${i * 4} + part] = p; ps = ps + p; }`).join('\n          ')}
          lPart = lPart * alpha + ps;
          acc0 = acc0 * alpha; acc1 = acc1 * alpha; acc2 = acc2 * alpha; acc3 = acc3 * alpha;
          workgroupBarrier();
          for (var j = 0; j < 32; j = j + 1) {
            let p = faP[r * 33 + j];
            let vb = j * 16 + part * 4;
            acc0 = acc0 + p * faV[vb]; acc1 = acc1 + p * faV[vb + 1]; acc2 = acc2 + p * faV[vb + 2]; acc3 = acc3 + p * faV[vb + 3];
          }
        }
        workgroupBarrier();
        faR[tid] = lPart;
        workgroupBarrier();
        let l = (faR[r * 4] + faR[r * 4 + 1]) + (faR[r * 4 + 2] + faR[r * 4 + 3]);
        if (rowOk) {
          let ob = (b * T + row) * ${NH * 16} + h * 16 + part * 4;
          result[ob] = acc0 / l; result[ob + 1] = acc1 / l; result[ob + 2] = acc2 / l; result[ob + 3] = acc3 / l;
        }
      }
    `,
  };
  return run(program, [q, k, v, mask], [
    { type: 'int32', data: [T] },
    { type: 'int32', data: [S] },
    { type: 'int32', data: [past] },
  ]) as tf.Tensor2D;
}
