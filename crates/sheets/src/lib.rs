//! The printed documents a voter is handed (`docs/sheets.md`): the registrar's **sheet** (the
//! credential, and the sign-in codes when no separate issuer makes them) and the code issuer's
//! **slip** (the codes alone). Each carries the booth's address, the election's fingerprint,
//! three short steps, the strings in groups and a QR code that opens the booth with them in the
//! address's fragment (protocol note §14.6), in the voter's language: English, Arabic or Sorani.
//! As one PDF for a whole electorate ([`pdf`]) or one HTML page ([`html`]).

#![warn(missing_docs)]

mod html;
mod messages;
mod pdf;
pub mod qr;
mod text;

pub use html::html;
pub use messages::{Arg, Lang, Messages};
pub use pdf::pdf;

/// Which document a sheet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// The registrar's sheet: the credential (and the codes, without a separate issuer).
    Sheet,
    /// The code issuer's slip: the codes alone.
    Slip,
}

/// One voter's document.
#[derive(Clone, Debug)]
pub struct Sheet {
    /// Sheet or slip.
    pub document: Document,
    /// The language it is printed in.
    pub lang: Lang,
    /// The election's title.
    pub title: String,
    /// The voter's name and region, when the document names them (a slip does not).
    pub voter: Option<String>,
    /// The voter's region.
    pub region: Option<String>,
    /// The booth's address for this election (`https://host/vote/ID`), with no fragment.
    pub booth_url: String,
    /// The election's fingerprint, once its credential list is published.
    pub fingerprint: Option<String>,
    /// The credential string in groups (a sheet).
    pub credential: Option<String>,
    /// The sign-in codes in groups; the first goes into the QR code.
    pub codes: Vec<String>,
    /// What ties a sheet to its slip: the same on both (the public credential's first digits).
    pub reference: Option<String>,
}

impl Sheet {
    /// The QR code's address: the booth in the sheet's language (`?lang=`) with the credential
    /// and the first code in the fragment (`#c=…&k=…`), which no browser sends to a server.
    pub fn qr_url(&self) -> String {
        let mut fragment = Vec::new();
        if let Some(c) = &self.credential {
            fragment.push(format!("c={c}"));
        }
        if let Some(k) = self.codes.first() {
            fragment.push(format!("k={k}"));
        }
        let join = if self.booth_url.contains('?') { '&' } else { '?' };
        format!("{}{join}lang={}#{}", self.booth_url, self.lang.tag(), fragment.join("&"))
    }
}

/// `text` with HTML's special characters escaped.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
