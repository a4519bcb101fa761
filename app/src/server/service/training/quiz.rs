//! Attempts (SPEC "Training"): ten questions drawn at random with their options shuffled,
//! graded on the server against the stored bank — the answers never leave it before the
//! attempt is submitted. Pass mark 80 %, 20 minutes, three attempts in 24 hours. Every
//! start and every grade is an audit event in the same transaction as the attempt's row.

use super::bank::{self, Question};
use super::certificates;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::training::{self as repo, AttemptRow};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome};
use crate::types::training::*;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DAY_MS: i64 = 86_400_000;

/// One drawn question: its id and the order its options were shown in.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Drawn {
    question: String,
    options: Vec<String>,
}

/// Draws `n` of `bank` and shuffles each one's options.
fn draw(bank: &[Question], n: usize) -> Vec<Drawn> {
    let mut rng = rand::thread_rng();
    bank.choose_multiple(&mut rng, n.min(bank.len()))
        .map(|q| {
            let mut options: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
            options.shuffle(&mut rng);
            Drawn {
                question: q.id.clone(),
                options,
            }
        })
        .collect()
}

fn shown(q: &Question, order: &[String], l: Locale) -> Vec<QuizOption> {
    order
        .iter()
        .filter_map(|id| q.options.iter().find(|o| &o.id == id))
        .map(|o| QuizOption {
            id: o.id.clone(),
            text: o.text(l).to_owned(),
        })
        .collect()
}

/// When the next attempt is possible, if three were started in the last 24 hours.
pub fn next_attempt_at(recent: &[AttemptRow], now: i64) -> Option<i64> {
    let in_window: Vec<i64> = recent
        .iter()
        .map(|a| a.started_at)
        .filter(|t| *t > now - DAY_MS)
        .collect();
    (in_window.len() as i64 >= ATTEMPTS_PER_DAY)
        .then(|| in_window.iter().min().map(|t| t + DAY_MS))
        .flatten()
}

/// `POST /api/quiz_start`.
pub async fn start(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    l: Locale,
) -> Result<QuizStart, AppError> {
    let mut tx = state.db.begin_write().await?;
    repo::lock_user(&mut tx, caller.user_id).await?;
    let now = state.clock.now_ms();
    if certificates::agreement_needed(&mut tx, caller.user_id).await? {
        return Err(AppError::Refused(Notice::AgreementRequired));
    }
    let recent = repo::attempts_since(&mut tx, caller.user_id, now - DAY_MS).await?;
    if let Some(next_at) = next_attempt_at(&recent, now) {
        return Err(AppError::Refused(Notice::TooManyAttempts { next_at }));
    }
    let bank = bank::active(&mut tx).await?;
    let drawn = draw(&bank, QUESTIONS_PER_ATTEMPT);
    let row = AttemptRow {
        id: format!("{:032x}", rand::random::<u128>()),
        user_id: caller.user_id,
        started_at: now,
        expires_at: now + TIME_LIMIT_MS,
        drawn: serde_json::to_string(&drawn).map_err(|_| AppError::Internal)?,
        submitted_at: None,
        score: None,
        total: drawn.len() as i64,
        outcome: None,
    };
    repo::insert_attempt(&mut tx, &row).await?;
    let event = NewEvent::new(AuditAction::QuizStarted, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("quiz_attempt", &row.id)
        .meta(meta)
        .details(json!({ "questions": drawn.iter().map(|d| &d.question).collect::<Vec<_>>(), "expires_at": row.expires_at }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    let questions = drawn
        .iter()
        .filter_map(|d| {
            let q = bank.iter().find(|q| q.id == d.question)?;
            Some(QuizQuestion {
                id: q.id.clone(),
                text: q.text.get(l).to_owned(),
                options: shown(q, &d.options, l),
            })
        })
        .collect();
    Ok(QuizStart {
        attempt_id: row.id,
        questions,
        expires_at: row.expires_at,
    })
}

/// `POST /api/quiz_submit`: grades the caller's attempt once. Someone else's attempt is
/// not found; a second submission, or an answer to a question (or with an option) the
/// attempt did not draw, changes nothing.
pub async fn submit(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    submitted: &QuizAnswers,
    l: Locale,
) -> Result<QuizResult, AppError> {
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let attempt = repo::attempt(&mut tx, submitted.attempt_id.trim())
        .await?
        .filter(|a| a.user_id == caller.user_id)
        .ok_or(AppError::NotFound)?;
    if attempt.submitted_at.is_some() {
        return Err(AppError::Conflict(Notice::AttemptSubmitted));
    }
    let drawn: Vec<Drawn> = serde_json::from_str(&attempt.drawn).map_err(|_| AppError::Internal)?;
    for (question, option) in &submitted.answers {
        let fits = drawn
            .iter()
            .any(|d| &d.question == question && d.options.contains(option));
        if !fits {
            return Err(AppError::invalid(
                "answers",
                Notice::NotInAttempt {
                    question: question.clone(),
                },
            ));
        }
    }
    let bank = bank::active(&mut tx).await?;
    let mut review = Vec::with_capacity(drawn.len());
    for d in &drawn {
        // A question retired since the draw is still graded as drawn (its body is kept).
        let Some(q) = bank.iter().find(|q| q.id == d.question) else {
            continue;
        };
        let chosen = submitted.answers.get(&q.id).cloned();
        review.push(ReviewItem {
            question_id: q.id.clone(),
            text: q.text.get(l).to_owned(),
            options: shown(q, &d.options, l),
            is_correct: chosen.as_deref() == Some(q.correct.as_str()),
            chosen,
            correct: q.correct.clone(),
            explanation: q.explanation.get(l).to_owned(),
        });
    }
    let score = review.iter().filter(|r| r.is_correct).count() as i64;
    let total = attempt.total;
    let expired = now > attempt.expires_at;
    let passed = !expired && score * 100 >= PASS_PERCENT * total;
    let outcome = if expired {
        "expired"
    } else if passed {
        "passed"
    } else {
        "failed"
    };
    let answers = serde_json::to_string(&submitted.answers).map_err(|_| AppError::Internal)?;
    if !repo::grade_attempt(&mut tx, &attempt.id, &answers, score, outcome, now).await? {
        return Err(AppError::Conflict(Notice::AttemptSubmitted));
    }
    let event = NewEvent::new(
        AuditAction::QuizAttempt,
        if passed {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )
    .actor(Some(caller.user_id), &caller.username)
    .target("quiz_attempt", &attempt.id)
    .meta(meta)
    .details(
        json!({ "score": score, "total": total, "outcome": outcome, "answers": submitted.answers }),
    );
    audit::append(&mut tx, now, event).await?;
    let certificate = if passed {
        Some(certificates::issue(state, &mut tx, caller, meta, &attempt.id, now).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(QuizResult {
        score,
        total,
        passed,
        expired,
        review,
        certificate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(started_at: i64) -> AttemptRow {
        AttemptRow {
            id: String::new(),
            user_id: 1,
            started_at,
            expires_at: 0,
            drawn: String::new(),
            submitted_at: None,
            score: None,
            total: 10,
            outcome: None,
        }
    }

    #[test]
    fn the_fourth_attempt_waits_until_the_first_leaves_the_day() {
        let now = 10 * DAY_MS;
        let two = [attempt(now - 1000), attempt(now - 2000)];
        assert_eq!(next_attempt_at(&two, now), None);
        let three = [
            attempt(now - 1000),
            attempt(now - 2000),
            attempt(now - 5 * 3_600_000),
        ];
        assert_eq!(
            next_attempt_at(&three, now),
            Some(now - 5 * 3_600_000 + DAY_MS)
        );
        let old = [
            attempt(now - 1000),
            attempt(now - 2000),
            attempt(now - DAY_MS - 1),
        ];
        assert_eq!(next_attempt_at(&old, now), None);
    }

    #[test]
    fn a_draw_holds_distinct_questions_with_every_option_once() {
        let (_, bank) = bank::from_file().expect("bank");
        let drawn = draw(&bank, QUESTIONS_PER_ATTEMPT);
        assert_eq!(drawn.len(), QUESTIONS_PER_ATTEMPT);
        let ids: std::collections::BTreeSet<&str> =
            drawn.iter().map(|d| d.question.as_str()).collect();
        assert_eq!(ids.len(), QUESTIONS_PER_ATTEMPT);
        for d in &drawn {
            let q = bank
                .iter()
                .find(|q| q.id == d.question)
                .expect("from the bank");
            let mut shown = d.options.clone();
            shown.sort();
            let mut all: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
            all.sort();
            assert_eq!(shown, all);
        }
    }
}
