//! The manifest's `translations` (`docs/record-format.md`): the election's own texts — its title,
//! its questions and their options — in other languages. They change nothing that is counted.

use super::{unique_keys, Question};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The election's texts in one language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ManifestTranslation {
    /// The title.
    pub title: String,
    /// One per question of the manifest, in order.
    pub questions: Vec<QuestionTranslation>,
    /// The SHA-256 (hex) of the text to ratify in this language, `constitution.LANG.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constitution_sha256: Option<String>,
}

/// One question's texts in one language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QuestionTranslation {
    /// The question.
    pub text: String,
    /// A `choose` question's options, in the manifest's order (none for `yes-no`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// The translations by language tag, each tag once.
pub type Translations = BTreeMap<String, ManifestTranslation>;

/// `translations` read with every language tag at most once.
pub(super) fn unique_languages<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Translations, D::Error> {
    unique_keys(deserializer)
}

/// Whether `tag` is a language tag as the manifest allows them: 2 or 3 lower-case letters, then
/// optionally `-` and letters or digits.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The record file of the text to ratify in language `tag`: `constitution.TAG.md`.
pub fn constitution_file(tag: &str) -> String {
    format!("constitution.{tag}.md")
}

/// Checks every translation against the manifest's questions (and whether it ratifies a
/// text, `with_text`); the first rule broken, in words.
pub fn check_translations(translations: &Translations, questions: &[Question], with_text: bool) -> Result<(), String> {
    for (tag, t) in translations {
        let bad = |why: String| Err(format!("translations {tag:?}: {why}"));
        if !is_language_tag(tag) {
            return bad("is not a language tag such as ar, ckb or ar-IQ".into());
        }
        match (&t.constitution_sha256, with_text) {
            (Some(hash), true) if super::hash("constitution_sha256", hash).is_ok() => {}
            (Some(_), true) => return bad("constitution_sha256 is not a SHA-256 in lower-case hex".into()),
            (Some(_), false) => return bad("has a constitution_sha256, but the referendum ratifies no text".into()),
            (None, _) => {}
        }
        if t.title.trim().is_empty() {
            return bad("the title is empty".into());
        }
        if t.questions.len() != questions.len() {
            return bad(format!("has {} questions, the manifest {}", t.questions.len(), questions.len()));
        }
        for (i, (tq, q)) in t.questions.iter().zip(questions).enumerate() {
            if tq.text.trim().is_empty() {
                return bad(format!("question {i}'s text is empty"));
            }
            let options = match q {
                Question::YesNo { .. } => 0,
                Question::Choose { options, .. } => options.len(),
            };
            if tq.options.len() != options || tq.options.iter().any(|o| o.trim().is_empty()) {
                return bad(format!("question {i} needs {options} non-empty options, one per option of the manifest"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<Question> {
        crate::testing::questions(true)
    }

    fn arabic() -> ManifestTranslation {
        ManifestTranslation {
            constitution_sha256: None,
            title: "استفتاء".into(),
            questions: vec![
                QuestionTranslation { text: "هل توافق؟".into(), options: vec![] },
                QuestionTranslation {
                    text: "أي بنية؟".into(),
                    options: ["أ", "ب", "ج", "د"].map(String::from).to_vec(),
                },
            ],
        }
    }

    #[test]
    fn translations_follow_the_manifest_s_questions() {
        let ok: Translations = [("ar".to_string(), arabic()), ("ckb".to_string(), arabic())].into();
        assert_eq!(check_translations(&ok, &questions(), false), Ok(()));
        let mut wrong = arabic();
        wrong.questions[1].options.pop();
        assert!(check_translations(&[("ar".to_string(), wrong)].into(), &questions(), false)
            .unwrap_err()
            .contains("4 non-empty options"));
        let mut extra = arabic();
        extra.questions[0].options.push("x".into());
        assert!(check_translations(&[("ar".to_string(), extra)].into(), &questions(), false).is_err());
        assert!(check_translations(&[("Arabic".to_string(), arabic())].into(), &questions(), false)
            .unwrap_err()
            .contains("language tag"));
        let mut short = arabic();
        short.questions.pop();
        assert!(check_translations(&[("ar".to_string(), short)].into(), &questions(), false)
            .unwrap_err()
            .contains("has 1 questions"));
    }
}
