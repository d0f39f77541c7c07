//! A conference of neighbouring states (`docs/convention.md` §2.4), played over HTTP for
//! `convene demo --conference` and the tests: one delegation per state, each voting through its
//! head; an observer without a vote; a paragraph adopted by consensus over one objection that
//! is withdrawn, another by unanimity with an abstention; the communiqué they make.

use super::*;

/// Who meets, and under what name.
pub struct ConferencePlan {
    pub id: String,
    pub title: String,
    /// The states, each seating one delegation.
    pub states: Vec<String>,
    /// The observer without a vote (an international organisation).
    pub observer: String,
    /// Witnesses run by this process, named in the charter.
    pub observers: Option<Arc<LocalWitnesses>>,
}

impl ConferencePlan {
    /// Five neighbouring states meet to contain a conflict, observed by a regional organisation.
    pub fn example(id: &str) -> ConferencePlan {
        ConferencePlan {
            id: id.into(),
            title: "Conference of neighbouring states on the crisis (demonstration)".into(),
            states: ["Amaranth", "Borealis", "Cordova", "Dunmore", "Estival"].map(String::from).to_vec(),
            observer: "Regional Organisation for Cooperation".into(),
            observers: None,
        }
    }
}

/// What the conference leaves behind.
pub struct ConferenceOutcome {
    pub convention: Convention,
    /// The communiqué, as `communique.md`.
    pub communique: String,
    /// What happened, step by step.
    pub steps: Vec<String>,
}

/// Consensus: adopted unless a delegation objects and keeps its objection.
pub fn consensus() -> RuleJson {
    RuleJson { majority: MajorityJson::Consensus, ..RuleJson::simple_majority_of_present() }
}

/// Unanimity of the delegations present: no one against, abstaining does not prevent it.
pub fn unanimity() -> RuleJson {
    RuleJson { majority: MajorityJson::Unanimity, ..RuleJson::simple_majority_of_present() }
}

/// The first paragraph: the one a delegation objects to, then withdraws its objection.
pub const CEASEFIRE: &str = "The participating states call on all parties to the conflict to observe an immediate \
ceasefire and to open safe corridors for humanitarian aid.\n";

/// The second paragraph, adopted by unanimity with one abstention.
pub const FOLLOW_UP: &str = "The participating states will meet again within ninety days to review the ceasefire, \
and invite the observers to report to that meeting.\n";

/// Plays the conference over HTTP; `say` reports each step.
pub async fn run_conference(
    client: &Client,
    plan: &ConferencePlan,
    rng: &mut (impl CryptoRngCore + Send),
    say: &(dyn Fn(&str) + Sync),
) -> Result<ConferenceOutcome> {
    let mut steps = Vec::new();
    let mut step = |text: String| {
        say(&text);
        steps.push(text);
    };
    let mut chair = Participant::new(rng);
    let mut secretary = Participant::new(rng);
    let officers = [chair.key.as_str(), secretary.key.as_str()];
    let convention =
        Convention::create_conference(client, &plan.id, &plan.title, officers, &plan.states, plan.observers.clone())
            .await?;
    let mut heads = Vec::new();
    for state in &plan.states {
        let head = Participant::new(rng);
        let name = format!("Head of the delegation of {state}");
        let event = Event::Credential { key: head.key.clone(), name, locality: state.clone(), role: Role::Head };
        secretary.send(client, &convention, event, rng).await?;
        heads.push(head);
    }
    let mut adviser = Participant::new(rng);
    let event = Event::Credential {
        key: adviser.key.clone(),
        name: format!("Adviser to the delegation of {}", plan.states[0]),
        locality: plan.states[0].clone(),
        role: Role::Delegate,
    };
    secretary.send(client, &convention, event, rng).await?;
    let observer = Participant::new(rng);
    let event = Event::Credential {
        key: observer.key.clone(),
        name: format!("Observer for the {}", plan.observer),
        locality: plan.observer.clone(),
        role: Role::Observer,
    };
    secretary.send(client, &convention, event, rng).await?;
    step(format!(
        "seated {} delegations, each with its head, an adviser to {}, and an observer for the {}",
        heads.len(),
        plan.states[0],
        plan.observer
    ));
    let agenda = Event::Agenda { items: vec!["Ceasefire and humanitarian access".into(), "Follow-up".into()] };
    chair.send(client, &convention, agenda, rng).await?;

    // Paragraph 1, by consensus: the third delegation objects, then withdraws its objection.
    let motion = Event::Motion { title: "Ceasefire".into(), body: BodyJson::Text(CEASEFIRE.into()) };
    heads[0].send(client, &convention, motion, rng).await?;
    let opened = chair
        .send(client, &convention, Event::OpenVote { subject: Subject::Motion(1).numbered(), rule: consensus() }, rng)
        .await?;
    let vote = created(&opened)?;
    let objecting = 2;
    let objection = Event::Vote { vote: vote.into(), choice: Some(ChoiceJson::No), ranking: None };
    heads[objecting].send(client, &convention, objection, rng).await?;
    let standing = convention.result_of(client, vote).await?;
    if standing.adopted {
        bail!("the server counts the ceasefire adopted over a standing objection");
    }
    step(format!("{} objects to paragraph 1 (the ceasefire): it cannot pass by consensus", plan.states[objecting]));
    heads[objecting].send(client, &convention, Event::WithdrawObjection { vote: vote.into() }, rng).await?;
    let result = convention.result_of(client, vote).await?;
    chair.send(client, &convention, Event::CloseVote { vote: vote.into(), result: result.figures() }, rng).await?;
    if !result.adopted {
        bail!("the ceasefire was not adopted once the objection was withdrawn");
    }
    step(format!("{} withdraws its objection: paragraph 1 is adopted by consensus", plan.states[objecting]));

    // Paragraph 2, moved by an adviser, by unanimity: the last delegation abstains.
    let motion = Event::Motion { title: "Follow-up".into(), body: BodyJson::Text(FOLLOW_UP.into()) };
    adviser.send(client, &convention, motion, rng).await?;
    chair.send(client, &convention, Event::NextItem {}, rng).await?;
    let abstaining = heads.len() - 1;
    let choice = |k: usize| if k == abstaining { ChoiceJson::Abstain } else { ChoiceJson::Yes };
    let result =
        yes_no_vote(client, &convention, &mut chair, &mut heads, Subject::Motion(2), unanimity(), &choice, rng).await?;
    if !result.adopted {
        bail!("the follow-up was not adopted by unanimity");
    }
    step(format!(
        "paragraph 2 (the follow-up) is adopted unanimously: {} yes, {} abstaining ({})",
        result.yes, result.abstain, plan.states[abstaining]
    ));
    let communique =
        String::from_utf8(client.get_bytes(&format!("/api/conventions/{}/record/communique.md", plan.id)).await?)?;
    step(format!("the communiqué has {} paragraphs", convention.shown(client).await?.constitution.articles.len()));
    Ok(ConferenceOutcome { convention, communique, steps })
}
