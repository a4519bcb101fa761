//! The front end's files: the precompressed copy for a browser that accepts it, a year of
//! caching for a build's folder (named by its content hash) only; pages and API answers compressed on the fly.

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn hashed_files_are_served_precompressed_and_cached_for_a_year() {
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    let build = pkg.join("0123456789abcdef");
    std::fs::create_dir_all(&build).expect("pkg");
    std::fs::write(build.join("centinela.js"), "console.log('plain')").expect("js");
    std::fs::write(build.join("centinela.js.br"), b"BROTLI").expect("br");
    std::fs::write(pkg.join("other.js"), "x").expect("other");
    let root = site.path().to_path_buf();
    let app = spawn_app_with(move |config| config.site_root = root).await;
    let client = reqwest::Client::new();

    let res = client
        .get(app.url("/pkg/0123456789abcdef/centinela.js"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("js");
    assert_eq!(res.status(), 200);
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(res.bytes().await.expect("body").as_ref(), b"BROTLI");

    // Without brotli, the file as it is.
    let res = client
        .get(app.url("/pkg/0123456789abcdef/centinela.js"))
        .send()
        .await
        .expect("js");
    assert_eq!(header(&res, "content-encoding"), None);
    assert_eq!(res.text().await.expect("body"), "console.log('plain')");

    // A name without a hash is revalidated, never kept.
    let res = client
        .get(app.url("/pkg/other.js"))
        .send()
        .await
        .expect("other");
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    let res = client
        .get(app.url("/pkg/missing.js"))
        .send()
        .await
        .expect("missing");
    assert_eq!(res.status(), 404);

    // Pages are compressed on the fly for a browser that accepts it, and never cached.
    let res = client
        .get(app.url("/login"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
}
