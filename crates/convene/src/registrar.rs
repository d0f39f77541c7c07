//! The registrar's offline tool: one credential key pair per eligible voter, the public list for
//! the server, and the private sheets to hand out (CSV and printable HTML). The server receives
//! only public keys and the hashes of the one-time voter codes.

use convene_crypto::ballot::CredentialSecret;
use convene_crypto::encoding::to_hex;
use convene_crypto::typed::{KdfParams, TypedCode, TypedCredential, ALPHABET};
use convene_record::actors::{upload_headers, ActorKey};
use convene_record::format::{credential_line, parse_credential_line, Manifest};
use convene_record::tally::Electorate;
use convene_record::writer::{credentials_hasher, manifest_hash, registrar_json};
use convene_server::api;
pub use convene_sheets::Lang;
use rand_core::CryptoRngCore;
use sha2::Digest;
use std::fmt::Write;

/// A voter's private sheet.
#[derive(Clone)]
pub struct Sheet {
    pub voter: String,
    pub region: String,
    /// The credential's public weight (1 for one person, one vote).
    pub weight: u32,
    /// The language the sheet is printed in.
    pub lang: Lang,
    pub credential: CredentialSecret,
    /// The credential string the key was derived from, when the manifest names a KDF
    /// (protocol note §14); otherwise the voter is given the key itself, in hex.
    pub typed: Option<TypedCredential>,
    /// One-time sign-in codes; each can be used once (re-voting uses the next).
    pub codes: Vec<String>,
}

impl Sheet {
    /// What the voter types as the credential: the grouped credential string, or the 64-hex key.
    pub fn key_text(&self) -> String {
        match &self.typed {
            Some(typed) => typed.grouped(),
            None => to_hex(&self.credential.secret_bytes()),
        }
    }
}
/// One eligible voter of the registrar's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voter {
    pub name: String,
    pub region: String,
    /// The credential's public weight (1 for one person, one vote).
    pub weight: u32,
    /// The language of the voter's sheet, when the list gives one.
    pub lang: Option<Lang>,
}

impl Voter {
    /// A voter of weight 1 whose sheet is in the registrar's default language.
    pub fn new(name: impl Into<String>, region: impl Into<String>, weight: u32) -> Voter {
        Voter { name: name.into(), region: region.into(), weight, lang: None }
    }
}

/// Parses the registrar's voter list: CSV with a header naming `voter` and `region` columns and
/// optionally `weight` and `language` (`en`, `ar` or `ckb`: the sheet's; others are ignored);
/// each voter once, every region in `regions`.
pub fn parse_voters(text: &str, regions: &[String]) -> Result<Vec<Voter>, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(voter_col), Some(region_col)) = (column("voter"), column("region")) else {
        return Err("the header must name the columns voter and region".into());
    };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let voter = record.get(voter_col).unwrap_or("").to_string();
        let region = record.get(region_col).unwrap_or("").to_string();
        if voter.is_empty() {
            return Err(format!("line {line}: the voter is empty"));
        }
        if !regions.contains(&region) {
            return Err(format!(
                "line {line}: region {region:?} is not one of the election's regions ({})",
                regions.join(", ")
            ));
        }
        if !seen.insert(voter.clone()) {
            return Err(format!("line {line}: voter {voter:?} is listed twice"));
        }
        let weight = match column("weight").and_then(|c| record.get(c)).filter(|w| !w.is_empty()) {
            None => 1,
            Some(w) => match w.parse::<u32>() {
                Ok(w) if (1..=convene_record::format::MAX_WEIGHT).contains(&w) => w,
                _ => {
                    return Err(format!(
                        "line {line}: weight {w:?} is not a whole number from 1 to {}",
                        convene_record::format::MAX_WEIGHT
                    ))
                }
            },
        };
        let lang = match column("language").and_then(|c| record.get(c)).filter(|l| !l.is_empty()) {
            None => None,
            Some(tag) => Some(Lang::parse(tag).ok_or_else(|| {
                format!("line {line}: language {tag:?} is not one the sheets are printed in (en, ar, ckb)")
            })?),
        };
        out.push(Voter { name: voter, region, weight, lang });
    }
    if out.is_empty() {
        return Err("the voter list has no voters".into());
    }
    Ok(out)
}

/// A one-time voter code for an election whose credentials are keys: 20 characters from the
/// typed alphabet (no look-alikes), in groups of 5.
pub fn new_code(rng: &mut impl CryptoRngCore) -> String {
    let mut bytes = [0u8; 20];
    rng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect();
    chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A one-time code for `manifest`'s election: 9 symbols with a check (protocol note §14.3) when
/// it types credentials, else [`new_code`].
pub fn code_for(manifest: &Manifest, rng: &mut impl CryptoRngCore) -> String {
    match manifest.credential_kdf {
        Some(_) => TypedCode::generate(rng).grouped(),
        None => new_code(rng),
    }
}

/// How `manifest`'s credentials are made: the election id and Argon2id cost when it names a
/// KDF.
pub fn typing(manifest: &Manifest) -> Result<Option<(String, KdfParams)>, String> {
    manifest.credential_kdf.as_ref().map(|k| Ok((manifest.election_id.clone(), k.params()?))).transpose()
}

/// Issues a credential and `codes_per_voter` codes to each `(voter, region, weight)` of
/// `manifest`'s election. With a KDF, each credential string's key is derived on every core,
/// `progress` told after each.
pub fn issue(
    manifest: &Manifest,
    voters: &[Voter],
    codes_per_voter: usize,
    rng: &mut impl CryptoRngCore,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Sheet>, String> {
    use rayon::prelude::*;
    let typing = typing(manifest)?;
    // The random draws stay in order (a seeded run is reproducible); the derivations run apart.
    let drawn: Vec<_> = voters
        .iter()
        .map(|voter| {
            let secret = match &typing {
                Some(_) => Err(TypedCredential::generate(rng)),
                None => Ok(CredentialSecret::generate(rng)),
            };
            let codes = (0..codes_per_voter).map(|_| code_for(manifest, rng)).collect::<Vec<_>>();
            (voter, secret, codes)
        })
        .collect();
    drawn
        .into_par_iter()
        .map(|(voter, secret, codes)| {
            let (credential, typed) = match secret {
                Ok(key) => (key, None),
                Err(typed) => {
                    let (election, params) = typing.as_ref().expect("drawn typed only with a KDF");
                    (typed.derive(election, params).map_err(|e| e.to_string())?, Some(typed))
                }
            };
            progress();
            Ok(Sheet {
                voter: voter.name.clone(),
                region: voter.region.clone(),
                weight: voter.weight,
                lang: voter.lang.unwrap_or(Lang::En),
                credential,
                typed,
                codes,
            })
        })
        .collect()
}

/// The credential key a voter gives as text: the 64-hex key, or (when the manifest names a KDF)
/// the credential string from the sheet, however it was typed (protocol note §14).
pub fn credential_from_text(manifest: &Manifest, text: &str) -> Result<CredentialSecret, String> {
    let text = text.trim();
    if let Ok(secret) = convene_crypto::encoding::scalar_from_hex(text) {
        return CredentialSecret::from_scalar(secret).map_err(|e| e.to_string());
    }
    match typing(manifest)? {
        Some((election, params)) => TypedCredential::parse(text)
            .map_err(|e| format!("this is not the sheet's credential ({e})"))?
            .derive(&election, &params)
            .map_err(|e| e.to_string()),
        None => Err("this election's credentials are keys of 64 hex digits (or a key file); this is not one".into()),
    }
}

/// One voter's sheet for a key it holds already (a delegate's own): its one-time codes are
/// drawn here.
pub fn sheet(
    voter: &str,
    region: &str,
    weight: u32,
    credential: CredentialSecret,
    codes_per_voter: usize,
    rng: &mut impl CryptoRngCore,
) -> Sheet {
    Sheet {
        voter: voter.into(),
        region: region.into(),
        weight,
        lang: Lang::En,
        credential,
        typed: None,
        codes: (0..codes_per_voter).map(|_| new_code(rng)).collect(),
    }
}

/// The public upload for `POST /api/elections/{id}/credentials`.
pub fn upload(election: &str, sheets: &[Sheet]) -> api::Credentials {
    let public: Vec<PublicSheet> = sheets
        .iter()
        .map(|s| PublicSheet {
            credential: s.credential.public().to_hex(),
            region: s.region.clone(),
            weight: s.weight,
            codes: s.codes.clone(),
        })
        .collect();
    upload_public(election, &public)
}

/// What the server is told of a voter: the public credential, region, weight and one-time codes
/// (only their hashes are uploaded).
pub struct PublicSheet {
    pub credential: String,
    pub region: String,
    pub weight: u32,
    pub codes: Vec<String>,
}

/// The upload for credentials whose secrets the registrar does not hold (a convention's
/// delegates in a secret vote hold their own keys).
pub fn upload_public(election: &str, sheets: &[PublicSheet]) -> api::Credentials {
    let credentials = sheets
        .iter()
        .map(|s| api::CredentialEntry {
            credential: s.credential.clone(),
            region: s.region.clone(),
            weight: (s.weight != 1).then_some(s.weight),
        })
        .collect();
    let codes = sheets
        .iter()
        .flat_map(|s| {
            s.codes.iter().map(move |c| api::CodeHash {
                code_hash: to_hex(&convene_server::voter_code_hash(election, c)),
                credential: s.credential.clone(),
            })
        })
        .collect();
    api::Credentials { credentials, codes, registrar_signature: None }
}

/// The private sheets as CSV: `voter,region,credential,credential_public,codes` (the credential
/// as the voter types it).
pub fn sheets_csv(sheets: &[Sheet]) -> String {
    let mut out = String::from("voter,region,credential,credential_public,codes\n");
    for s in sheets {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            s.voter,
            s.region,
            s.key_text(),
            s.credential.public().to_hex(),
            s.codes.join(" ")
        );
    }
    out
}

/// The reference that ties a registrar's sheet to the code issuer's slip: the public
/// credential's first 16 hex digits, in groups of four.
pub fn reference(public_credential: &str) -> String {
    let head = &public_credential[..16.min(public_credential.len())];
    head.as_bytes().chunks(4).map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The booth's address for `election` on `server`, as the sheets print it.
pub fn booth_url(server: &str, election: &str) -> String {
    format!("{}/vote/{election}", server.trim_end_matches('/'))
}

/// The printed sheets (`convene-sheets`) of `sheets`: each in its voter's language, with the
/// booth's address, the fingerprint once known, the credential string (or the hex key) and the
/// codes, and a QR code holding them.
pub fn printed(title: &str, booth: &str, fingerprint: Option<&str>, sheets: &[Sheet]) -> Vec<convene_sheets::Sheet> {
    sheets
        .iter()
        .map(|s| convene_sheets::Sheet {
            document: convene_sheets::Document::Sheet,
            lang: s.lang,
            title: title.into(),
            voter: Some(s.voter.clone()),
            region: Some(s.region.clone()),
            booth_url: booth.into(),
            fingerprint: fingerprint.map(String::from),
            credential: Some(s.key_text()),
            codes: s.codes.clone(),
            reference: Some(reference(&s.credential.public().to_hex())),
        })
        .collect()
}

/// Writes `NAME.pdf` and `NAME.html` of `sheets` in `out`, readable by the owner only;
/// `progress` is told after each sheet.
pub fn write_printed(
    out: &std::path::Path,
    name: &str,
    title: &str,
    sheets: &[convene_sheets::Sheet],
    progress: &dyn Fn(),
) -> anyhow::Result<()> {
    let pdf = convene_sheets::pdf(sheets, progress).map_err(anyhow::Error::msg)?;
    crate::trustee::write_secret(&out.join(format!("{name}.pdf")), &pdf)?;
    let html = convene_sheets::html(title, sheets).map_err(anyhow::Error::msg)?;
    crate::trustee::write_secret(&out.join(format!("{name}.html")), html.as_bytes())?;
    Ok(())
}

/// The code issuer's printed slips: for each published credential (hex) its codes, in `lang`.
pub fn printed_slips(
    title: &str,
    booth: &str,
    fingerprint: &str,
    lang: Lang,
    slips: &[(String, Vec<String>)],
) -> Vec<convene_sheets::Sheet> {
    slips
        .iter()
        .map(|(credential, codes)| convene_sheets::Sheet {
            document: convene_sheets::Document::Slip,
            lang,
            title: title.into(),
            voter: None,
            region: None,
            booth_url: booth.into(),
            fingerprint: Some(fingerprint.into()),
            credential: None,
            codes: codes.clone(),
            reference: Some(reference(credential)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voter_lists_are_checked() {
        let regions = vec!["north".to_string(), "south".to_string()];
        assert_eq!(parse_voters("voter,region\na,north\nb,south\n", &regions).unwrap().len(), 2);
        let weighted = parse_voters("voter,region,weight\na,north,5\nb,south,\n", &regions).unwrap();
        assert_eq!(weighted.iter().map(|v| v.weight).collect::<Vec<_>>(), vec![5, 1]);
        let languages = parse_voters("voter,region,language\na,north,ar-IQ\nb,south,\n", &regions).unwrap();
        assert_eq!(languages.iter().map(|v| v.lang).collect::<Vec<_>>(), vec![Some(Lang::Ar), None]);
        for (text, expected) in [
            ("name,region\na,north\n", "voter and region"),
            ("voter,region\na,west\n", "region \"west\" is not one of"),
            ("voter,region\na,north\na,south\n", "listed twice"),
            ("voter,region\n", "no voters"),
            ("voter,region\n,north\n", "the voter is empty"),
            ("voter,region,weight\na,north,0\n", "weight \"0\" is not a whole number"),
            ("voter,region,weight\na,north,x\n", "weight \"x\""),
            ("voter,region,language\na,north,fr\n", "language \"fr\" is not one"),
        ] {
            let error = parse_voters(text, &regions).unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn codes_are_long_unambiguous_and_hash_without_dashes() {
        let code = new_code(&mut rand_core::OsRng);
        assert_eq!(code.len(), 23);
        assert!(code.chars().all(|c| c == '-' || "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains(c)));
        let plain = code.replace('-', "").to_lowercase();
        assert_eq!(convene_server::voter_code_hash("e", &code), convene_server::voter_code_hash("e", &plain));
    }
}

#[cfg(test)]
mod parse_properties {
    use super::parse_voters;
    use proptest::prelude::*;

    proptest! {
        /// The fuzz target's property, run on every test pass: any text is a list or an error.
        #[test]
        fn any_text_is_a_voter_list_or_an_error(text in "\\PC{0,200}") {
            let _ = parse_voters(&text, &["north".to_string()]);
            let _ = parse_voters(&format!("voter,region\n{text}"), &["north".to_string()]);
        }
    }
}

/// Signs, with the registrar's identity, its statement on the public list of `upload` (as made by
/// [`upload`] or [`upload_public`]) for the election whose manifest is `manifest_bytes`, and adds
/// the signature to the upload (record format version 2; protocol note §9). The list's bytes
/// are exactly those the server will publish as `credentials.jsonl`, so the signature fails
/// if the host changes, adds or drops a single credential.
pub fn sign_upload(manifest_bytes: &[u8], upload: &mut api::Credentials, registrar: &ActorKey) -> Result<(), String> {
    let manifest = Manifest::parse(manifest_bytes).map_err(|e| e.to_string())?;
    let mut electorate = Electorate::new(manifest.regions.clone());
    let mut lines = String::new();
    for c in &upload.credentials {
        let line = serde_json::to_vec(c).map_err(|e| e.to_string())?;
        let listed = parse_credential_line(&line, &manifest)?;
        electorate.register(*listed.credential.bytes(), listed.region as u16, listed.weight);
        lines.push_str(&credential_line(&listed.credential, &manifest.regions[listed.region], listed.weight));
    }
    let mut hasher = credentials_hasher(lines.len() as u64);
    hasher.update(lines.as_bytes());
    let credentials_hash: [u8; 32] = hasher.finalize().into();
    let statement =
        registrar_json(&manifest, &manifest_hash(manifest_bytes), &credentials_hash, &electorate, registrar);
    upload.registrar_signature = Some(statement.signature);
    Ok(())
}

/// Posts the credential `upload` of election `id`: with `registrar`'s transport signature in its
/// headers (version 2, no token needed; docs/protocol.md §9), else with the supervisor's token.
pub async fn post_upload(
    client: &crate::client::Client,
    id: &str,
    manifest_bytes: &[u8],
    upload: &api::Credentials,
    registrar: Option<&ActorKey>,
) -> anyhow::Result<()> {
    let body = serde_json::to_vec(upload)?;
    let path = format!("/api/elections/{id}/credentials");
    match registrar {
        Some(key) => {
            let headers = upload_headers(&manifest_hash(manifest_bytes), &body, key, &mut rand_core::OsRng);
            client.post_raw(&path, body, crate::client::As::Signed(&headers)).await?
        }
        None => client.post_raw(&path, body, crate::client::As::Supervisor).await?,
    };
    Ok(())
}

/// The code issuer's upload for `sheets` (their credentials and codes): the hashes of the codes,
/// signed with the issuer's identity (record format version 2, a manifest that names a code
/// issuer). The registrar's own upload then carries no codes.
pub fn issuer_upload(
    election: &str,
    manifest_bytes: &[u8],
    sheets: &[(String, Vec<String>)],
    issuer: &ActorKey,
) -> Result<api::IssuedCodes, String> {
    let mut pairs = Vec::new();
    let mut codes = Vec::new();
    for (credential, list) in sheets {
        let key = convene_crypto::encoding::hex32(credential).map_err(|e| e.to_string())?;
        for code in list {
            let hash = convene_server::voter_code_hash(election, code);
            pairs.push((hash, key));
            codes.push(api::CodeHash { code_hash: to_hex(&hash), credential: credential.clone() });
        }
    }
    let message = convene_record::actors::codes_message(&pairs);
    let signature =
        issuer.sign(convene_record::actors::TAG_CODES, &manifest_hash(manifest_bytes), &message, &mut rand_core::OsRng);
    Ok(api::IssuedCodes { codes, signature })
}

/// The fingerprint of `election` as published (protocol note §13.5), once `election.json` is
/// checked to hash this manifest and this published credential list.
pub async fn published_fingerprint(
    client: &crate::client::Client,
    election: &str,
    manifest_bytes: &[u8],
) -> anyhow::Result<String> {
    use anyhow::Context;
    let list = client
        .get_bytes(&format!("/api/elections/{election}/record/credentials.jsonl"))
        .await
        .context("the registrar has not published the credential list yet")?;
    let published: convene_record::format::ElectionJson =
        serde_json::from_slice(&client.get_bytes(&format!("/api/elections/{election}/record/election.json")).await?)
            .context("election.json")?;
    let mut hasher = convene_record::writer::credentials_hasher(list.len() as u64);
    sha2::Digest::update(&mut hasher, &list);
    let credentials_hash: [u8; 32] = sha2::Digest::finalize(hasher).into();
    if published.manifest_hash != to_hex(&convene_record::writer::manifest_hash(manifest_bytes))
        || published.credentials_hash != to_hex(&credentials_hash)
    {
        anyhow::bail!("election.json does not hash this manifest and this credential list; report it");
    }
    let base = convene_record::format::hash("base_hash", &published.base_hash)?;
    Ok(convene_record::writer::fingerprint(&base))
}

/// Where the published `credentials.jsonl` differs from the registrar's `upload` (as written by
/// `convene registrar`): each credential the server added, dropped or changed, in words.
pub fn compare_published(upload: &api::Credentials, published: &[u8]) -> Result<Vec<String>, String> {
    let entry = |c: &api::CredentialEntry| (c.credential.clone(), c.region.clone(), u64::from(c.weight.unwrap_or(1)));
    let issued: Vec<(String, String, u64)> = upload.credentials.iter().map(entry).collect();
    let mut listed = Vec::new();
    for (k, line) in published.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
        let c: api::CredentialEntry =
            serde_json::from_slice(line).map_err(|e| format!("published line {}: {e}", k + 1))?;
        listed.push(entry(&c));
    }
    let mut out = Vec::new();
    let find = |list: &[(String, String, u64)], key: &str| list.iter().find(|c| c.0 == key).cloned();
    for c in &listed {
        match find(&issued, &c.0) {
            None => out.push(format!("added: {} (region {}, weight {})", c.0, c.1, c.2)),
            Some(i) if i != *c => out.push(format!(
                "changed: {} is region {} weight {}, issued as region {} weight {}",
                c.0, c.1, c.2, i.1, i.2
            )),
            Some(_) => {}
        }
    }
    for c in &issued {
        if find(&listed, &c.0).is_none() {
            out.push(format!("dropped: {} (region {}, weight {})", c.0, c.1, c.2));
        }
    }
    if out.is_empty() && listed != issued {
        out.push("the same credentials, in another order".into());
    }
    Ok(out)
}
