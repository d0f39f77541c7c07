//! The log: every entry checked in batches, in order, counted or superseded.

use super::*;

/// What the parallel stage learns of one log line.
pub(super) struct EntryOutcome {
    leaf: Hash,
    entry: Option<(LogEntry, Option<Voter>)>,
    refusals: Vec<Refusal>,
}

/// Verifies a batch of log lines with one multiscalar multiplication, falling back to one ballot
/// at a time when the batch fails. The checks are the door's ([`admission::check_alone`]).
pub(super) fn verify_batch(
    lines: &[Vec<u8>],
    context: &ElectionContext,
    electorate: &Electorate,
    version: u32,
) -> Vec<EntryOutcome> {
    let mut batch = BatchVerifier::new(*context.key.point().point());
    let mut outcomes: Vec<EntryOutcome> = Vec::with_capacity(lines.len());
    for line in lines {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        match LogEntry::parse(line) {
            Err(e) => outcomes.push(EntryOutcome {
                leaf: log::leaf_hash(line),
                entry: None,
                refusals: vec![Refusal::Unreadable(e.to_string())],
            }),
            Ok(entry) => {
                let (voter, refusals) = admission::check_alone(context, electorate, version, &entry, &mut batch);
                let leaf = log::leaf_hash(&entry.entry_bytes(&context.base));
                outcomes.push(EntryOutcome { leaf, entry: Some((entry, voter)), refusals });
            }
        }
    }
    if !batch.verify_vartime() {
        // Fall back to one ballot at a time to name exactly which proofs fail.
        for outcome in &mut outcomes {
            if let Some((entry, _)) = &outcome.entry {
                admission::name_failed_proofs(context, entry.ballot(), &mut outcome.refusals);
            }
        }
    }
    outcomes
}

/// What the sequential stage of the log check produces.
#[derive(Default)]
pub(super) struct LogSummary {
    roots: Vec<(u64, Hash)>,
    /// The root of the whole log.
    whole: Hash,
    entries: u64,
    cast: u64,
    spoiled: u64,
    failures: Vec<Failure>,
}

/// The sequential stage: the Merkle tree (roots at each checkpoint size), supersession and the
/// tally, in log order.
pub(super) fn count_in_order(
    chunks: std::sync::mpsc::Receiver<Vec<EntryOutcome>>,
    tally: &mut TallyAccumulator,
    checkpoint_sizes: &[u64],
    cap: Option<u32>,
) -> LogSummary {
    let mut summary = LogSummary::default();
    let mut accumulator = RootAccumulator::default();
    let mut order = LogOrder::new(cap);
    let mut next_checkpoint = checkpoint_sizes.iter().copied().peekable();
    while next_checkpoint.peek() == Some(&0) {
        summary.roots.push((0, accumulator.root()));
        next_checkpoint.next();
    }
    for outcome in chunks.into_iter().flatten() {
        let index = summary.entries;
        accumulator.push(outcome.leaf);
        while next_checkpoint.peek() == Some(&accumulator.size()) {
            summary.roots.push((accumulator.size(), accumulator.root()));
            next_checkpoint.next();
        }
        let mut refusals = outcome.refusals;
        if let (true, Some((entry, voter))) = (refusals.is_empty(), &outcome.entry) {
            if let Err(refusal) = order.admit(Some(index), *voter, entry) {
                refusals.push(refusal);
            }
        }
        let valid = refusals.is_empty();
        for refusal in refusals {
            summary.failures.push(Failure::new(refusal.code(), format!("log entry {index}"), refusal.to_string()));
        }
        match outcome.entry {
            Some((LogEntry::Cast(ballot), voter)) => {
                summary.cast += 1;
                if let (true, Some(voter)) = (valid, voter) {
                    tally.count(index, voter, &ballot);
                }
            }
            Some((LogEntry::Spoiled(..), _)) => summary.spoiled += 1,
            None => {}
        }
        summary.entries += 1;
    }
    summary.whole = accumulator.root();
    summary
}

/// Streams the log through three stages: a reader thread, parallel batch verification, and the
/// sequential count. Bounded channels keep memory flat.
#[allow(clippy::too_many_arguments)] // each is a distinct input of the check
pub(super) fn check_log(
    dir: &Path,
    context: &ElectionContext,
    electorate: &Electorate,
    tally: &mut TallyAccumulator,
    checkpoints: &[(u64, Option<Hash>)],
    (version, cap): (u32, Option<u32>),
    progress: &dyn Progress,
    report: &mut Report,
) -> Option<(Vec<(u64, Hash)>, Hash)> {
    let file = match fs::File::open(dir.join(files::LOG)) {
        Ok(f) => f,
        Err(e) => {
            report.fail(Code::FileUnreadable, files::LOG, format!("cannot read: {e}"));
            return None;
        }
    };
    progress.stage("ballots", file.metadata().map(|m| m.len()).unwrap_or(0));
    let checkpoint_sizes: Vec<u64> = checkpoints.iter().map(|c| c.0).collect();
    let (line_sender, line_receiver) = sync_channel::<std::io::Result<(Vec<Vec<u8>>, u64)>>(2);
    let (outcome_sender, outcome_receiver) = sync_channel::<Vec<EntryOutcome>>(2);
    let mut read_error = None;
    let summary = std::thread::scope(|scope| {
        scope.spawn(move || read_lines(file, line_sender));
        let counter = scope.spawn(|| count_in_order(outcome_receiver, tally, &checkpoint_sizes, cap));
        for chunk in line_receiver {
            let (lines, bytes) = match chunk {
                Ok(c) => c,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            let outcomes: Vec<Vec<EntryOutcome>> = lines
                .par_chunks(BATCH_BALLOTS)
                .map(|batch| verify_batch(batch, context, electorate, version))
                .collect();
            if outcome_sender.send(outcomes.into_iter().flatten().collect()).is_err() {
                break;
            }
            progress.advance(bytes);
        }
        drop(outcome_sender);
        counter.join().expect("the counting thread does not panic")
    });
    report.failures.extend(summary.failures);
    if let Some(e) = read_error {
        report.fail(
            Code::FileUnreadable,
            format!("{} after entry {}", files::LOG, summary.entries),
            format!("cannot read: {e}"),
        );
    }
    report.entries = summary.entries;
    report.cast = summary.cast;
    report.spoiled = summary.spoiled;
    Some((summary.roots, summary.whole))
}

/// The reader stage: chunks of lines, each line at most 16 MiB.
pub(super) fn read_lines(file: fs::File, sender: std::sync::mpsc::SyncSender<std::io::Result<(Vec<Vec<u8>>, u64)>>) {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    loop {
        let mut lines = Vec::with_capacity(CHUNK_LINES);
        let mut bytes = 0u64;
        while lines.len() < CHUNK_LINES {
            let mut line = Vec::with_capacity(1200);
            match (&mut reader).take(1 << 24).read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(n) => {
                    bytes += n as u64;
                    lines.push(line);
                }
                Err(e) => {
                    let _ = sender.send(Err(e));
                    return;
                }
            }
        }
        if lines.is_empty() || sender.send(Ok((lines, bytes))).is_err() {
            return;
        }
    }
}

/// The published tally, decoded: per scope, its name and sums.
pub type PublishedTally = Vec<(String, ScopeSum)>;
