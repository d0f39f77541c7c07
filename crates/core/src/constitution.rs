//! The constitution as the convention adopts it: numbered articles — plain text, a matrix of
//! competences, a revenue-sharing formula, or a transitional milestone — each with the history
//! of amendments and votes that made it; exported as Markdown and HTML; and a decentralization
//! summary of the competences matrix.

use crate::ratio::Ratio;
use std::fmt::Write;

/// Who holds a power.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Centre,
    Shared,
    Regions,
}

impl Holder {
    fn label(self) -> &'static str {
        match self {
            Holder::Centre => "centre",
            Holder::Shared => "shared",
            Holder::Regions => "regions",
        }
    }
}

/// How far the regions take part in governing the whole (the "shared rule" dimension): each
/// provision that holds counts a quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SharedRule {
    /// A chamber of the regions in the central legislature.
    pub regional_chamber: bool,
    /// The regions must consent to changes of the constitution.
    pub regional_consent_to_amendment: bool,
    /// The regions take part in the central executive.
    pub regions_in_executive: bool,
    /// The regions co-decide the distribution of revenue.
    pub regions_co_decide_revenue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArticleBody {
    Text(String),
    Competences {
        powers: Vec<(String, Holder)>,
        shared_rule: SharedRule,
    },
    /// A revenue-sharing formula in the TOML of [`crate::revenue::Formula`]: data, not prose.
    Revenue(String),
    /// A transitional milestone: `event` in `region`, some years and months after ratification
    /// or (`after_article`) after the milestone of another article.
    Milestone {
        region: String,
        event: String,
        years_after_ratification: u32,
        months: u32,
        after_article: Option<u32>,
    },
}

/// When a milestone comes, in words: `6 years after ratification` (the form of every record
/// before version 5, kept byte for byte, whatever the number), or with months or after another
/// article `1 year and 6 months after article 4`.
pub fn milestone_when(years: u32, months: u32, after_article: Option<u32>) -> String {
    if months == 0 && after_article.is_none() {
        return format!("{years} years after ratification");
    }
    let after = after_article.map(|k| format!("article {k}")).unwrap_or_else(|| "ratification".into());
    let count = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (years, months) {
        (y, 0) => format!("{} after {after}", count(y, "year", "years")),
        (0, m) => format!("{} after {after}", count(m, "month", "months")),
        (y, m) => format!("{} and {} after {after}", count(y, "year", "years"), count(m, "month", "months")),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub number: u32,
    pub title: String,
    pub body: ArticleBody,
    /// How the article came to be, e.g. "amendment 3 adopted by vote 12 (41 yes, 9 no)".
    pub history: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constitution {
    pub title: String,
    pub version: u32,
    pub articles: Vec<Article>,
    /// A conference's communiqué: the same adopted texts, headed as numbered paragraphs.
    pub communique: bool,
}

/// Where a competences matrix lies between unitary and confederal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decentralization {
    /// Regions' share of the powers (a shared power counts half).
    pub self_rule: Ratio,
    /// The shared-rule provisions that hold, out of four.
    pub shared_rule: Ratio,
    /// `(2·self_rule + shared_rule) / 3`, from 0 (unitary) to 1 (confederal).
    pub position: Ratio,
    pub label: &'static str,
}

/// The decentralization summary: self-rule from the matrix, shared rule from the provisions,
/// and a position on one line — below 1/5 unitary, below 2/5 decentralized unitary, below 3/5
/// federal, below 4/5 strongly federal, else confederal. A summary for negotiators, not a
/// verdict of political science.
pub fn decentralization(powers: &[(String, Holder)], shared_rule: &SharedRule) -> Result<Decentralization, String> {
    if powers.is_empty() {
        return Err("the matrix of competences lists no powers".into());
    }
    let halves: u128 = powers
        .iter()
        .map(|(_, h)| match h {
            Holder::Centre => 0,
            Holder::Shared => 1,
            Holder::Regions => 2,
        })
        .sum();
    let self_rule = Ratio::new(halves, 2 * powers.len() as u128).ok_or("too many powers")?;
    let provisions = [
        shared_rule.regional_chamber,
        shared_rule.regional_consent_to_amendment,
        shared_rule.regions_in_executive,
        shared_rule.regions_co_decide_revenue,
    ];
    let shared = Ratio::new(provisions.iter().filter(|p| **p).count() as u128, 4).expect("den 4");
    // (2a/b + c/4) / 3 = (8a + bc) / 12b with self_rule = a/b, shared = c/4.
    let (a, b, c) = (self_rule.num(), self_rule.den(), shared.num() * (4 / shared.den()));
    let position = Ratio::new(8 * a + b * c, 12 * b).ok_or("too many powers")?;
    let bands = [
        (Ratio::new(1, 5), "unitary"),
        (Ratio::new(2, 5), "decentralized unitary"),
        (Ratio::new(3, 5), "federal"),
        (Ratio::new(4, 5), "strongly federal"),
    ];
    let label =
        bands.iter().find(|(bar, _)| bar.is_some_and(|bar| position < bar)).map(|(_, l)| *l).unwrap_or("confederal");
    Ok(Decentralization { self_rule, shared_rule: shared, position, label })
}

/// `text` for HTML: `&`, `<`, `>` and `"` as entities (text and attribute values alike).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl Constitution {
    /// Checks every article: numbers unique and ascending, formulas parse, matrices non-empty.
    pub fn check(&self) -> Result<(), String> {
        for pair in self.articles.windows(2) {
            if pair[1].number <= pair[0].number {
                return Err(format!(
                    "article {} follows article {}: numbers must ascend",
                    pair[1].number, pair[0].number
                ));
            }
        }
        for a in &self.articles {
            match &a.body {
                ArticleBody::Revenue(formula) => {
                    crate::revenue::Formula::parse(formula).map_err(|e| format!("article {}: {e}", a.number))?;
                }
                ArticleBody::Competences { powers, shared_rule } => {
                    decentralization(powers, shared_rule).map_err(|e| format!("article {}: {e}", a.number))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub fn to_markdown(&self) -> String {
        let kind = if self.communique { "Communiqué, version" } else { "Version" };
        let mut out = format!("# {}\n\n{kind} {}.\n", self.title, self.version);
        let article = if self.communique { "" } else { "Article " };
        for a in &self.articles {
            let _ = write!(out, "\n## {article}{}. {}\n\n", a.number, a.title);
            match &a.body {
                ArticleBody::Text(text) => {
                    let _ = writeln!(out, "{}", text.trim_end());
                }
                ArticleBody::Competences { powers, shared_rule } => {
                    out.push_str("| power | held by |\n|---|---|\n");
                    for (power, holder) in powers {
                        let _ = writeln!(out, "| {power} | {} |", holder.label());
                    }
                    if let Ok(d) = decentralization(powers, shared_rule) {
                        let _ = writeln!(
                            out,
                            "\nDecentralization: self-rule {} ({:.0}%), shared rule {} ({:.0}%): {} (position {:.2} from unitary 0 to confederal 1).",
                            d.self_rule,
                            d.self_rule.to_f64() * 100.0,
                            d.shared_rule,
                            d.shared_rule.to_f64() * 100.0,
                            d.label,
                            d.position.to_f64()
                        );
                    }
                }
                ArticleBody::Revenue(formula) => {
                    let _ = writeln!(out, "Revenue is shared by this formula:\n\n```toml\n{}\n```", formula.trim_end());
                }
                ArticleBody::Milestone { region, event, years_after_ratification, months, after_article } => {
                    let when = milestone_when(*years_after_ratification, *months, *after_article);
                    let _ = writeln!(out, "{when}: {event} in {region}.");
                }
            }
            if !a.history.is_empty() {
                let _ = writeln!(out, "\n*History:* {}", a.history.join("; "));
            }
        }
        out
    }

    pub fn to_html(&self) -> String {
        let kind = if self.communique { "Communiqué, version" } else { "Version" };
        let mut out = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{0}</title><body><main><h1>{0}</h1><p>{kind} {1}.</p>",
            escape_html(&self.title),
            self.version
        );
        let article = if self.communique { "" } else { "Article " };
        for a in &self.articles {
            let _ =
                write!(out, "<section id=\"article-{0}\"><h2>{article}{0}. {1}</h2>", a.number, escape_html(&a.title));
            match &a.body {
                ArticleBody::Text(text) => {
                    for paragraph in text.split("\n\n") {
                        let _ = write!(out, "<p>{}</p>", escape_html(paragraph.trim()));
                    }
                }
                ArticleBody::Competences { powers, shared_rule } => {
                    out.push_str("<table><thead><tr><th scope=\"col\">power</th><th scope=\"col\">held by</th></tr></thead><tbody>");
                    for (power, holder) in powers {
                        let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", escape_html(power), holder.label());
                    }
                    out.push_str("</tbody></table>");
                    if let Ok(d) = decentralization(powers, shared_rule) {
                        let _ = write!(
                            out,
                            "<p>Decentralization: {} (position {:.2} from unitary 0 to confederal 1).</p>",
                            d.label,
                            d.position.to_f64()
                        );
                    }
                }
                ArticleBody::Revenue(formula) => {
                    let _ = write!(
                        out,
                        "<p>Revenue is shared by this formula:</p><pre><code>{}</code></pre>",
                        escape_html(formula)
                    );
                }
                ArticleBody::Milestone { region, event, years_after_ratification, months, after_article } => {
                    let when = milestone_when(*years_after_ratification, *months, *after_article);
                    let _ = write!(out, "<p>{when}: {} in {}.</p>", escape_html(event), escape_html(region));
                }
            }
            if !a.history.is_empty() {
                let _ = write!(out, "<p><em>History:</em> {}</p>", escape_html(&a.history.join("; ")));
            }
            out.push_str("</section>");
        }
        out.push_str("</main></body></html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn powers(holders: &[Holder]) -> Vec<(String, Holder)> {
        holders.iter().enumerate().map(|(i, h)| (format!("power {i}"), *h)).collect()
    }

    #[test]
    fn decentralization_runs_from_unitary_to_confederal() {
        use Holder::*;
        let none = SharedRule::default();
        let all = SharedRule {
            regional_chamber: true,
            regional_consent_to_amendment: true,
            regions_in_executive: true,
            regions_co_decide_revenue: true,
        };
        assert_eq!(decentralization(&powers(&[Centre, Centre, Centre, Centre]), &none).unwrap().label, "unitary");
        // Self-rule 1/2, shared rule 1/2: position (1 + 1/2)/3 = 1/2: federal.
        let federal = SharedRule { regional_chamber: true, regional_consent_to_amendment: true, ..none };
        let d = decentralization(&powers(&[Centre, Regions, Shared, Shared]), &federal).unwrap();
        assert_eq!(
            (d.self_rule, d.shared_rule, d.position, d.label),
            (Ratio::new(1, 2).unwrap(), Ratio::new(1, 2).unwrap(), Ratio::new(1, 2).unwrap(), "federal")
        );
        assert_eq!(decentralization(&powers(&[Regions, Regions, Regions, Regions]), &all).unwrap().label, "confederal");
        assert!(decentralization(&[], &none).is_err());
    }

    #[test]
    fn exports_carry_every_kind_of_article_and_their_history() {
        let c = Constitution {
            title: "The Constitution of <the> Republic".into(),
            version: 3,
            communique: false,
            articles: vec![
                Article {
                    number: 1,
                    title: "The state".into(),
                    body: ArticleBody::Text("The state is federal.\n\nIts regions are equal.".into()),
                    history: vec!["adopted by vote 4 (41 yes, 9 no)".into()],
                },
                Article {
                    number: 2,
                    title: "Competences".into(),
                    body: ArticleBody::Competences {
                        powers: vec![("defence".into(), Holder::Centre), ("education".into(), Holder::Regions)],
                        shared_rule: SharedRule::default(),
                    },
                    history: vec![],
                },
                Article {
                    number: 3,
                    title: "Oil revenue".into(),
                    body: ArticleBody::Revenue("centre = \"1/2\"\n[keys]\npopulation = \"1\"\n".into()),
                    history: vec!["amendment 2 adopted by vote 7".into()],
                },
                Article {
                    number: 4,
                    title: "Self-determination".into(),
                    body: ArticleBody::Milestone {
                        region: "the south".into(),
                        event: "a referendum on self-determination".into(),
                        years_after_ratification: 6,
                        months: 0,
                        after_article: None,
                    },
                    history: vec![],
                },
            ],
        };
        assert!(c.check().is_ok());
        let md = c.to_markdown();
        for expected in [
            "## Article 1. The state",
            "*History:* adopted by vote 4 (41 yes, 9 no)",
            "| education | regions |",
            "Decentralization: self-rule 1/2",
            "```toml",
            "6 years after ratification: a referendum on self-determination in the south.",
        ] {
            assert!(md.contains(expected), "{expected:?} missing from\n{md}");
        }
        let html = c.to_html();
        assert!(html.contains("<title>The Constitution of &lt;the&gt; Republic</title>"));
        assert!(html.contains("<p>Its regions are equal.</p>"));
        assert!(html.contains("<th scope=\"col\">power</th>"));
        // A conference's communiqué: the same texts, as numbered paragraphs.
        let communique = Constitution { communique: true, ..c.clone() };
        let md = communique.to_markdown();
        assert!(
            md.starts_with("# The Constitution of <the> Republic\n\nCommuniqué, version 3.\n\n## 1. The state\n"),
            "{md}"
        );
        assert!(communique
            .to_html()
            .contains("<p>Communiqué, version 3.</p><section id=\"article-1\"><h2>1. The state</h2>"));
        let mut bad = c.clone();
        bad.articles[2].body = ArticleBody::Revenue("[keys]\npopulation = \"1/2\"\n".into());
        assert!(bad.check().unwrap_err().contains("article 3"));
        bad.articles.swap(0, 1);
        assert!(bad.check().unwrap_err().contains("numbers must ascend"));
    }
}
