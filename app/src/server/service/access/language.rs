//! Each user's language. The UI follows a cookie; the stored preference is what mail and
//! background jobs use to write to a user who is not making the request, and what a new
//! browser starts with after sign-in.

use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::AppState;
use crate::server::repo::users;

/// Stores `locale` as the language `user_id` reads.
pub async fn set(state: &AppState, user_id: i64, locale: Locale) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    users::set_locale(&mut tx, user_id, crate::locale::code(locale), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The language to write to `user_id` in (Spanish, Peru, if unknown).
pub async fn of(state: &AppState, user_id: i64) -> Result<Locale, AppError> {
    let stored = users::locale_of(&mut *state.db.conn().await?, user_id).await?;
    Ok(stored
        .and_then(|code| code.parse::<Locale>().ok())
        .unwrap_or_default())
}
