//! The sheets' words, in Project Fluent (`locales/*.ftl`, one file per language), with CLDR's
//! plural rules (Arabic's six forms). Every language must have every message: `Messages::new`
//! refuses a file that lacks one the English file has, so a missing translation fails the
//! build's tests.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

/// A language the sheets are printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Arabic.
    Ar,
    /// Central Kurdish (Sorani), in Arabic script.
    Ckb,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ar, Lang::Ckb];

    /// Its BCP 47 tag: `en`, `ar`, `ckb`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Ckb => "ckb",
        }
    }

    /// The language of a tag (`ar`, `ar-IQ`, `ckb`, `ku-Arab` …), or `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            "ckb" => Some(Lang::Ckb),
            "ku" if tag.contains("arab") || tag.ends_with("-iq") => Some(Lang::Ckb),
            _ => None,
        }
    }

    /// Whether it is written right to left.
    pub fn rtl(self) -> bool {
        self != Lang::En
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Ar => include_str!("../locales/ar.ftl"),
            Lang::Ckb => include_str!("../locales/ckb.ftl"),
        }
    }
}

/// The message bundles of every language.
pub struct Messages {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl Messages {
    /// Loads every language's messages; an error names a file that does not parse or lacks a
    /// message the English one has.
    pub fn new() -> Result<Messages, String> {
        let mut bundles = Vec::new();
        for lang in Lang::ALL {
            let resource = FluentResource::try_new(lang.source().to_string())
                .map_err(|(_, errors)| format!("locales/{}.ftl does not parse: {errors:?}", lang.tag()))?;
            let id: unic_langid::LanguageIdentifier = lang.tag().parse().map_err(|e| format!("{}: {e}", lang.tag()))?;
            let mut bundle = FluentBundle::new(vec![id]);
            bundle.add_resource(resource).map_err(|e| format!("locales/{}.ftl: {e:?}", lang.tag()))?;
            bundles.push((lang, bundle));
        }
        let messages = Messages { bundles };
        for id in messages.ids(Lang::En) {
            for lang in Lang::ALL {
                if !messages.bundle(lang).has_message(&id) {
                    return Err(format!("locales/{}.ftl has no message {id:?}", lang.tag()));
                }
            }
        }
        Ok(messages)
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles.iter().find(|(l, _)| *l == lang).expect("every language is loaded").1
    }

    /// The ids of the messages in `lang`'s file.
    pub fn ids(&self, lang: Lang) -> Vec<String> {
        let source = lang.source();
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Message `id` in `lang` with `args` (text or numbers); the id itself if it is missing.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.clone())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
    }
}

/// A value put into a message.
#[derive(Clone, Debug)]
pub enum Arg {
    /// Text, inserted as is (isolated for the bidirectional algorithm).
    Text(String),
    /// A number: it also chooses the plural form.
    Number(u64),
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

    #[test]
    fn tags_are_read_as_browsers_send_them() {
        assert_eq!(Lang::parse("ar-IQ"), Some(Lang::Ar));
        assert_eq!(Lang::parse("CKB"), Some(Lang::Ckb));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
