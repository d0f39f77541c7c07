//! The sheets rendered as a reader sees them: the PDF drawn to images by poppler's `pdftoppm`,
//! each QR code read back from the image (`rqrr`) to the booth address it must hold, and the
//! pages kept as PNG in `target/tmp/screenshots/sheets-*.png` to be looked at.

use convene_sheets::{Document, Lang, Sheet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn sample(lang: Lang, document: Document) -> Sheet {
    let (title, voter, region) = match lang {
        Lang::En => ("Referendum on the draft constitution", "Amina Hassan", "Basra"),
        Lang::Ar => ("الاستفتاء على مشروع الدستور", "أمينة حسن", "البصرة"),
        Lang::Ckb => ("ڕاپرسی لەسەر ڕەشنووسی دەستوور", "ئامینە حەسەن", "هەولێر"),
    };
    Sheet {
        document,
        lang,
        title: title.into(),
        voter: (document == Document::Sheet).then(|| voter.into()),
        region: (document == Document::Sheet).then(|| region.into()),
        booth_url: "https://vote.example.org/vote/iraq-2005".into(),
        fingerprint: Some("3f2a-91bc-77d0-e41a".into()),
        credential: (document == Document::Sheet).then(|| "HGRPZ6-GQXTZL-NVFV79".into()),
        codes: match document {
            Document::Sheet if lang == Lang::Ar => {
                vec!["SA9-ADN-A6E".into(), "MH9-BUT-P7Z".into(), "3FL-HZU-3FS".into()]
            }
            _ => vec!["SA9-ADN-A6E".into()],
        },
        reference: Some("d851 711b 8fa0 008a".into()),
    }
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tmp/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A binary PGM (`P5`) image: width, height, grey bytes.
fn read_pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[i + 1..i + 1 + w * h].to_vec())
}

#[test]
fn every_language_prints_and_every_qr_code_reads_back() {
    if Command::new("pdftoppm").arg("-v").output().is_err() {
        panic!("pdftoppm is missing: install Debian's poppler-utils (the CI script does)");
    }
    let sheets: Vec<Sheet> =
        Lang::ALL.iter().flat_map(|&lang| [sample(lang, Document::Sheet), sample(lang, Document::Slip)]).collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let pdf = convene_sheets::pdf(&sheets, &|| {
        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(done.into_inner(), sheets.len());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheets.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = screenshots();
    for lang in Lang::ALL {
        std::fs::remove_file(out.join(format!("sheets-{}.png", lang.tag()))).ok();
    }
    for (page, lang) in Lang::ALL.iter().enumerate() {
        let n = (page + 1).to_string();
        let prefix = dir.path().join(format!("page-{n}"));
        let status = Command::new("pdftoppm")
            .args(["-r", "150", "-gray", "-singlefile", "-f", &n, "-l", &n])
            .arg(&file)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let png = out.join(format!("sheets-{}", lang.tag()));
        let status = Command::new("pdftoppm")
            .args(["-r", "100", "-png", "-singlefile", "-f", &n, "-l", &n])
            .arg(&file)
            .arg(&png)
            .status()
            .unwrap();
        assert!(status.success());
        let (w, h, grey) = read_pgm(&std::fs::read(prefix.with_extension("pgm")).unwrap());
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
        let mut read: Vec<String> = image.detect_grids().iter().map(|g| g.decode().unwrap().1).collect();
        read.sort();
        // The sheet's QR code opens the booth with both strings; the slip's with the code alone.
        let sheet = &sheets[page * 2];
        let mut expected = vec![sheet.qr_url(), sheets[page * 2 + 1].qr_url()];
        expected.sort();
        assert_eq!(read, expected, "page {n} ({lang:?})");
        assert!(sheet.qr_url().ends_with("#c=HGRPZ6-GQXTZL-NVFV79&k=SA9-ADN-A6E"));
        // Ink on the page beyond the QR codes: the text was drawn.
        let dark = grey.iter().filter(|&&g| g < 128).count();
        assert!(dark * 100 > w * h * 3, "page {n} is nearly blank");
    }
    let html = convene_sheets::html("sheets", &sheets).unwrap();
    assert_eq!(html.matches("<section").count(), sheets.len());
    assert!(html.contains("dir=\"rtl\"") && html.contains("lang=\"ckb\""));
}
