/**
 * Compiles line-scanner.wat into line-scanner-module.ts (the bytes as base64), so the package ships
 * no build step and no .wasm file: run `npm run build -w packages/protocol` after editing the .wat.
 * line-scanner-module.test.ts fails while the generated module is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const SOURCE = new URL('./line-scanner.wat', import.meta.url);
const GENERATED = new URL('./line-scanner-module.ts', import.meta.url);

/** The assembled module, byte for byte what the generated file must hold. */
export async function assembleScanner(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('line-scanner.wat', readFileSync(SOURCE, 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** The text of line-scanner-module.ts for these bytes. */
export function generatedModule(binary: Uint8Array): string {
  const base64 = Buffer.from(binary).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return [
    '// Generated from line-scanner.wat by build-scanner.ts (npm run build -w packages/protocol): do not edit.',
    '',
    `/** The line scanner's WebAssembly module (${binary.length} bytes), base64. */`,
    'export const LINE_SCANNER_WASM =',
    `  ${lines.map((line) => `'${line}'`).join(' +\n  ')};`,
    '',
  ].join('\n');
}

if (import.meta.main) {
  const binary = await assembleScanner();
  writeFileSync(GENERATED, generatedModule(binary));
  console.log(`line-scanner-module.ts: ${binary.length} bytes of WebAssembly`);
}
