//! The story convention: its plan, and [`run_story`], which plays it step by step — the roll,
//! four agenda items (a text article amended, the structure of the state by ranked vote, revenue
//! sharing by concurrent majorities, a milestone by secret ballot) and the hand-off.

use super::*;

/// What a story convention needs.
pub struct AssemblyPlan {
    pub id: String,
    pub title: String,
    /// `name,region,population[,production][,area]`.
    pub localities_csv: String,
    pub source: String,
    /// Boundaries for the maps (a GeoJSON FeatureCollection), if any.
    pub geojson: Option<String>,
    pub method: String,
    pub seats: u64,
    pub min_seats: u64,
    /// The ratification referendum the convention hands its constitution to.
    pub referendum: String,
    pub trustees: TrusteeCount,
    /// When set, the charter names the trustees (made from this seed,
    /// [`crate::referendum::seeded_actors`]) and the secret vote and the ratification name them
    /// and a registrar: their referendums are record format version 2.
    pub actors_seed: Option<u64>,
    /// Witnesses run by this process for the charter to name (version 4): they witness the
    /// convention's log and the referendums it calls for.
    pub observers: Option<Arc<LocalWitnesses>>,
    /// The `ratify` event's Argon2id cost for the typed credentials of the referendums it calls
    /// for (protocol note §14), and the ratification's title and question in other languages.
    pub ratify_credentials: Option<convene_record::format::CredentialKdf>,
    pub ratify_translations: convene_record::format::Translations,
    /// The constitution's official translations the chair gives with `ratify`, by language.
    pub ratify_constitutions: std::collections::BTreeMap<String, String>,
}

/// The ratification question the example convention asks, and its words in Arabic and Sorani
/// (written by the engineers; `docs/translating.md`).
const RATIFY_QUESTION: &str = "Do you approve the constitution adopted by the convention?";

fn ratify_translations() -> convene_record::format::Translations {
    use convene_record::format::{ManifestTranslation, QuestionTranslation};
    let words = |title: &str, question: &str| ManifestTranslation {
        constitution_sha256: None,
        title: title.into(),
        questions: vec![QuestionTranslation { text: question.into(), options: Vec::new() }],
    };
    [
        ("ar".to_string(), words("المصادقة: دستور الاتحاد (عرض تجريبي)", "هل توافق على الدستور الذي أقرّه المؤتمر؟")),
        (
            "ckb".to_string(),
            words(
                "پەسەندکردن: دەستووری فیدراسیۆن (نموونەیی)",
                "ئایا ئەو دەستوورە پەسەند دەکەیت کە کۆنگرەکە بڕیاری لەسەر دا؟",
            ),
        ),
    ]
    .into()
}

/// The official translations of the example convention's constitution, which the chair gives
/// with `ratify` (written by the engineers; `docs/translating.md`). They translate the articles
/// the story adopts below: change them with those articles.
fn official_translations() -> std::collections::BTreeMap<String, String> {
    // The formula is the motion's own, verbatim in every language; article 1 is its translation
    // as the convention's record gives it.
    let text =
        |template: &str, rights: &str| template.replace("{formula}", REVENUE_FORMULA).replace("{rights}", rights);
    [("ar".to_string(), text(AR_CONSTITUTION, AR_RIGHTS)), ("ckb".to_string(), text(CKB_CONSTITUTION, CKB_RIGHTS))]
        .into()
}

/// The revenue-sharing formula the story's delegate moves (article 3).
const REVENUE_FORMULA: &str = "derivation = \"13%\"\ncentre = \"50%\"\n\n[[deduction]]\nname = \"stabilization fund\"\nshare = \"10%\"\n\n[keys]\npopulation = \"60%\"\nequal = \"20%\"\narea = \"20%\"\n";

/// Article 1 as adopted, in Arabic and in Sorani: the secretary's translations on the record.
const AR_RIGHTS: &str = "كل الناس سواسية أمام القانون.\nلا يجوز احتجاز أحد أكثر من ٤٨ ساعة دون أن يمثل أمام قاضٍ.\nتحمي الدولة لغات جميع شعوبها.\n";
const CKB_RIGHTS: &str = "هەموو کەسێک لەبەردەم یاسادا یەکسانە.\nهیچ کەسێک نابێت زیاتر لە ٤٨ کاتژمێر بێ بینینی دادوەر دەستبەسەر بکرێت.\nدەوڵەت زمانی هەموو گەلەکانی دەپارێزێت.\n";

const AR_CONSTITUTION: &str = r#"# دستور الاتحاد (عرض تجريبي)

## المادة ١. الحقوق الأساسية

{rights}
## المادة ٢. الدولة الاتحادية

| الصلاحية | صاحبها |
|---|---|
| الدفاع | المركز |
| العملة | المركز |
| التعليم | مشتركة |
| الشرطة | الأقاليم |

اللامركزية: حكم ذاتي ٣/٨ (٣٨٪)، حكم مشترك ١/٢ (٥٠٪): اتحادية (الموقع ٠٫٤٢ بين الدولة الموحّدة ٠ والكونفدرالية ١).

## المادة ٣. تقاسم عائدات النفط

تُتقاسم العائدات وفق هذه الصيغة:

```toml
{formula}```

## المادة ٤. حق تقرير المصير للجنوب

بعد ست سنوات من المصادقة: استفتاء على حق تقرير المصير في الجنوب.
"#;

const CKB_CONSTITUTION: &str = r#"# دەستووری فیدراسیۆن (نموونەیی)

## ماددەی ١. مافە بنەڕەتییەکان

{rights}
## ماددەی ٢. دەوڵەتی فیدراڵ

| دەسەڵات | خاوەنەکەی |
|---|---|
| بەرگری | ناوەند |
| دراو | ناوەند |
| پەروەردە | هاوبەش |
| پۆلیس | هەرێمەکان |

نامەرکەزیەت: خۆبەڕێوەبردن ٣/٨ (٣٨٪)، بەڕێوەبردنی هاوبەش ١/٢ (٥٠٪): فیدراڵ (پێگەی ٠٫٤٢ لە نێوان یەکگرتوو ٠ و کۆنفیدراڵ ١).

## ماددەی ٣. دابەشکردنی داهاتی نەوت

داهات بەم هاوکێشەیە دابەش دەکرێت:

```toml
{formula}```

## ماددەی ٤. مافی چارەی خۆنووسینی باشوور

شەش ساڵ دوای پەسەندکردن: ڕاپرسی لەسەر مافی چارەی خۆنووسین لە باشوور.
"#;

impl AssemblyPlan {
    /// A small convention of ten localities in five regions, fifteen seats.
    pub fn example(id: &str) -> AssemblyPlan {
        AssemblyPlan {
            id: id.into(),
            title: "Constitution of the Federation (demonstration)".into(),
            localities_csv: EXAMPLE_LOCALITIES.into(),
            source: "census 2025, table 3 (demonstration figures)".into(),
            geojson: Some(example_geojson()),
            method: "webster".into(),
            seats: 15,
            min_seats: 1,
            referendum: format!("{id}-ratification"),
            trustees: TrusteeCount { n: 5, t: 3, members: Vec::new() },
            actors_seed: Some(2026),
            observers: None,
            ratify_credentials: Some(convene_record::format::CredentialKdf::default_argon2id()),
            ratify_translations: ratify_translations(),
            ratify_constitutions: official_translations(),
        }
    }
}

/// Boundaries for the example localities (made up, like the figures): a made-up country of ten
/// cells on a 4 × 3 grid whose corners and edge midpoints are moved by fixed amounts, so that
/// neighbours share their (irregular) borders — the north on top, the capital in the middle.
pub fn example_geojson() -> String {
    // Each locality's cell (column, row from the south), in the order of EXAMPLE_LOCALITIES.
    const CELLS: [(i32, i32); 10] = [(1, 2), (2, 2), (1, 0), (2, 0), (3, 1), (3, 0), (0, 1), (0, 2), (1, 1), (2, 1)];
    // A fixed, uneven offset for a grid point (in units of half a cell).
    let nudge = |a: i32, b: i32| (((a * 37 + b * 61 + 11) % 17) as f64 - 8.0) / 40.0;
    let corner = |c: i32, r: i32| [40.0 + c as f64 + nudge(c, r), 30.0 + 0.8 * r as f64 + 0.8 * nudge(r + 5, c)];
    // The midpoint of the edge between two corners, moved the same way for both cells it bounds.
    let middle = |a: (i32, i32), b: (i32, i32)| {
        let ((c1, r1), (c2, r2)) = (a.min(b), a.max(b));
        let ([x1, y1], [x2, y2]) = (corner(c1, r1), corner(c2, r2));
        let k = nudge(c1 + c2 + 3, r1 + r2 + 7);
        [(x1 + x2) / 2.0 + k * 0.6 * (r2 - r1) as f64, (y1 + y2) / 2.0 + k * 0.5 * (c2 - c1) as f64]
    };
    let features: Vec<Value> = EXAMPLE_LOCALITIES
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .zip(CELLS)
        .map(|(name, (c, r))| {
            // Counter-clockwise, as RFC 7946 winds an exterior ring.
            let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)];
            let mut ring = Vec::new();
            for (i, &a) in corners.iter().enumerate() {
                let b = corners[(i + 1) % 4];
                ring.push(corner(a.0, a.1));
                ring.push(middle(a, b));
            }
            ring.push(ring[0]);
            json!({"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

pub const EXAMPLE_LOCALITIES: &str = "name,region,population,production,area
Aldera,north,412000,0,5200
Brenn,north,158000,31000,8800
Cassio,south,530000,120000,4100
Dunmore,south,97000,0,9300
Eastmere,east,288000,0,3700
Fallow,east,61000,4000,12000
Westhold,west,344000,0,6100
Greyport,west,126000,0,2500
Capital City,capital,905000,0,900
Harrow,capital,45000,0,700
";

/// What the story leaves behind.
pub struct AssemblyOutcome {
    pub convention: Convention,
    pub chair: Participant,
    pub secretary: Participant,
    pub delegates: Vec<Participant>,
    /// The adopted constitution in Markdown.
    pub constitution: String,
    pub referendum: String,
}

/// Plays the whole convention over HTTP (see the module's documentation); `say` reports steps.
pub async fn run_story(
    client: &Client,
    plan: &AssemblyPlan,
    rng: &mut (impl CryptoRngCore + Send),
    say: &(dyn Fn(&str) + Sync),
) -> Result<AssemblyOutcome> {
    let chair = Participant::new(rng);
    let secretary = Participant::new(rng);
    // The charter names the trustees, and the events name them and the ratification's registrar.
    let actors = plan.actors_seed.map(|seed| crate::referendum::seeded_actors(plan.trustees.n, seed));
    let mut trustees = plan.trustees.clone();
    let registrar = actors.as_ref().map(|a| convene_record::actors::Actor {
        name: "Registrar of the ratification".into(),
        key: a.registrar.public().to_hex(),
    });
    if let Some(a) = &actors {
        trustees.members = a.members();
    }
    let convention = Convention::create_with_trustees(
        client,
        &plan.id,
        &plan.title,
        &chair.key,
        &secretary.key,
        &trustees.members,
        plan.observers.clone(),
    )
    .await?;
    let mut story = Story { client, plan, rng, say, convention, chair, secretary, delegates: Vec::new() };
    story.roll().await?;
    story.rights().await?;
    story.structure().await?;
    story.revenue().await?;
    story.milestone(&trustees).await?;
    story.hand_off(trustees, registrar).await
}

/// A convention story under way: who sits, and what they have done so far.
struct Story<'a, R> {
    client: &'a Client,
    plan: &'a AssemblyPlan,
    rng: &'a mut R,
    say: &'a (dyn Fn(&str) + Sync),
    convention: Convention,
    chair: Participant,
    secretary: Participant,
    delegates: Vec<Participant>,
}

/// The story's simple majority of those present, with a quorum of half.
/// Motion 1's translation into `lang`, of text version `version`.
fn translation(version: u32, lang: &str, title: &str, text: &str) -> Event {
    Event::Translation { motion: 1.into(), lang: lang.into(), version, title: title.into(), text: text.into() }
}

fn simple() -> RuleJson {
    RuleJson { quorum: Some("1/2".into()), ..RuleJson::simple_majority_of_present() }
}

/// How the story's delegates vote on yes/no questions: every fifth says no.
fn votes(k: usize) -> ChoiceJson {
    if k % 5 == 4 {
        ChoiceJson::No
    } else {
        ChoiceJson::Yes
    }
}

impl<R: CryptoRngCore + Send> Story<'_, R> {
    /// Import and apportion (the secretary computes, the server recomputes and must agree), then
    /// credentials — as many delegates per locality as it has seats, and one observer — and the
    /// agenda.
    async fn roll(&mut self) -> Result<()> {
        let (client, plan) = (self.client, self.plan);
        let mut localities = LocalityJson::from_csv(&plan.localities_csv).map_err(|e| anyhow!("localities: {e}"))?;
        if let Some(geojson) = &plan.geojson {
            LocalityJson::attach_geojson(&mut localities, geojson).map_err(|e| anyhow!("boundaries: {e}"))?;
        }
        let event = Event::Localities { source: plan.source.clone(), localities: localities.clone() };
        self.secretary.send(client, &self.convention, event, self.rng).await?;
        let problem = Problem {
            names: localities.iter().map(|l| l.name.clone()).collect(),
            populations: localities.iter().map(|l| l.population).collect(),
            seats: plan.seats,
            min_seats: plan.min_seats,
            max_seats: None,
            threshold: None,
        };
        let method = Method::parse(&plan.method).map_err(|e| anyhow!(e))?;
        let seats = apportion::apportion(method, &problem).map_err(|e| anyhow!(e))?.seats;
        let apportionment = Event::Apportionment {
            localities_version: 1,
            method: plan.method.clone(),
            seats: plan.seats,
            min_seats: plan.min_seats,
            max_seats: None,
            result: seats.clone(),
        };
        self.secretary.send(client, &self.convention, apportionment, self.rng).await?;
        (self.say)(&format!(
            "apportioned {} seats among {} localities by {}",
            plan.seats,
            localities.len(),
            method.name()
        ));
        for (locality, &n) in localities.iter().zip(&seats) {
            for k in 0..n {
                let delegate = Participant::new(self.rng);
                let event = Event::Credential {
                    key: delegate.key.clone(),
                    name: format!("{} delegate {}", locality.name, k + 1),
                    locality: locality.name.clone(),
                    role: Role::Delegate,
                };
                self.secretary.send(client, &self.convention, event, self.rng).await?;
                self.delegates.push(delegate);
            }
        }
        let observer = Participant::new(self.rng);
        let event = Event::Credential {
            key: observer.key.clone(),
            name: "Observer (civil society)".into(),
            locality: localities[0].name.clone(),
            role: Role::Observer,
        };
        self.secretary.send(client, &self.convention, event, self.rng).await?;
        (self.say)(&format!("credentialed {} delegates and an observer", self.delegates.len()));
        let items = ["Fundamental rights", "Structure of the state", "Revenue sharing", "Transitional provisions"];
        let agenda = Event::Agenda { items: items.map(String::from).to_vec() };
        self.chair.send(client, &self.convention, agenda, self.rng).await?;
        Ok(())
    }

    /// Item 1: a text article, amended, adopted by two thirds of the members in office.
    async fn rights(&mut self) -> Result<()> {
        let (client, convention) = (self.client, &self.convention);
        let text = "Every person is equal before the law.\nNo one shall be held in detention without trial.\nThe state protects the languages of all its peoples.\n";
        let motion = Event::Motion { title: "Fundamental rights".into(), body: BodyJson::Text(text.into()) };
        self.delegates[0].send(client, convention, motion, self.rng).await?;
        // A delegate translates the motion as moved; the amendment adopted below retires it.
        let early = "كل الناس سواسية أمام القانون.\nلا يجوز احتجاز أحد دون محاكمة.\nتحمي الدولة لغات جميع شعوبها.\n";
        self.delegates[3].send(client, convention, translation(1, "ar", "الحقوق الأساسية", early), self.rng).await?;
        let changes = vec![ChangeJson {
            from: 2,
            to: 2,
            with: vec!["No one shall be held in detention for more than 48 hours without seeing a judge.".into()],
        }];
        let amendment =
            Event::Amendment { motion: 1.into(), changes, rationale: "Make the guarantee concrete.".into() };
        self.delegates[1].send(client, convention, amendment, self.rng).await?;
        for d in self.delegates.iter_mut().take(3) {
            d.send(client, convention, Event::FloorRequest {}, self.rng).await?;
        }
        for k in 0..3 {
            let event = Event::Floor { delegate: self.delegates[k].key.clone(), seconds: 90 };
            self.chair.send(client, convention, event, self.rng).await?;
        }
        let (chair, delegates) = (&mut self.chair, &mut self.delegates);
        yes_no_vote(client, convention, chair, delegates, Subject::Amendment(1), simple(), &votes, self.rng).await?;
        let two_thirds = RuleJson {
            majority: MajorityJson::Qualified,
            share: Some("2/3".into()),
            base: BaseJson::InOffice,
            quorum: None,
            concurrent: false,
            weighting: WeightingJson::Equal,
        };
        let adopted =
            yes_no_vote(client, convention, chair, delegates, Subject::Motion(1), two_thirds, &votes, self.rng).await?;
        (self.say)(&format!("article 1 (fundamental rights), amended: {}", verdict(&adopted)));
        // The secretary translates the adopted text (version 2) into both languages.
        for (lang, title, text) in [("ar", "الحقوق الأساسية", AR_RIGHTS), ("ckb", "مافە بنەڕەتییەکان", CKB_RIGHTS)]
        {
            self.secretary.send(client, convention, translation(2, lang, title, text), self.rng).await?;
        }
        Ok(())
    }

    /// Item 2: the structure of the state, a ranked vote among four matrices of competences.
    async fn structure(&mut self) -> Result<()> {
        let (client, convention) = (self.client, &self.convention);
        self.chair.send(client, convention, Event::NextItem {}, self.rng).await?;
        let structures = [
            ("Unitary state", [HolderJson::Centre, HolderJson::Centre, HolderJson::Centre, HolderJson::Shared], false),
            ("Federal state", [HolderJson::Centre, HolderJson::Centre, HolderJson::Shared, HolderJson::Regions], true),
            (
                "Confederation",
                [HolderJson::Regions, HolderJson::Shared, HolderJson::Regions, HolderJson::Regions],
                true,
            ),
            ("Partition", [HolderJson::Regions, HolderJson::Regions, HolderJson::Regions, HolderJson::Regions], false),
        ];
        let powers = ["defence", "currency", "education", "policing"];
        for (k, (title, holders, chamber)) in structures.iter().enumerate() {
            let body = BodyJson::Competences {
                powers: powers
                    .iter()
                    .zip(holders)
                    .map(|(p, h)| PowerJson { power: p.to_string(), holder: *h })
                    .collect(),
                shared_rule: SharedRuleJson {
                    regional_chamber: *chamber,
                    regional_consent_to_amendment: *chamber,
                    ..SharedRuleJson::default()
                },
            };
            let motion = Event::Motion { title: title.to_string(), body };
            self.delegates[2 + k].send(client, convention, motion, self.rng).await?;
        }
        let ranked = Subject::Ranked(vec![2, 3, 4, 5]);
        let open = Event::OpenVote { subject: ranked.numbered(), rule: simple() };
        let vote = created(&self.chair.send(client, convention, open, self.rng).await?)?;
        for (k, d) in self.delegates.iter_mut().enumerate() {
            // Preferences spread so that federal is the Condorcet winner.
            let ranking = match k % 4 {
                0 => vec![vec![1], vec![2], vec![0], vec![3]],
                1 => vec![vec![1], vec![0], vec![2]],
                2 => vec![vec![2], vec![1], vec![3], vec![0]],
                _ => vec![vec![0], vec![1], vec![2], vec![3]],
            };
            let event = Event::Vote { vote: vote.into(), choice: None, ranking: Some(ranking) };
            d.send(client, convention, event, self.rng).await?;
        }
        let result = convention.result_of(client, vote).await?;
        let close = Event::CloseVote { vote: vote.into(), result: result.figures() };
        self.chair.send(client, convention, close, self.rng).await?;
        (self.say)(&format!(
            "structure of the state, ranked vote: {}",
            result.conditions.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join("; ")
        ));
        Ok(())
    }

    /// Item 3: revenue sharing, adopted by concurrent majorities in every regional delegation,
    /// weighted by the square root of population.
    async fn revenue(&mut self) -> Result<()> {
        let (client, convention) = (self.client, &self.convention);
        self.chair.send(client, convention, Event::NextItem {}, self.rng).await?;
        let motion =
            Event::Motion { title: "Sharing of oil revenue".into(), body: BodyJson::Revenue(REVENUE_FORMULA.into()) };
        self.delegates[6].send(client, convention, motion, self.rng).await?;
        let concurrent = RuleJson { concurrent: true, weighting: WeightingJson::SqrtPopulation, ..simple() };
        let (chair, delegates) = (&mut self.chair, &mut self.delegates);
        let adopted =
            yes_no_vote(client, convention, chair, delegates, Subject::Motion(6), concurrent, &votes, self.rng).await?;
        (self.say)(&format!("revenue sharing (concurrent, √population): {}", verdict(&adopted)));
        Ok(())
    }

    /// Item 4: a milestone — a regional referendum on self-determination six years on, adopted
    /// by secret ballot.
    async fn milestone(&mut self, trustees: &TrusteeCount) -> Result<()> {
        let (client, convention) = (self.client, &self.convention);
        self.chair.send(client, convention, Event::NextItem {}, self.rng).await?;
        let milestone = BodyJson::Milestone {
            region: "south".into(),
            event: "Referendum on self-determination".into(),
            years_after_ratification: 6,
            months: 0,
            after_article: None,
        };
        let motion = Event::Motion { title: "Self-determination of the south".into(), body: milestone };
        self.delegates[7].send(client, convention, motion, self.rng).await?;
        let referendum = format!("{}-vote-5", self.plan.id);
        let adopted = secret_vote(
            client,
            convention,
            &mut self.chair,
            &self.delegates,
            (Subject::Motion(7), simple(), &referendum, trustees.clone()),
            &votes,
            self.plan.actors_seed,
            self.rng,
        )
        .await?;
        (self.say)(&format!(
            "milestone (referendum in the south after 6 years), by secret ballot in referendum {referendum}: {}",
            verdict(&adopted)
        ));
        // Version 5: a second milestone, dated from the first (docs/timeline.md).
        if convention.version >= CONFERENCE_VERSION {
            let follow_up = BodyJson::Milestone {
                region: "south".into(),
                event: "Review of the transitional arrangements".into(),
                years_after_ratification: 1,
                months: 6,
                after_article: Some(4),
            };
            let motion = Event::Motion { title: "Review in the south".into(), body: follow_up };
            self.delegates[8].send(client, convention, motion, self.rng).await?;
            let (chair, delegates) = (&mut self.chair, &mut self.delegates);
            let adopted =
                yes_no_vote(client, convention, chair, delegates, Subject::Motion(8), simple(), &votes, self.rng)
                    .await?;
            (self.say)(&format!("milestone (a review 1 year and 6 months after article 4): {}", verdict(&adopted)));
        }
        Ok(())
    }

    /// The hand-off of the adopted constitution to the ratification referendum.
    async fn hand_off(
        mut self,
        trustees: TrusteeCount,
        registrar: Option<convene_record::actors::Actor>,
    ) -> Result<AssemblyOutcome> {
        let (client, plan) = (self.client, self.plan);
        let ratify = Event::Ratify {
            referendum: plan.referendum.clone(),
            question: RATIFY_QUESTION.into(),
            rule: "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n\n[quorum]\nat_least = \"3/5\"\n\n[regions]\nmore_than = \"1/2\"\n"
                .into(),
            min_region_ballots: 0,
            trustees,
            registrar,
            code_issuer: None,
            credential_kdf: plan.ratify_credentials.clone(),
            translations: plan.ratify_translations.clone(),
            constitutions: self.translated_constitutions(),
        };
        self.chair.send(client, &self.convention, ratify, self.rng).await?;
        let constitution = String::from_utf8(
            client.get_bytes(&format!("/api/conventions/{}/record/constitution.md", plan.id)).await?,
        )?;
        let articles = self.convention.shown(client).await?.constitution.articles.len();
        let expected = if self.convention.version >= CONFERENCE_VERSION { 5 } else { 4 };
        if articles != expected {
            bail!("the convention adopted {articles} articles, not the {expected} the story expects");
        }
        (self.say)(&format!("constitution of {articles} articles handed to referendum {}", plan.referendum));
        let Story { convention, chair, secretary, delegates, .. } = self;
        Ok(AssemblyOutcome {
            convention,
            chair,
            secretary,
            delegates,
            constitution,
            referendum: plan.referendum.clone(),
        })
    }
}

impl<R> Story<'_, R> {
    /// The official translations of the constitution, with the second milestone's article when
    /// the convention adopted it (version 5).
    fn translated_constitutions(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = self.plan.ratify_constitutions.clone();
        if self.convention.version >= CONFERENCE_VERSION {
            for (lang, article) in [("ar", AR_REVIEW), ("ckb", CKB_REVIEW)] {
                if let Some(text) = out.get_mut(lang) {
                    text.push_str(article);
                }
            }
        }
        out
    }
}

/// Article 5 (version 5), in Arabic and in Sorani.
const AR_REVIEW: &str =
    "\n## المادة ٥. المراجعة في الجنوب\n\nبعد سنة واحدة وستة أشهر من المادة ٤: مراجعة الترتيبات الانتقالية في الجنوب.\n";
const CKB_REVIEW: &str = "\n## ماددەی ٥. پێداچوونەوە لە باشوور\n\nساڵێک و شەش مانگ دوای ماددەی ٤: پێداچوونەوەی ڕێکارە گواستراوەکان لە باشوور.\n";

pub(super) fn verdict(result: &VoteResult) -> String {
    format!(
        "{} ({} yes, {} no, {} abstaining)",
        if result.adopted { "adopted" } else { "rejected" },
        result.yes,
        result.no,
        result.abstain
    )
}

/// The chair opens a yes/no vote, every delegate votes `choice(k)`, the chair closes it with the
/// result the server computed.
#[allow(clippy::too_many_arguments)]
pub async fn yes_no_vote(
    client: &Client,
    convention: &Convention,
    chair: &mut Participant,
    delegates: &mut [Participant],
    subject: Subject,
    rule: RuleJson,
    choice: &(dyn Fn(usize) -> ChoiceJson + Sync),
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<VoteResult> {
    let opened = chair.send(client, convention, Event::OpenVote { subject: subject.numbered(), rule }, rng).await?;
    let vote = created(&opened)?;
    for (k, d) in delegates.iter_mut().enumerate() {
        d.send(client, convention, Event::Vote { vote: vote.into(), choice: Some(choice(k)), ranking: None }, rng)
            .await?;
    }
    let result = convention.result_of(client, vote).await?;
    chair.send(client, convention, Event::CloseVote { vote: vote.into(), result: result.figures() }, rng).await?;
    Ok(result)
}
