//! Any bytes as `convene serve --config`'s TOML file: settings or a clear refusal, never a panic;
//! accepted settings print (with the password hidden) as TOML that reads back the same.
#![no_main]

use convene::settings::ServeSettings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(settings) = ServeSettings::parse(text) {
        let shown = settings.describe();
        let again = ServeSettings::parse(&shown).expect("printed settings read back");
        assert_eq!(again.describe(), shown);
    }
    let _ = convene::settings::hide_password(text);
});
