// Fails when what a dealer page downloads (dist/pave-hotspots.js + .wasm, gzip -9) grows past the
// budget. The budget sits just above today's size so it only ratchets down: lower it when the
// bundle shrinks.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUDGET_GZIP_BYTES = 104_000;

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const total = ['pave-hotspots.js', 'pave-hotspots.wasm']
  .map((f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length)
  .reduce((a, b) => a + b, 0);
console.log(`dealer download: ${total} B gzip -9 (budget ${BUDGET_GZIP_BYTES} B)`);
if (total > BUDGET_GZIP_BYTES) {
  console.error(`over budget by ${total - BUDGET_GZIP_BYTES} B`);
  process.exit(1);
}
