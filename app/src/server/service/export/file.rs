//! Export files: CSV (UTF-8 with a byte-order mark, so Excel shows accents) and XLSX.
//! The header row uses the field catalogue's names. Cells that a spreadsheet would run as
//! a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`.

use crate::error::AppError;
use crate::types::Field;
use std::borrow::Cow;

/// The formats an export may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Makes a cell inert for spreadsheets (formula injection).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "building an export file");
    AppError::Internal
}

/// Writes the rows (already projected to `columns`) in `format`.
pub fn render(
    format: Format,
    columns: &[Field],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, AppError> {
    match format {
        Format::Csv => csv(columns, rows),
        Format::Xlsx => xlsx(columns, rows),
    }
}

fn csv(columns: &[Field], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::with_capacity(64 + rows.len() * 96);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(columns.iter().map(|f| f.code()))
        .map_err(internal)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralise(cell).into_owned()))
            .map_err(internal)?;
    }
    writer.into_inner().map_err(internal)
}

fn xlsx(columns: &[Field], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("contactos").map_err(internal)?;
    let bold = CellFormat::new().set_bold();
    for (c, field) in columns.iter().enumerate() {
        let col = u16::try_from(c).map_err(internal)?;
        sheet
            .write_string_with_format(0, col, field.code(), &bold)
            .map_err(internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let line = u32::try_from(r + 1).map_err(internal)?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(internal)?;
            // Always strings: nothing in an export is ever evaluated.
            sheet
                .write_string(line, col, neutralise(cell).as_ref())
                .map_err(internal)?;
        }
    }
    workbook.save_to_buffer().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_neutralised() {
        for evil in [
            "=HYPERLINK(\"http://x\")",
            "+51 999",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
        ] {
            assert!(neutralise(evil).starts_with('\''), "{evil:?}");
        }
        assert_eq!(neutralise("Lucía"), "Lucía");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn csv_has_a_bom_a_catalogue_header_and_quoted_neutral_cells() {
        let rows = vec![vec!["=1+1".to_owned(), "a,b".to_owned()]];
        let bytes = render(Format::Csv, &[Field::FullName, Field::Email], &rows).expect("csv");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(text, "\u{feff}full_name,email\n'=1+1,\"a,b\"\n");
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let rows = vec![vec!["=cmd|' /C calc'!A0".to_owned()]];
        let bytes = render(Format::Xlsx, &[Field::FullName], &rows).expect("xlsx");
        assert_eq!(&bytes[..2], b"PK");
    }
}
