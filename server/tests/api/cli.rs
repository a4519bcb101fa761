use std::io::Write;
use std::process::{Command, Stdio};

fn centinela() -> Command {
    Command::new(env!("CARGO_BIN_EXE_centinela"))
}

#[test]
fn help_lists_the_subcommands_and_settings() {
    let out = centinela().arg("--help").output().expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "seed-demo",
        "create-admin",
        "DATABASE_URL",
        "CENTINELA_ADDR",
        "CENTINELA_TRUSTED_PROXIES",
        "CENTINELA_DEMO",
    ] {
        assert!(help.contains(word), "--help does not mention {word}");
    }
}

#[test]
fn create_admin_reads_the_password_from_stdin_and_the_admin_can_sign_in() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}/c.db", dir.path().display());
    let mut child = centinela()
        .args([
            "create-admin",
            "--username",
            "seguridad.jefa",
            "--full-name",
            "Ana Torres",
            "--email",
            "ana@example.pe",
        ])
        .env("DATABASE_URL", &db)
        .env("CENTINELA_DATA_DIR", dir.path().join("data"))
        .env_remove("CENTINELA_ADMIN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"una-clave-muy-larga\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second time is refused clearly.
    let again = centinela()
        .args([
            "create-admin",
            "--username",
            "seguridad.jefa",
            "--full-name",
            "Ana Torres",
            "--email",
            "ana@example.pe",
        ])
        .env("DATABASE_URL", &db)
        .env("CENTINELA_DATA_DIR", dir.path().join("data"))
        .env("CENTINELA_ADMIN_PASSWORD", "una-clave-muy-larga")
        .output()
        .expect("runs");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn a_short_admin_password_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let out = centinela()
        .args([
            "create-admin",
            "--username",
            "x.admin",
            "--full-name",
            "X",
            "--email",
            "x@example.pe",
        ])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/c.db", dir.path().display()),
        )
        .env("CENTINELA_DATA_DIR", dir.path().join("data"))
        .env("CENTINELA_ADMIN_PASSWORD", "corta")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("12"));
}

#[test]
fn start_fails_with_a_clear_message_when_the_database_is_not_usable() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("broken.db");
    std::fs::write(
        &file,
        b"this is not a database file at all, not even close......",
    )
    .expect("write");
    let out = centinela()
        .arg("migrate")
        .env("DATABASE_URL", format!("sqlite://{}", file.display()))
        .env("CENTINELA_DATA_DIR", dir.path().join("data"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("centinela:") && (err.contains("database") || err.contains("migrations")),
        "{err}"
    );
}

#[test]
fn the_demo_switch_takes_the_usual_spellings_of_a_boolean() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}/c.db", dir.path().display());
    for value in ["1", "yes", "on", "true", "0", "no", "off", "false"] {
        let out = centinela()
            .arg("migrate")
            .env("DATABASE_URL", &db)
            .env("CENTINELA_DATA_DIR", dir.path().join("data"))
            .env("CENTINELA_DEMO", value)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "CENTINELA_DEMO={value}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = centinela()
        .arg("migrate")
        .env("DATABASE_URL", &db)
        .env("CENTINELA_DEMO", "perhaps")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("perhaps"));
}
