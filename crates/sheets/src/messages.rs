//! The sheets' words, in Project Fluent (`locales/*.ftl`, one file per language), with CLDR's
//! plural rules (Arabic's six forms). Every language must have every message: `Messages::new`
//! refuses a file that lacks one the English file has, so a missing translation fails the
//! build's tests.

use convene_words::Catalog;
pub use convene_words::{Arg, Lang};

/// The sheets' messages in every language.
pub struct Messages {
    catalog: Catalog,
}

impl Messages {
    /// Loads every language's messages; an error names a file that does not parse or lacks a
    /// message the English one has.
    pub fn new() -> Result<Messages, String> {
        let sources = [
            (Lang::En, include_str!("../locales/en.ftl")),
            (Lang::Ar, include_str!("../locales/ar.ftl")),
            (Lang::Ckb, include_str!("../locales/ckb.ftl")),
        ];
        // Isolated: the sheets lay each line out with the bidirectional algorithm.
        Ok(Messages { catalog: Catalog::new("crates/sheets/locales", &sources, true)? })
    }

    /// The ids of the messages in `lang`'s file.
    pub fn ids(&self, lang: Lang) -> Vec<String> {
        self.catalog.ids(lang).to_vec()
    }

    /// Message `id` in `lang` with `args` (text or numbers); the id itself if it is missing.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        self.catalog.get(lang, id, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        let m = Messages::new().unwrap();
        for lang in Lang::ALL {
            let mut ids = m.ids(lang);
            let mut english = m.ids(Lang::En);
            ids.sort();
            english.sort();
            assert_eq!(ids, english, "{lang:?}");
        }
    }

    #[test]
    fn arabic_has_six_plural_forms_at_0_1_2_3_11_100() {
        let m = Messages::new().unwrap();
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| m.get(Lang::Ar, "codes-count", &[("count", Arg::Number(n))]))
            .collect();
        let mut distinct = forms.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 6, "{forms:#?}");
        assert!(forms[1].contains("رمز دخول واحد"), "{}", forms[1]);
        assert!(forms[2].contains("رمزا"), "{}", forms[2]);
        assert!(forms[3].contains("رموز"), "{}", forms[3]);
        assert!(forms[4].contains("رمزًا"), "{}", forms[4]);
        // English: one and other.
        assert_eq!(m.get(Lang::En, "codes-count", &[("count", Arg::Number(1))]), "You have one sign-in code.");
        assert!(m.get(Lang::En, "codes-count", &[("count", Arg::Number(3))]).contains('3'));
    }
}
