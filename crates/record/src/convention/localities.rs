//! The localities a convention apportions seats among, with their optional boundaries for maps.

use super::*;

/// A locality, as a `localities` event gives it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LocalityJson {
    /// Its name, unique among the localities.
    pub name: String,
    /// Its region.
    pub region: String,
    /// Its population (positive).
    pub population: u64,
    /// Its production (for derivation in a revenue formula).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<u64>,
    /// Its area (a distribution key of a revenue formula).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<u64>,
    /// The locality's boundary, a GeoJSON `Polygon` or `MultiPolygon` geometry (for maps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<serde_json::Value>,
}

impl LocalityJson {
    /// The localities of a CSV (`name,region,population[,production][,area]`), by the same
    /// parser as `convene revenue`; every locality needs a region.
    pub fn from_csv(text: &str) -> Result<Vec<LocalityJson>, String> {
        let parsed = revenue::parse_localities_csv(text)?;
        let header = text.lines().next().unwrap_or("");
        let has = |column: &str| header.split(',').any(|h| h.trim() == column);
        parsed
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                if l.region.is_empty() {
                    return Err(format!("line {}: locality {:?} has no region (add a region column)", i + 2, l.name));
                }
                Ok(LocalityJson {
                    name: l.name,
                    region: l.region,
                    population: l.population,
                    production: has("production").then_some(l.production),
                    area: has("area").then_some(l.area),
                    boundary: None,
                })
            })
            .collect()
    }

    /// Attaches boundaries from a GeoJSON `FeatureCollection` whose features name their locality
    /// in `properties.name`; every feature must name a known locality and carry a valid
    /// `Polygon` or `MultiPolygon`. Localities without a feature keep no boundary.
    pub fn attach_geojson(localities: &mut [LocalityJson], text: &str) -> Result<(), String> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not GeoJSON: {e}"))?;
        if doc["type"] != "FeatureCollection" {
            return Err("the GeoJSON must be a FeatureCollection".into());
        }
        let features = doc["features"].as_array().ok_or("the FeatureCollection has no features array")?;
        for (k, feature) in features.iter().enumerate() {
            let name = feature["properties"]["name"]
                .as_str()
                .ok_or_else(|| format!("feature {}: properties.name must name its locality", k + 1))?;
            let locality = localities
                .iter_mut()
                .find(|l| l.name == name)
                .ok_or_else(|| format!("feature {}: there is no locality {name:?}", k + 1))?;
            let geometry = &feature["geometry"];
            check_boundary(geometry).map_err(|e| format!("feature {} ({name}): {e}", k + 1))?;
            if locality.boundary.is_some() {
                return Err(format!("feature {}: {name} has two features", k + 1));
            }
            locality.boundary = Some(geometry.clone());
        }
        Ok(())
    }
}

/// A GeoJSON `Polygon` (rings of at least four `[longitude, latitude]` positions, closed) or
/// `MultiPolygon`, within a size a convention needs.
pub fn check_boundary(geometry: &serde_json::Value) -> Result<(), String> {
    let polygons: Vec<&serde_json::Value> = match (geometry["type"].as_str(), &geometry["coordinates"]) {
        (Some("Polygon"), c) => vec![c],
        (Some("MultiPolygon"), serde_json::Value::Array(ps)) => ps.iter().collect(),
        _ => return Err("the geometry must be a Polygon or a MultiPolygon with coordinates".into()),
    };
    let mut positions = 0usize;
    for polygon in polygons {
        let rings = polygon.as_array().filter(|r| !r.is_empty()).ok_or("a polygon needs at least one ring")?;
        for ring in rings {
            let ring = ring.as_array().filter(|r| r.len() >= 4).ok_or("a ring needs at least four positions")?;
            let mut points = Vec::with_capacity(ring.len());
            for position in ring {
                let p = position
                    .as_array()
                    .filter(|p| p.len() == 2 || p.len() == 3)
                    .ok_or("a position is [longitude, latitude]")?;
                let (Some(lon), Some(lat)) = (p[0].as_f64(), p[1].as_f64()) else {
                    return Err("a position's coordinates are numbers".into());
                };
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    return Err(format!("[{lon}, {lat}] is not a longitude and latitude"));
                }
                points.push((lon, lat));
            }
            if points.first() != points.last() {
                return Err("a ring must end where it starts".into());
            }
            positions += points.len();
        }
    }
    if positions > 200_000 {
        return Err("the boundary has more than 200,000 positions; simplify it".into());
    }
    Ok(())
}

pub(super) fn check_localities(localities: &[LocalityJson]) -> Result<(), String> {
    if localities.is_empty() {
        return Err("no localities".into());
    }
    for (k, l) in localities.iter().enumerate() {
        if l.name.trim().is_empty() || l.region.trim().is_empty() {
            return Err(format!("locality {}: a name and a region are needed", k + 1));
        }
        if l.population == 0 || l.population > 1 << 40 {
            return Err(format!("locality {:?}: the population must be between 1 and 2^40", l.name));
        }
        if localities[..k].iter().any(|o| o.name == l.name) {
            return Err(format!("locality {:?} is listed twice", l.name));
        }
        if let Some(boundary) = &l.boundary {
            check_boundary(boundary).map_err(|e| format!("locality {:?}: {e}", l.name))?;
        }
    }
    Ok(())
}
