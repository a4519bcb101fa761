//! Report PDFs, drawn on the server with `krilla`: a plain A4 flow of a title, facts,
//! headings, paragraphs, tables (their header repeated on each page they run onto) and the
//! same `plotters` SVG charts the pages show (through `krilla-svg`). DejaVu Sans is embedded
//! (the `dejavu` crate), so a server without fonts makes the same file, and the text is
//! real text a reader can search and copy. Every page carries a footer: what the document
//! is and "page N of M".

use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use text::{FONTS, fit, width, wrap};

mod draw;
mod text;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;
const LINE_GAP: f32 = 1.35;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// The most lines a table cell takes.
const CELL_LINES: usize = 3;
// The palette of `style/main.css`.
const INK: (u8, u8, u8) = (0x17, 0x21, 0x2b);
const MUTED: (u8, u8, u8) = (0x5b, 0x6b, 0x7a);
const LINE: (u8, u8, u8) = (0xdb, 0xe3, 0xea);
const BRAND: (u8, u8, u8) = (0x1f, 0x6f, 0x9f);

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: (u8, u8, u8),
        text: String,
    },
    Rule {
        y: f32,
        colour: (u8, u8, u8),
    },
    Chart {
        y: f32,
        w: f32,
        h: f32,
        tree: Box<usvg::Tree>,
    },
}

/// How a table's column is laid out: its share of the width and whether it is a number
/// (right-aligned).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub share: f32,
    pub numeric: bool,
}

impl Column {
    pub const fn text(share: f32) -> Self {
        Self {
            share,
            numeric: false,
        }
    }
    pub const fn number(share: f32) -> Self {
        Self {
            share,
            numeric: true,
        }
    }
}

/// A report being laid out, page by page.
pub struct Report {
    pages: Vec<Vec<Op>>,
    /// Where the next line's top is on the current page.
    y: f32,
    footer: String,
    title: String,
    language: String,
    /// A table row just started a new page: its header goes first.
    pending_header: bool,
}

impl Report {
    /// A report titled `title` (also the PDF's title), in `language` (`es-PE`, `en`), whose
    /// pages all say `footer` at the bottom.
    pub fn new(title: &str, footer: &str, language: &str) -> Self {
        let mut report = Self {
            pages: vec![Vec::new()],
            y: MARGIN,
            footer: footer.to_owned(),
            title: title.to_owned(),
            language: language.to_owned(),
            pending_header: false,
        };
        for line in wrap(title, 18.0, true, TEXT_W) {
            report.text_line(&line, 18.0, true, INK);
        }
        report.y += 4.0;
        report
    }

    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page when `height` more points do not fit on this one.
    fn room(&mut self, height: f32) -> bool {
        if self.y + height > PAGE_H - MARGIN - 20.0 {
            self.pages.push(Vec::new());
            self.y = MARGIN;
            return true;
        }
        false
    }

    fn text_line(&mut self, text: &str, size: f32, bold: bool, colour: (u8, u8, u8)) {
        let height = size * LINE_GAP;
        self.room(height);
        let y = self.y + size;
        let text = fit(text, size, bold, TEXT_W);
        self.page().push(Op::Text {
            x: MARGIN,
            y,
            size,
            bold,
            colour,
            text,
        });
        self.y += height;
    }

    /// Starts a new page unless `height` more points fit on this one (to keep a heading
    /// with the chart under it).
    pub fn keep(&mut self, height: f32) {
        self.room(height);
    }

    /// A section heading, kept with at least a few lines of what follows.
    pub fn heading(&mut self, text: &str) {
        self.room(14.0 * LINE_GAP + 4.0 * BODY * LINE_GAP);
        self.y += 8.0;
        self.text_line(text, 13.0, true, BRAND);
        let y = self.y;
        self.page().push(Op::Rule { y, colour: LINE });
        self.y += 4.0;
    }

    /// A paragraph, wrapped to the page's width.
    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, BODY, false, TEXT_W) {
            self.text_line(&line, BODY, false, INK);
        }
        self.y += 3.0;
    }

    /// A muted line (a note under a table, a figure's summary).
    pub fn note(&mut self, text: &str) {
        for line in wrap(text, SMALL, false, TEXT_W) {
            self.text_line(&line, SMALL, false, MUTED);
        }
        self.y += 2.0;
    }

    /// Label: value pairs, one per line, the labels in bold.
    pub fn facts(&mut self, facts: &[(String, String)]) {
        let label_w = facts
            .iter()
            .map(|(label, _)| width(label, BODY, true))
            .fold(0.0_f32, f32::max)
            .min(TEXT_W * 0.4)
            + 10.0;
        for (label, value) in facts {
            let lines = wrap(value, BODY, false, TEXT_W - label_w);
            for (i, line) in lines.iter().enumerate() {
                self.room(BODY * LINE_GAP);
                let y = self.y + BODY;
                if i == 0 {
                    let label = fit(label, BODY, true, label_w - 10.0);
                    self.page().push(Op::Text {
                        x: MARGIN,
                        y,
                        size: BODY,
                        bold: true,
                        colour: MUTED,
                        text: label,
                    });
                }
                self.page().push(Op::Text {
                    x: MARGIN + label_w,
                    y,
                    size: BODY,
                    bold: false,
                    colour: INK,
                    text: line.clone(),
                });
                self.y += BODY * LINE_GAP;
            }
        }
        self.y += 4.0;
    }

    /// A table: its header in bold, repeated at the top of each page it continues on;
    /// cells cut to their column with an ellipsis. `empty` is said when there are no rows.
    pub fn table(
        &mut self,
        columns: &[Column],
        header: &[String],
        rows: &[Vec<String>],
        empty: &str,
    ) {
        if rows.is_empty() {
            self.note(empty);
            return;
        }
        let total: f32 = columns.iter().map(|c| c.share).sum::<f32>().max(0.0001);
        let widths: Vec<f32> = columns.iter().map(|c| c.share / total * TEXT_W).collect();
        self.room(SMALL * 1.7 * 4.0);
        self.table_row(columns, &widths, header, true);
        for row in rows {
            // A row taller than what is left moves to the next page, under the header.
            let before = self.pages.len();
            self.table_row(columns, &widths, row, false);
            if self.pending_header {
                self.pending_header = false;
                // Undo the row drawn at the new page's top, draw the header, then the row.
                if let Some(page) = self.pages.get_mut(before) {
                    page.clear();
                }
                self.y = MARGIN;
                self.table_row(columns, &widths, header, true);
                self.table_row(columns, &widths, row, false);
            }
        }
        self.y += 6.0;
    }

    /// One row: each cell wrapped to its column (at most [`CELL_LINES`] lines, the last cut
    /// with an ellipsis), numbers right-aligned; the row as tall as its tallest cell.
    fn table_row(&mut self, columns: &[Column], widths: &[f32], cells: &[String], bold: bool) {
        let line_h = SMALL * 1.2;
        // A header whose longest word does not fit its column is set smaller (down to 6 pt).
        let sizes: Vec<f32> = widths
            .iter()
            .zip(cells)
            .map(|(w, cell)| {
                let longest = cell
                    .split_whitespace()
                    .map(|word| width(word, SMALL, bold))
                    .fold(0.0_f32, f32::max);
                if bold && longest > w - 6.0 {
                    (SMALL * (w - 6.0) / longest).max(6.0)
                } else {
                    SMALL
                }
            })
            .collect();
        let wrapped: Vec<Vec<String>> = widths
            .iter()
            .zip(cells)
            .zip(&sizes)
            .map(|((w, cell), size)| {
                let mut lines = wrap(cell, *size, bold, w - 6.0);
                if lines.len() > CELL_LINES {
                    let rest = lines.split_off(CELL_LINES - 1).join(" ");
                    lines.push(fit(&rest, *size, bold, w - 6.0));
                }
                lines
            })
            .collect();
        let tallest = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let row_h = line_h * tallest as f32 + SMALL * 0.6;
        if self.room(row_h) && !bold {
            // A row that starts a page gets the header again (see `table`).
            self.pending_header = true;
        }
        let mut x = MARGIN;
        let mut ops = Vec::new();
        for (((column, w), lines), size) in columns.iter().zip(widths).zip(wrapped).zip(sizes) {
            for (i, text) in lines.into_iter().enumerate() {
                let at = if column.numeric {
                    x + w - 4.0 - width(&text, size, bold)
                } else {
                    x
                };
                ops.push(Op::Text {
                    x: at,
                    y: self.y + SMALL * 1.15 + line_h * i as f32,
                    size,
                    bold,
                    colour: if bold { MUTED } else { INK },
                    text,
                });
            }
            x += w;
        }
        ops.push(Op::Rule {
            y: self.y + row_h,
            colour: LINE,
        });
        self.page().extend(ops);
        self.y += row_h;
    }

    /// A chart (an SVG of `charts.rs`), the page's width, with its title above and its
    /// summary below. An SVG that does not parse is left out (and logged).
    pub fn chart(&mut self, title: &str, svg: &str, summary: &str) {
        let Some(fonts) = FONTS.as_ref() else {
            return;
        };
        let options = usvg::Options {
            fontdb: fonts.svg.clone(),
            font_family: "DejaVu Sans".to_owned(),
            ..usvg::Options::default()
        };
        let tree = match usvg::Tree::from_str(svg, &options) {
            Ok(tree) => tree,
            Err(error) => {
                tracing::error!(%error, "chart not drawn into the PDF");
                return;
            }
        };
        let w = TEXT_W;
        let h = w * tree.size().height() / tree.size().width().max(1.0);
        self.room(h + 3.0 * BODY * LINE_GAP);
        self.text_line(title, 10.5, true, INK);
        let y = self.y;
        self.page().push(Op::Chart {
            y,
            w,
            h,
            tree: Box::new(tree),
        });
        self.y += h + 2.0;
        self.note(summary);
    }

    /// The finished PDF.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        let fonts = FONTS.as_ref().ok_or("the embedded font does not load")?;
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language(self.language.clone())
                .creator("Centinela".to_owned()),
        );
        let count = self.pages.len();
        for (number, ops) in self.pages.into_iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("page size")?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            let footer = [
                Op::Rule {
                    y: PAGE_H - MARGIN + 4.0,
                    colour: LINE,
                },
                Op::Text {
                    x: MARGIN,
                    y: PAGE_H - MARGIN + 16.0,
                    size: SMALL,
                    bold: false,
                    colour: MUTED,
                    text: fit(&self.footer, SMALL, false, TEXT_W - 60.0),
                },
                Op::Text {
                    x: PAGE_W - MARGIN - width(&format!("{} / {count}", number + 1), SMALL, false),
                    y: PAGE_H - MARGIN + 16.0,
                    size: SMALL,
                    bold: false,
                    colour: MUTED,
                    text: format!("{} / {count}", number + 1),
                },
            ];
            for op in ops.iter().chain(footer.iter()) {
                draw::op(&mut surface, op, fonts)?;
            }
            surface.finish();
            page.finish();
        }
        document.finish().map_err(|e| format!("{e:?}"))
    }
}

#[cfg(test)]
mod tests;
