//! The report font (DejaVu Sans, embedded) and text measured with it: widths from the
//! font's advances, text cut to a width with an ellipsis, and text wrapped at spaces.

use krilla::text::Font;
use std::sync::{Arc, LazyLock};

pub(super) struct Fonts {
    pub(super) regular: Font,
    pub(super) bold: Font,
    regular_face: &'static [u8],
    bold_face: &'static [u8],
    /// The charts' text is set in DejaVu Sans too.
    pub(super) svg: Arc<usvg::fontdb::Database>,
}

pub(super) static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    let regular_face = dejavu::sans::regular();
    let bold_face = dejavu::sans::bold();
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(regular_face.to_vec());
    db.load_font_data(bold_face.to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    Some(Fonts {
        regular: Font::new(regular_face.into(), 0)?,
        bold: Font::new(bold_face.into(), 0)?,
        regular_face,
        bold_face,
        svg: Arc::new(db),
    })
});

/// The width of `text` at `size` points, from the font's advances.
pub(super) fn width(text: &str, size: f32, bold: bool) -> f32 {
    let Some(fonts) = FONTS.as_ref() else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let face = if bold {
        fonts.bold_face
    } else {
        fonts.regular_face
    };
    let Ok(face) = ttf_parser::Face::parse(face, 0) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let per_unit = size / f32::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(size * 0.6, |a| f32::from(a) * per_unit)
        })
        .sum()
}

/// `text` cut to fit `max` points, with an ellipsis when cut.
pub(super) fn fit(text: &str, size: f32, bold: bool, max: f32) -> String {
    if width(text, size, bold) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if width(&out, size, bold) + width("…", size, bold) > max {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `max` points (at spaces; a longer word is cut).
pub(super) fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| fit(&l, size, bold, max))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::pdf::{BODY, TEXT_W};

    #[test]
    fn long_text_is_cut_and_wrapped_to_the_page() {
        assert_eq!(fit("Corto", BODY, false, 200.0), "Corto");
        let cut = fit(&"exportación ".repeat(40), BODY, false, 100.0);
        assert!(
            cut.ends_with('…') && width(&cut, BODY, false) <= 100.0,
            "{cut}"
        );
        let lines = wrap(&"palabra ".repeat(200), BODY, false, TEXT_W);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| width(l, BODY, false) <= TEXT_W));
    }
}
