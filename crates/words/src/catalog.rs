//! A Project Fluent catalogue: one file per language, every one with every message the English
//! file has, with CLDR's plural rules.

use crate::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::{Expression, InlineExpression, Pattern, PatternElement};
use std::collections::BTreeSet;

/// A value put into a message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    /// Text, inserted as is.
    Text(String),
    /// A number: it also chooses the plural form.
    Number(u64),
}

/// The messages of every language, from one Fluent file each.
pub struct Catalog {
    name: &'static str,
    bundles: Vec<(Lang, FluentBundle<FluentResource>, Vec<String>)>,
}

impl Catalog {
    /// Loads `sources` (each language's Fluent text; `name` says where they come from, for
    /// errors). With `isolating`, inserted values are wrapped in Unicode isolates for the
    /// bidirectional algorithm (for text laid out with it; not for a terminal's one line).
    /// An error names a file that does not parse, or that lacks a message of the English file's
    /// or has one it lacks.
    pub fn new(name: &'static str, sources: &[(Lang, &str)], isolating: bool) -> Result<Catalog, String> {
        let mut bundles = Vec::new();
        for lang in Lang::ALL {
            let source = sources
                .iter()
                .find(|(l, _)| *l == lang)
                .map(|(_, s)| *s)
                .ok_or_else(|| format!("{name}/{}.ftl is missing", lang.tag()))?;
            let resource = FluentResource::try_new(source.to_string())
                .map_err(|(_, errors)| format!("{name}/{}.ftl does not parse: {errors:?}", lang.tag()))?;
            let ids = resource
                .entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect();
            let id: unic_langid::LanguageIdentifier = lang.tag().parse().map_err(|e| format!("{}: {e}", lang.tag()))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(isolating);
            bundle.add_resource(resource).map_err(|e| format!("{name}/{}.ftl: {e:?}", lang.tag()))?;
            bundles.push((lang, bundle, ids));
        }
        let catalog = Catalog { name, bundles };
        let english = catalog.ids(Lang::En);
        for lang in Lang::ALL {
            let own = catalog.ids(lang);
            if let Some(id) = english.iter().find(|id| !own.contains(id)) {
                return Err(format!("{name}/{}.ftl has no message {id:?}", lang.tag()));
            }
            if let Some(id) = own.iter().find(|id| !english.contains(id)) {
                return Err(format!("{name}/{}.ftl has a message {id:?} that en.ftl does not", lang.tag()));
            }
            for id in english {
                let (theirs, ours) = (catalog.variables(lang, id), catalog.variables(Lang::En, id));
                if theirs != ours {
                    return Err(format!(
                        "{name}/{}.ftl: {id} uses the variables {theirs:?}, but en.ftl's uses {ours:?}",
                        lang.tag()
                    ));
                }
            }
        }
        Ok(catalog)
    }

    fn bundle(&self, lang: Lang) -> &(Lang, FluentBundle<FluentResource>, Vec<String>) {
        self.bundles.iter().find(|(l, ..)| *l == lang).expect("every language is loaded")
    }

    /// The ids of the messages in `lang`'s file, in the file's order.
    pub fn ids(&self, lang: Lang) -> &[String] {
        &self.bundle(lang).2
    }

    /// The variables message `id` uses in `lang` (`$seats`, without the `$`), in its text and
    /// its selectors; empty if it has none or is missing.
    pub fn variables(&self, lang: Lang, id: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        if let Some(pattern) = self.bundle(lang).1.get_message(id).and_then(|m| m.value()) {
            pattern_variables(pattern, &mut names);
        }
        names
    }

    /// Whether message `id` exists (in every language, as [`Catalog::new`] checked).
    pub fn has(&self, id: &str) -> bool {
        self.bundle(Lang::En).1.has_message(id)
    }

    /// Message `id` in `lang` with `args` (text or numbers); the id itself if it is missing.
    /// A variable the message names but `args` lacks is written `{$name}`, as Fluent does.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        self.format(lang, id, args).unwrap_or_else(|_| id.to_string())
    }

    /// Message `id` in `lang` with `args`; an error says that it is missing, or what formatting
    /// it reported (a variable not given, for one), naming the catalogue.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        let bundle = &self.bundle(lang).1;
        let pattern = bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(|| format!("{}/{}.ftl has no message {id:?}", self.name, lang.tag()))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.clone())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
        if errors.is_empty() {
            Ok(text)
        } else {
            Err(format!("{}/{}.ftl, {id}: {errors:?}", self.name, lang.tag()))
        }
    }
}

fn pattern_variables(pattern: &Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, names),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, names),
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, names);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "seats = { $place } has { $n ->\n    [one] one seat\n   *[other] { $n } seats\n}\nhello = Hello\n";

    fn load(ar: &str, ckb: &str) -> Result<Catalog, String> {
        Catalog::new("test", &[(Lang::En, EN), (Lang::Ar, ar), (Lang::Ckb, ckb)], false)
    }

    #[test]
    fn a_language_missing_a_message_or_a_variable_is_refused() {
        let ckb = "seats = { $place }: { $n }\nhello = سڵاو\n";
        assert!(load("seats = { $place } { $n }\nhello = مرحبا\n", ckb).is_ok());
        let missing = load("seats = { $place } { $n }\n", ckb).err().unwrap();
        assert!(missing.contains("ar.ftl has no message \"hello\""), "{missing}");
        let extra = load("seats = { $place } { $n }\nhello = مرحبا\nbye = وداعا\n", ckb).err().unwrap();
        assert!(extra.contains("\"bye\" that en.ftl does not"), "{extra}");
        let renamed = load("seats = { $where } { $n }\nhello = مرحبا\n", ckb).err().unwrap();
        assert!(renamed.contains("seats uses the variables"), "{renamed}");
        assert!(load("seats = {\n", ckb).err().unwrap().contains("does not parse"));
    }

    #[test]
    fn numbers_pick_the_plural_form_and_a_missing_variable_is_an_error() {
        let c = load("seats = { $place } { $n }\nhello = مرحبا\n", "seats = { $place } { $n }\nhello = سڵاو\n").unwrap();
        let seats = |n| c.format(Lang::En, "seats", &[("place", Arg::Text("Basra".into())), ("n", Arg::Number(n))]);
        assert_eq!(seats(1).unwrap(), "Basra has one seat");
        assert_eq!(seats(5).unwrap(), "Basra has 5 seats");
        assert!(c.format(Lang::En, "seats", &[("n", Arg::Number(2))]).unwrap_err().contains("seats"));
        assert_eq!(c.get(Lang::En, "nothing", &[]), "nothing");
        assert_eq!(c.variables(Lang::En, "seats"), BTreeSet::from(["n".to_string(), "place".to_string()]));
    }
}
