//! The actors' own commands: `registrar`, `registrar-check`, `codes`, `authority`, `keygen`, `trustee`.

use super::*;

/// `convene registrar`.
pub(super) async fn run_registrar(args: RegistrarArgs) -> Result<ExitCode> {
    registrar(args).await
}

/// `convene registrar-check`.
pub(super) async fn run_registrar_check(args: RegistrarCheckArgs) -> Result<ExitCode> {
    let RegistrarCheckArgs { server, election, issued } = args;
    let client = Client::new(&server, None);
    let published = client
        .get_bytes(&format!("/api/elections/{election}/record/credentials.jsonl"))
        .await
        .context("the credential list is not published yet")?;
    let upload: convene_server::api::Credentials =
        serde_json::from_slice(&std::fs::read(&issued).with_context(|| format!("cannot read {}", issued.display()))?)
            .with_context(|| format!("{} is not a credentials upload", issued.display()))?;
    let differences = convene::registrar::compare_published(&upload, &published).map_err(anyhow::Error::msg)?;
    if differences.is_empty() {
        println!("The published list of {election} is the one issued: every credential, region and weight.");
        return Ok(ExitCode::SUCCESS);
    }
    println!("The published list of {election} differs from the one issued:");
    for d in &differences {
        println!("  {d}");
    }
    Ok(ExitCode::from(1))
}

/// `convene codes`.
pub(super) async fn run_codes(args: CodesArgs) -> Result<ExitCode> {
    issue_codes(args).await
}

/// `convene authority`.
pub(super) async fn run_authority(args: AuthorityArgs) -> Result<ExitCode> {
    let AuthorityArgs { server, election, identity } = args;
    authority_sign(server, election, identity).await
}

/// `convene keygen`.
pub(super) async fn run_keygen(args: KeygenArgs) -> Result<ExitCode> {
    let KeygenArgs { name, out } = args;
    let identity = convene::identity::generate(&name, &out)?;
    println!("{}", identity.key.public().to_hex());
    eprintln!(
        "Identity of {name:?} in {} (keep it safe; only its public key, above, goes into the manifest).",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `convene trustee`.
pub(super) async fn run_trustee(step: TrusteeCommand) -> Result<ExitCode> {
    trustee(step).await
}

pub(super) fn client_for(at: &TrusteeWhere) -> Result<Client> {
    let admin = match &at.admin_token_file {
        Some(f) => {
            Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?.trim().to_string())
        }
        None => None,
    };
    Ok(Client::new(&at.server, admin))
}

pub(super) async fn trustee(step: TrusteeCommand) -> Result<ExitCode> {
    use convene::trustee;
    match step {
        TrusteeCommand::Start { at, index, state } => {
            let identity = at.identity()?;
            let sent =
                trustee::start(&client_for(&at)?, &at.election, index, &state, identity.as_ref().map(|i| &i.key))
                    .await?;
            println!("Trustee {index} started; secrets in {} (keep it safe). Round 1 {sent}.", state.display());
        }
        TrusteeCommand::Deal { at, state } => {
            let identity = at.identity()?;
            let sent =
                trustee::deal(&client_for(&at)?, &at.election, &state, None, identity.as_ref().map(|i| &i.key)).await?;
            println!("Shares dealt; {sent}.");
        }
        TrusteeCommand::Check { at, state } => {
            let identity = at.identity()?;
            let sent =
                trustee::check(&client_for(&at)?, &at.election, &state, identity.as_ref().map(|i| &i.key)).await?;
            println!("Shares checked: {sent}.");
        }
        TrusteeCommand::Finish { at, state, key } => {
            let k = trustee::finish(&client_for(&at)?, &at.election, &state, &key).await?;
            println!(
                "Trustee {}'s key share is in {}; its public key {} matches the ceremony.",
                k.index,
                key.display(),
                k.public.to_hex()
            );
        }
        TrusteeCommand::Acknowledge { at, key } => {
            let k = trustee::load_key(&at.election, &key)?;
            let identity = at.identity()?.context("acknowledging needs this trustee's --identity file")?;
            trustee::acknowledge(&client_for(&at)?, &at.election, &k, &identity.key).await?;
            println!("Trustee {} acknowledged the election key, its verification key and the base hash.", k.index);
        }
        TrusteeCommand::Decrypt { at, key } => {
            let k = trustee::load_key(&at.election, &key)?;
            let once = key.with_extension("decrypted.json");
            let bar = Bar(Mutex::new(None));
            let identity = at.identity()?;
            let done = trustee::decrypt(
                &client_for(&at)?,
                &at.election,
                &k,
                identity.as_ref().map(|i| &i.key),
                Some(&once),
                &bar,
            )
            .await;
            bar.done();
            done?;
            println!(
                "Verified the record up to the tally (every ballot, checkpoint and sum), decrypted that tally \
                 (once; remembered in {}), and trustee {}'s partial decryption was accepted.",
                once.display(),
                k.index
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene codes`: the code issuer's codes for every published credential.
pub(super) async fn issue_codes(args: CodesArgs) -> Result<ExitCode> {
    let CodesArgs { server, election, identity, codes_per_voter, out, printed: Printed { booth, language } } = args;
    if codes_per_voter == 0 {
        anyhow::bail!("--codes-per-voter must be at least 1");
    }
    if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; give a new directory with --out", out.display());
    }
    let identity = convene::identity::load(&identity)?;
    let client = Client::new(&server, None);
    let manifest_bytes = client
        .get_bytes(&format!("/api/elections/{election}/record/manifest.json"))
        .await
        .context("no such election")?;
    let manifest = convene_record::format::Manifest::parse(&manifest_bytes)?;
    if manifest.code_issuer.as_ref().map(|a| a.key.as_str()) != Some(identity.key.public().to_hex().as_str()) {
        anyhow::bail!("the manifest of {election} does not name this identity as its code issuer");
    }
    let list = client
        .get_bytes(&format!("/api/elections/{election}/record/credentials.jsonl"))
        .await
        .context("the registrar has not published the credential list yet")?;
    // The fingerprint printed on each slip: the published base hash, once its manifest and
    // credential hashes are those of the documents read here.
    let fingerprint = convene::registrar::published_fingerprint(&client, &election, &manifest_bytes).await?;
    let mut slips = Vec::new();
    for line in list.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let listed = convene_record::format::parse_credential_line(line, &manifest).map_err(anyhow::Error::msg)?;
        let codes =
            (0..codes_per_voter).map(|_| convene::registrar::code_for(&manifest, &mut rand_core::OsRng)).collect();
        slips.push((listed.credential.to_hex(), codes));
    }
    let upload = convene::registrar::issuer_upload(&election, &manifest_bytes, &slips, &identity.key)
        .map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(&out)?;
    let booth = booth.unwrap_or_else(|| convene::registrar::booth_url(&server, &election));
    let printed = convene::registrar::printed_slips(&manifest.title, &booth, &fingerprint, language, &slips);
    let path = out.join("code-slips.pdf");
    write_printed(&out, "code-slips", &manifest.title, &printed)?;
    let csv: String = std::iter::once("credential,codes,fingerprint\n".to_string())
        .chain(slips.iter().map(|(credential, codes)| format!("{credential},{},{fingerprint}\n", codes.join(" "))))
        .collect();
    convene::trustee::write_secret(&out.join("code-slips.csv"), csv.as_bytes())?;
    client.post(&format!("/api/elections/{election}/codes"), &upload, convene::client::As::Anyone).await?;
    println!(
        "Issued {codes_per_voter} codes for each of {} credentials; slips in {} (hand them out apart from the \
         registrar's sheets, then delete them). Only the codes' hashes, signed, went to {server}.",
        slips.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `convene authority`: shows what the authority signs, checks it names this identity, signs.
pub(super) async fn authority_sign(server: String, election: String, identity: PathBuf) -> Result<ExitCode> {
    let identity = convene::identity::load(&identity)?;
    let client = Client::new(&server, None);
    let bytes = client
        .get_bytes(&format!("/api/elections/{election}/record/manifest.json"))
        .await
        .context("no such election")?;
    let manifest = convene_record::format::Manifest::parse(&bytes)?;
    let named = manifest.authority.as_ref().map(|a| a.key.as_str());
    if named != Some(identity.key.public().to_hex().as_str()) {
        anyhow::bail!(
            "the manifest of {election} names {} as its authority, not this identity ({})",
            named.unwrap_or("no one"),
            identity.key.public().to_hex()
        );
    }
    let hash = convene_record::writer::manifest_hash(&bytes);
    println!("Signing the manifest of {election} (manifest hash {}):", convene_crypto::encoding::to_hex(&hash));
    println!("{}", String::from_utf8_lossy(&bytes));
    let signature = identity.key.sign(convene_record::actors::TAG_AUTHORITY, &hash, b"", &mut rand_core::OsRng);
    let _: convene_server::api::Signed = client
        .post_as(
            &format!("/api/elections/{election}/authority"),
            &convene_server::api::AuthoritySignature { signature },
            convene::client::As::Anyone,
        )
        .await?;
    println!("Signed as {}; the trustees may start the key ceremony.", identity.name);
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn registrar(args: RegistrarArgs) -> Result<ExitCode> {
    let RegistrarArgs {
        election,
        server,
        voters,
        out,
        codes_per_voter,
        admin_token_file,
        identity,
        printed: Printed { booth, language },
    } = args;
    use convene::registrar;
    if codes_per_voter == 0 {
        anyhow::bail!("--codes-per-voter must be at least 1");
    }
    if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; give a new directory with --out", out.display());
    }
    let admin = match &admin_token_file {
        Some(f) => {
            Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?.trim().to_string())
        }
        None => None,
    };
    let client = Client::new(&server, admin);
    let manifest_bytes = client
        .get_bytes(&format!("/api/elections/{election}/record/manifest.json"))
        .await
        .context("no such election")?;
    let manifest = convene_record::format::Manifest::parse(&manifest_bytes)?;
    let text = std::fs::read_to_string(&voters).with_context(|| format!("cannot read {}", voters.display()))?;
    let mut list = registrar::parse_voters(&text, &manifest.regions)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("in {}", voters.display()))?;
    for voter in &mut list {
        voter.lang = voter.lang.or(Some(language));
    }
    // With a code issuer named in the manifest, the registrar makes no codes: the issuer does.
    let codes_per_voter = if manifest.code_issuer.is_some() { 0 } else { codes_per_voter };
    // Deriving each typed credential's key costs one Argon2id: a bar for a whole electorate.
    let bar = super::progress::Bar(std::sync::Mutex::new(None));
    convene_record::verify::Progress::stage(&bar, "credentials", list.len() as u64);
    let sheets = registrar::issue(&manifest, &list, codes_per_voter, &mut rand_core::OsRng, &|| {
        convene_record::verify::Progress::advance(&bar, 1)
    })
    .map_err(anyhow::Error::msg)?;
    bar.done();
    let identity = identity.as_deref().map(convene::identity::load).transpose()?;
    if manifest.version >= 2 && identity.is_none() {
        anyhow::bail!("this election (record format 2) names its registrar by key: give --identity");
    }
    std::fs::create_dir_all(&out)?;
    let mut upload = registrar::upload(&election, &sheets);
    if let Some(identity) = &identity {
        if manifest.registrar.as_ref().map(|r| r.key.as_str()) != Some(identity.key.public().to_hex().as_str()) {
            anyhow::bail!("the manifest does not name this identity as the registrar");
        }
        registrar::sign_upload(&manifest_bytes, &mut upload, &identity.key).map_err(anyhow::Error::msg)?;
    }
    std::fs::write(out.join("credentials-upload.json"), serde_json::to_vec_pretty(&upload)?)?;
    let told = if let Some(identity) = &identity {
        registrar::post_upload(&client, &election, &manifest_bytes, &upload, Some(&identity.key)).await?;
        "Signed and uploaded the public list to {server}; the sheets stay here: hand them out, then delete them."
    } else if admin_token_file.is_some() {
        registrar::post_upload(&client, &election, &manifest_bytes, &upload, None).await?;
        "Uploaded the public list to {server}; the sheets stay here: hand them out, then delete them."
    } else {
        "Upload credentials-upload.json to POST /api/elections/{election}/credentials; hand out the sheets."
    };
    // Once the list is published the base hash is known: the sheets print the fingerprint.
    let uploaded = identity.is_some() || admin_token_file.is_some();
    let fingerprint = match uploaded {
        true => Some(convene::registrar::published_fingerprint(&client, &election, &manifest_bytes).await?),
        false => None,
    };
    convene::trustee::write_secret(&out.join("sheets.csv"), registrar::sheets_csv(&sheets).as_bytes())?;
    let booth = booth.unwrap_or_else(|| registrar::booth_url(&server, &election));
    write_printed(
        &out,
        "sheets",
        &manifest.title,
        &registrar::printed(&manifest.title, &booth, fingerprint.as_deref(), &sheets),
    )?;
    println!("Issued {} credentials with {} codes each into {}.", sheets.len(), codes_per_voter, out.display());
    println!("{}", told.replace("{server}", &server).replace("{election}", &election));
    Ok(ExitCode::SUCCESS)
}

/// Writes `NAME.pdf` and `NAME.html` in `out` with a progress bar over the sheets.
fn write_printed(out: &std::path::Path, name: &str, title: &str, sheets: &[convene_sheets::Sheet]) -> Result<()> {
    let bar = super::progress::Bar(std::sync::Mutex::new(None));
    convene_record::verify::Progress::stage(&bar, "sheets", sheets.len() as u64);
    convene::registrar::write_printed(out, name, title, sheets, &|| {
        convene_record::verify::Progress::advance(&bar, 1)
    })?;
    bar.done();
    Ok(())
}
