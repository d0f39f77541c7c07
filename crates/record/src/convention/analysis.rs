//! What the assembly page shows beside the motions: each revenue motion's formula applied to the
//! latest localities (its scenario), and the regional delegations' voting power under the
//! apportionment (Banzhaf and Shapley–Shubik, a simple majority of seats), by `convene-core`.

use super::*;
use convene_core::power;

/// `GET /api/conventions/ID/analysis` (`docs/openapi.json`, `Analysis`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The amount shared (minor units).
    pub revenue: u64,
    /// The latest localities, in the order of every scenario's `totals`.
    pub localities: Vec<AnalysedLocality>,
    /// One per revenue motion whose formula parses.
    pub scenarios: Vec<Scenario>,
    /// The delegations' power, once there is an apportionment.
    pub power: Option<PowerAnalysis>,
}

/// A locality, as the analysis names it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AnalysedLocality {
    /// Its name.
    pub name: String,
    /// Its region.
    pub region: String,
    /// Its population.
    pub population: u64,
}

/// One revenue motion's formula applied: its shares, or why it cannot be applied.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The motion's number.
    pub motion: u32,
    /// The motion's title.
    pub title: String,
    /// The motion's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Each locality's share, in the order of `localities`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Vec<u64>>,
    /// What the centre keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<u64>,
    /// Each deduction's name and amount, before the shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deductions: Option<Vec<(String, u64)>>,
    /// What the keys could not give (it stays with whoever holds the revenue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undistributed: Option<u64>,
    /// Why the formula cannot be applied to these localities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The regional delegations' power under a simple majority of the seats.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PowerAnalysis {
    /// The seats a majority needs.
    pub quota: u64,
    /// Each regional delegation.
    pub members: Vec<DelegationPower>,
}

/// A regional delegation's power.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DelegationPower {
    /// The region.
    pub region: String,
    /// Its seats.
    pub seats: u64,
    /// Its normalized Banzhaf index.
    pub banzhaf: f64,
    /// Its Shapley–Shubik index.
    pub shapley_shubik: f64,
}

impl ConventionState {
    /// The revenue scenarios of `amount` and the delegations' voting power, as the assembly page
    /// reads them.
    pub fn analysis(&self, amount: u64) -> Analysis {
        let localities: Vec<revenue::Locality> = self
            .localities
            .last()
            .map(|v| {
                v.localities
                    .iter()
                    .map(|l| revenue::Locality {
                        name: l.name.clone(),
                        region: l.region.clone(),
                        population: l.population,
                        production: l.production.unwrap_or(0),
                        area: l.area.unwrap_or(0),
                        need: 0,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut scenarios = Vec::new();
        for motion in &self.motions {
            let BodyJson::Revenue(text) = &motion.current else { continue };
            let Ok(formula) = revenue::Formula::parse(text) else { continue };
            let none = Scenario {
                motion: motion.id,
                title: motion.title.clone(),
                status: None,
                totals: None,
                centre: None,
                deductions: None,
                undistributed: None,
                error: None,
            };
            scenarios.push(match revenue::allocate(&formula, &localities, amount) {
                Ok(a) => Scenario {
                    status: Some(motion.status),
                    totals: Some(a.totals),
                    centre: Some(a.centre),
                    deductions: Some(a.deductions),
                    undistributed: Some(a.undistributed),
                    ..none
                },
                Err(e) => Scenario { error: Some(e), ..none },
            });
        }
        Analysis {
            revenue: amount,
            localities: localities
                .iter()
                .map(|l| AnalysedLocality { name: l.name.clone(), region: l.region.clone(), population: l.population })
                .collect(),
            scenarios,
            power: self.delegations_power(),
        }
    }

    fn delegations_power(&self) -> Option<PowerAnalysis> {
        let a = self.apportionment.as_ref()?;
        let names = &self.localities[a.localities_version as usize - 1].localities;
        let regions = self.regions();
        let weights: Vec<u64> = regions
            .iter()
            .map(|r| names.iter().zip(&a.result).filter(|(l, _)| &l.region == r).map(|(_, s)| s).sum())
            .collect();
        let total: u64 = weights.iter().sum();
        let quota = total / 2 + 1;
        let p = power::power(&weights, quota, 0).ok()?;
        let members = regions
            .into_iter()
            .enumerate()
            .map(|(k, region)| DelegationPower {
                region,
                seats: weights[k],
                banzhaf: p.banzhaf[k],
                shapley_shubik: p.shapley_shubik[k],
            })
            .collect();
        Some(PowerAnalysis { quota, members })
    }
}
