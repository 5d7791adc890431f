/** `npm run build:probe-kernels`: regenerates probe-kernels-wasm.ts and mlp-kernels-wasm.ts from their .wat files. */
import { writeFileAtomic } from '../../common/atomic-write';
import { assembleProbeKernels, MLP_KERNELS_MODULE, MLP_KERNELS_WAT, PROBE_KERNELS_MODULE, probeKernelsModuleText } from './assemble';

async function build(): Promise<void> {
  const bytes = await assembleProbeKernels();
  writeFileAtomic(PROBE_KERNELS_MODULE, probeKernelsModuleText(bytes));
  process.stdout.write(`wrote ${PROBE_KERNELS_MODULE} (${bytes.length} bytes of WebAssembly)\n`);
  const mlp = await assembleProbeKernels(MLP_KERNELS_WAT);
  writeFileAtomic(MLP_KERNELS_MODULE, probeKernelsModuleText(mlp, 'MLP_KERNELS_WASM_BASE64', 'mlp-kernels.wat'));
  process.stdout.write(`wrote ${MLP_KERNELS_MODULE} (${mlp.length} bytes of WebAssembly)\n`);
}

build().then(() => undefined, (err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
