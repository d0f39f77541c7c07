//! What the assembly page shows beside the motions: each revenue motion's formula applied to the
//! latest localities (its scenario), and the regional delegations' voting power under the
//! apportionment (Banzhaf and Shapley–Shubik, a simple majority of seats), by `convene-core`.

use super::*;
use convene_core::power;
use serde_json::{json, Value};

impl ConventionState {
    /// The revenue scenarios of `amount` and the delegations' voting power, as the assembly page
    /// reads them (`GET /api/conventions/ID/analysis`).
    pub fn analysis(&self, amount: u64) -> Value {
        let convention = self;
        let localities: Vec<revenue::Locality> = convention
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
        for motion in &convention.motions {
            let BodyJson::Revenue(text) = &motion.current else { continue };
            let Ok(formula) = revenue::Formula::parse(text) else { continue };
            match revenue::allocate(&formula, &localities, amount) {
                Ok(a) => scenarios.push(json!({
                    "motion": motion.id, "title": motion.title, "status": motion.status,
                    "totals": a.totals, "centre": a.centre, "deductions": a.deductions, "undistributed": a.undistributed,
                })),
                Err(e) => scenarios.push(json!({"motion": motion.id, "title": motion.title, "error": e})),
            }
        }
        let mut power_json = Value::Null;
        if let Some(a) = &convention.apportionment {
            let names = &convention.localities[a.localities_version as usize - 1].localities;
            let regions = convention.regions();
            let weights: Vec<u64> = regions
                .iter()
                .map(|r| names.iter().zip(&a.result).filter(|(l, _)| &l.region == r).map(|(_, s)| s).sum())
                .collect();
            let total: u64 = weights.iter().sum();
            let quota = total / 2 + 1;
            if let Ok(p) = power::power(&weights, quota, 0) {
                power_json = json!({
                    "quota": quota,
                    "members": regions.iter().enumerate().map(|(k, r)| json!({
                        "region": r, "seats": weights[k], "banzhaf": p.banzhaf[k], "shapley_shubik": p.shapley_shubik[k],
                    })).collect::<Vec<_>>(),
                });
            }
        }
        json!({
            "revenue": amount,
            "localities": localities.iter().map(|l| json!({"name": l.name, "region": l.region, "population": l.population})).collect::<Vec<_>>(),
            "scenarios": scenarios,
            "power": power_json,
        })
    }
}
