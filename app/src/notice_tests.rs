//! Notices render in each language from the same data.

use super::*;

#[test]
fn a_notice_renders_in_each_language_from_the_same_data() {
    let notice = Notice::QuotaExceeded {
        window: QuotaWindow::Day,
        used: 40,
        limit: 50,
        remaining: 10,
        count: 20,
        room_at: None,
    };
    let es = notice.render(Locale::es_PE);
    let en = notice.render(Locale::en);
    assert!(
        es.contains("diario") && es.contains("40") && es.contains("50"),
        "{es}"
    );
    assert!(
        en.contains("daily") && en.contains("40") && en.contains("50"),
        "{en}"
    );
    assert_eq!(notice.code(), "quota_exceeded");
}

#[test]
fn stored_notices_come_back_and_old_text_is_kept() {
    let notice = Notice::ApprovalThreshold { threshold: 30 };
    let stored = notice.to_stored();
    assert_eq!(Notice::from_stored("approval_threshold", &stored), notice);
    let old = Notice::from_stored("quota_exceeded", "Superaría su límite diario");
    assert_eq!(old.code(), "quota_exceeded");
    assert_eq!(old.render(Locale::en), "Superaría su límite diario");
}
