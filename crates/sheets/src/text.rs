//! Text set for print: Unicode's bidirectional algorithm (`unicode-bidi`) splits a line into
//! runs in visual order, HarfBuzz's shaping (`rustybuzz`) gives each run its glyphs (Arabic
//! letters joined and placed right to left), in Noto Sans for Latin script and Noto Sans Arabic
//! for Arabic script, and greedy wrapping breaks a paragraph at spaces to a width.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use std::ops::Range;
use std::sync::OnceLock;
use unicode_bidi::{BidiInfo, Level};

static LATIN: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static LATIN_BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");
static ARABIC: &[u8] = include_bytes!("../fonts/NotoSansArabic-Regular.ttf");
static ARABIC_BOLD: &[u8] = include_bytes!("../fonts/NotoSansArabic-Bold.ttf");

/// One font: its bytes for shaping and its krilla handle for embedding.
pub(crate) struct Face {
    shaper: rustybuzz::Face<'static>,
    pub(crate) font: Font,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Face {
        let shaper = rustybuzz::Face::from_slice(bytes, 0).expect("the bundled fonts parse");
        let units_per_em = shaper.units_per_em() as f32;
        Face { shaper, font: Font::new(bytes.into(), 0).expect("the bundled fonts load"), units_per_em }
    }
}

/// The four bundled faces.
pub(crate) struct Fonts {
    latin: [Face; 2],
    arabic: [Face; 2],
}

/// The faces, loaded once per process.
pub(crate) fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        latin: [Face::load(LATIN), Face::load(LATIN_BOLD)],
        arabic: [Face::load(ARABIC), Face::load(ARABIC_BOLD)],
    })
}

/// Whether `c` is written in Arabic script (the Arabic blocks and presentation forms).
fn arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A shaped run: its glyphs (advances in em), its text, the face and its width at size 1.
pub(crate) struct Run {
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) text: String,
    pub(crate) face: &'static Face,
    pub(crate) width: f32,
}

/// A line ready to draw: runs left to right, and its width in points.
pub(crate) struct Line {
    pub(crate) runs: Vec<Run>,
    pub(crate) width: f32,
    pub(crate) size: f32,
}

fn shape(text: &str, rtl: bool, face: &'static Face) -> (Vec<KrillaGlyph>, f32) {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight });
    let output = rustybuzz::shape(&face.shaper, &[], buffer);
    let (infos, positions) = (output.glyph_infos(), output.glyph_positions());
    // A glyph's text range runs from its cluster to the next cluster in text order.
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let end_of = |start: usize| starts.iter().find(|&&s| s > start).copied().unwrap_or(text.len());
    let em = face.units_per_em;
    let mut width = 0.0;
    let glyphs = infos
        .iter()
        .zip(positions)
        .map(|(info, pos)| {
            let start = info.cluster as usize;
            let range: Range<usize> = start..end_of(start);
            width += pos.x_advance as f32 / em;
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / em,
                pos.x_offset as f32 / em,
                pos.y_offset as f32 / em,
                pos.y_advance as f32 / em,
                range,
                None,
            )
        })
        .collect();
    (glyphs, width)
}

/// `text` as one line at `size` points, the paragraph's base direction right to left if `rtl`.
pub(crate) fn line(text: &str, size: f32, bold: bool, rtl: bool) -> Line {
    let fonts = fonts();
    let weight = usize::from(bold);
    let info = BidiInfo::new(text, Some(if rtl { Level::rtl() } else { Level::ltr() }));
    let mut runs = Vec::new();
    for paragraph in &info.paragraphs {
        let (levels, visual) = info.visual_runs(paragraph, paragraph.range.clone());
        for range in visual {
            let run_rtl = levels[range.start].is_rtl();
            // Within a run, each character in the face that has it: Arabic script in Noto Sans
            // Arabic, neutrals there too in a right-to-left run when it has them, the rest in
            // Noto Sans; invisible format characters go with their neighbour.
            let mut segments: Vec<(Range<usize>, &'static Face)> = Vec::new();
            for (i, c) in text[range.clone()].char_indices() {
                let at = range.start + i;
                let has = |face: &Face| face.shaper.glyph_index(c).is_some();
                let face = if arabic(c) {
                    Some(&fonts.arabic[weight])
                } else if c.is_control()
                    || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}')
                {
                    None
                } else if run_rtl && !c.is_alphanumeric() && has(&fonts.arabic[weight]) {
                    Some(&fonts.arabic[weight])
                } else {
                    Some(&fonts.latin[weight])
                };
                match (segments.last_mut(), face) {
                    (Some((r, f)), Some(face)) if std::ptr::eq(*f, face) => r.end = at + c.len_utf8(),
                    (Some((r, _)), None) => r.end = at + c.len_utf8(),
                    (_, face) => segments.push((at..at + c.len_utf8(), face.unwrap_or(&fonts.latin[weight]))),
                }
            }
            // A right-to-left run's segments are drawn from its logical end.
            if run_rtl {
                segments.reverse();
            }
            for (r, face) in segments {
                let piece = &text[r];
                let (glyphs, width) = shape(piece, run_rtl, face);
                runs.push(Run { glyphs, text: piece.to_string(), face, width });
            }
        }
    }
    let width = runs.iter().map(|r| r.width).sum::<f32>() * size;
    Line { runs, width, size }
}

/// `text` broken at spaces into lines no wider than `width` points (a word wider than the
/// width gets a line of its own).
pub(crate) fn wrap(text: &str, size: f32, bold: bool, rtl: bool, width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if !current.is_empty() && line(&candidate, size, bold, rtl).width > width {
            lines.push(line(&current, size, bold, rtl));
            current = word.to_string();
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(line(&current, size, bold, rtl));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_is_joined_and_runs_come_in_visual_order() {
        // "رقة" shaped: its middle letter takes its joined (medial) form, not the isolated one.
        let ids = |l: &Line| l.runs.iter().flat_map(|r| r.glyphs.iter().map(|g| g.glyph_id)).collect::<Vec<_>>();
        let joined = ids(&line("رقة", 12.0, false, true));
        let isolated = ids(&line("ق", 12.0, false, true));
        assert_eq!(joined.len(), 3);
        assert!(!joined.contains(&isolated[0]));
        assert!(joined.iter().all(|g| g.to_u32() != 0), "no missing glyph");
        // An Arabic sentence with a Latin word: the Latin run keeps its order, in the Latin face.
        let mixed = line("امسح رمز QR بكاميرا", 12.0, false, true);
        assert_eq!(mixed.runs.len(), 3);
        assert_eq!(mixed.runs[1].text, "QR");
        assert!(std::ptr::eq(mixed.runs[1].face, &fonts().latin[0]));
        // In visual order the first run drawn (leftmost) is the end of the sentence.
        assert!(mixed.runs[0].text.contains("بكاميرا"));
    }

    #[test]
    fn paragraphs_wrap_to_the_width() {
        let text = "Scan the QR code with your phone's camera, or open the booth and type the credential.";
        let lines = wrap(text, 10.0, false, false, 150.0);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| l.width <= 150.0));
        assert_eq!(wrap("", 10.0, false, false, 100.0).len(), 0);
    }
}
