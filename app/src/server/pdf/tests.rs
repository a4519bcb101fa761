//! The layout: a long table runs onto more pages, and the PDF is made.

use super::*;

#[test]
fn a_long_table_runs_onto_more_pages_and_the_pdf_is_made() {
    let mut report = Report::new("Prueba", "Centinela — prueba", "es-PE");
    report.facts(&[("Periodo".into(), "2026-11".into())]);
    let rows: Vec<Vec<String>> = (0..200)
        .map(|i| vec![format!("usuario{i}"), i.to_string()])
        .collect();
    report.heading("Exportaciones");
    report.table(
        &[Column::text(3.0), Column::number(1.0)],
        &["Usuario".into(), "Contactos".into()],
        &rows,
        "—",
    );
    assert!(report.pages.len() >= 3, "{} pages", report.pages.len());
    let pdf = report.finish().expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
}
