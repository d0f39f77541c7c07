//! Records forged with the project's own library by a host that holds the log key: what a
//! forger can publish. The attack tests and the conformance kit build on it.

use super::*;
use convene_crypto::ballot::{CredentialSecret, ElectionContext};
use convene_crypto::ceremony::{run_local_ceremony, CeremonyParams, LocalCeremony};
use convene_crypto::encoding::Point;
use convene_crypto::{RistrettoPoint, Scalar};
use convene_record::actors::{Actor, Actors};
use convene_record::format::{LogEntry, Manifest, Question, TrusteeCount};
use convene_record::writer::{manifest_hash, RecordWriter};
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, RngCore, SeedableRng};

/// Who votes in a forged election, with which weights, and how its ceremony goes.
pub struct Spec<'a> {
    pub regions: &'a [(&'a str, usize)],
    /// Voter `v`'s weight.
    pub weight: fn(usize) -> u32,
    /// Credentials the host adds to the list: (credential, region, weight).
    pub ghosts: &'a [(Point, String, u32)],
    /// `(dealer, recipient)`: the dealer deals that recipient a bad share (a complaint follows).
    pub corrupt: Option<(u32, u32)>,
}

impl Default for Spec<'_> {
    fn default() -> Self {
        Spec { regions: &[("north", 2)], weight: |_| 1, ghosts: &[], corrupt: None }
    }
}

/// A randomness source that gives only zeros: what a broken or malicious voter device uses to
/// make a ballot whose ciphertexts have `r = 0`, so `α` is the identity and `β` shows the vote.
pub struct Zeros;

impl RngCore for Zeros {
    fn next_u32(&mut self) -> u32 {
        0
    }
    fn next_u64(&mut self) -> u64 {
        0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        dest.fill(0);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        dest.fill(0);
        Ok(())
    }
}
impl CryptoRng for Zeros {}

/// A small election written straight into a record by a host that holds the log key, with the
/// entries the test chooses: what a forger can publish. Two regions, a 2-of-3 ceremony.
pub struct Forge {
    _dir: tempfile::TempDir,
    pub out: PathBuf,
    pub ceremony: LocalCeremony,
    pub voters: Vec<(CredentialSecret, String)>,
    pub writer: RecordWriter,
    pub rng: ChaCha20Rng,
    /// How many trustees decrypt (t unless set).
    pub decryptors: Option<usize>,
    /// The manifest's format version.
    pub version: u32,
}

impl Forge {
    pub fn new(voters_per_region: &[(&str, usize)]) -> Forge {
        Forge::with(voters_per_region, |_| {})
    }

    /// A forged election whose manifest `edit` changes (its trustees' count included).
    pub fn with(voters_per_region: &[(&str, usize)], edit: impl FnOnce(&mut Manifest)) -> Forge {
        Forge::with_ghosts(voters_per_region, edit, &[])
    }

    /// As [`Forge::with`], the host adding `ghosts` (credential, region, weight) to the list.
    pub fn with_ghosts(
        voters_per_region: &[(&str, usize)],
        edit: impl FnOnce(&mut Manifest),
        ghosts: &[(Point, String, u32)],
    ) -> Forge {
        Forge::build(Spec { regions: voters_per_region, ghosts, ..Spec::default() }, edit)
    }

    /// The general case: `spec` says who votes, with which weights, and how the ceremony goes.
    pub fn build(spec: Spec, edit: impl FnOnce(&mut Manifest)) -> Forge {
        let voters_per_region = spec.regions;
        let ghosts = spec.ghosts;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("record");
        let mut rng = ChaCha20Rng::seed_from_u64(99);
        let log_secret = Scalar::random(&mut rng);
        let manifest = Manifest {
            // Format version 2 (the conformance kit's cases are version 2); a test that needs
            // version 3 edits it and makes its entries with `Forge::entry`.
            version: 2,
            election_id: "forged".into(),
            title: "Forged".into(),
            questions: vec![Question::YesNo { id: "q".into(), text: "Yes?".into(), blank: false }],
            regions: voters_per_region.iter().map(|(r, _)| r.to_string()).collect(),
            trustees: TrusteeCount { n: 3, t: 2, members: Vec::new() },
            log_key: Point::from(RistrettoPoint::mul_base(&log_secret)).to_hex(),
            ratification: None,
            min_region_ballots: 0,
            origin: None,
            authority: None,
            registrar: None,
            code_issuer: None,
            max_weight: Some(1),
            max_ballots_per_credential: Some(10),
            credential_kdf: None,
            translations: Default::default(),
            witnesses: Vec::new(),
            witness_quorum: 0,
            booth_assets: Default::default(),
            booth_origins: Vec::new(),
        };
        let mut manifest = manifest;
        edit(&mut manifest);
        // Every actor signs what it is asked to (a forger who holds only the log key must make do
        // with honest actors, whom the tests fool or not).
        let actors = Actors::generate(manifest.trustees.n, &mut rng);
        manifest.trustees.members = actors.members();
        let named = |key: &convene_record::actors::ActorKey| Actor { name: "Actor".into(), key: key.public().to_hex() };
        // A referendum in a convention's name has the convention as its authority.
        manifest.authority = manifest.origin.is_none().then(|| named(&actors.authority));
        manifest.registrar = Some(named(&actors.registrar));
        let manifest_bytes = serde_json::to_vec_pretty(&manifest).unwrap();
        let (n, t) = (manifest.trustees.n, manifest.trustees.t);
        let params = CeremonyParams { manifest_hash: manifest_hash(&manifest_bytes), n, t };
        let ceremony = run_local_ceremony(params, &mut rng, |shares| {
            if let Some((dealer, recipient)) = spec.corrupt {
                if let Some(bad) = shares.iter_mut().find(|s| s.dealer == dealer && s.recipient == recipient) {
                    bad.u += Scalar::ONE;
                }
            }
        })
        .unwrap();
        let voters: Vec<(CredentialSecret, String)> = voters_per_region
            .iter()
            .flat_map(|(r, n)| (0..*n).map(|_| r.to_string()).collect::<Vec<_>>())
            .map(|r| (CredentialSecret::generate(&mut rng), r))
            .collect();
        let mut public: Vec<(Point, String, u32)> =
            voters.iter().enumerate().map(|(v, (s, r))| (*s.public(), r.clone(), (spec.weight)(v))).collect();
        public.extend_from_slice(ghosts);
        let writer =
            RecordWriter::create(&out, &manifest_bytes, &log_secret.to_bytes(), &ceremony, &public, Some(actors))
                .unwrap();
        let version = manifest.version;
        Forge { _dir: dir, out, ceremony, voters, writer, rng, decryptors: None, version }
    }

    pub fn context(&self) -> &ElectionContext {
        self.writer.context()
    }

    /// Voter `v`'s ballot for `yes`, and its reveal.
    pub fn ballot(
        &mut self,
        v: usize,
        yes: bool,
    ) -> (convene_crypto::ballot::Ballot, convene_crypto::ballot::BallotSecrets) {
        let (secret, region) = &self.voters[v];
        self.writer.context().encrypt_ballot(secret, region, &[vec![yes as u32]], &mut self.rng).unwrap()
    }

    /// Voter `v`'s entry for `yes`, cast or challenged, as the manifest's version makes it (in
    /// version 3 under a one-time key).
    pub fn entry(&mut self, v: usize, yes: bool, challenge: bool) -> LogEntry {
        let (secret, region) = &self.voters[v];
        let context = self.writer.context();
        LogEntry::encrypt(context, self.version, secret, region, &[vec![yes as u32]], challenge, &mut self.rng).unwrap()
    }

    pub fn append(&mut self, entry: LogEntry) {
        self.writer.append(&entry).unwrap();
    }

    /// Closes, tallies, and has two trustees decrypt whatever the host tallied.
    pub fn publish(mut self) -> (tempfile::TempDir, PathBuf) {
        self.writer.close(&mut self.rng).unwrap();
        let t = self.decryptors.unwrap_or(self.writer.manifest().trustees.t as usize);
        let keys: Vec<_> = self.ceremony.keys.iter().take(t).collect();
        self.writer.decrypt(&keys, &mut self.rng).unwrap();
        (self._dir, self.out)
    }
}
