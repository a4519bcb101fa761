//! Draws one laid-out operation of a page (text, a rule, a chart) onto its surface.

use super::text::Fonts;
use super::{MARGIN, Op, PAGE_W};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla_svg::{SurfaceExt, SvgSettings};

pub(super) fn op(surface: &mut Surface<'_>, op: &Op, fonts: &Fonts) -> Result<(), String> {
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text,
        } => {
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                ..Fill::default()
            }));
            let font = if *bold { &fonts.bold } else { &fonts.regular };
            surface.draw_text(
                Point::from_xy(*x, *y),
                font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rule { y, colour } => {
            let mut line = PathBuilder::new();
            line.move_to(MARGIN, *y);
            line.line_to(PAGE_W - MARGIN, *y);
            if let Some(path) = line.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Chart { y, w, h, tree } => {
            surface.push_transform(&krilla::geom::Transform::from_translate(MARGIN, *y));
            let size = Size::from_wh(*w, *h).ok_or("chart size")?;
            surface.draw_svg(tree, size, SvgSettings::default());
            surface.pop();
        }
    }
    Ok(())
}
