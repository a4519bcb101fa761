//! Training (SPEC "Training" and "Fixed HTTP surface"): the quiz, the caller's status,
//! the confidentiality agreement, public certificate checks, and the administrators' list.

use crate::error::AppError;
use crate::types::training::{
    MyTraining as Standing, PublicCertificate, QuizResult, QuizStart as Drawn, TrainingFilter,
    TrainingRow,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use std::collections::BTreeMap;

/// `POST /api/quiz_start` `{}`: ten questions with shuffled options — never the answers.
#[server(prefix = "/api", endpoint = "quiz_start", input = Json)]
pub async fn quiz_start() -> Result<Drawn, AppError> {
    use crate::server::{context, service::training::quiz};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    let locale = crate::locale::current_request_locale();
    quiz::start(&context::state()?, &caller, &meta, locale).await
}

/// `POST /api/quiz_submit` `{"attempt_id","answers":{"<question id>":"<option id>"}}`.
#[server(prefix = "/api", endpoint = "quiz_submit", input = Json)]
pub async fn quiz_submit(
    attempt_id: String,
    #[server(default)] answers: BTreeMap<String, String>,
) -> Result<QuizResult, AppError> {
    use crate::server::{context, service::training::quiz};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    let locale = crate::locale::current_request_locale();
    let answers = crate::types::training::QuizAnswers {
        attempt_id,
        answers,
    };
    quiz::submit(&context::state()?, &caller, &meta, &answers, locale).await
}

/// `POST /api/my_training`: the caller's status and current certificate.
#[server(prefix = "/api", endpoint = "my_training")]
pub async fn my_training() -> Result<Standing, AppError> {
    use crate::server::{context, service::training::status};
    let caller = context::require_user()?;
    status::mine(&context::state()?, &caller).await
}

/// Accepts the confidentiality agreement for the coming certificate period (audited).
#[server(prefix = "/api", endpoint = "accept_agreement")]
pub async fn accept_agreement() -> Result<(), AppError> {
    use crate::server::{context, service::training::certificates};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    certificates::accept_agreement(&context::state()?, &caller, &meta).await
}

/// The public check behind `GET /certificates/{code}`: no sign-in.
#[server(prefix = "/api", endpoint = "check_certificate")]
pub async fn check_certificate(code: String) -> Result<PublicCertificate, AppError> {
    use crate::server::{context, service::training::certificates};
    certificates::public(&context::state()?, &code).await
}

/// Administrators: who is certified, until when, who is overdue or failed recently.
#[server(prefix = "/api", endpoint = "training_status", input = Json)]
pub async fn training_status(
    #[server(default)] filter: TrainingFilter,
) -> Result<Vec<TrainingRow>, AppError> {
    use crate::server::{context, service::training::status};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    status::list(&context::state()?, &filter).await
}
