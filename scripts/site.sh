#!/usr/bin/env bash
# Assembles the front end into target/site: splits the WebAssembly at its lazy routes
# (wasm-split/), wasm-bindgen, then (for a release build) wasm-opt -Oz from npm's binaryen,
# a folder named by the content hash, brotli and gzip copies, and the hash file the server
# reads (next to its binary) to find the folder.
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

# Split at the lazy routes (app/src/routes.rs): the main module (the shell), one module per
# area of pages and the code areas share, the loader, and the manifest of which files each
# area needs (the server reads it to preload a page's files with the page).
split=$work/split
rm -rf "$split"
target/debug/wasm-split "$wasm" "$split"
echo "site ($mode): wasm-bindgen"
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$split" \
  --out-name centinela "$split/main.wasm"
rm "$split/main.wasm"
if [ "$mode" = release ]; then
  echo "site ($mode): wasm-opt -Oz"
  ls "$split"/*.wasm | xargs -P "$(nproc)" -I{} tools/node_modules/.bin/wasm-opt -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue {} -o {}
fi
cp style/main.css "$split/centinela.css"

# The build's files live in one folder named by the hash of their contents: the names
# inside stay plain and relative (the loader imports `./centinela.js`, the module the page
# imported), and a new build is a new folder, cached apart from every other.
build=$(cd "$split" && sha256sum $(ls | sort) | sha256sum | cut -c1-16)
mkdir -p "$pkg/$build"
cp "$split"/* "$pkg/$build/"
touch "$pkg/$build"
# The two builds before this one stay: a page opened before a deploy can still fetch the
# pages it has not shown yet. Older ones (and files of the old flat layout) go.
ls -td "$pkg"/*/ | tail -n +4 | xargs -r rm -rf
find "$pkg" -maxdepth 1 -type f -delete
node scripts/precompress.mjs "$pkg/$build"/*.js "$pkg/$build"/*.wasm "$pkg/$build"/*.css
cp -r public/. "$site/"
printf 'mode: %s\nbuild: %s\n' "$mode" "$build" > "$hash_file"
touch "$stamp"
echo "site ($mode): $pkg/$build ($(ls "$split" | wc -l) files, + .br, .gz)"
