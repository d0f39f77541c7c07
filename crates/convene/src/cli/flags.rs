//! The arguments of every command (clap): what `--help` teaches.

pub(crate) use super::actor_flags::*;
pub(crate) use super::rule_flags::*;
use super::*;

#[derive(Parser)]
#[command(
    name = "convene",
    version,
    about = "Apportion, convene, and ratify by a referendum that anyone can verify.",
    long_about = "Convene runs a constitutional process in the open. Its referendum is end-to-end \
verifiable: ballots are encrypted on the voter's device, any t of n trustees are needed to \
decrypt, and the public record lets anyone check every step without trusting the host.\n\n\
Start with `convene demo`, then check what it wrote with `convene verify`.",
    after_help = "Exit codes: 0 success; 1 verification failed; 2 bad usage or unreadable input."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Trust this certificate authority too (PEM) when talking to an https:// server: an
    /// internal authority's, or the certificate nginx serves in a test (docs/deploy.md).
    #[arg(long, global = true, env = "CONVENE_CA_FILE", value_name = "PEM")]
    pub(crate) ca_file: Option<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct TrusteeWhere {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long)]
    pub(crate) server: String,
    /// The election's id.
    #[arg(long)]
    pub(crate) election: String,
    /// Upload messages with the supervisor's token from this file (else they are written to files).
    /// A version-2 election needs no token: the trustee's signature authenticates its messages.
    #[arg(long)]
    pub(crate) admin_token_file: Option<PathBuf>,
    /// This trustee's identity file (`convene keygen`), whose key the manifest names: every
    /// message is signed with it (record format version 2).
    #[arg(long)]
    pub(crate) identity: Option<PathBuf>,
}

impl TrusteeWhere {
    pub(crate) fn identity(&self) -> Result<Option<convene::identity::Identity>> {
        self.identity.as_deref().map(convene::identity::load).transpose()
    }
}

#[derive(clap::Args)]
pub(crate) struct Seat {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long)]
    pub(crate) server: String,
    /// The convention's id.
    #[arg(long)]
    pub(crate) convention: String,
}

#[derive(Subcommand)]
pub(crate) enum AssemblyCommand {
    /// Make a signing key: a secret file (readable by you only); prints the public key.
    Keygen {
        /// The key file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Create a convention (the supervisor) with the chair's and the secretary's public keys.
    Create(CreateArgs),
    /// Import the localities (the secretary): CSV with name,region,population[,production][,area].
    Import {
        #[command(flatten)]
        seat: Seat,
        /// The secretary's key file.
        #[arg(long)]
        key: PathBuf,
        /// Where the figures come from (recorded with this version of the localities).
        #[arg(long)]
        source: String,
        /// Boundaries for the maps: a GeoJSON FeatureCollection whose features name their
        /// locality in properties.name (Polygon or MultiPolygon).
        #[arg(long)]
        geojson: Option<PathBuf>,
        file: PathBuf,
    },
    /// Apportion the seats among the latest localities (the secretary); the server recomputes it.
    Apportion {
        #[command(flatten)]
        seat: Seat,
        #[arg(long)]
        key: PathBuf,
        #[command(flatten)]
        house: House,
    },
    /// Sign and send one event, written as JSON (see docs/convention.md); `-` reads standard input.
    Send {
        #[command(flatten)]
        seat: Seat,
        #[arg(long)]
        key: PathBuf,
        event: PathBuf,
    },
    /// Close a vote with the result the server computed under its rule (the chair).
    Close {
        #[command(flatten)]
        seat: Seat,
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        vote: u32,
    },
    /// Date the ratified constitution's milestones (the chair, once the ratification's results
    /// are published and ratify it): sign the day of ratification; every milestone gets its
    /// date from it, and the referendum's record gains timeline.json (docs/timeline.md).
    Timeline {
        #[command(flatten)]
        seat: Seat,
        /// The chair's key file.
        #[arg(long)]
        key: PathBuf,
        /// The day of ratification, YYYY-MM-DD (default: today, UTC).
        #[arg(long)]
        ratified_on: Option<String>,
    },
    /// Register the delegates' own keys, with one-time codes, for a secret vote's referendum
    /// (the supervisor, once its trustees have held their key ceremony).
    SecretCodes {
        #[command(flatten)]
        seat: Seat,
        #[arg(long)]
        admin_token_file: PathBuf,
        #[arg(long)]
        vote: u32,
        /// One-time codes per delegate (re-voting takes another).
        #[arg(long, default_value_t = 2)]
        codes: usize,
        /// The codes file to create (readable by you only).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the constitution adopted so far, as Markdown (or HTML with --html).
    Constitution {
        #[command(flatten)]
        seat: Seat,
        #[arg(long)]
        html: bool,
    },
    /// Download the convention's record, for `convene verify`.
    Fetch {
        #[command(flatten)]
        seat: Seat,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a published convention record against your journal (KEY.journal, written beside
    /// your key file as the server accepts your events): every event the server gave you a
    /// signed receipt for must be in the record where the receipt put it. Exits 1 if one is not.
    Check {
        /// Your key file; its journal is KEY.journal.
        #[arg(long)]
        key: PathBuf,
        /// The convention's id.
        #[arg(long)]
        convention: String,
        /// The published record (from `convene assembly fetch`).
        record: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum TrusteeCommand {
    /// Make keys and commitments; save secrets to --state; publish round 1.
    Start {
        #[command(flatten)]
        at: TrusteeWhere,
        /// This trustee's number, 1 to n.
        #[arg(long)]
        index: u32,
        /// The secret state file to create.
        #[arg(long)]
        state: PathBuf,
    },
    /// Deal encrypted shares to the other trustees.
    Deal {
        #[command(flatten)]
        at: TrusteeWhere,
        #[arg(long)]
        state: PathBuf,
    },
    /// Check the shares dealt to this trustee; publish a complaint for each bad one.
    Check {
        #[command(flatten)]
        at: TrusteeWhere,
        #[arg(long)]
        state: PathBuf,
    },
    /// After the ceremony: derive this trustee's key share into --key.
    Finish {
        #[command(flatten)]
        at: TrusteeWhere,
        #[arg(long)]
        state: PathBuf,
        /// The secret key file to create.
        #[arg(long)]
        key: PathBuf,
    },
    /// After the credential list is published: sign this trustee's acknowledgement of the
    /// election key, its own verification key and the base hash (version 2; voting opens only
    /// once every qualified trustee has).
    Acknowledge {
        #[command(flatten)]
        at: TrusteeWhere,
        #[arg(long)]
        key: PathBuf,
    },
    /// After voting: decrypt the tally partially, with proofs, and upload it.
    Decrypt {
        #[command(flatten)]
        at: TrusteeWhere,
        #[arg(long)]
        key: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run the whole demonstration process — apportionment, convention, referendum — and write its records.
    #[command(
        long_about = "Run the whole demonstration process against a real server and write its public records.\n\n\
First the convention: ten localities imported from a census CSV, fifteen seats apportioned by \
Webster, delegates credentialed with their own signing keys, an agenda, motions, an amendment, \
speakers, votes under explicit rules (two thirds of members in office; concurrent regional \
majorities weighted by the square root of population), a ranked vote on the structure of the \
state counted by Schulze, a milestone, and the hand-off of the adopted constitution to the \
ratification referendum (its record goes to OUT/convention).\n\n\
Then the referendum, at ballot level: a 3-of-5 trustee key ceremony (trustee 5 deals a bad share; trustee 2's public complaint gets it \
excluded), a registrar issuing one credential per voter across five regions, N simulated voters \
(every 20th re-votes; the last ballot counts), one challenged ballot that is revealed and \
spoiled, signed checkpoints, the encrypted tally, decryption by three trustees, and the results. \
With --structure-question or --offline the referendum stands alone.\n\n\
`convene verify OUT` checks both records and that the voters ratified the text the convention adopted.\n\n\
Example:\n  convene demo --voters 1000 --out demo-record\n  convene verify demo-record"
    )]
    Demo(DemoArgs),
    /// Run the referendum service.
    #[command(long_about = "Run the referendum service over HTTP.\n\n\
By default it keeps its data in SQLite under ./convene-data and listens on 127.0.0.1:8080. \
The supervisor's token for admin actions is kept in DATA/admin-token (created on first start). \
With --demo it seeds an open demonstration referendum and prints voter codes to vote with \
`convene vote`.\n\nEvery setting can also come from a TOML file (--config) or a CONVENE_* environment \
variable; a flag overrides the variable, which overrides the file. The server prints the settings it \
runs with. SIGTERM or Ctrl-C stops it gracefully: no new connection, the requests in flight finish.\n\n\
Example:\n  convene serve --demo\n  convene serve --database postgres://user@localhost/convene --addr 0.0.0.0:8080\n  \
CONVENE_MAX_CONNECTIONS=4096 convene serve --config /etc/convene/serve.toml")]
    Serve(ServeArgs),
    /// Copy the embedded SQLite database into one file, consistent, while the server runs.
    #[command(
        long_about = "Copy the embedded SQLite database of a data directory into one new file, whole and \
consistent, while `convene serve` runs on it and voting goes on (SQLite's VACUUM INTO reads one \
snapshot).\n\nThe copy holds no secret in the clear: the log and session keys in it are sealed \
under DATA/server-key, which is not copied. Keep that file apart, and put it back beside the \
restored database (docs/deploy.md, \"Backups\"). For PostgreSQL use pg_dump.",
        after_help = "Example:\n  convene backup --data /var/lib/convene --out /backup/convene-$(date +%F-%H%M).sqlite3\n\n\
Restore: a new data directory holding the copy as convene.sqlite3, with the old server-key and \
admin-token beside it; then convene serve --data NEWDIR."
    )]
    Backup(BackupArgs),
    /// Run an independent witness (c2sp.org/tlog-witness): it cosigns a log's checkpoints only
    /// when each is consistent with the last it cosigned, so that a host cannot show two logs.
    #[command(long_about = "Run an independent witness (c2sp.org/tlog-witness). \
It answers POST /add-checkpoint: it checks the log's signature and a consistency proof from the \
last checkpoint it cosigned for that log, records the new one atomically in DATA/witness.sqlite3, \
and returns a timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature). Its key is made on first \
start (DATA/witness.key, readable by you only) and its verifier key is printed: give it, with the \
address, to the election authority.\n\nThe logs it witnesses are remembered in its file. A convention \
whose charter names witnesses (version 4) hands off referendums that name them too: when one is \
created, add its log key (its manifest's log_key) to the running witness with --add-logs.\n\n\
Example:\n  convene witness --name news.example/w1 \
--log 'convene.example/e1+0ce37b05+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs' --addr 127.0.0.1:9090\n  \
convene witness --name news.example/w1 --add-logs --log 'convene/c1-ratify+…'")]
    Witness(WitnessArgs),
    /// Check that the booth a server serves is the one the election's manifest names, and the
    /// one the source builds.
    #[command(long_about = "Check the booth a server hands voters. Every page and asset the \
election's manifest lists (booth_assets: SHA-256 by file name, record format 4) is fetched from the \
server as a browser would and hashed; the web pages are built again from the source in --web (the \
build is reproducible: the same source gives byte-identical files) and hashed. Each file that \
differs is named. Exits 0 if every file matches, 1 if one differs or cannot be fetched.\n\n\
Example:\n  convene check-booth http://127.0.0.1:8080 --election convene-demo")]
    CheckBooth(CheckBoothArgs),
    /// Download an election's public record from a server (or, with --tiles, from any static
    /// host of its exported tiles), for `convene verify`.
    Fetch(FetchArgs),
    /// Write a static copy of the booth, for an observer to host on an origin of their own.
    #[command(long_about = "Write the booth's pages and assets exactly as this build serves them \
(byte for byte: `convene check-booth` and the manifest's booth_assets name the same files), and \
server.json, which tells the pages where the API is. Host DIR on an origin the election's manifest \
lists in booth_origins (the server answers only those, by CORS); voters open \
ORIGIN/vote.html?election=ID.")]
    ExportBooth(ExportBoothArgs),
    /// Write a record's log as static tiles (c2sp.org/tlog-tiles), for any web server or CDN.
    #[command(long_about = "Write a format-4 record's log as static files (c2sp.org/tlog-tiles): \
OUT/checkpoint (the last checkpoint, signed and cosigned), OUT/tile/L/N[.p/W] (the Merkle tree, \
256 hashes a tile), OUT/tile/entries/N[.p/W] (the entries, length-prefixed) and OUT/record/ (the \
record's documents). Serve OUT with any web server; `convene fetch --tiles URL --out DIR` reads it \
back and checks it.")]
    ExportTiles(ExportTilesArgs),
    /// Take part in a convention: keys, the secretary's imports, signed motions and votes.
    #[command(
        subcommand,
        long_about = "Take part in a convention, each person with their own signing key: every \
event (import, apportionment, credential, agenda, motion, amendment, floor, vote, close, ratify) \
is signed on your machine and checked by the server against the same rules `convene verify` \
replays (docs/convention.md).\n\n\
Example:\n  convene assembly keygen --out chair.key\n  convene assembly keygen --out secretary.key\n  \
convene assembly create --server URL --convention c1 --admin-token-file DATA/admin-token --title T --chair PUB --secretary PUB\n  \
convene assembly import --server URL --convention c1 --key secretary.key --source 'census 2025' localities.csv\n  \
convene assembly apportion --server URL --convention c1 --key secretary.key --method webster --seats 15\n  \
convene assembly send --server URL --convention c1 --key chair.key open-vote.json\n  \
convene assembly close --server URL --convention c1 --key chair.key --vote 1\n  \
convene assembly fetch --server URL --convention c1 --out c1-record && convene verify c1-record"
    )]
    Assembly(AssemblyCommand),
    /// A trustee's steps in the key ceremony and the decryption, on the trustee's own machine.
    #[command(
        subcommand,
        long_about = "A trustee's steps, run on the trustee's own machine: the secrets stay in \
its files (the state file after `start`, the key file after `finish`, both readable by the owner \
only); the server sees only public messages. Run `start` (all trustees), then `deal` (once every \
trustee has started), then `check` (once every trustee has dealt); the supervisor then finishes \
the ceremony (POST /api/elections/ID/ceremony/finish); then `finish`. After voting closes, \
`decrypt`. Messages are uploaded with --admin-token-file, or written beside the state file for \
the supervisor to upload."
    )]
    Trustee(TrusteeCommand),
    /// Issue credentials (offline): the public list for the server, private sheets for voters.
    #[command(long_about = "Issue voter credentials, on the registrar's own machine.\n\n\
VOTERS.csv has a header with the columns voter and region, and optionally weight (a \
credential's public weight, e.g. shares in a cooperative; 1 if absent). For each voter a credential and \
--codes-per-voter one-time sign-in codes are made: when the manifest names a credential_kdf, an \
18-character credential string (its key derived by Argon2id, which takes a moment per voter: a \
progress bar shows it) and 9-character codes; otherwise a 64-hex key. An optional language column \
(en, ar, ckb; else --language) sets each sheet's language. Written to --out: \
credentials-upload.json (public: credential keys and the hashes of the codes, for the server), \
sheets.pdf (two sheets to an A4 page with a cut line: the booth's address, the fingerprint, three \
steps, the credential and codes, and a QR code that opens the booth with them filled in), \
sheets.html and sheets.csv (private: readable by the owner only). With --server \
and --admin-token-file the public part is uploaded at once.\n\nExample:\n  \
convene registrar --server http://127.0.0.1:8080 --election ref-2026 --voters voters.csv --out sheets/")]
    Registrar(RegistrarArgs),
    /// Make an actor's identity: a key pair in a file only its owner reads, whose public key a
    /// manifest names (an election authority, a registrar, a code issuer or a trustee).
    #[command(long_about = "Make an actor's long-term identity: a ristretto255 key pair saved in --out \
(mode 0600; never overwritten) with the actor's --name. Give the printed public key to whoever \
creates the election: the manifest names every actor by it (record format version 2), and the \
verifier checks every signature the actor makes with it.\n\nExample:\n  convene keygen --name \
\"Amina Yusuf, trustee\" --out amina.identity")]
    Keygen(KeygenArgs),
    /// The registrar: compare the published credential list with the one it issued.
    #[command(
        name = "registrar-check",
        long_about = "The registrar compares the credential list the server \
publishes (credentials.jsonl) with the one it issued (the credentials-upload.json that `convene \
registrar` wrote): every credential, region and weight, in order. Exit 0 if they are the same; \
1 with every credential the server added, dropped or changed."
    )]
    RegistrarCheck(RegistrarCheckArgs),
    /// The code issuer: make the one-time sign-in codes for the published credentials.
    #[command(long_about = "The code issuer — an official other than the registrar, on their own \
machine — makes --codes-per-voter one-time sign-in codes for every credential of the published \
list, writes printable slips (code-slips.pdf, .html and .csv, in --language; each has a QR \
code the booth reads with the phone's camera, and the same reference as the registrar's sheet: \
the credential's first 16 hex digits) to --out, and uploads only the codes' hashes, signed with \
its --identity. The registrar, who holds every credential secret, then has no code to sign in \
with, and the host has no credential to vote with. Needs a manifest that names this issuer.")]
    Codes(CodesArgs),
    /// The election authority: read a draft election's manifest and sign it.
    #[command(long_about = "The election authority reviews the manifest a draft election was created \
with (its questions, regions, rule, trustees, registrar, limits) and signs it with its identity. \
A version-2 key ceremony cannot start before. The signature is published as authority.json and \
checked by convene verify.")]
    Authority(AuthorityArgs),
    /// Load-test a running server: accepted ballots per second and latency percentiles.
    #[command(long_about = "Load-test a running server on loopback. Sets up an election with --voters \
voters (or --registered, of whom the first --voters vote), makes every ballot and signs every voter in first (not timed), then casts them: as fast \
as --concurrency allows, or at --rate casts per second (open loop). Prints accepted ballots per \
second and p50/p99/max latency.\n\nExample:\n  convene serve --data /tmp/d --signin-per-minute 100000000 &\n  \
convene loadtest --server http://127.0.0.1:8080 --admin-token-file /tmp/d/admin-token --voters 20000 --concurrency 64")]
    Loadtest(LoadtestArgs),
    /// Vote: encrypt your ballot on this machine, sign it with your credential, and cast it.
    #[command(long_about = "Vote in an open election. Your ballot is encrypted and proven on this machine and \
signed with your credential key; the server sees only the encrypted ballot. With --challenge the \
ballot is revealed and spoiled instead of cast (a Benaloh challenge: check that it says what you \
chose, then vote again with your next code).\n\nExample:\n  convene vote --server http://127.0.0.1:8080 \
--election convene-demo --credential KEY --code ABCDE-FGHJK-LMNPQ-RSTUV --answer yes")]
    Vote(VoteArgs),
    /// Check every proof, signature, sum and result of a record; list every failure.
    #[command(long_about = "Check a record independently: the parameters and the key ceremony \
(complaints included); every ballot's proofs, signature, credential, region and supersession; \
spoiled ballots' reveals; the log's tree against every signed checkpoint and the consistency \
proofs; every tally sum; every partial decryption; and the published results.\n\n\
It reports every failure with its location and its stable code (listed in \
docs/failure-codes.md) and exits 0 only if every check holds; --json prints the same as one JSON \
document for machines.\n\n\
Memory does not grow with the electorate: a credential list longer than CONVENE_SORT_IN_MEMORY \
credentials (default 1048576) is sorted on disk, in TMPDIR (46 bytes per credential, removed \
afterwards).")]
    Verify(VerifyArgs),
    /// Apportion seats among localities (or lists) by a named method, with diagnostics.
    #[command(long_about = "Apportion a house of --seats seats among the units of FILE.csv.\n\n\
FILE.csv has a header; its first column is the name, and a column named population or votes \
holds the counts. Methods: hamilton (largest remainder), jefferson = dhondt, webster = \
sainte-lague, huntington-hill, adams, dean. All are exact: divisor methods report the range of \
divisors that gives the result. Ties for the last seats are reported (and broken by input \
order, so the output is complete).\n\n\
stdout is CSV name,population,quota,seats in input order; diagnostics (quota rule, Alabama \
paradox against one seat more, population monotonicity, ties, the divisor) go to stderr, or \
everything into one JSON document with --json.\n\nExample:\n  convene apportion --method \
webster --seats 250 --min-seats 1 localities.csv")]
    Apportion(ApportionArgs),
    /// Voting power of a weighted rule: normalized Banzhaf and Shapley–Shubik indices, exactly.
    #[command(long_about = "The voting power of each member of a weighted voting rule, computed exactly.\n\n\
FILE.csv has the columns name and weight (whole numbers). A coalition wins when its weight reaches \
--quota and, with --min-members K, when it has at least K members. Prints CSV \
name,weight,banzhaf,shapley_shubik with the normalized Banzhaf index, to six decimals, or with \
--exact as fractions in lowest terms (the counting is exact either way).\n\nExample:\n  convene power \
--quota 50 delegations.csv\n  convene power --exact --quota 3 delegations.csv")]
    Power(PowerArgs),
    /// Count ranked ballots by Schulze and by instant runoff, with every round and every tie.
    #[command(long_about = "Count ranked ballots (a party congress, a union, an assembly) by the Schulze \
method and by instant runoff, exactly, as a convention's ranked votes are counted.\n\n\
BALLOTS.csv has a header naming every option, and optionally a weight column (whole numbers; \
absent means 1). Each row is one ballot: each option's cell is its rank, 1 the best; equal \
ranks tie; an empty cell leaves the option unranked, below every ranked one. Digits may be \
ASCII or Arabic-Indic.\n\n\
Prints the Schulze ranking with its strongest paths and winner, and every instant-runoff round \
with its tallies and eliminations. A tie that decides a winner is reported and left unbroken \
unless --seed is given: then a lot drawn from the seed ranks the options (by SHA-256 of the \
seed, a zero byte and each option's name, in ascending order), a tie goes to the option the \
lot ranks higher, and the output says so. Anyone with the \
seed draws the same lot, so choose the seed in public, after the ballots are in.\n\n\
Exit codes: 0 every method asked for has a winner; 1 a tie leaves one without a winner; 2 bad \
input.\n\nExample:\n  convene count --method both ballots.csv\n  convene count --seed \
\"drawn at the congress, 4 December\" --json ballots.csv")]
    Count(CountArgs),
    /// Share a revenue among localities by one or more formulas, side by side.
    #[command(long_about = "Compute what every locality receives from a revenue under a revenue-sharing \
formula, and compare formulas side by side (one --formula per scenario).\n\n\
A formula is TOML: top-level derivation (share returned to producers by production) and centre \
(share of the rest kept by the centre), then [[deduction]] tables (name, share of the revenue, \
off the top), [keys] (population, equal, need, area; adding up to 1) and optional [limits] \
(floor_per_head, cap_per_head, in minor units). LOCALITIES.csv has the columns name and \
population, and optionally production, area and need. Amounts are whole minor units; every \
stage adds up exactly.\n\nExample:\n  convene revenue --revenue 100000000 --formula cpa.toml \
--formula nigeria.toml localities.csv")]
    Revenue(RevenueArgs),
    /// Evaluate a ratification rule on plain results.
    #[command(long_about = "Evaluate a ratification rule (TOML) on plain results (CSV), exactly.\n\n\
RESULTS.csv has a header and the columns region,registered,yes,no,blank,invalid,weight; only \
region, yes and no are required, and a missing weight counts as 1. Prints `ratified` or \
`rejected` on the first line, then each condition with its figures. With scope = \"per-region\" \
each region's block starts with its own outcome. A tie is never a majority.\n\n\
Example rule (a double majority with a turnout quorum):\n\n\
  [approval]\n  base = \"valid\"\n  more_than = \"1/2\"\n  [quorum]\n  at_least = \"3/5\"\n  \
[regions]\n  more_than = \"1/2\"\n\n\
Exit codes: 0 ratified (or, per region, evaluated); 1 rejected; 2 bad rule or results.")]
    Ratify(RatifyArgs),
    /// Check a voter's receipt against the published record and, with --ask-witnesses, against
    /// what each witness cosigned.
    #[command(long_about = "Check a voter's receipt (docs/protocol.md §13.4). First the receipt \
alone: the checkpoint is signed by the log key, cosigned by the manifest's quorum of witnesses \
(record format 4), and its inclusion proof places the tracking code in the log. Then the \
published record: the entry at the receipt's index is this ballot, the published tree at the \
receipt's size has the receipt's root, and no later cast ballot under the same credential counts \
in its place. With --ask-witnesses, each witness's latest cosigned checkpoint is fetched from the \
witness itself and must be consistent with the receipt and no longer than the published record.\n\n\
A failure names what happened: \"not in the log\", \"two trees of the same size signed (keep \
this receipt: it proves equivocation)\", or \"superseded by a later ballot under your \
credential\". Exits 0 if the receipt holds, 1 if it does not, 2 if a file cannot be read.")]
    Receipt(ReceiptArgs),
    /// Print a ratified constitution's timeline: the ratification and every milestone, dated.
    #[command(long_about = "Print the timeline of a ratification record (`convene fetch` writes one, with \
its convention's record in convention/): the day of ratification, then every milestone the \
constitution schedules — after ratification or after another milestone — with its date, past or \
coming. The dates are the ones timeline.json gives, which the election authority signs once the \
results are published; `convene verify` recomputes and checks them (docs/timeline.md).\n\n\
Example:\n  convene timeline convene-demo-record")]
    Timeline(TimelineArgs),
}

/// The arguments of `convene demo`.
#[derive(clap::Args)]
pub(crate) struct DemoArgs {
    /// How many voters to simulate.
    #[arg(long, default_value_t = 200)]
    pub(crate) voters: u64,
    /// Register this many voters in all, of whom only the first --voters vote (with --offline:
    /// a benchmark record of a large electorate, e.g. 20000000 for `convene verify`'s memory).
    #[arg(long, requires = "offline")]
    pub(crate) registered: Option<u64>,
    /// Where to write the record (a new or empty directory).
    #[arg(long, default_value = "convene-demo-record")]
    pub(crate) out: PathBuf,
    /// Also ask which structure of the state voters prefer (choose one of four).
    #[arg(long)]
    pub(crate) structure_question: bool,
    /// Make the record reproducible from this seed (for tests; never for a real vote).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Run the server on this PostgreSQL database instead of a temporary SQLite one.
    #[arg(long)]
    pub(crate) database: Option<String>,
    /// Skip the server: simulate straight into the record (fast; for large benchmark records).
    #[arg(long)]
    pub(crate) offline: bool,
    /// Keep the server's data directory here (a new or empty directory) instead of a temporary
    /// one: afterwards `convene serve --data DIR` serves the finished convention and the counted
    /// referendum, with their pages, results and map.
    #[arg(long, conflicts_with = "offline")]
    pub(crate) data: Option<PathBuf>,
    /// Instead, a conference of five neighbouring states (convention version 5): one delegation
    /// per state, a paragraph adopted by consensus over an objection that is withdrawn, another
    /// by unanimity, and the communiqué; its record goes to --out and is verified.
    #[arg(long, conflicts_with_all = ["offline", "structure_question", "registered"])]
    pub(crate) conference: bool,
}

/// The arguments of `convene serve`.
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// A TOML file of these settings (the same names, with `_` for `-`); a flag or a
    /// CONVENE_* variable overrides it.
    #[arg(long, env = "CONVENE_CONFIG")]
    pub(crate) config: Option<PathBuf>,
    /// The data directory (SQLite database, admin token) [default: convene-data].
    #[arg(long, env = "CONVENE_DATA")]
    pub(crate) data: Option<PathBuf>,
    /// A PostgreSQL URL; without it, SQLite in the data directory.
    #[arg(long, env = "CONVENE_DATABASE")]
    pub(crate) database: Option<String>,
    /// Where to listen [default: 127.0.0.1:8080].
    #[arg(long, env = "CONVENE_ADDR")]
    pub(crate) addr: Option<String>,
    /// Seed a demonstration referendum that one can vote in at once.
    #[arg(long)]
    pub(crate) demo: bool,
    /// Voter sign-in attempts allowed per client address per minute [default: 30].
    #[arg(long, env = "CONVENE_SIGNIN_PER_MINUTE")]
    pub(crate) signin_per_minute: Option<u32>,
    /// Sign-in attempts allowed per election per second, from all addresses [default: 20000].
    #[arg(long, env = "CONVENE_SIGNIN_PER_ELECTION_PER_SECOND")]
    pub(crate) signin_per_election_per_second: Option<u32>,
    /// A reverse proxy (its address) whose X-Forwarded-For names the client (repeat, or
    /// comma-separate in the variable); from anyone else the header is ignored.
    #[arg(long = "trusted-proxy", env = "CONVENE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub(crate) trusted_proxies: Vec<std::net::IpAddr>,
    /// The most connections open at once; more are closed on arrival [default: 1024].
    #[arg(long, env = "CONVENE_MAX_CONNECTIONS")]
    pub(crate) max_connections: Option<usize>,
    /// Seconds a client has to send a request's headers; an idle connection is closed after
    /// this long [default: 10].
    #[arg(long, env = "CONVENE_HEADER_TIMEOUT_SECONDS")]
    pub(crate) header_timeout_seconds: Option<u64>,
    /// Seconds requests in flight may take to finish on SIGTERM or Ctrl-C [default: 20].
    #[arg(long, env = "CONVENE_SHUTDOWN_GRACE_SECONDS")]
    pub(crate) shutdown_grace_seconds: Option<u64>,
    /// The largest credential upload, in MiB (1 to 1000; read whole, ~1.1 KiB of memory a credential) [default: 512].
    #[arg(long, env = "CONVENE_MAX_CREDENTIALS_MIB", value_parser = clap::value_parser!(u64).range(1..=convene::settings::MAX_CREDENTIALS_MIB))]
    pub(crate) max_credentials_mib: Option<u64>,
    /// Logs as JSON lines (for a log collector) or as text [default: text].
    #[arg(long, env = "CONVENE_LOG", value_parser = ["text", "json"])]
    pub(crate) log: Option<String>,
}

/// The arguments of `convene backup`.
#[derive(clap::Args)]
pub(crate) struct BackupArgs {
    /// The server's data directory [default: convene-data].
    #[arg(long, env = "CONVENE_DATA", default_value = "convene-data")]
    pub(crate) data: PathBuf,
    /// The backup file to create (it must not exist).
    #[arg(long)]
    pub(crate) out: PathBuf,
}

/// The arguments of `convene witness`.
#[derive(clap::Args)]
pub(crate) struct WitnessArgs {
    /// The witness's data directory (its key and its SQLite file).
    #[arg(long, default_value = "convene-witness")]
    pub(crate) data: PathBuf,
    /// The witness's name (a schema-less URL such as news.example/w1; no spaces, no +).
    #[arg(long)]
    pub(crate) name: String,
    /// A log this witness witnesses, as its verifier key ORIGIN+ID+KEY (repeat for several);
    /// an election's is its manifest's `log_key`. Remembered in DATA/witness.sqlite3.
    #[arg(long = "log")]
    pub(crate) logs: Vec<String>,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:9090")]
    pub(crate) addr: String,
    /// Print the witness's verifier key (making its key on first use) and exit: give it to
    /// the election authority, who names the witness in the manifest.
    #[arg(long)]
    pub(crate) key_only: bool,
    /// Add the --log keys to the witness's file and exit; a witness already running on DATA
    /// witnesses them from its next request.
    #[arg(long, requires = "logs", conflicts_with = "key_only")]
    pub(crate) add_logs: bool,
}

/// The arguments of `convene check-booth`.
#[derive(clap::Args)]
pub(crate) struct CheckBoothArgs {
    /// The server, e.g. http://127.0.0.1:8080
    pub(crate) url: String,
    /// The election's id.
    #[arg(long)]
    pub(crate) election: String,
    /// The web pages' source (Convene's `web/` directory) to build and compare with.
    #[arg(long, default_value = "web")]
    pub(crate) web: PathBuf,
    /// Compare with the manifest only, without building from source.
    #[arg(long)]
    pub(crate) no_source: bool,
}

/// The arguments of `convene fetch`.
#[derive(clap::Args)]
pub(crate) struct FetchArgs {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long, required_unless_present = "tiles")]
    pub(crate) server: Option<String>,
    /// The election's id.
    #[arg(long, required_unless_present = "tiles")]
    pub(crate) election: Option<String>,
    /// A static host of the record's tiles (`convene export-tiles`), e.g.
    /// https://mirror.example/referendum: the tiles are checked against the cosigned
    /// checkpoint, and the record's log against the tiles.
    #[arg(long, conflicts_with_all = ["server", "election"])]
    pub(crate) tiles: Option<String>,
    /// Where to write the record.
    #[arg(long)]
    pub(crate) out: PathBuf,
}

/// The arguments of `convene export-booth`.
#[derive(clap::Args)]
pub(crate) struct ExportBoothArgs {
    /// The Convene server the copy talks to, e.g. https://vote.example
    #[arg(long)]
    pub(crate) server: String,
    /// Where to write the copy (a new or empty directory).
    #[arg(long)]
    pub(crate) out: PathBuf,
}

/// The arguments of `convene export-tiles`.
#[derive(clap::Args)]
pub(crate) struct ExportTilesArgs {
    /// The record's directory (format version 4).
    pub(crate) record: PathBuf,
    /// Where to write the tiles (a new or empty directory).
    #[arg(long)]
    pub(crate) out: PathBuf,
}

/// The arguments of `convene loadtest`.
#[derive(clap::Args)]
pub(crate) struct LoadtestArgs {
    #[arg(long)]
    pub(crate) server: String,
    /// The file holding the supervisor's token (DATA/admin-token).
    #[arg(long)]
    pub(crate) admin_token_file: PathBuf,
    /// How many voters cast, each once.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) voters: u64,
    /// Register this many in all (at least --voters; the rest never vote); over ~2,000,000 raise max_credentials_mib.
    #[arg(long)]
    pub(crate) registered: Option<u64>,
    /// Casts in flight at once.
    #[arg(long, default_value_t = 64)]
    pub(crate) concurrency: usize,
    /// Casts per second (open loop); without it, as fast as possible.
    #[arg(long)]
    pub(crate) rate: Option<f64>,
    /// Stop sending after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub(crate) timeout: u64,
    /// Run this many local witnesses (`convene witness` processes) for the election.
    #[arg(long, default_value_t = 0)]
    pub(crate) witnesses: u32,
    /// How many of them must cosign each checkpoint.
    #[arg(long, default_value_t = 0)]
    pub(crate) witness_quorum: u32,
    /// Afterwards, count the election and fetch its record into this (new) directory, for `convene verify`.
    #[arg(long)]
    pub(crate) record: Option<PathBuf>,
}

/// The arguments of `convene vote`.
#[derive(clap::Args)]
pub(crate) struct VoteArgs {
    #[arg(long)]
    pub(crate) server: String,
    #[arg(long)]
    pub(crate) election: String,
    /// Your credential key (from your sheet), or a delegate's key file for a secret vote.
    #[arg(long)]
    pub(crate) credential: String,
    /// One of your one-time codes (from your sheet).
    #[arg(long)]
    pub(crate) code: String,
    /// One answer per question: `yes` or `no` for yes/no questions, an option's name otherwise.
    #[arg(long = "answer", required = true)]
    pub(crate) answers: Vec<String>,
    /// Challenge (reveal and spoil) this ballot instead of casting it.
    #[arg(long)]
    pub(crate) challenge: bool,
    /// Where to keep a cast ballot's receipt (default: `receipt-ELECTION-INDEX.json` here). Keep it:
    /// `convene receipt` checks it later against the published record and the witnesses.
    #[arg(long)]
    pub(crate) receipt: Option<PathBuf>,
}

/// The arguments of `convene verify`.
#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// The record's directory (as written by `convene demo`).
    pub(crate) dir: PathBuf,
    /// Print one JSON document: `verified`, and per record checked its `kind`, `failures`
    /// (`code`, `location`, `check`), `notes` and counts.
    #[arg(long)]
    pub(crate) json: bool,
}

/// The arguments of `convene timeline`.
#[derive(clap::Args)]
pub(crate) struct TimelineArgs {
    /// The ratification record's directory.
    pub(crate) dir: PathBuf,
    /// What counts as today, for past and coming (YYYY-MM-DD; default: today, UTC).
    #[arg(long)]
    pub(crate) today: Option<String>,
    /// One JSON document instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// The arguments of `convene receipt`.
#[derive(clap::Args)]
pub(crate) struct ReceiptArgs {
    /// The published record's directory (`convene fetch` writes one).
    pub(crate) dir: PathBuf,
    /// The receipt file (JSON), as `convene vote` or the booth saved it.
    pub(crate) receipt: PathBuf,
    /// Also ask every witness the manifest names for its latest cosigned checkpoint.
    #[arg(long)]
    pub(crate) ask_witnesses: bool,
}

/// The arguments of `convene assembly create`.
#[derive(clap::Args)]
pub(crate) struct CreateArgs {
    #[command(flatten)]
    pub(crate) seat: Seat,
    /// The supervisor's token (the server's DATA/admin-token).
    #[arg(long)]
    pub(crate) admin_token_file: PathBuf,
    #[arg(long)]
    pub(crate) title: String,
    /// The chair's public key (from `convene assembly keygen`).
    #[arg(long)]
    pub(crate) chair: String,
    /// The secretary's public key.
    #[arg(long)]
    pub(crate) secretary: String,
    /// Speaking time per regional delegation per agenda item.
    #[arg(long, default_value_t = 600)]
    pub(crate) speaking_seconds: u64,
    /// Who may be a trustee of the convention's referendums, as NAME=KEY (the public key
    /// `convene keygen` printed); repeat it. Events that name their trustees take them from
    /// this list, and their referendums are record format version 2.
    #[arg(long = "trustee", value_name = "NAME=KEY")]
    pub(crate) trustees: Vec<String>,
    /// A witness who cosigns the convention's checkpoints, as VKEY=URL (its verifier key, from
    /// `convene witness --key-only`, and its address); repeat it. Witnesses make the charter
    /// version 3: every checkpoint a signed note cosigned by --witness-quorum of them.
    #[arg(long = "witness", value_name = "VKEY=URL")]
    pub(crate) witnesses: Vec<String>,
    #[arg(long, default_value_t = 0)]
    pub(crate) witness_quorum: u32,
    /// Make a conference of states instead (charter version 5): one delegation per --state,
    /// each voting through its head; no apportionment and no referendum. Repeat it, once per
    /// state (two or more).
    #[arg(long = "state", value_name = "NAME")]
    pub(crate) states: Vec<String>,
}
