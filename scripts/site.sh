#!/usr/bin/env bash
# Assembles the front end into target/site: wasm-bindgen, then (for a release build)
# wasm-opt -Oz from npm's binaryen, content-hashed file names, brotli and gzip copies, and
# the hash file the server reads (next to its binary) to name them in every page.
#
#   scripts/site.sh release target/wasm32-unknown-unknown/wasm-release/frontend.wasm
#   scripts/site.sh debug   target/wasm32-unknown-unknown/debug/frontend.wasm
set -euo pipefail
cd "$(dirname "$0")/.."
mode=$1
wasm=$2
site=target/site
pkg=$site/pkg
work=target/site-work/$mode
hash_file=target/debug/hash.txt
mkdir -p "$pkg" "$work" target/debug

# Nothing to do when the inputs did not change since the last run of this mode.
stamp=$work/stamp
if [ -f "$stamp" ] && [ "$stamp" -nt "$wasm" ] && [ "$stamp" -nt style/main.css ] \
    && [ -f "$hash_file" ] && grep -qx "mode: $mode" "$hash_file"; then
  cp -r public/. "$site/"
  exit 0
fi

echo "site ($mode): wasm-bindgen"
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name centinela "$wasm"
if [ "$mode" = release ]; then
  echo "site ($mode): wasm-opt -Oz"
  tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$work/centinela_bg.wasm" -o "$work/centinela_bg.opt.wasm"
  mv "$work/centinela_bg.opt.wasm" "$work/centinela_bg.wasm"
fi
cp style/main.css "$work/centinela.css"

short() { sha256sum "$1" | cut -c1-16; }
js=$(short "$work/centinela.js")
wasm_hash=$(short "$work/centinela_bg.wasm")
css=$(short "$work/centinela.css")
# Only the current files: older hashed copies go.
rm -f "$pkg"/centinela.* "$pkg"/centinela_bg.wasm
cp "$work/centinela.js" "$pkg/centinela.$js.js"
cp "$work/centinela_bg.wasm" "$pkg/centinela.$wasm_hash.wasm"
cp "$work/centinela.css" "$pkg/centinela.$css.css"
node scripts/precompress.mjs "$pkg"/centinela.*.js "$pkg"/centinela.*.wasm "$pkg"/centinela.*.css
cp -r public/. "$site/"
printf 'mode: %s\njs: %s\nwasm: %s\ncss: %s\n' "$mode" "$js" "$wasm_hash" "$css" > "$hash_file"
touch "$stamp"
echo "site ($mode): $pkg/centinela.{$js.js,$wasm_hash.wasm,$css.css} (+ .br, .gz)"
