/** `npm run build:probe-kernels`: regenerates probe-kernels-wasm.ts from probe-kernels.wat. */
import { writeFileAtomic } from '../../common/atomic-write';
import { assembleProbeKernels, PROBE_KERNELS_MODULE, probeKernelsModuleText } from './assemble';

assembleProbeKernels().then((bytes) => {
  writeFileAtomic(PROBE_KERNELS_MODULE, probeKernelsModuleText(bytes));
  process.stdout.write(`wrote ${PROBE_KERNELS_MODULE} (${bytes.length} bytes of WebAssembly)\n`);
}, (err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
