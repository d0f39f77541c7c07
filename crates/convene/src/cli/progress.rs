//! The progress bar of long work (indicatif).

use super::*;

pub(crate) struct Bar(pub(crate) Mutex<Option<ProgressBar>>);

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg:>14} [{bar:40}] {percent:>3}% {elapsed_precise} eta {eta}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message(name.to_string());
        if let Some(old) = self.0.lock().expect("progress lock").replace(bar) {
            old.finish_and_clear();
        }
    }
    fn advance(&self, done: u64) {
        if let Some(bar) = &*self.0.lock().expect("progress lock") {
            bar.inc(done);
        }
    }
}

impl Bar {
    /// Shows `done` of `total` in `stage`, starting a new bar when the stage changes.
    pub(crate) fn at(&self, stage: &str, done: u64, total: u64) {
        let same_stage = self.0.lock().expect("progress lock").as_ref().is_some_and(|b| b.message() == stage);
        if !same_stage {
            self.stage(stage, total);
        }
        if let Some(b) = &*self.0.lock().expect("progress lock") {
            b.set_position(done);
        }
    }

    pub(crate) fn done(&self) {
        if let Some(bar) = self.0.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}
