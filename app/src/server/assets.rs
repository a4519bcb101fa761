//! Where the front end's files are: `scripts/site.sh` puts a build's files (the main
//! JavaScript and WebAssembly, the modules split off it, the loader, the CSS) in one folder
//! of `pkg/` named by the hash of their contents, and writes that name to `hash.txt` next
//! to the server's binary. A build is cached for a year under its name and never mixed
//! with another. Without the file (the test binaries), the files are straight in `pkg/`.

use std::sync::OnceLock;

fn hash_file() -> Option<std::path::PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join("hash.txt"))
}

/// The name of the build this binary serves, read once.
pub fn build() -> Option<&'static str> {
    static BUILD: OnceLock<Option<String>> = OnceLock::new();
    BUILD
        .get_or_init(|| parse(&std::fs::read_to_string(hash_file()?).ok()?))
        .as_deref()
}

fn parse(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == "build")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The build's folder, relative to the site's root (Leptos' `site_pkg_dir`).
pub fn pkg_dir() -> String {
    match build() {
        Some(build) => format!("pkg/{build}"),
        None => "pkg".into(),
    }
}

/// Where the stylesheet is.
pub fn stylesheet_href() -> String {
    format!("/{}/centinela.css", pkg_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_file_names_the_build_folder() {
        assert_eq!(
            parse("mode: release\nbuild: 0123456789abcdef\n").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(parse("mode: release\n"), None);
        assert_eq!(
            parse("build: ../etc\n"),
            None,
            "a folder name, nothing else"
        );
    }
}
