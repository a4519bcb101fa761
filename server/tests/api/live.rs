//! The live stream (`GET /api/live`): a new alert reaches a connected administrator, a
//! reconnect with an old `Last-Event-ID` is told at once, the stream ends with the session,
//! and the caps.

use crate::detection::{admin, fail_sign_in};
use crate::helpers::{TestApp, spawn_app};
use std::time::Duration;

/// An open stream, read as text.
struct Stream {
    res: reqwest::Response,
    seen: String,
}

impl Stream {
    async fn open(
        app: &TestApp,
        client: &reqwest::Client,
        last_event_id: Option<&str>,
    ) -> reqwest::Response {
        let mut req = client.get(app.url("/api/live"));
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id);
        }
        req.send().await.expect("stream")
    }

    fn new(res: reqwest::Response) -> Self {
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        Self {
            res,
            seen: String::new(),
        }
    }

    /// Reads until `needle` appears (true) or `within` passes or the stream ends (false).
    async fn wait_for(&mut self, needle: &str, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while !self.seen.contains(needle) {
            match tokio::time::timeout_at(deadline, self.res.chunk()).await {
                Ok(Ok(Some(bytes))) => self.seen.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return false,
            }
        }
        true
    }

    /// The id of the last event seen.
    fn last_id(&self) -> Option<String> {
        self.seen
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("id:"))
            .map(|id| id.trim().to_owned())
    }
}

#[tokio::test]
async fn a_new_alert_reaches_a_connected_administrators_stream() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.asistente", "ventas", "assistant")
        .await;
    let mut stream = Stream::new(Stream::open(&app, &admin, None).await);
    assert!(
        stream
            .wait_for("event: ready", Duration::from_secs(5))
            .await,
        "{}",
        stream.seen
    );
    let before = stream.last_id().expect("an id");
    for _ in 0..5 {
        fail_sign_in(&app, "ventas.asistente").await;
    }
    // Detection runs in the background; the stream hears of the alert within seconds.
    assert!(
        stream
            .wait_for("event: alerts", Duration::from_secs(8))
            .await,
        "no alerts event: {}",
        stream.seen
    );
    let after = stream.last_id().expect("an id");
    assert_ne!(before, after);

    // A reconnect that last saw the old sequence is told at once; one up to date is not.
    let mut resumed = Stream::new(Stream::open(&app, &admin, Some(&before)).await);
    assert!(
        resumed
            .wait_for("event: alerts", Duration::from_secs(3))
            .await,
        "{}",
        resumed.seen
    );
    let mut current = Stream::new(Stream::open(&app, &admin, Some(&after)).await);
    assert!(
        current
            .wait_for("event: ready", Duration::from_secs(3))
            .await,
        "{}",
        current.seen
    );
}

#[tokio::test]
async fn the_stream_is_for_administrators_ends_with_the_session_and_is_capped() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    app.create_user("ventas.supervisor", "ventas", "supervisor")
        .await;
    let supervisor = app.client();
    app.login(&supervisor, "ventas.supervisor").await;
    assert_eq!(Stream::open(&app, &supervisor, None).await.status(), 403);
    assert_eq!(Stream::open(&app, &app.client(), None).await.status(), 401);

    // The cap: four streams per user (the default); a fifth is refused, and a place comes
    // back when one closes.
    let mut open = Vec::new();
    for _ in 0..4 {
        open.push(Stream::new(Stream::open(&app, &admin, None).await));
    }
    assert_eq!(Stream::open(&app, &admin, None).await.status(), 429);
    drop(open.pop());
    let mut freed = false;
    for _ in 0..20 {
        let res = Stream::open(&app, &admin, None).await;
        if res.status() == 200 {
            open.push(Stream::new(res));
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(freed, "the closed stream gave its place back");

    // Signing out ends every stream of that session.
    let (status, _) = app.post_form(&admin, "/api/logout", &[]).await;
    assert!(status < 400, "{status}");
    for stream in &mut open {
        assert!(
            stream.wait_for("event: end", Duration::from_secs(6)).await,
            "the stream did not end: {}",
            stream.seen
        );
        let ended = tokio::time::timeout(Duration::from_secs(3), stream.res.chunk()).await;
        assert!(matches!(ended, Ok(Ok(None))), "closed after the end event");
    }
}
