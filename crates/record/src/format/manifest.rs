//! The manifest (`docs/record-format.md`): the election, its questions and rule, its actors and (version 4) its witnesses.

use super::*;

/// `manifest.json`: the election as its authority signed it (docs/record-format.md).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The record format version, 1 to 4.
    pub version: u32,
    /// The election's id (`[a-z0-9-]`, 1 to 64 characters).
    pub election_id: String,
    /// Its title.
    pub title: String,
    /// Its questions, in order.
    pub questions: Vec<Question>,
    /// Its regions, in the order every per-region document follows.
    pub regions: Vec<String>,
    /// How many trustees, the threshold, and (version 2) who they are.
    pub trustees: TrusteeCount,
    /// The log key: ristretto255 hex (versions 1 to 3) or a C2SP verifier key (version 4).
    pub log_key: String,
    /// The ratification rule, evaluated on the results by the server and again by the verifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<Ratification>,
    /// Regions with fewer counted ballots than this are reported merged, for their voters'
    /// privacy (0: never).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_region_ballots: u64,
    /// Where the referendum comes from, when a convention handed it its constitution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Version 2: the election authority, who signs this manifest (`authority.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Actor>,
    /// Version 2: the registrar, who signs the credential list (`registrar.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<Actor>,
    /// Version 2: the official who issues the sign-in codes, when that is not the registrar
    /// (absent: one sheet carries both, for small bodies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_issuer: Option<Actor>,
    /// Version 2: the largest public weight a credential may carry (1: one credential, one vote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight: Option<u32>,
    /// Version 2: how many log entries (cast or challenged) one credential may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ballots_per_credential: Option<u32>,
    /// Credentials typed from a sheet: their keys are derived by Argon2id with these parameters
    /// (protocol note §14). Absent: credential keys are 64 hex characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_kdf: Option<CredentialKdf>,
    /// The election's title, questions and options in other languages, by language tag.
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "super::translations::unique_languages"
    )]
    pub translations: super::Translations,
    /// Version 4: the witnesses who cosign the log's checkpoints (protocol note §13.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub witnesses: Vec<WitnessJson>,
    /// Version 4: how many of them must cosign each checkpoint.
    #[serde(default, skip_serializing_if = "is_zero32")]
    pub witness_quorum: u32,
    /// Version 4: the booth the voters' browsers run — the SHA-256 (hex) of every page and asset
    /// the host serves, by file name as the web build lists them (`web/build.mjs`,
    /// `assets.json`); `convene check-booth` compares what is served with it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub booth_assets: std::collections::BTreeMap<String, String>,
    /// Version 4: the origins (`https://host[:port]`) of static copies of the booth that the
    /// server answers (CORS), for observers who host the booth themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booth_origins: Vec<String>,
}

/// The origin (`scheme://host[:port]`) of an http(s) address, if it is a plain one (no
/// character that could mean anything else in a header or a policy).
pub fn plain_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let plain = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    plain.then(|| format!("{scheme}://{host}"))
}

/// The manifest's `credential_kdf` (protocol note §14.5): how a credential string becomes a key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CredentialKdf {
    /// Always `argon2id`.
    pub algorithm: String,
    /// Argon2's memory cost in KiB (`m`).
    pub memory_kib: u32,
    /// Its passes (`t`).
    pub iterations: u32,
    /// Its lanes (`p`).
    pub parallelism: u32,
}

impl CredentialKdf {
    /// The algorithm's one name.
    pub const ARGON2ID: &'static str = "argon2id";

    /// The parameters Convene writes by default (§14.5).
    pub fn default_argon2id() -> CredentialKdf {
        let p = convene_crypto::typed::KdfParams::DEFAULT;
        CredentialKdf {
            algorithm: Self::ARGON2ID.into(),
            memory_kib: p.memory_kib,
            iterations: p.iterations,
            parallelism: p.parallelism,
        }
    }

    /// The checked parameters, or why they are refused.
    pub fn params(&self) -> Result<convene_crypto::typed::KdfParams, String> {
        if self.algorithm != Self::ARGON2ID {
            return Err(format!(
                "credential_kdf: the algorithm must be {:?}, not {:?}",
                Self::ARGON2ID,
                self.algorithm
            ));
        }
        let p = convene_crypto::typed::KdfParams {
            memory_kib: self.memory_kib,
            iterations: self.iterations,
            parallelism: self.parallelism,
        };
        p.check().map_err(|e| e.to_string())?;
        Ok(p)
    }
}

/// A witness named by the manifest: its cosignature verifier key and its address.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WitnessJson {
    /// The witness's C2SP verifier key (type `0x04`); its name is the witness's name.
    pub key: String,
    /// Where it answers `POST /add-checkpoint` and `GET /checkpoint/ORIGIN`.
    pub url: String,
}

pub(super) fn is_zero32(n: &u32) -> bool {
    *n == 0
}

/// What a version-1 manifest does not say, and a version-2 one must.
pub const V1_NOTE: &str = "record format version 1: actors are not named by key, so this record cannot show who \
uploaded the ceremony's messages, the credential list and the decryptions (the host could have); version 2 proves it";

/// A referendum created by a convention's hand-off (`docs/convention.md` §6).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// The convention that created it.
    pub convention: String,
    /// SHA-256 (hex) of the constitution's Markdown export, stored as `constitution.md` (for
    /// the ratification referendum and the milestones' referendums).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constitution_sha256: Option<String>,
    /// The convention's vote this referendum casts in secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<u32>,
    /// When a scheduled referendum is due, e.g. `6 years after ratification`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
}

pub(super) fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Which question a ratification rule decides, the rule itself, and the regions' weights.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Ratification {
    /// The id of the yes/no question the rule decides on.
    pub question: String,
    /// The rule in TOML, as `convene ratify --rule` takes it.
    pub rule: String,
    /// Region weights for a double majority (e.g. `"1/2"` for a half canton); others weigh 1.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub region_weights: std::collections::BTreeMap<String, String>,
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

/// How many trustees there are and how many it takes to decrypt.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TrusteeCount {
    /// How many trustees.
    pub n: u32,
    /// How many it takes to decrypt.
    pub t: u32,
    /// Version 2: trustee `j` is `members[j - 1]`, by name and long-term signing key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Actor>,
}

/// A question, by `kind`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Question {
    /// One 0/1 ciphertext, 1 for yes; with `blank`, two slots (yes, no), at most one chosen, so
    /// choosing neither is a blank vote.
    YesNo {
        /// Its id, unique in the manifest.
        id: String,
        /// Its text.
        text: String,
        /// Whether a voter may leave it blank (two slots: yes, no).
        #[serde(default, skip_serializing_if = "is_false")]
        blank: bool,
    },
    /// Choose between `min` and `max` options, at most `max_per_option` each.
    Choose {
        /// Its id, unique in the manifest.
        id: String,
        /// Its text.
        text: String,
        /// The options.
        options: Vec<String>,
        /// The fewest options a voter may choose in all.
        min: u32,
        /// The most, in all.
        max: u32,
        /// The most any one option may be given.
        max_per_option: u32,
    },
}

impl Question {
    /// The question's id.
    pub fn id(&self) -> &str {
        match self {
            Question::YesNo { id, .. } | Question::Choose { id, .. } => id,
        }
    }

    /// How its answer is encrypted (protocol note §6); an error for a shape the protocol cannot prove.
    pub fn shape(&self) -> Result<QuestionShape, FormatError> {
        match self {
            Question::YesNo { blank: false, .. } => Ok(QuestionShape::yes_no()),
            Question::YesNo { blank: true, .. } => QuestionShape::choose(2, 0, 1, 1),
            Question::Choose { options, min, max, max_per_option, .. } => {
                let count = u32::try_from(options.len()).map_err(|_| FormatError::Shape("too many options".into()))?;
                QuestionShape::choose(count, *min, *max, *max_per_option)
            }
        }
    }

    /// For a yes/no question, `(yes, no, blank)` from its decrypted slot counts.
    pub fn yes_no_blank(&self, counted: u64, counts: &[u64]) -> Option<(u64, u64, u64)> {
        match (self, counts) {
            (Question::YesNo { blank: false, .. }, [yes]) => Some((*yes, counted.saturating_sub(*yes), 0)),
            (Question::YesNo { blank: true, .. }, [yes, no]) => Some((*yes, *no, counted.saturating_sub(yes + no))),
            _ => None,
        }
    }

    /// The label of each slot, for reports.
    pub fn slot_labels(&self) -> Vec<String> {
        match self {
            Question::YesNo { blank: false, .. } => vec!["yes".into()],
            Question::YesNo { blank: true, .. } => vec!["yes".into(), "no".into()],
            Question::Choose { options, .. } => options.clone(),
        }
    }
}

impl Manifest {
    /// Parses and checks a manifest: version, questions, regions, trustees, log key.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, RecordError> {
        let m: Manifest = serde_json::from_slice(bytes)?;
        check_version(m.version)?;
        if m.questions.is_empty() {
            return Err(RecordError::Invalid("the manifest has no questions".into()));
        }
        for q in &m.questions {
            q.shape().map_err(|e| RecordError::Invalid(format!("question {:?}: {e}", q.id())))?;
        }
        if m.regions.is_empty() || m.regions.len() > u16::MAX as usize {
            return Err(RecordError::Invalid("the manifest needs between 1 and 65535 regions".into()));
        }
        let mut sorted = m.regions.clone();
        sorted.sort();
        sorted.dedup();
        if m.regions.iter().any(|r| r == NATIONAL || r == MERGED || r.is_empty()) {
            return Err(RecordError::Invalid(format!(
                "a region may not be empty or called {NATIONAL:?} or {MERGED:?}"
            )));
        }
        if sorted.len() != m.regions.len() {
            return Err(RecordError::Invalid("region names must be unique".into()));
        }
        if m.version >= WITNESSED_VERSION {
            Witnessed::of(&m.election_id, &m.log_key, &m.witnesses, m.witness_quorum).map_err(RecordError::Invalid)?;
        } else {
            point_non_identity("log_key", &m.log_key)?;
            if !m.witnesses.is_empty()
                || m.witness_quorum != 0
                || !m.booth_assets.is_empty()
                || !m.booth_origins.is_empty()
            {
                return Err(RecordError::Invalid(
                    "witnesses and booth assets are named from record format version 4".into(),
                ));
            }
        }
        for origin in &m.booth_origins {
            if plain_origin(origin).as_deref() != Some(origin.as_str()) {
                return Err(RecordError::Invalid(format!(
                    "booth_origins: {origin:?} is not an origin such as https://booth.example (no path, no trailing slash)"
                )));
            }
        }
        for (file, sha256) in &m.booth_assets {
            let name_ok = !file.is_empty()
                && file.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
                && file.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b));
            if !name_ok || hash("booth_assets", sha256).is_err() {
                return Err(RecordError::Invalid(format!(
                    "booth_assets: {file:?} must be a relative file name of a-z, 0-9, . _ - / with a SHA-256 in lower-case hex"
                )));
            }
        }
        m.check_actors()?;
        if let Some(kdf) = &m.credential_kdf {
            kdf.params().map_err(RecordError::Invalid)?;
        }
        let with_text = m.origin.as_ref().is_some_and(|o| o.constitution_sha256.is_some());
        super::check_translations(&m.translations, &m.questions, with_text).map_err(RecordError::Invalid)?;
        if let Some(r) = &m.ratification {
            let bad = |why: String| RecordError::Invalid(format!("ratification: {why}"));
            match m.questions.iter().find(|q| q.id() == r.question) {
                Some(Question::YesNo { .. }) => {}
                Some(_) => return Err(bad(format!("question {:?} is not a yes/no question", r.question))),
                None => return Err(bad(format!("there is no question {:?}", r.question))),
            }
            convene_core::ratify::Rule::parse(&r.rule).map_err(bad)?;
            for (region, weight) in &r.region_weights {
                if m.region_index(region).is_none() {
                    return Err(bad(format!("region_weights names {region:?}, which is not a region")));
                }
                convene_core::Ratio::parse(weight).map_err(|e| bad(format!("weight of {region}: {e}")))?;
            }
        }
        Ok(m)
    }

    /// Version 2 names every actor by key, and bounds weights and ballots per credential;
    /// version 1 names none of them.
    fn check_actors(&self) -> Result<(), RecordError> {
        let bad = |m: String| Err(RecordError::Invalid(m));
        if self.version < 2 {
            let v2_only = self.authority.is_some()
                || self.registrar.is_some()
                || self.code_issuer.is_some()
                || self.max_weight.is_some()
                || self.max_ballots_per_credential.is_some()
                || !self.trustees.members.is_empty();
            return if v2_only {
                bad("actors, max_weight and max_ballots_per_credential need version 2".into())
            } else {
                Ok(())
            };
        }
        // A referendum a convention calls for has the convention's log as its authority (every
        // field is derived from it, `hand_off`), and a secret vote's electorate is the delegates
        // in office, checked against the convention: neither names an authority, a secret vote
        // no registrar.
        let origin = self.origin.as_ref();
        match (&self.authority, origin) {
            (Some(a), None) => {
                a.check("authority")?;
            }
            (None, Some(_)) => {}
            (Some(_), Some(_)) => {
                return bad("a referendum a convention calls for names no authority: the convention is".into())
            }
            (None, None) => return bad("a version-2 manifest names its authority".into()),
        }
        let secret_vote = origin.is_some_and(|o| o.vote.is_some());
        match (&self.registrar, secret_vote) {
            (Some(r), false) => {
                r.check("registrar")?;
            }
            (None, true) => {}
            (Some(_), true) => return bad("a secret vote's electorate is the delegates: it names no registrar".into()),
            (None, false) => return bad("a version-2 manifest names its registrar".into()),
        }
        if let Some(issuer) = &self.code_issuer {
            let key = issuer.check("code_issuer")?;
            if self.registrar.as_ref().is_some_and(|r| r.key == issuer.key) {
                return bad(format!(
                    "the code issuer's key is the registrar's ({key:?}); omit code_issuer for one sheet"
                ));
            }
        }
        if self.trustees.members.len() != self.trustees.n as usize {
            return bad(format!(
                "trustees.members names {} trustees; n is {}",
                self.trustees.members.len(),
                self.trustees.n
            ));
        }
        let mut keys = std::collections::BTreeSet::new();
        for (k, member) in self.trustees.members.iter().enumerate() {
            member.check(&format!("trustee {}", k + 1))?;
            if !keys.insert(member.key.as_str()) {
                return bad(format!("trustee {} has the key of another trustee", k + 1));
            }
        }
        match self.max_weight {
            Some(w) if (1..=MAX_WEIGHT).contains(&w) => {}
            _ => return bad(format!("a version-2 manifest gives max_weight, 1 to {MAX_WEIGHT}")),
        }
        match self.max_ballots_per_credential {
            Some(b) if b >= 1 => Ok(()),
            _ => bad("a version-2 manifest gives max_ballots_per_credential, at least 1".into()),
        }
    }

    /// Trustee `j`'s long-term key (version 2).
    pub fn trustee_key(&self, j: u32) -> Option<Point> {
        let member = self.trustees.members.get((j as usize).checked_sub(1)?)?;
        member.public().ok()
    }

    /// Every question's shape (checked when the manifest was parsed).
    pub fn shapes(&self) -> Vec<QuestionShape> {
        self.questions.iter().map(|q| q.shape().expect("checked by Manifest::parse")).collect()
    }

    /// The index of `region` in the manifest's regions.
    pub fn region_index(&self, region: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == region)
    }
}

/// An actor named in the manifest: a name for people, a key for the verifier.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Who the actor is, for people (1 to 200 characters).
    pub name: String,
    /// Their long-term ristretto255 key (hex).
    pub key: String,
}

impl Actor {
    /// The actor's public key, checked (canonical, non-identity).
    pub fn public(&self) -> Result<Point, RecordError> {
        point_non_identity("key", &self.key)
    }

    /// Checks the name and the key; the key, decoded. `role` names the actor in the error.
    pub fn check(&self, role: &str) -> Result<Point, RecordError> {
        if self.name.trim().is_empty() || self.name.len() > 200 {
            return Err(RecordError::Invalid(format!("{role}: a name of 1 to 200 characters is needed")));
        }
        self.public().map_err(|e| RecordError::Invalid(format!("{role} {:?}: {e}", self.name)))
    }
}
