// `make size`: what a browser downloads for the dashboard's first load — the hashed
// JavaScript, WebAssembly and CSS named in target/debug/hash.txt — compressed with brotli
// as the server sends it. Target: 400 KB in all. Exits non-zero when missed.
import { readFileSync, statSync } from 'node:fs';

const TARGET = 400 * 1024;
const hashes = Object.fromEntries(
  readFileSync('target/debug/hash.txt', 'utf8')
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => l.split(':').map((s) => s.trim())),
);
const files = [
  [`centinela.${hashes.js}.js`, 'JavaScript'],
  [`centinela.${hashes.wasm}.wasm`, 'WebAssembly'],
  [`centinela.${hashes.css}.css`, 'CSS'],
];
let total = 0;
console.log(`Front end (${hashes.mode} build), as a browser downloads it:`);
for (const [name, what] of files) {
  const raw = statSync(`target/site/pkg/${name}`).size;
  const br = statSync(`target/site/pkg/${name}.br`).size;
  total += br;
  console.log(`  ${what.padEnd(12)} ${(raw / 1024).toFixed(0).padStart(6)} KB, ${(br / 1024).toFixed(0).padStart(5)} KB brotli`);
}
const ok = total <= TARGET && hashes.mode === 'release';
console.log(`  total ${(total / 1024).toFixed(0)} KB brotli (target <= ${TARGET / 1024} KB) ${ok ? 'MET' : 'MISSED'}`);
process.exit(ok ? 0 : 1);
