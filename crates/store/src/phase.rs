//! A referendum's phases, in order (`docs/openapi.json`): each step of its life moves it from
//! one to the next, and the store keeps it as its name.

/// Where a referendum is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Created; the trustees' ceremony has not begun.
    Draft,
    /// The trustees' key ceremony.
    Ceremony,
    /// The key is made; the credential list is awaited.
    Credentials,
    /// Voting.
    Open,
    /// Voting is over; the tally is awaited.
    Closed,
    /// The encrypted tally is published; the trustees decrypt it.
    Tallied,
    /// Decrypted; the results are awaited.
    Decrypted,
    /// The results are published.
    Published,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 8] = [
        Phase::Draft,
        Phase::Ceremony,
        Phase::Credentials,
        Phase::Open,
        Phase::Closed,
        Phase::Tallied,
        Phase::Decrypted,
        Phase::Published,
    ];

    /// The name the store keeps and the API shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Ceremony => "ceremony",
            Phase::Credentials => "credentials",
            Phase::Open => "open",
            Phase::Closed => "closed",
            Phase::Tallied => "tallied",
            Phase::Decrypted => "decrypted",
            Phase::Published => "published",
        }
    }

    /// The phase of this name, if it is one.
    pub fn parse(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_reads_back_from_its_name() {
        for phase in Phase::ALL {
            assert_eq!(Phase::parse(phase.as_str()), Some(phase));
        }
        assert_eq!(Phase::parse("sitting"), None);
    }
}
