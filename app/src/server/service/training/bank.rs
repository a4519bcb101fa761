//! The question bank: a versioned file (`app/training/questions.json`) seeded into
//! `quiz_question` at start-up, so administrators can add questions as data later. A
//! question's body is stored as the file has it; nothing here reaches a browser except
//! through `quiz.rs`, which strips the answer.

use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::AppState;
use crate::server::repo::training as repo;
use serde::{Deserialize, Serialize};

const BANK: &str = include_str!("../../../../training/questions.json");

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Both {
    pub es: String,
    pub en: String,
}

impl Both {
    pub fn get(&self, l: Locale) -> &str {
        match l {
            Locale::en => &self.en,
            _ => &self.es,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankOption {
    pub id: String,
    pub es: String,
    pub en: String,
}

impl BankOption {
    pub fn text(&self, l: Locale) -> &str {
        match l {
            Locale::en => &self.en,
            _ => &self.es,
        }
    }
}

/// One question as stored: its options, the correct one and the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub topic: String,
    pub text: Both,
    pub options: Vec<BankOption>,
    pub correct: String,
    pub explanation: Both,
}

#[derive(Debug, Deserialize)]
struct Bank {
    version: i64,
    questions: Vec<Question>,
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> AppError {
    tracing::error!(%detail, "question bank: {what}");
    AppError::Internal
}

/// The bank as the file has it, checked: 3 to 5 options, unique ids, one correct.
pub fn from_file() -> Result<(i64, Vec<Question>), AppError> {
    let bank: Bank = serde_json::from_str(BANK).map_err(|e| corrupt("file", e))?;
    for q in &bank.questions {
        let ids: std::collections::BTreeSet<&str> =
            q.options.iter().map(|o| o.id.as_str()).collect();
        if !(3..=5).contains(&q.options.len())
            || ids.len() != q.options.len()
            || !ids.contains(q.correct.as_str())
        {
            return Err(corrupt("question", &q.id));
        }
    }
    Ok((bank.version, bank.questions))
}

/// Adds the file's questions that the table lacks; returns how many.
pub async fn seed(state: &AppState) -> Result<usize, AppError> {
    let (version, questions) = from_file()?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut added = 0;
    for q in &questions {
        let body = serde_json::to_string(q).map_err(|e| corrupt("encode", e))?;
        if repo::insert_question_if_absent(&mut tx, &q.id, &q.topic, &body, version, now).await? {
            added += 1;
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// The active questions, parsed.
pub async fn active(conn: &mut sqlx::AnyConnection) -> Result<Vec<Question>, AppError> {
    repo::active_questions(conn)
        .await?
        .into_iter()
        .map(|row| {
            let mut q: Question =
                serde_json::from_str(&row.body).map_err(|e| corrupt("stored", e))?;
            q.id = row.id;
            Ok(q)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_covers_the_guide_and_holds_the_seeds_three() {
        let (_, questions) = from_file().expect("the bank parses and each question is sound");
        assert!(questions.len() >= 24);
        let topics: std::collections::BTreeSet<&str> =
            questions.iter().map(|q| q.topic.as_str()).collect();
        for topic in [
            "limits",
            "approvals",
            "fields",
            "justification",
            "prohibited",
            "consequences",
            "cases",
            "accounts",
            "reporting",
            "warning_signs",
            "agreement",
        ] {
            assert!(topics.contains(topic), "no question about {topic}");
        }
        let texts: Vec<&str> = questions.iter().map(|q| q.text.es.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("Ejecutivo de Ventas")));
        assert!(texts.iter().any(|t| t.contains("WhatsApp")));
        assert!(texts.iter().any(|t| t.contains("contraseña porque olvidó")));
        for q in &questions {
            assert!(
                !q.text.en.is_empty()
                    && !q.explanation.es.is_empty()
                    && !q.explanation.en.is_empty(),
                "{}",
                q.id
            );
        }
    }
}
