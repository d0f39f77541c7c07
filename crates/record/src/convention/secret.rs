//! Secret votes: checking a secret vote's referendum against the convention, and reading its
//! published counts.

use super::*;

impl ConventionState {
    /// Checks that a secret vote's referendum is that vote's: its manifest names this convention
    /// and vote and asks one yes/no question with a blank (abstain) option, and its electorate is
    /// exactly the delegates in office when the vote opened — their own keys, their regions,
    /// each weighing one. Nobody else could have voted, and each delegate once.
    pub fn check_secret_electorate(
        &self,
        vote: &VoteState,
        manifest: &Manifest,
        credentials: &[u8],
    ) -> Result<(), String> {
        let secret = vote.secret.as_ref().ok_or_else(|| format!("vote {} is not secret", vote.id))?;
        if manifest.election_id != secret.referendum {
            return Err(format!("this is referendum {}, not {}", manifest.election_id, secret.referendum));
        }
        let origin = manifest.origin.as_ref().ok_or("the referendum's manifest names no convention (origin)")?;
        if origin.convention != self.charter.convention_id || origin.vote != Some(vote.id) {
            return Err(format!("the referendum's origin is not vote {} of this convention", vote.id));
        }
        if !matches!(manifest.questions.as_slice(), [Question::YesNo { blank: true, .. }]) {
            return Err("a secret vote's referendum asks one yes/no question with a blank option".into());
        }
        let mut listed = Vec::new();
        for (k, line) in credentials.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
            let c = parse_credential_line(line, manifest).map_err(|e| format!("credential {}: {e}", k + 1))?;
            if c.weight != 1 {
                return Err(format!("credential {} has weight {}; every delegate weighs one", k + 1, c.weight));
            }
            listed.push((c.credential.to_hex(), manifest.regions[c.region].clone()));
        }
        let mut expected: Vec<(String, String)> = vote
            .in_office
            .iter()
            .filter_map(|key| self.member_index.get(key).map(|&m| (key.clone(), self.members[m].region.clone())))
            .collect();
        listed.sort();
        expected.sort();
        if listed != expected {
            return Err(format!(
                "its {} credentials are not the {} delegates in office when vote {} opened, with their regions",
                listed.len(),
                expected.len(),
                vote.id
            ));
        }
        Ok(())
    }
}

/// The scope of a secret vote's counts that holds `region`'s ballots: the region itself when the
/// counts name it, else the merged regions (`docs/convention.md` §4).
pub(super) fn secret_scope<'a>(tally: &'a BTreeMap<String, [u64; 3]>, region: &'a str) -> &'a str {
    if tally.contains_key(region) {
        region
    } else {
        crate::format::MERGED
    }
}

/// A secret vote's published counts per region, `[yes, no, abstain]` (a blank ballot abstains),
/// and for the regions published together, `merged` — which must merge exactly the regions the
/// results do not name on their own.
pub fn secret_tally(manifest: &Manifest, results: &ResultsJson) -> Result<BTreeMap<String, [u64; 3]>, String> {
    let question = manifest.questions.first().ok_or("the referendum has no question")?;
    let mut tally = BTreeMap::new();
    let named: Vec<&String> = results.scopes.iter().map(|s| &s.scope).collect();
    for scope in results.scopes.iter().filter(|s| s.scope != NATIONAL) {
        if scope.scope == crate::format::MERGED {
            let mut rest: Vec<&String> = manifest.regions.iter().filter(|r| !named.contains(r)).collect();
            let mut merged: Vec<&String> = scope.regions.iter().collect();
            rest.sort();
            merged.sort();
            if rest != merged {
                return Err("the merged scope does not merge exactly the regions not published on their own".into());
            }
        } else if !manifest.regions.contains(&scope.scope) {
            return Err(format!("the results report {:?}, which is not one region", scope.scope));
        }
        let counts = scope.questions.first().ok_or("the results have no counts")?;
        let (yes, no, blank) =
            question.yes_no_blank(scope.counted, counts).ok_or("the results do not fit a yes/no question")?;
        tally.insert(scope.scope.clone(), [yes, no, blank]);
    }
    Ok(tally)
}
