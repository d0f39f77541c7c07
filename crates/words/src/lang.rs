//! The languages Convene speaks, and how a tag or a browser's list of languages names one.

/// A language Convene speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

    /// The language of a tag, compared without regard to case, with `-` or `_` between subtags:
    /// its primary subtag `en`, `ar` or `ckb` (`ar-IQ` is Arabic); or `ku` written in Arabic
    /// script (`ku-Arab`, `ku-Arab-IQ`) or in Iraq (`ku-IQ`), which is Sorani. Anything else
    /// (`fr`, `ku`, `ku-Latn`) is `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let mut subtags = tag.split(['-', '_']);
        match subtags.next().unwrap_or("") {
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            "ckb" => Some(Lang::Ckb),
            "ku" if subtags.any(|s| s == "arab" || s == "iq") => Some(Lang::Ckb),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header (RFC 9110 §12.5.4: by weight, then
    /// in order) that Convene speaks; `None` if it names none (or weighs them all `q=0`).
    pub fn preferred(accept_language: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, &str)> = accept_language
            .split(',')
            .filter_map(|item| {
                let mut fields = item.split(';');
                let tag = fields.next()?.trim();
                let q = fields
                    .find_map(|f| f.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, tag))
            })
            .collect();
        // A stable sort: equal weights keep the header's order.
        ranked.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        ranked.into_iter().find_map(|(_, tag)| Lang::parse(tag))
    }

    /// Whether it is written right to left.
    pub fn rtl(self) -> bool {
        self != Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    /// The vectors the pages' script is checked against too (web/test/vectors.test.ts).
    #[test]
    fn tags_and_headers_are_read_as_the_shared_vectors_say() {
        let text = include_str!("../../../test-vectors/language-tags.json");
        let vectors: serde_json::Value = serde_json::from_str(text).unwrap();
        let lang = |v: &serde_json::Value| v.as_str().map(|t| Lang::parse(t).expect("a language of ours"));
        for case in vectors["tags"].as_array().unwrap() {
            assert_eq!(Lang::parse(case["tag"].as_str().unwrap()), lang(&case["lang"]), "{case}");
        }
        for case in vectors["accept_language"].as_array().unwrap() {
            assert_eq!(Lang::preferred(case["header"].as_str().unwrap()), lang(&case["lang"]), "{case}");
        }
    }
}
