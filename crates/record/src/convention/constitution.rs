//! The constitution as adopted so far, its `constitution.json`, and the milestones it schedules.

use super::*;

impl ConventionState {
    /// The constitution as adopted so far: one article per adopted motion, with its history.
    pub fn constitution(&self) -> Constitution {
        ConventionState::constitution_of(self.constitution_json())
    }

    /// The core model of a `constitution.json`, for its Markdown and HTML exports.
    pub fn constitution_of(json: ConstitutionJson) -> Constitution {
        let articles = json
            .articles
            .into_iter()
            .map(|a| Article { number: a.number, title: a.title, body: a.body.to_core(), history: a.history })
            .collect();
        Constitution { title: json.title, version: json.constitution_version, articles, communique: json.communique }
    }

    /// `constitution.json`: the adopted articles in the record's format.
    pub fn constitution_json(&self) -> ConstitutionJson {
        ConstitutionJson {
            version: self.charter.version,
            title: self.charter.title.clone(),
            constitution_version: self.articles.len() as u32,
            articles: self
                .articles
                .iter()
                .enumerate()
                .filter_map(|(k, id)| self.motion(*id).ok().map(|m| (k, m)))
                .map(|(k, m)| ArticleJson {
                    number: k as u32 + 1,
                    motion: m.id,
                    title: m.title.clone(),
                    body: m.current.clone(),
                    history: m.history.clone(),
                    translations: m
                        .translations
                        .iter()
                        .filter(|(_, t)| t.version == m.version)
                        .map(|(lang, t)| {
                            let translation =
                                ArticleTranslation { title: t.title.clone(), text: t.text.clone(), by: t.by.clone() };
                            (lang.clone(), translation)
                        })
                        .collect(),
                })
                .collect(),
            ratification: self.ratified.as_ref().map(|r| r.referendum.clone()),
            communique: self.charter.conference.is_some(),
        }
    }

    /// The adopted milestones, in article order.
    pub fn milestones(&self) -> Vec<MilestoneArticle> {
        self.constitution_json().milestones()
    }
}

impl ConstitutionJson {
    /// Its milestone articles, in article order.
    pub fn milestones(&self) -> Vec<MilestoneArticle> {
        self.articles
            .iter()
            .filter_map(|a| match &a.body {
                BodyJson::Milestone { region, event, years_after_ratification, months, after_article } => {
                    Some(MilestoneArticle {
                        article: a.number,
                        region: region.clone(),
                        event: event.clone(),
                        years: *years_after_ratification,
                        months: *months,
                        after_article: *after_article,
                    })
                }
                _ => None,
            })
            .collect()
    }
}

/// An adopted milestone: its article, who votes on what, and when (docs/timeline.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneArticle {
    /// Its article number.
    pub article: u32,
    /// The region that votes.
    pub region: String,
    /// What it votes on.
    pub event: String,
    /// Years after its event.
    pub years: u32,
    /// And months.
    pub months: u32,
    /// The milestone article it follows; none: ratification.
    pub after_article: Option<u32>,
}

impl MilestoneArticle {
    /// When, in words (`docs/convention.md` §5.1's milestone line).
    pub fn when(&self) -> String {
        convene_core::constitution::milestone_when(self.years, self.months, self.after_article)
    }
}

/// `constitution.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConstitutionJson {
    /// The charter's version.
    pub version: u32,
    /// The convention's title.
    pub title: String,
    /// How many articles have been adopted.
    pub constitution_version: u32,
    /// The articles, in order of adoption.
    pub articles: Vec<ArticleJson>,
    /// The referendum the constitution was handed to, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<String>,
    /// Version 5: a conference's adopted texts, its communiqué (absent otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub communique: bool,
}

/// An adopted article.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ArticleJson {
    /// Its number, from 1.
    pub number: u32,
    /// The motion adopted as this article.
    pub motion: u32,
    /// Its title.
    pub title: String,
    /// Its body, as amended.
    pub body: BodyJson,
    /// What happened to it, in words, oldest first.
    pub history: Vec<String>,
    /// Its translations of the adopted version, by language tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, ArticleTranslation>,
}

/// An adopted article in another language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ArticleTranslation {
    /// Its title.
    pub title: String,
    /// Its text, Markdown.
    pub text: String,
    /// The translator's key (hex): a delegate's or the secretary's.
    pub by: String,
}

pub(super) fn to_amendment(changes: &[ChangeJson]) -> Amendment {
    Amendment { changes: changes.iter().map(|c| Change { from: c.from, to: c.to, with: c.with.clone() }).collect() }
}
