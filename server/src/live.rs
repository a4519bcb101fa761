//! `GET /api/live`: server-sent events for administrators (others 403, signed out 401).
//! An `alerts` event, whose id is the change sequence, whenever an alert is raised or
//! changes; heartbeats while nothing does; a reconnect with `Last-Event-ID` older than the
//! current sequence gets an `alerts` event at once, so nothing is missed across a drop.
//! The stream ends (`end` event) when its session ends — signed out, expired, blocked —
//! and when the server stops. Over a cap of streams per user or in all: 429.

use crate::middleware::error_response;
use app::error::AppError;
use app::server::AppState;
use app::server::context::AuthSession;
use app::server::live::{HEARTBEAT, SESSION_CHECK, Ticket};
use app::server::service::access::sign_in;
use app::types::Role;
use axum::extract::{Request, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use tokio::sync::watch;

/// One stream's state between events.
struct Open {
    state: AppState,
    session_id: String,
    sequence: watch::Receiver<i64>,
    closing: watch::Receiver<bool>,
    /// What the client last saw (`Last-Event-ID`), until the first event is sent.
    resumed_from: Option<Option<i64>>,
    ended: bool,
    _ticket: Ticket,
}

pub async fn stream(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Some(caller) = parts.extensions.get::<AuthSession>().cloned() else {
        return error_response(AppError::Unauthorized);
    };
    if caller.role != Role::Admin {
        return error_response(AppError::Forbidden);
    }
    let Some(ticket) = state.live.admit(caller.user_id) else {
        return error_response(AppError::TooManyRequests);
    };
    let last_seen = parts
        .headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let open = Open {
        sequence: state.live.subscribe(),
        closing: state.live.closing(),
        state,
        session_id: caller.session_id,
        resumed_from: Some(last_seen),
        ended: false,
        _ticket: ticket,
    };
    let events = futures::stream::unfold(open, next);
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
        .into_response()
}

fn alerts(seq: i64) -> Event {
    Event::default()
        .event("alerts")
        .id(seq.to_string())
        .data(seq.to_string())
}

async fn next(mut open: Open) -> Option<(Result<Event, Infallible>, Open)> {
    if open.ended {
        return None;
    }
    // First: where the client stands.
    if let Some(last_seen) = open.resumed_from.take() {
        let current = *open.sequence.borrow_and_update();
        let event = match last_seen {
            Some(seen) if seen != current => alerts(current),
            _ => Event::default()
                .event("ready")
                .id(current.to_string())
                .data(current.to_string()),
        };
        return Some((Ok(event), open));
    }
    loop {
        tokio::select! {
            changed = open.sequence.changed() => {
                if changed.is_err() {
                    return None;
                }
                let seq = *open.sequence.borrow_and_update();
                return Some((Ok(alerts(seq)), open));
            }
            _ = open.closing.changed() => {
                open.ended = true;
                return Some((Ok(Event::default().event("end").data("shutdown")), open));
            }
            () = tokio::time::sleep(SESSION_CHECK) => {
                let valid = sign_in::still_valid(&open.state, &open.session_id).await;
                if !matches!(valid, Ok(true)) {
                    open.ended = true;
                    return Some((Ok(Event::default().event("end").data("session")), open));
                }
            }
        }
    }
}
