// `make size`: what a browser downloads for the dashboard's first load — the build's main
// JavaScript and WebAssembly, the split loader and the CSS (the dashboard is in the main
// module; see app/src/routes.rs) — compressed with brotli as the server sends it. Target:
// 400 KB in all; exits non-zero when missed. Also prints what each area of pages adds the
// first time one of its pages is shown.
import { readFileSync, statSync } from 'node:fs';

const TARGET = 400 * 1024;
const info = Object.fromEntries(
  readFileSync('target/debug/hash.txt', 'utf8')
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => l.split(':').map((s) => s.trim())),
);
const dir = `target/site/pkg/${info.build}`;
const sizes = (name) => [statSync(`${dir}/${name}`).size, statSync(`${dir}/${name}.br`).size];
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const files = [
  ['centinela.js', 'JavaScript'],
  ['__wasm_split.______________________.js', 'split loader'],
  ['centinela_bg.wasm', 'WebAssembly'],
  ['centinela.css', 'CSS'],
];
let total = 0;
console.log(`Front end (${info.mode} build ${info.build}), the dashboard's first load:`);
for (const [name, what] of files) {
  const [raw, br] = sizes(name);
  total += br;
  console.log(`  ${what.padEnd(13)} ${kb(raw).padStart(9)}, ${kb(br).padStart(7)} brotli`);
}
const ok = total <= TARGET && info.mode === 'release';
console.log(`  total ${kb(total)} brotli (target <= ${kb(TARGET)}) ${ok ? 'MET' : 'MISSED'}`);

const manifest = JSON.parse(readFileSync(`${dir}/__wasm_split_manifest.json`, 'utf8'));
console.log('Fetched the first time a page of an area is shown (brotli):');
for (const [split, modules] of Object.entries(manifest).sort()) {
  const br = modules.reduce((sum, m) => sum + sizes(`${m}.wasm`)[1], 0);
  console.log(`  ${split.replace(/_page(_\d+)?$/, '').padEnd(13)} ${kb(br).padStart(7)} (${modules.length} files)`);
}
process.exit(ok ? 0 : 1);
