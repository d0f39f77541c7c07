//! Amendments: line-based changes to a motion's text (an article of the draft), applied exactly
//! and shown as a diff. An amendment names lines of the text it amends (1-based, inclusive) and
//! what replaces them; an empty replacement deletes, and a range `n+1..n` (ending before it
//! starts) inserts after line `n`. Its changes may not overlap.

use std::fmt::Write;

/// One change: lines `from..=to` of the motion become `with`. `to == from - 1` inserts before
/// line `from` (so `from = 1, to = 0` inserts at the top).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: usize,
    pub to: usize,
    pub with: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amendment {
    pub changes: Vec<Change>,
}

/// Applies `amendment` to `text`; the error names the change that does not fit.
pub fn apply(text: &str, amendment: &Amendment) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut changes: Vec<(usize, &Change)> = amendment.changes.iter().enumerate().collect();
    changes.sort_by_key(|(_, c)| (c.from, c.to));
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut next = 1; // the next line of the motion not yet copied
    for (k, change) in changes {
        let number = k + 1;
        if change.from == 0 || change.to + 1 < change.from || change.to > lines.len() {
            return Err(format!(
                "change {number} names lines {}..{} of a motion of {} lines (lines are numbered from 1)",
                change.from,
                change.to,
                lines.len()
            ));
        }
        if change.from < next {
            return Err(format!("change {number} overlaps an earlier change at line {}", change.from));
        }
        out.extend(lines[next - 1..change.from - 1].iter().map(|l| l.to_string()));
        out.extend(change.with.iter().cloned());
        next = change.to + 1;
    }
    out.extend(lines[next - 1..].iter().map(|l| l.to_string()));
    let mut text = out.join("\n");
    text.push('\n');
    Ok(text)
}

/// A line diff between two texts: `  ` kept, `- ` removed, `+ ` added (a longest common
/// subsequence of lines, so unchanged lines stay in place).
pub fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals first, as diffs are read.
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ARTICLE: &str =
        "Article 7. Oil revenue\nThe revenue is shared.\nThe centre receives half.\nThe regions receive half.\n";

    fn change(from: usize, to: usize, with: &[&str]) -> Change {
        Change { from, to, with: with.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn replace_insert_and_delete() {
        let a = Amendment {
            changes: vec![
                change(3, 4, &["The centre receives two fifths.", "The regions receive three fifths."]),
                change(2, 1, &["Two per cent is first returned to the producing regions."]),
            ],
        };
        let amended = apply(ARTICLE, &a).unwrap();
        assert_eq!(
            amended,
            "Article 7. Oil revenue\nTwo per cent is first returned to the producing regions.\nThe revenue is shared.\nThe centre receives two fifths.\nThe regions receive three fifths.\n"
        );
        let d = diff(ARTICLE, &amended);
        assert_eq!(
            d,
            "  Article 7. Oil revenue\n+ Two per cent is first returned to the producing regions.\n  The revenue is shared.\n- The centre receives half.\n- The regions receive half.\n+ The centre receives two fifths.\n+ The regions receive three fifths.\n"
        );
        let deleted = apply(ARTICLE, &Amendment { changes: vec![change(2, 2, &[])] }).unwrap();
        assert_eq!(deleted.lines().count(), 3);
        assert_eq!(
            apply(ARTICLE, &Amendment { changes: vec![change(1, 0, &["Preamble."])] }).unwrap().lines().next(),
            Some("Preamble.")
        );
    }

    #[test]
    fn changes_that_do_not_fit_are_named() {
        let overlap = Amendment { changes: vec![change(2, 3, &["x"]), change(3, 4, &["y"])] };
        assert!(apply(ARTICLE, &overlap).unwrap_err().contains("change 2 overlaps"));
        let outside = Amendment { changes: vec![change(4, 9, &[])] };
        assert!(apply(ARTICLE, &outside).unwrap_err().contains("lines 4..9 of a motion of 4 lines"));
        let zero = Amendment { changes: vec![change(0, 1, &[])] };
        assert!(apply(ARTICLE, &zero).unwrap_err().contains("numbered from 1"));
    }

    proptest! {
        /// The diff of a text and its amended version keeps the old lines in `-`/` ` order and
        /// the new lines in `+`/` ` order: it is a faithful account of both.
        #[test]
        fn diffs_account_for_both_texts(old in proptest::collection::vec("[abc]{0,3}", 0..12), new in proptest::collection::vec("[abc]{0,3}", 0..12)) {
            let (old, new) = (old.join("\n"), new.join("\n"));
            let d = diff(&old, &new);
            let kept_old: Vec<&str> = d.lines().filter(|l| !l.starts_with('+')).map(|l| &l[2..]).collect();
            let kept_new: Vec<&str> = d.lines().filter(|l| !l.starts_with('-')).map(|l| &l[2..]).collect();
            prop_assert_eq!(kept_old, old.lines().collect::<Vec<_>>());
            prop_assert_eq!(kept_new, new.lines().collect::<Vec<_>>());
        }
    }
}
