//! Building and running the application: secrets, database, state, router, jobs.
//! Tests call [`Application::build`] with port 0 and a fresh database.

use crate::config::Config;
use crate::keys::Secrets;
use crate::middleware::{self, CspNonce, HeaderPolicy};
use anyhow::Context;
use app::server::crypto::FieldCipher;
use app::server::repo::http_session::DbSessionStore;
use app::server::service::audit::checkpoint::{self, Reason, Signer};
use app::server::service::{access::password::Passwords, demo};
use app::server::{AppState, Clock, Db, SessionPolicy, jobs};
use app::{RouteTable, shell};
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use http::StatusCode;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_sessions::cookie::{Key, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    addr: SocketAddr,
}

impl Application {
    /// Opens the database (running migrations), loads the secrets, seeds the demo when
    /// asked, and binds the listener. Fails with a clear message if any of it fails.
    pub async fn build(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        let config = Config { addr, ..config };
        let secrets = Secrets::load_or_create(&config.data_dir, &config.audit_key_file())?;
        let state = open_state(&config, &secrets, clock).await?;
        if config.demo {
            seed_demo(&state, &config.demo_password).await?;
        }
        let store = DbSessionStore::new(state.db.clone());
        let router = router(&config, state.clone(), store, &secrets);
        Ok(Self {
            listener,
            router,
            state,
            addr,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `stop` is cancelled (or Ctrl-C / SIGTERM when run from the CLI).
    pub async fn run_until_stopped(self, stop: CancellationToken) -> anyhow::Result<()> {
        let state = self.state.clone();
        jobs::start(&state, stop.clone());
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await
            .context("server error");
        // The last word of every run: a signed checkpoint of where the chain ended.
        if let Err(error) = checkpoint::write(&state, Reason::Shutdown).await {
            tracing::warn!(%error, "shutdown checkpoint failed");
        }
        served
    }
}

/// Opens the database (running migrations) and builds the state.
pub async fn open_state(
    config: &Config,
    secrets: &Secrets,
    clock: Clock,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let leptos_options = LeptosOptions::builder()
        .output_name("centinela")
        .site_root(config.site_root.to_string_lossy().to_string())
        // The built front end's folder, named by its content (`scripts/site.sh`).
        .site_pkg_dir(app::server::assets::pkg_dir())
        .site_addr(config.addr)
        .build();
    let state = AppState {
        writes: app::server::group_commit::GroupCommit::start(db.clone()),
        db,
        clock,
        passwords: Arc::new(Passwords::new(cores).map_err(|e| anyhow::anyhow!("{e}"))?),
        cipher: Arc::new(FieldCipher::new(&secrets.data_key)),
        sessions: SessionPolicy::default(),
        failpoints: Default::default(),
        signer: Arc::new(Signer::new(
            secrets.audit_seed,
            Some(config.checkpoint_file()),
        )),
        archive_dir: config.archive_dir(),
        checkpoint_interval: std::time::Duration::from_secs(config.checkpoint_interval.max(1)),
        mail: match (&config.smtp_url, &config.mail_from) {
            (Some(url), Some(from)) => {
                use secrecy::ExposeSecret;
                Some(Arc::new(app::server::mail::Mailer::new(
                    url.expose_secret(),
                    from,
                )?))
            }
            (Some(_), None) => anyhow::bail!("CENTINELA_SMTP_URL needs CENTINELA_MAIL_FROM too"),
            _ => None,
        },
        verifications: Default::default(),
        detection: Default::default(),
        compliance: Default::default(),
        live: app::server::live::LiveHub::new(config.live_per_user, config.live_max),
        training: app::server::TrainingPolicy {
            validity_days: config.certificate_days,
            company: config.company.clone(),
        },
        approvals: app::server::ApprovalPolicy {
            request_ttl_ms: config.approval_hours * 3_600_000,
            grant_ttl_ms: config.grant_hours * 3_600_000,
        },
        leptos_options,
    };
    let added = app::server::service::training::bank::seed(&state)
        .await
        .map_err(|e| anyhow::anyhow!("seeding the question bank failed: {e}"))?;
    if added > 0 {
        tracing::info!(questions = added, "question bank seeded");
    }
    let backfilled = app::server::service::contacts::backfill_search_text(&state)
        .await
        .map_err(|e| anyhow::anyhow!("preparing contact search failed: {e}"))?;
    if backfilled > 0 {
        tracing::info!(contacts = backfilled, "computed search text");
    }
    Ok(state)
}

/// Seeds the demo organisation and says how to sign in.
pub async fn seed_demo(state: &AppState, password: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let report = demo::seed(state, password)
        .await
        .map_err(|e| anyhow::anyhow!("seeding the demo failed: {e}"))?;
    tracing::info!(
        users = report.users_created,
        contacts = report.contacts_created,
        history_steps = report.history.steps,
        alerts = report.history.alerts,
        took_ms = started.elapsed().as_millis(),
        "demo organisation ready"
    );
    eprintln!(
        "\nDemo organisation ready. Sign in as ventas.ejecutivo, admin, ... with the password \
         \"{password}\" (CENTINELA_DEMO_PASSWORD).\n"
    );
    Ok(())
}

fn router(config: &Config, state: AppState, store: DbSessionStore, secrets: &Secrets) -> Router {
    let routes = generate_route_list(RouteTable);
    let context = || {
        if let Some(nonce) = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0));
        }
    };
    let cookie_name = if config.https() {
        "__Host-centinela"
    } else {
        "centinela"
    };
    let sessions = SessionManagerLayer::new(store)
        .with_name(cookie_name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.https())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(12)))
        .with_signed(Key::from(&secrets.session_key));
    let trusted = Arc::new(config.trusted_proxies.clone());
    let headers = HeaderPolicy {
        https: config.https(),
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/exports/{id}/download", get(crate::downloads::download))
        .route("/requests/{id}/download", get(crate::downloads::grant))
        .route(
            "/reports/monthly/{file}",
            get(crate::downloads::monthly_report),
        )
        .route(
            "/reports/compliance/{file}",
            get(crate::downloads::compliance_report),
        )
        .route("/auditoria/export.csv", get(crate::downloads::audit_csv))
        .route(
            "/capacitacion/estado.csv",
            get(crate::downloads::training_csv),
        )
        .route("/api/live", get(crate::live::stream))
        .nest("/pkg", crate::assets::router(&config.site_root))
        .leptos_routes_with_context(&state, routes, context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn(crate::server_fns::error_status))
        .layer(axum::middleware::from_fn(middleware::page_redirects))
        .layer(axum::middleware::from_fn(
            crate::server_fns::require_body_encoding,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::audit_alarm,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn(middleware::reject_cross_site))
        .layer(axum::middleware::from_fn(middleware::request_locale))
        .layer(axum::middleware::from_fn_with_state(
            trusted,
            middleware::client_ip,
        ))
        .layer(axum::middleware::from_fn_with_state(
            headers,
            middleware::security_headers,
        ))
        // Pages and API answers compressed on the fly (the front end's files are served
        // precompressed; event streams are never compressed).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// `GET /healthz`: 200 with the database status, 503 when it does not answer.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let backend = state.db.backend().name();
    if state.db.ping().await {
        let body = serde_json::json!({ "status": "ok", "database": { "status": "ok", "backend": backend } });
        (StatusCode::OK, axum::Json(body))
    } else {
        let body = serde_json::json!({
            "status": "unavailable",
            "database": { "status": "unreachable", "backend": backend }
        });
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body))
    }
}
