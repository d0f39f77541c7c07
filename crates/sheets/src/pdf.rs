//! The sheets as one PDF (krilla): two to an A4 page, with a cut line between them and crop
//! marks at the corners. Each sheet reads in its voter's language and direction: the QR code on
//! the side where reading ends, the three steps, the credential and the codes in groups, the
//! booth's address and the election's fingerprint.

use crate::text::{self, Line};
use crate::{Arg, Document, Messages, Sheet};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const HALF: f32 = PAGE_H / 2.0;
const MARGIN: f32 = 40.0;
const QR: f32 = 138.0;
const GAP: f32 = 18.0;

/// Draws `line` with its baseline at `y`, from the start edge of `left..right` (the right edge
/// when `rtl`).
fn draw(surface: &mut krilla::surface::Surface, line: &Line, left: f32, right: f32, y: f32, rtl: bool) {
    let mut x = if rtl { right - line.width } else { left };
    for run in &line.runs {
        surface.draw_glyphs(Point::from_xy(x, y), &run.glyphs, run.face.font.clone(), &run.text, line.size, false);
        x += run.width * line.size;
    }
}

/// Where text goes: between two edges, starting from the right one in a right-to-left sheet.
#[derive(Clone, Copy)]
struct Column {
    left: f32,
    right: f32,
    rtl: bool,
}

/// How text looks: its size, weight, and the direction of its paragraph (the sheet's, or
/// left to right for the strings a voter types).
#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    ltr: bool,
}

const BODY: Style = Style { size: 10.0, bold: false, ltr: false };
const LABEL: Style = Style { size: 9.0, bold: false, ltr: false };

/// Draws a wrapped paragraph from `y` down; returns the `y` below it.
fn paragraph(surface: &mut krilla::surface::Surface, text: &str, style: Style, column: Column, mut y: f32) -> f32 {
    let rtl = column.rtl && !style.ltr;
    for line in text::wrap(text, style.size, style.bold, rtl, column.right - column.left) {
        y += style.size * 1.3;
        draw(surface, &line, column.left, column.right, y, column.rtl);
    }
    y
}

/// `text` isolated for the bidirectional algorithm (FSI … PDI): an address or a fingerprint
/// keeps its own order inside a right-to-left sentence.
fn isolated(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

/// The QR code of `data` as dark squares in a `QR`-point square at `(x, y)`.
fn qr(surface: &mut krilla::surface::Surface, data: &str, x: f32, y: f32) -> Result<(), String> {
    let matrix = crate::qr::matrix(data)?;
    let quiet = 2.0;
    let module = QR / (matrix.width as f32 + 2.0 * quiet);
    let mut path = PathBuilder::new();
    for (row, cells) in matrix.dark.chunks(matrix.width).enumerate() {
        for (col, dark) in cells.iter().enumerate() {
            if *dark {
                let (cx, cy) = (x + (col as f32 + quiet) * module, y + (row as f32 + quiet) * module);
                if let Some(rect) = Rect::from_xywh(cx, cy, module + 0.05, module + 0.05) {
                    path.push_rect(rect);
                }
            }
        }
    }
    if let Some(path) = path.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
    Ok(())
}

fn stroke(width: f32, dash: Option<Vec<f32>>) -> Stroke {
    Stroke { width, dash: dash.map(|array| StrokeDash { array, offset: 0.0 }), ..Stroke::default() }
}

fn segment(surface: &mut krilla::surface::Surface, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
    let mut path = PathBuilder::new();
    path.move_to(from.0, from.1);
    path.line_to(to.0, to.1);
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(stroke));
        surface.draw_path(&path);
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
    }
}

/// Crop marks at the four corners of the sheet whose top is `top`, and (for the upper sheet)
/// the dashed cut line under it with its words.
fn marks(surface: &mut krilla::surface::Surface, top: f32, cut_line: Option<(&str, bool)>) {
    let (l, r, t, b) = (MARGIN / 2.0, PAGE_W - MARGIN / 2.0, top + 12.0, top + HALF - 12.0);
    for (x, y, dx, dy) in [(l, t, 1.0, 1.0), (r, t, -1.0, 1.0), (l, b, 1.0, -1.0), (r, b, -1.0, -1.0)] {
        segment(surface, (x - dx * 8.0, y), (x + dx * 10.0, y), stroke(0.4, None));
        segment(surface, (x, y - dy * 8.0), (x, y + dy * 10.0), stroke(0.4, None));
    }
    if let Some((words, rtl)) = cut_line {
        segment(surface, (8.0, top + HALF), (PAGE_W - 8.0, top + HALF), stroke(0.5, Some(vec![4.0, 3.0])));
        let label = text::line(words, 6.5, false, rtl);
        draw(surface, &label, MARGIN, PAGE_W - MARGIN, top + HALF - 3.0, rtl);
    }
}

/// Draws one sheet in the half page whose top is `top`.
fn sheet(surface: &mut krilla::surface::Surface, m: &Messages, s: &Sheet, top: f32) -> Result<(), String> {
    let rtl = s.lang.rtl();
    let t = |id: &str, args: &[(&str, Arg)]| m.get(s.lang, id, args);
    let (left, right) = (MARGIN, PAGE_W - MARGIN);
    let full = Column { left, right, rtl };
    // The QR code sits where a line of this language ends; the text beside it.
    let (qr_x, beside) = if rtl {
        (left, Column { left: left + QR + GAP, ..full })
    } else {
        (right - QR, Column { right: right - QR - GAP, ..full })
    };
    let mut y = top + MARGIN - 8.0;
    y = paragraph(surface, &s.title, Style { size: 15.0, bold: true, ltr: false }, full, y);
    let kind = t(if s.document == Document::Slip { "sheet-slip" } else { "sheet-voter" }, &[]);
    let who = match (&s.voter, &s.region) {
        (Some(voter), Some(region)) => {
            format!(
                "{kind} · {}",
                t("sheet-who", &[("voter", Arg::Text(voter.clone())), ("region", Arg::Text(region.clone()))])
            )
        }
        _ => kind,
    };
    y = paragraph(surface, &who, Style { size: 9.5, ..BODY }, full, y) + 6.0;
    qr(surface, &s.qr_url(), qr_x, y + 4.0)?;
    let steps = [
        match s.document {
            Document::Sheet => t("step-open", &[("address", Arg::Text(s.booth_url.clone()))]),
            Document::Slip => t("step-open-slip", &[]),
        },
        match &s.fingerprint {
            Some(f) => t("step-check", &[("fingerprint", Arg::Text(f.clone()))]),
            None => t("step-check-none", &[]),
        },
        t("step-vote", &[]),
    ];
    for (i, step) in steps.iter().enumerate() {
        let number = text::line(&format!("{}", i + 1), BODY.size, true, rtl);
        let (num_left, num_right) =
            if rtl { (beside.right - 12.0, beside.right) } else { (beside.left, beside.left + 12.0) };
        let text = if rtl {
            Column { right: beside.right - 16.0, ..beside }
        } else {
            Column { left: beside.left + 16.0, ..beside }
        };
        draw(surface, &number, num_left, num_right, y + 13.0, rtl);
        y = paragraph(surface, step, BODY, text, y) + 3.0;
    }
    y = y.max(top + MARGIN + 60.0) + 6.0;
    let value = |size: f32| Style { size, bold: true, ltr: true };
    if let Some(credential) = &s.credential {
        y = paragraph(surface, &t("credential", &[]), LABEL, beside, y);
        y = paragraph(surface, credential, value(18.0), beside, y + 2.0) + 4.0;
    }
    match s.codes.split_first() {
        Some((first, rest)) => {
            y = paragraph(surface, &t("code", &[]), LABEL, beside, y);
            y = paragraph(surface, first, value(16.0), beside, y + 2.0);
            if !rest.is_empty() {
                let count = t("codes-count", &[("count", Arg::Number(s.codes.len() as u64))]);
                y = paragraph(surface, &count, Style { size: 8.5, ..BODY }, beside, y + 2.0);
                y = paragraph(surface, &rest.join("   "), value(10.0), beside, y);
            }
        }
        None => y = paragraph(surface, &t("codes-elsewhere", &[]), LABEL, beside, y),
    }
    let foot = (top + HALF - MARGIN - 20.0).max(y);
    let small = Style { size: 8.0, ..BODY };
    let y = paragraph(surface, &format!("{}: {}", t("address", &[]), isolated(&s.booth_url)), small, full, foot);
    let y = match &s.fingerprint {
        Some(f) => paragraph(surface, &format!("{}: {}", t("fingerprint", &[]), isolated(f)), small, full, y),
        None => y,
    };
    if let Some(r) = &s.reference {
        paragraph(surface, &t("reference", &[("reference", Arg::Text(r.clone()))]), small, full, y);
    }
    Ok(())
}

/// Every sheet, two to an A4 page, as one PDF; `progress` is told after each sheet.
pub fn pdf(sheets: &[Sheet], progress: &dyn Fn()) -> Result<Vec<u8>, String> {
    let messages = Messages::new()?;
    let mut document = krilla::Document::new();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("A4 is a page size")?;
    for pair in sheets.chunks(2) {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        surface.set_fill(Some(Fill::default()));
        for (half, s) in pair.iter().enumerate() {
            let top = half as f32 * HALF;
            let cut = messages.get(s.lang, "cut-here", &[]);
            marks(&mut surface, top, (half == 0).then_some((cut.as_str(), s.lang.rtl())));
            sheet(&mut surface, &messages, s, top)?;
            progress();
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| format!("the PDF could not be written: {e:?}"))
}
