//! The sheets as one printable HTML page: the same words and QR codes as the PDF, each sheet in
//! its voter's language and direction, one to a printed page.

use crate::{escape, Arg, Document, Messages, Sheet};

const STYLE: &str = "body{font-family:'Noto Sans','Noto Sans Arabic',sans-serif;margin:0}\
section{page-break-after:always;padding:2em;max-width:40em;border-bottom:1px dashed #000}\
.qr{width:11em;height:11em;float:inline-end;margin-inline-start:1em}\
.value{font-size:1.6em;font-weight:bold;letter-spacing:.05em;direction:ltr;unicode-bidi:isolate}\
.small{font-size:.8em;overflow-wrap:anywhere}";

/// Every sheet as one HTML document.
pub fn html(title: &str, sheets: &[Sheet]) -> Result<String, String> {
    let m = Messages::new()?;
    let mut out = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style><body>",
        escape(title)
    );
    for s in sheets {
        let t = |id: &str, args: &[(&str, Arg)]| escape(&m.get(s.lang, id, args));
        let kind = t(if s.document == Document::Slip { "sheet-slip" } else { "sheet-voter" }, &[]);
        out.push_str(&format!(
            "<section lang=\"{}\" dir=\"{}\"><h1>{}</h1><p>{kind}",
            s.lang.tag(),
            if s.lang.rtl() { "rtl" } else { "ltr" },
            escape(&s.title)
        ));
        if let (Some(voter), Some(region)) = (&s.voter, &s.region) {
            out.push_str(&format!(
                " · {}",
                t("sheet-who", &[("voter", Arg::Text(voter.clone())), ("region", Arg::Text(region.clone()))])
            ));
        }
        out.push_str("</p>");
        out.push_str(&crate::qr::svg(&s.qr_url(), &m.get(s.lang, "sheet-voter", &[]))?);
        let open = match s.document {
            Document::Sheet => t("step-open", &[("address", Arg::Text(s.booth_url.clone()))]),
            Document::Slip => t("step-open-slip", &[]),
        };
        let check = match &s.fingerprint {
            Some(f) => t("step-check", &[("fingerprint", Arg::Text(f.clone()))]),
            None => t("step-check-none", &[]),
        };
        out.push_str(&format!("<ol><li>{open}</li><li>{check}</li><li>{}</li></ol>", t("step-vote", &[])));
        if let Some(c) = &s.credential {
            out.push_str(&format!("<p>{}<br><span class=\"value\">{}</span></p>", t("credential", &[]), escape(c)));
        }
        match s.codes.split_first() {
            Some((first, rest)) => {
                out.push_str(&format!("<p>{}<br><span class=\"value\">{}</span></p>", t("code", &[]), escape(first)));
                if !rest.is_empty() {
                    let count = t("codes-count", &[("count", Arg::Number(s.codes.len() as u64))]);
                    let others: String =
                        rest.iter().map(|c| format!("<li><span class=\"value\">{}</span></li>", escape(c))).collect();
                    out.push_str(&format!("<p>{count}</p><ul>{others}</ul>"));
                }
            }
            None => out.push_str(&format!("<p>{}</p>", t("codes-elsewhere", &[]))),
        }
        out.push_str(&format!("<p class=\"small\">{}: <bdi>{}</bdi>", t("address", &[]), escape(&s.booth_url)));
        if let Some(f) = &s.fingerprint {
            out.push_str(&format!("<br>{}: <bdi>{}</bdi>", t("fingerprint", &[]), escape(f)));
        }
        if let Some(r) = &s.reference {
            out.push_str(&format!("<br>{}", t("reference", &[("reference", Arg::Text(r.clone()))])));
        }
        out.push_str("</p></section>");
    }
    out.push_str("</body></html>\n");
    Ok(out)
}
