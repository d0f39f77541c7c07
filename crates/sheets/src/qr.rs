//! QR codes (the `qrcode` crate, error correction level M) as a matrix of dark modules, for the
//! PDF and as an SVG path for the HTML sheets.

/// A QR code's modules, row by row.
pub struct Matrix {
    /// Modules per side.
    pub width: usize,
    /// `width × width` modules, true where dark.
    pub dark: Vec<bool>,
}

/// The QR code of `data`.
pub fn matrix(data: &str) -> Result<Matrix, String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("no QR code holds this address ({e})"))?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok(Matrix { width: code.width(), dark })
}

/// The QR code of `data` as an SVG image with a quiet zone of 2 modules, labelled `label`.
pub fn svg(data: &str, label: &str) -> Result<String, String> {
    let m = matrix(data)?;
    let size = m.width + 4;
    let mut path = String::new();
    for (i, dark) in m.dark.iter().enumerate() {
        if *dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % m.width + 2, i / m.width + 2));
        }
    }
    Ok(format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {size} {size}\" xmlns=\"http://www.w3.org/2000/svg\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        crate::escape(label)
    ))
}
