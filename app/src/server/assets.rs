//! The front end's file names: `scripts/site.sh` gives the JavaScript, WebAssembly and CSS
//! content-hashed names and writes them to `hash.txt` next to the server's binary (where
//! Leptos looks for it too), so they can be cached for a year and a new build is never
//! mixed with an old one. Without the file (the test binaries), the plain names are used.

use std::sync::OnceLock;

/// The hashes of the current build, if it has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hashes {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

fn hash_file() -> Option<std::path::PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join("hash.txt"))
}

/// The hashes of the build this binary serves, read once.
pub fn hashes() -> Option<&'static Hashes> {
    static HASHES: OnceLock<Option<Hashes>> = OnceLock::new();
    HASHES
        .get_or_init(|| {
            let text = std::fs::read_to_string(hash_file()?).ok()?;
            parse(&text)
        })
        .as_ref()
}

fn parse(text: &str) -> Option<Hashes> {
    let get = |key: &str| {
        text.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    Some(Hashes {
        js: get("js")?,
        wasm: get("wasm")?,
        css: get("css")?,
    })
}

/// Where the stylesheet is.
pub fn stylesheet_href() -> String {
    match hashes() {
        Some(h) => format!("/pkg/centinela.{}.css", h.css),
        None => "/pkg/centinela.css".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_file_names_each_part() {
        let h = parse("mode: release\njs: aa11\nwasm: bb22\ncss: cc33\n").expect("hashes");
        assert_eq!(
            (h.js.as_str(), h.wasm.as_str(), h.css.as_str()),
            ("aa11", "bb22", "cc33")
        );
        assert_eq!(parse("js: aa11\n"), None, "all three or none");
    }
}
