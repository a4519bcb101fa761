//! Whether an export's justification states a legitimate purpose (seed 000 section 1 and
//! the employee guide): at least 20 characters, a purpose keyword in Spanish or English
//! (accents and case ignored), a named campaign for Marketing, and a passenger manifest
//! for Operaciones.

use crate::notice::Notice;
use crate::server::service::policy::Purpose;
use crate::server::text::fold;

pub const MIN_CHARS: usize = 20;
pub const MAX_CHARS: usize = 500;

/// Folded keywords; a justification must contain one of them.
const PURPOSE_KEYWORDS: &[&str] = &[
    "campana",
    "campaign",
    "evento",
    "event",
    "seguimiento",
    "follow-up",
    "follow up",
    "followup",
    "reporte",
    "report",
    "analisis",
    "analysis",
    "auditoria",
    "audit",
    "manifiesto",
    "manifest",
    "backup",
    "respaldo",
    "migracion",
    "migration",
    "integracion",
    "integration",
    "marketing",
];

/// Checks a justification (and campaign name) against the department's required purpose.
pub fn check(text: &str, campaign: Option<&str>, purpose: Option<Purpose>) -> Result<(), Notice> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars < MIN_CHARS {
        return Err(Notice::JustificationShort);
    }
    if chars > MAX_CHARS {
        return Err(Notice::JustificationLong);
    }
    let folded = fold(text);
    if !PURPOSE_KEYWORDS.iter().any(|k| folded.contains(k)) {
        return Err(Notice::JustificationPurpose);
    }
    match purpose {
        Some(Purpose::Campaign)
            if campaign
                .map(str::trim)
                .is_none_or(|c| c.chars().count() < 3) =>
        {
            Err(Notice::CampaignRequired)
        }
        Some(Purpose::Manifest)
            if !(folded.contains("manifiesto") || folded.contains("manifest")) =>
        {
            Err(Notice::ManifestRequired)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_examples_are_valid() {
        for ok in [
            "Campaña de email marketing Q4 2024",
            "Lista para evento en Lima 15/11/2024",
            "Seguimiento clientes tour Cusco",
            "Exportar 50 contactos de clientes que visitaron Machu Picchu en 2024 para campaña de email sobre nuevo tour a Huacachina",
            "Quarterly report for the board meeting",
        ] {
            assert_eq!(check(ok, None, None), Ok(()), "{ok}");
        }
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        assert_eq!(check("AUDITORIA trimestral de cartera", None, None), Ok(()));
        assert_eq!(check("análisis de satisfacción 2026", None, None), Ok(()));
    }

    #[test]
    fn short_or_purposeless_text_is_refused() {
        assert_eq!(
            check("campaña", None, None),
            Err(Notice::JustificationShort)
        );
        assert_eq!(
            check("   seguimiento    ", None, None),
            Err(Notice::JustificationShort)
        );
        assert_eq!(
            check("Lo necesito para mi casa, gracias", None, None),
            Err(Notice::JustificationPurpose)
        );
        assert_eq!(
            check(&"reporte ".repeat(80), None, None),
            Err(Notice::JustificationLong)
        );
    }

    #[test]
    fn departments_with_a_required_purpose() {
        let text = "Campaña de verano para clientes frecuentes";
        assert_eq!(
            check(text, None, Some(Purpose::Campaign)),
            Err(Notice::CampaignRequired)
        );
        assert_eq!(
            check(text, Some("  "), Some(Purpose::Campaign)),
            Err(Notice::CampaignRequired)
        );
        assert_eq!(
            check(text, Some("Verano 2027"), Some(Purpose::Campaign)),
            Ok(())
        );
        assert_eq!(
            check(
                "Reporte de pasajeros del tour Cusco",
                None,
                Some(Purpose::Manifest)
            ),
            Err(Notice::ManifestRequired)
        );
        assert_eq!(
            check(
                "Manifiesto de pasajeros vuelo LA2045 a Cusco",
                None,
                Some(Purpose::Manifest)
            ),
            Ok(())
        );
    }
}
