//! What a directory holds, verified as one process: a convention's record (`charter.json`), a
//! referendum's record (`manifest.json`), or a referendum with the convention that created it in
//! `convention/`. A referendum whose manifest names a convention (`origin`) is tied to that
//! convention's record, which must be there: without it nothing shows that the convention
//! called this referendum, with this question, rule and text.

use crate::convention::{files as convention_files, ConventionState};
use crate::failure::Code;
use crate::verify::{check_hand_off, verify_convention, verify_record, Progress, Report};
use std::path::Path;

/// Where a referendum's directory keeps the record of the convention that created it.
pub const CONVENTION_DIR: &str = "convention";

/// The reports of the records a directory holds.
pub struct Verified {
    /// The convention's report and its replayed state, if the directory holds a convention record.
    pub convention: Option<(Report, Option<ConventionState>)>,
    /// The referendum's report, if the directory holds a referendum record.
    pub referendum: Option<Report>,
}

impl Verified {
    /// Whether every record it holds verified.
    pub fn ok(&self) -> bool {
        self.convention.as_ref().is_none_or(|(r, _)| r.ok()) && self.referendum.as_ref().is_none_or(Report::ok)
    }
}

/// Verifies whatever records `dir` holds; `None` if it holds neither a manifest nor a charter.
pub fn verify_directory(dir: &Path, progress: &dyn Progress) -> Option<Verified> {
    let convention_dir =
        [dir.to_path_buf(), dir.join(CONVENTION_DIR)].into_iter().find(|d| d.join(convention_files::CHARTER).is_file());
    let has_referendum = dir.join(crate::files::MANIFEST).is_file();
    if convention_dir.is_none() && !has_referendum {
        return None;
    }
    let convention = convention_dir.map(|d| verify_convention(&d, progress));
    let mut referendum = has_referendum.then(|| verify_record(dir, progress));
    if let Some(report) = &mut referendum {
        let origin = report.manifest.as_ref().and_then(|m| m.origin.clone());
        match (report.manifest.clone(), &convention, origin) {
            (Some(manifest), Some((_, Some(state))), _) => {
                check_hand_off(&manifest, state, report);
                crate::verify::check_timeline(dir, state, report);
            }
            (_, None, Some(origin)) => report.fail(
                Code::HandOff,
                "hand-off",
                format!(
                    "the manifest says convention {:?} created this referendum, but its record is absent: \
                     put it in {CONVENTION_DIR}/ (convene fetch downloads both)",
                    origin.convention
                ),
            ),
            _ => {}
        }
    }
    Some(Verified { convention, referendum })
}
