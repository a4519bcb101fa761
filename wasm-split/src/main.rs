//! Splits the front end's WebAssembly at its lazy routes (`app/src/routes.rs`), as
//! `scripts/site.sh` needs it before `wasm-bindgen`:
//!
//!     wasm-split <frontend.wasm> <out-dir>
//!
//! writes `<out-dir>/main.wasm` (the shell, for `wasm-bindgen`), one `.wasm` per page and
//! per group of code several pages share, the loader the main module imports
//! (`__wasm_split.______________________.js`, the name Leptos links to), and
//! `__wasm_split_manifest.json` (which files each page needs; the server reads it to
//! preload a page's files with the page). Every name is relative, so the whole folder can
//! be served from any path: `site.sh` puts it under a folder named by its content's hash.
//! The input must be linked with `--emit-relocs` (`.cargo/config.toml`).

use anyhow::Context;
use std::path::PathBuf;

/// The loader's name, as Leptos writes it in pages when file names are not hashed.
const LOADER: &str = "__wasm_split.______________________.js";
const MANIFEST: &str = "__wasm_split_manifest.json";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(input), Some(out_dir), None) = (args.next(), args.next(), args.next()) else {
        anyhow::bail!("usage: wasm-split <input.wasm> <out-dir>");
    };
    let out_dir = PathBuf::from(out_dir);
    let bytes = std::fs::read(&input).with_context(|| format!("reading {input:?}"))?;
    std::fs::create_dir_all(&out_dir)?;
    let main_out = out_dir.join("main.wasm");
    let link_name = format!("./{LOADER}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&bytes);
        options.output_dir = &out_dir;
        options.main_out_path = &main_out;
        options.link_name = &link_name;
        // The loader imports the main module's JavaScript from beside itself: the same URL
        // the page imported, so the same instance.
        options.main_module = "./centinela.js";
        options
    })
    .map_err(|e| anyhow::anyhow!("splitting {input:?}: {e:?}"))?;
    let manifest = serde_json::to_string(&split.prefetch_map)?;
    std::fs::write(out_dir.join(MANIFEST), manifest)?;
    println!(
        "wasm-split: {} split modules in {}",
        split.split_modules.len(),
        out_dir.display()
    );
    Ok(())
}
