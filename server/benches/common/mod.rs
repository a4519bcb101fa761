//! What the benchmarks share: a fresh SQLite database in a temporary folder, with
//! the application's state (migrations run, secrets generated).

use app::server::context::{AuthSession, RequestMeta};
use app::server::repo::users::{self, NewUser};
use app::server::service::export;
use app::server::{AppState, Clock};
use app::types::{ExportRequest, Role, Selection};
use server::Config;
use server::keys::Secrets;
use std::time::{Duration, Instant};

pub async fn fresh_state(file: &str) -> anyhow::Result<(tempfile::TempDir, AppState)> {
    let dir = tempfile::tempdir()?;
    let config = Config::for_tests(
        format!("sqlite://{}/{file}", dir.path().display()),
        dir.path().join("data"),
    );
    let secrets = Secrets::load_or_create(&config.data_dir, &config.audit_key_file())?;
    let state = server::startup::open_state(&config, &secrets, Clock::default()).await?;
    Ok((dir, state))
}

// Not every benchmark uses every helper below.

/// How long each throughput run lasts.
#[allow(dead_code)]
pub const RUN_FOR: Duration = Duration::from_secs(5);

/// A user to act as (inserted directly, with a precomputed password hash), certified.
#[allow(dead_code)]
pub async fn user(
    state: &AppState,
    username: &str,
    department: &str,
    role: &str,
    hash: &str,
) -> anyhow::Result<AuthSession> {
    let mut conn = state.db.conn().await?;
    let new = NewUser {
        username,
        full_name: username,
        email: "bench@example.pe",
        department,
        role,
        password_hash: hash,
    };
    let id = users::insert_user_if_absent(&mut conn, &new, state.clock.now_ms())
        .await?
        .ok_or_else(|| anyhow::anyhow!("exists"))?;
    // Exporting needs the data-protection training passed: a certificate valid for a year.
    let now = state.clock.now_ms();
    let certificate = app::server::repo::training::CertificateRow {
        code: app::server::service::training::certificates::new_code(),
        user_id: id,
        issued_at: now,
        valid_until: now + 365 * 86_400_000,
        revoked_at: None,
    };
    app::server::repo::training::insert_certificate(&mut conn, &certificate, None).await?;
    Ok(AuthSession {
        user_id: id,
        username: username.into(),
        role: role.parse::<Role>()?,
        session_id: "bench".into(),
    })
}

#[allow(dead_code)]
/// Allowed export decisions per second with `workers` concurrent requests.
pub async fn decision_rate(
    state: &AppState,
    exporter: &AuthSession,
    workers: usize,
) -> anyhow::Result<f64> {
    let caller = exporter.clone();
    rate(state, workers, move |state, i| {
        let caller = caller.clone();
        async move {
            let request = ExportRequest {
                selection: Selection::Ids(vec![1 + (i as i64 % 5_000)]),
                fields: vec!["full_name".into(), "email".into()],
                format: "csv".into(),
                justification: "Reporte de seguimiento de clientes para auditoría".into(),
                campaign: None,
            };
            let meta = RequestMeta {
                ip: "127.0.0.1".into(),
                user_agent: "bench".into(),
                session_id: None,
            };
            match export::request_export(&state, &caller, &meta, request).await {
                Ok(export::Decision::Allowed { .. }) => Ok(()),
                other => anyhow::bail!("not allowed: {other:?}"),
            }
        }
    })
    .await
}

#[allow(dead_code)]
/// Operations per second with `workers` concurrent loops for `RUN_FOR`.
pub async fn rate<F, Fut>(state: &AppState, workers: usize, op: F) -> anyhow::Result<f64>
where
    F: Fn(AppState, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let started = Instant::now();
    let mut loops = Vec::new();
    for w in 0..workers {
        let (state, op) = (state.clone(), op.clone());
        loops.push(tokio::spawn(async move {
            let mut done = 0usize;
            while started.elapsed() < RUN_FOR {
                op(state.clone(), w * 1_000_000 + done).await?;
                done += 1;
            }
            anyhow::Ok(done)
        }));
    }
    let mut total = 0;
    for l in loops {
        total += l.await??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}
