//! The state machine's words, as data (`docs/convention.md` §4.1): why it refuses an event
//! ([`Refusal`], a stable code and its arguments), and what an event did, an article's history
//! and a vote's conditions ([`Said`], a message id and its arguments). Never prose: their words
//! in every language are the Fluent messages of `crates/record/locales/*.ftl` (`refusal-<code>`,
//! `event-…`, `history-…`, `condition-…`), which the pages load too; `Display` gives the English.

use convene_words::{Arg, Catalog, Lang};
use serde::ser::{Serialize, SerializeMap, Serializer};

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A refusal: its code (`seats_taken`) and arguments (`locality`, `seats`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    /// The stable code; the message `refusal-<code>` says it in words.
    pub code: &'static str,
    /// The values the message puts in, by name.
    pub args: Args,
}

/// A message's arguments, as a JSON object of strings and numbers.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Args(pub BTreeMap<String, Arg>);

impl<'de> serde::Deserialize<'de> for Args {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Args, D::Error> {
        let values = <BTreeMap<String, serde_json::Value> as serde::Deserialize>::deserialize(deserializer)?;
        let mut args = BTreeMap::new();
        for (name, value) in values {
            let arg = match value {
                serde_json::Value::String(text) => Arg::Text(text),
                serde_json::Value::Number(n) if n.is_u64() => Arg::Number(n.as_u64().unwrap_or_default()),
                other => {
                    return Err(serde::de::Error::custom(format!("argument {name}: {other} is not text or a count")))
                }
            };
            args.insert(name, arg);
        }
        Ok(Args(args))
    }
}

impl Args {
    fn list(&self) -> Vec<(&str, Arg)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
    }
}

impl Serialize for Args {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            match value {
                Arg::Text(text) => map.serialize_entry(name, text)?,
                Arg::Number(n) => map.serialize_entry(name, n)?,
            }
        }
        map.end()
    }
}

/// A value a refusal's message can put in: text, or a number (which also picks a plural form).
pub trait IntoArg {
    /// The value as a message argument.
    fn into_arg(self) -> Arg;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(impl IntoArg for $t {
        fn into_arg(self) -> Arg {
            Arg::Number(self as u64)
        }
    })*};
}
number_arg!(u32, u64, usize);

impl IntoArg for Arg {
    fn into_arg(self) -> Arg {
        self
    }
}

impl IntoArg for String {
    fn into_arg(self) -> Arg {
        Arg::Text(self)
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> Arg {
        Arg::Text(self.clone())
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> Arg {
        Arg::Text(self.to_string())
    }
}

impl Refusal {
    /// A refusal with no arguments yet.
    pub fn new(code: &'static str) -> Refusal {
        Refusal { code, args: Args::default() }
    }

    /// This refusal with argument `name` set to `value`.
    pub fn with(mut self, name: &'static str, value: impl IntoArg) -> Refusal {
        self.args.0.insert(name.to_string(), value.into_arg());
        self
    }

    /// A refusal whose reason comes from a check outside the convention (the apportionment, a
    /// rule, an amendment's lines): code `invalid`, with the check's English words as `detail`.
    pub fn invalid(detail: impl std::fmt::Display) -> Refusal {
        Refusal::new("invalid").with("detail", detail.to_string())
    }

    /// The same reason, with `context` before it (`trustees: …`): code `invalid`.
    pub fn context(self, context: &str) -> Refusal {
        Refusal::invalid(format!("{context}: {self}"))
    }

    /// The refusal in `lang`'s words.
    pub fn words(&self, lang: Lang) -> String {
        let id = format!("refusal-{}", self.code);
        catalog().format(lang, &id, &self.args.list()).unwrap_or_else(|_| format!("{} {:?}", self.code, self.args.0))
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Lang::En))
    }
}

/// The convention's words in every language (`crates/record/locales`).
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let sources = [
            (Lang::En, include_str!("../../locales/en.ftl")),
            (Lang::Ar, include_str!("../../locales/ar.ftl")),
            (Lang::Ckb, include_str!("../../locales/ckb.ftl")),
        ];
        // The files are checked by the tests (every language has every message), so a file
        // that fails here is a build that never passed them.
        Catalog::new("crates/record/locales", &sources, false).expect("the convention's Fluent files load")
    })
}

/// Something the state machine says: a Fluent message id (`history-moved`) and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Said {
    /// The message id in `crates/record/locales/*.ftl`.
    pub id: String,
    /// The values the message puts in, by name.
    pub args: Args,
}

impl Said {
    /// Message `id` with no arguments yet.
    pub fn new(id: &str) -> Said {
        Said { id: id.to_string(), args: Args::default() }
    }

    /// This with argument `name` set to `value`.
    pub fn with(mut self, name: &str, value: impl IntoArg) -> Said {
        self.args.0.insert(name.to_string(), value.into_arg());
        self
    }

    /// This with every argument of `other` too (the counts a history line and a summary share).
    pub fn with_all(mut self, other: &Args) -> Said {
        self.args.0.extend(other.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }

    /// It in `lang`'s words.
    pub fn words(&self, lang: Lang) -> String {
        catalog().format(lang, &self.id, &self.args.list()).unwrap_or_else(|_| format!("{} {:?}", self.id, self.args.0))
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Lang::En))
    }
}

/// `said!("history-moved", motion = id, proposer = name, entry = index)`: a [`Said`].
macro_rules! said {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::convention::Said::new($id)$(.with(stringify!($name), $value))*
    };
}
pub(crate) use said;

/// `refuse!("seats_taken", locality = name, seats = n)`: a [`Refusal`] with its arguments.
macro_rules! refuse {
    ($code:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::convention::Refusal::new($code)$(.with(stringify!($name), $value))*
    };
}
pub(crate) use refuse;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The convention's sources that refuse, as the tests see them.
    const SOURCES: [(&str, &str); 4] = [
        ("events.rs", include_str!("events.rs")),
        ("votes.rs", include_str!("votes.rs")),
        ("replay.rs", include_str!("replay.rs")),
        ("wire.rs", include_str!("wire.rs")),
    ];

    /// Each `macro("code", name = value, …)` in `source` (`macro` is `refuse!(` or `said!(`):
    /// its code or message id, and its argument names.
    fn calls(source: &str, macro_call: &str) -> Vec<(String, BTreeSet<String>)> {
        let mut found = Vec::new();
        for (start, _) in source.match_indices(macro_call) {
            let rest = &source[start + macro_call.len()..];
            // The call's text up to its closing parenthesis (strings hold no parentheses here).
            let (mut depth, mut end) = (1, 0);
            for (k, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = k;
                    break;
                }
            }
            let call = &rest[..end];
            let Some(code) = call.trim().strip_prefix('"').and_then(|c| c.split('"').next()) else { continue };
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '-') {
                continue;
            }
            // Top-level `name = ` pieces, split at the commas outside parentheses.
            let (mut names, mut depth, mut piece) = (BTreeSet::new(), 0, String::new());
            for c in call.chars().chain([',']) {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    ',' if depth == 0 => {
                        if let Some((name, _)) = piece.split_once(" = ") {
                            names.insert(name.trim().to_string());
                        }
                        piece.clear();
                        continue;
                    }
                    _ => {}
                }
                piece.push(c);
            }
            found.push((code.to_string(), names));
        }
        found
    }

    #[test]
    fn everything_said_has_words_in_every_language_and_the_golden_records_say_it() {
        let catalog = catalog();
        for (file, source) in SOURCES {
            for (id, names) in calls(source, "said!(") {
                assert!(catalog.has(&id), "{file}: said!({id:?}) has no message in crates/record/locales");
                let variables = catalog.variables(Lang::En, &id);
                assert!(names.is_subset(&variables), "{file}: said!({id:?}) gives {names:?}, not among {variables:?}");
            }
        }
        // Every summary and history line of the golden records, in every language, with no
        // variable missing.
        for (charter, log) in [
            (
                include_str!("../../../../test-vectors/convention-v1/charter.json"),
                include_str!("../../../../test-vectors/convention-v1/log.jsonl"),
            ),
            (
                include_str!("../../../../test-vectors/convention-v3/charter.json"),
                include_str!("../../../../test-vectors/convention-v3/log.jsonl"),
            ),
        ] {
            let mut state = super::super::ConventionState::new(charter.as_bytes()).unwrap();
            let mut said = Vec::new();
            for line in log.lines() {
                said.push(state.apply_line(line.as_bytes()).unwrap().1.said);
            }
            said.extend(state.motions.iter().flat_map(|m| m.steps.iter().cloned()));
            assert!(said.iter().any(|s| s.id.starts_with("history-")), "{said:?}");
            for s in &said {
                for lang in Lang::ALL {
                    catalog.format(lang, &s.id, &s.args.list()).unwrap();
                }
            }
        }
    }

    #[test]
    fn every_refusal_has_words_in_every_language_with_the_arguments_it_is_given() {
        let catalog = catalog();
        let mut codes = BTreeSet::from(["invalid".to_string()]);
        for (file, source) in SOURCES {
            for (code, names) in calls(source, "refuse!(") {
                let id = format!("refusal-{code}");
                assert!(catalog.has(&id), "{file}: refuse!({code:?}) has no message {id} in crates/record/locales");
                assert_eq!(catalog.variables(Lang::En, &id), names, "{file}: refuse!({code:?}) gives other arguments");
                codes.insert(code);
            }
        }
        assert!(codes.len() > 80, "{codes:?}");
        let unused: Vec<&String> = catalog
            .ids(Lang::En)
            .iter()
            .filter(|id| id.strip_prefix("refusal-").is_some_and(|code| !codes.contains(code)))
            .collect();
        assert!(unused.is_empty(), "messages no refusal uses: {unused:?}");
    }

    #[test]
    fn a_refusal_is_a_code_and_arguments_said_in_each_language() {
        let refusal = refuse!("seats_taken", locality = "Basra", seats = 3u64);
        assert_eq!(refusal.to_string(), "Basra has 3 seats, all taken");
        assert_eq!(refuse!("seats_taken", locality = "Basra", seats = 1u64).to_string(), "Basra has one seat, taken");
        assert_eq!(
            serde_json::to_value(&refusal).unwrap(),
            serde_json::json!({"code": "seats_taken", "args": {"locality": "Basra", "seats": 3}})
        );
        assert!(refusal.words(Lang::Ar).contains("Basra"), "{}", refusal.words(Lang::Ar));
        assert_ne!(refusal.words(Lang::Ar), refusal.words(Lang::Ckb));
        assert_eq!(Refusal::invalid("no such method").to_string(), "no such method");
        assert_eq!(refuse!("only_chair").context("vote 2").to_string(), "vote 2: only the chair may do this");
    }

    #[test]
    fn arabic_says_a_number_of_seats_in_all_six_plural_forms() {
        let forms: BTreeSet<String> = [0u64, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| refuse!("seats_taken", locality = "Basra", seats = n).words(Lang::Ar))
            .collect();
        // zero, one, two, few (3), many (11) and other (100): many and other share "مقعدًا"
        // with different numbers, so six texts.
        assert_eq!(forms.len(), 6, "{forms:#?}");
        assert!(forms.iter().any(|f| f.contains("مقعدان")), "{forms:#?}");
    }
}
