//! The quiz (SPEC "Training"): drawn and graded on the server, never leaking its answers,
//! with its pass mark, time limit, attempt limit, and refusals that change nothing.

use crate::helpers::{TestApp, spawn_app};
use app::server::service::training::bank;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// An uncertified employee, signed in, who accepted the agreement.
pub(crate) async fn trainee(app: &TestApp, username: &str) -> reqwest::Client {
    app.create_uncertified_user(username, "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, username).await;
    let (status, body) = app.post_form(&client, "/api/accept_agreement", &[]).await;
    assert_eq!(status, 200, "{body}");
    client
}

/// Takes one attempt with `right` answers right; returns the certificate's code on a pass.
pub(crate) async fn pass_quiz(
    app: &TestApp,
    client: &reqwest::Client,
    right: usize,
) -> Option<String> {
    let attempt = start(app, client).await;
    let (status, result) = submit(app, client, &attempt, answers(&attempt, right)).await;
    assert_eq!(status, 200, "{result}");
    result["certificate"]["code"].as_str().map(str::to_owned)
}

pub(crate) async fn start(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, body) = app.post_json(client, "/api/quiz_start", &json!({})).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Answers for `attempt`: the first `right` questions right (from the bank's key, as a
/// test may read it), the rest wrong.
pub(crate) fn answers(attempt: &Value, right: usize) -> Map<String, Value> {
    let (_, key) = bank::from_file().expect("bank");
    let mut out = Map::new();
    for (i, q) in attempt["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .enumerate()
    {
        let id = q["id"].as_str().expect("id");
        let correct = &key
            .iter()
            .find(|k| k.id == id)
            .expect("in the bank")
            .correct;
        let options: Vec<&str> = q["options"]
            .as_array()
            .expect("options")
            .iter()
            .map(|o| o["id"].as_str().expect("option"))
            .collect();
        let pick = if i < right {
            correct.as_str()
        } else {
            options
                .iter()
                .copied()
                .find(|o| o != correct)
                .expect("a wrong one")
        };
        out.insert(id.to_owned(), json!(pick));
    }
    out
}

pub(crate) async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    attempt: &Value,
    answers: Map<String, Value>,
) -> (u16, Value) {
    app.post_json(
        client,
        "/api/quiz_submit",
        &json!({ "attempt_id": attempt["attempt_id"], "answers": answers }),
    )
    .await
}

#[tokio::test]
async fn an_attempt_draws_ten_questions_without_their_answers_and_grades_on_the_server() {
    let app = spawn_app().await;
    app.create_uncertified_user("ana.ventas", "ventas", "executive")
        .await;
    let client = app.client();
    app.login(&client, "ana.ventas").await;

    // The agreement comes first.
    let (status, body) = app.post_json(&client, "/api/quiz_start", &json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("agreement_required")),
        "{body}"
    );
    let (status, _) = app.post_form(&client, "/api/accept_agreement", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(app.audit("agreement_accepted").await.len(), 1);

    let res = client
        .post(app.url("/api/quiz_start"))
        .json(&json!({}))
        .send()
        .await
        .expect("start");
    assert_eq!(res.status(), 200);
    let raw = res.text().await.expect("body");
    // Nothing in the answer tells which option is right.
    for leak in [
        "\"correct\"",
        "\"explanation\"",
        "\"is_correct\"",
        "\"answer",
    ] {
        assert!(!raw.contains(leak), "quiz_start leaks {leak}: {raw}");
    }
    let attempt: Value = serde_json::from_str(&raw).expect("json");
    let questions = attempt["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 10);
    let ids: std::collections::BTreeSet<&str> = questions
        .iter()
        .map(|q| q["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 10, "ten different questions");
    for q in questions {
        let n = q["options"].as_array().expect("options").len();
        assert!((3..=5).contains(&n));
        assert!(!q["text"].as_str().unwrap_or_default().is_empty());
    }
    let expires = attempt["expires_at"].as_i64().expect("expires_at");
    assert!(
        (expires - app.clock.now_ms() - 20 * 60_000).abs() < 5_000,
        "20 minutes"
    );
    assert_eq!(app.audit("quiz_started").await.len(), 1);

    // 7 of 10 fails: no certificate.
    let (status, result) = submit(&app, &client, &attempt, answers(&attempt, 7)).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(
        (
            result["score"].as_i64(),
            result["total"].as_i64(),
            result["passed"].as_bool()
        ),
        (Some(7), Some(10), Some(false))
    );
    assert!(result["certificate"].is_null());
    // The review shows each question with the chosen and the right option and why.
    let review = result["review"].as_array().expect("review");
    assert_eq!(review.len(), 10);
    assert_eq!(review.iter().filter(|r| r["is_correct"] == true).count(), 7);
    assert!(
        review.iter().all(|r| r["correct"].is_string()
            && !r["explanation"].as_str().unwrap_or_default().is_empty())
    );

    // 8 of 10 passes, and issues a certificate valid for a year.
    let attempt = start(&app, &client).await;
    let (status, result) = submit(&app, &client, &attempt, answers(&attempt, 8)).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(
        (result["score"].as_i64(), result["passed"].as_bool()),
        (Some(8), Some(true))
    );
    let valid_until = result["certificate"]["valid_until"]
        .as_i64()
        .expect("certificate");
    let year = valid_until - app.clock.now_ms();
    assert!((year - 365 * 86_400_000).abs() < 60_000);
    let graded = app.audit("quiz_attempt").await;
    assert_eq!(graded.len(), 2, "every attempt and its score is audited");
    assert!(graded.iter().any(|e| {
        e.details_json
            .as_deref()
            .unwrap_or_default()
            .contains("\"score\":8")
    }));
    assert_eq!(app.audit("certificate_issued").await.len(), 1);

    let (_, mine) = app.post_form(&client, "/api/my_training", &[]).await;
    assert_eq!(mine["certified"], true, "{mine}");
    assert_eq!(mine["certificate"]["code"], result["certificate"]["code"]);
}

#[tokio::test]
async fn late_replayed_foreign_and_made_up_submissions_change_nothing() {
    let app = spawn_app().await;
    let ana = trainee(&app, "ana.ventas").await;
    let luis = trainee(&app, "luis.ventas").await;

    // Submitted after 20 minutes: graded as expired, never passed.
    let attempt = start(&app, &ana).await;
    app.clock.advance(Duration::from_secs(21 * 60));
    let (status, result) = submit(&app, &ana, &attempt, answers(&attempt, 10)).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(
        (result["passed"].as_bool(), result["expired"].as_bool()),
        (Some(false), Some(true))
    );
    assert!(result["certificate"].is_null());

    // The same attempt again: 409.
    let (status, body) = submit(&app, &ana, &attempt, answers(&attempt, 10)).await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (409, Some("attempt_submitted")),
        "{body}"
    );

    // Someone else's attempt: 404, and it stays open for its owner.
    let theirs = start(&app, &luis).await;
    let (status, _) = submit(&app, &ana, &theirs, answers(&theirs, 10)).await;
    assert_eq!(status, 404);
    // A question the attempt did not draw, or an option it does not have: 400.
    let mut made_up = answers(&theirs, 10);
    made_up.insert("q99".into(), json!("a"));
    let (status, body) = submit(&app, &luis, &theirs, made_up).await;
    assert_eq!(
        (status, body["notice"]["key"].as_str()),
        (400, Some("not_in_attempt")),
        "{body}"
    );
    let mut bad_option = answers(&theirs, 10);
    let first = theirs["questions"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    bad_option.insert(first, json!("z"));
    let (status, _) = submit(&app, &luis, &theirs, bad_option).await;
    assert_eq!(status, 400);
    let ungraded = app
        .scalar("select cast(count(*) as bigint) from quiz_attempt where submitted_at is null")
        .await;
    assert_eq!(ungraded, 1, "the refused submissions graded nothing");
    let certificates = app
        .scalar("select cast(count(*) as bigint) from certificate")
        .await;
    assert_eq!(certificates, 0);
    // Its owner still passes with it.
    let (status, result) = submit(&app, &luis, &theirs, answers(&theirs, 10)).await;
    assert_eq!(
        (status, result["passed"].as_bool()),
        (200, Some(true)),
        "{result}"
    );

    // Signed out: 401.
    let (status, _) = app
        .post_json(&app.client(), "/api/quiz_start", &json!({}))
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn three_attempts_a_day_and_the_fourth_is_told_when() {
    let app = spawn_app().await;
    let ana = trainee(&app, "ana.ventas").await;
    for _ in 0..3 {
        let attempt = start(&app, &ana).await;
        let (status, _) = submit(&app, &ana, &attempt, answers(&attempt, 2)).await;
        assert_eq!(status, 200);
    }
    let (status, body) = app.post_json(&ana, "/api/quiz_start", &json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts")),
        "{body}"
    );
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("3 intentos") && message.contains("hora de Lima"),
        "{message}"
    );
    let (_, mine) = app.post_form(&ana, "/api/my_training", &[]).await;
    assert_eq!(mine["attempts_left"], 0);
    assert!(mine["next_attempt_at"].as_i64().is_some());
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from quiz_attempt")
            .await,
        3,
        "the refused start created nothing"
    );

    // A day later the first attempt has left the window.
    app.clock.advance(Duration::from_secs(24 * 3600 + 60));
    app.login(&ana, "ana.ventas").await;
    start(&app, &ana).await;
}
