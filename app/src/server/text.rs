//! Text as people type it: matching ignores case and accents ("Núñez" finds "nunez").

/// Lowercase ASCII with accents removed.
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn folds_spanish_text() {
        assert_eq!(
            super::fold("Campaña de AUDITORÍA en Núñez"),
            "campana de auditoria en nunez"
        );
    }
}
