//! Secret votes: the chair opens one, its referendum runs (ceremony, the delegates' own keys
//! registered with codes, encrypted ballots, decryption), and the chair closes it with the counts.

use super::*;

/// A secret vote: the chair opens it (the server creates its referendum, whose electorate will be
/// the delegates in office); the trustees hold the key ceremony; the secretary registers each
/// delegate's own key as their credential, with a one-time code; every delegate casts an
/// encrypted ballot (`choice(k)`; abstaining is a blank ballot); the referendum is counted,
/// decrypted and published; and the chair closes the vote with the counts it published.
#[allow(clippy::too_many_arguments)] // each is a distinct input of the vote
pub async fn secret_vote(
    client: &Client,
    convention: &Convention,
    chair: &mut Participant,
    delegates: &[Participant],
    (subject, rule, referendum, trustees): (Subject, RuleJson, &str, TrusteeCount),
    choice: &(dyn Fn(usize) -> ChoiceJson + Sync),
    actors_seed: Option<u64>,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<VoteResult> {
    let event =
        Event::OpenSecretVote { subject: subject.numbered(), rule, referendum: referendum.to_string(), trustees };
    let vote = created(&chair.send(client, convention, event, rng).await?)?;
    secret_ballot(client, convention, referendum, delegates, choice, actors_seed, rng).await?;
    let (close, result) = closing_event(client, convention, vote).await?;
    chair.send(client, convention, close, rng).await?;
    Ok(result)
}

/// A secret vote's referendum, from its opening to its published counts: the trustees' key
/// ceremony, each delegate's own key registered with a one-time code, every delegate's encrypted
/// ballot (`choice(k)`; abstaining is a blank ballot), the count, decryption and publication.
pub async fn secret_ballot(
    client: &Client,
    convention: &Convention,
    referendum: &str,
    delegates: &[Participant],
    choice: &(dyn Fn(usize) -> ChoiceJson + Sync),
    actors_seed: Option<u64>,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<()> {
    let state = convention.shown(client).await?;
    let regions = state.regions.clone();
    let region_of = |key: &str| state.member(key).map(|m| m.region.as_str());
    let mut sheets = Vec::new();
    for d in delegates {
        let region = region_of(&d.key).ok_or_else(|| anyhow!("delegate {} is not a member", d.key))?;
        let credential = convene_crypto::ballot::CredentialSecret::from_scalar(d.secret)?;
        sheets.push(crate::registrar::sheet(&d.key, region, 1, credential, 1, rng));
    }
    // The delegates hold their own keys: the sheets are theirs, one code each.
    let plan = crate::referendum::ElectionPlan::handed_off(
        referendum,
        referendum,
        regions,
        (delegates.len() as u64, 1),
        actors_seed,
        convention.observers.clone(),
    );
    let election = crate::referendum::set_up_with(client, &plan, Some(sheets), rng).await?;
    for k in 0..delegates.len() {
        let slots = match choice(k) {
            ChoiceJson::Yes => vec![1, 0],
            ChoiceJson::No => vec![0, 1],
            ChoiceJson::Abstain => vec![0, 0],
        };
        let entry = crate::referendum::make_entry(&election, k, &[slots], false, rng)?;
        crate::referendum::sign_in_and_send(client, &election, k, 0, entry).await?;
    }
    crate::referendum::count(client, &election).await?;
    Ok(())
}

/// The secretary's part in a secret vote: one-time codes for each delegate in office when vote
/// `vote` opened, registered with the vote's referendum (after its trustees' ceremony) under the
/// delegates' own public keys. Returns `(delegate name, codes)` for handing out.
pub async fn secret_vote_codes(
    client: &Client,
    convention: &Convention,
    vote: u32,
    codes_per_delegate: usize,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<(String, String, Vec<String>)>> {
    let (state, shown) = convention.vote(client, vote).await?;
    let referendum = &shown.secret.as_ref().ok_or_else(|| anyhow!("vote {vote} is not secret"))?.referendum;
    let mut sheets = Vec::new();
    let mut handout = Vec::new();
    for key in &shown.in_office {
        let member = state.member(key).ok_or_else(|| anyhow!("{key} is not a member"))?;
        let codes: Vec<String> = (0..codes_per_delegate).map(|_| crate::registrar::new_code(rng)).collect();
        handout.push((member.name.clone(), key.to_string(), codes.clone()));
        sheets.push(crate::registrar::PublicSheet {
            credential: key.to_string(),
            region: member.region.clone(),
            weight: 1,
            codes,
        });
    }
    let upload = crate::registrar::upload_public(referendum, &sheets);
    client.post(&format!("/api/elections/{referendum}/credentials"), &upload, As::Supervisor).await?;
    Ok(handout)
}

/// The event that closes vote `vote` with the result the server computed: `close_vote`, or for
/// a secret vote `close_secret_vote` with the counts its referendum published.
pub async fn closing_event(client: &Client, convention: &Convention, vote: u32) -> Result<(Event, VoteResult)> {
    let (_, shown) = convention.vote(client, vote).await?;
    let result = shown.result;
    // The chair signs the figures, not the words.
    let Some(secret) = shown.secret else {
        return Ok((Event::CloseVote { vote: vote.into(), result: result.figures() }, result));
    };
    if secret.tally.is_empty() {
        bail!("vote {vote} is secret and its referendum has not published its results yet");
    }
    let tally = secret.tally;
    Ok((Event::CloseSecretVote { vote: vote.into(), tally, result: result.figures() }, result))
}
