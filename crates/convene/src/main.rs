//! The `convene` command line: a thin layer over the libraries.
//!
//! Exit codes: 0 success; 1 the record does not verify (or the receipt does not check);
//! 2 bad usage or unreadable input.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use convene::client::Client;
use convene::demo::{self, DemoConfig};
use convene::report;
use convene_record::verify::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

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
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct TrusteeWhere {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long)]
    server: String,
    /// The election's id.
    #[arg(long)]
    election: String,
    /// Upload messages with the supervisor's token from this file (else they are written to files).
    /// A version-2 election needs no token: the trustee's signature authenticates its messages.
    #[arg(long)]
    admin_token_file: Option<PathBuf>,
    /// This trustee's identity file (`convene keygen`), whose key the manifest names: every
    /// message is signed with it (record format version 2).
    #[arg(long)]
    identity: Option<PathBuf>,
}

impl TrusteeWhere {
    fn identity(&self) -> Result<Option<convene::identity::Identity>> {
        self.identity.as_deref().map(convene::identity::load).transpose()
    }
}

/// A house to apportion: the method, its size, and the seats each unit may have.
#[derive(clap::Args)]
struct House {
    /// hamilton, jefferson, dhondt, webster, sainte-lague, huntington-hill, adams or dean.
    #[arg(long)]
    method: String,
    /// The house size.
    #[arg(long)]
    seats: u64,
    /// At least this many seats per unit.
    #[arg(long, default_value_t = 0)]
    min_seats: u64,
    /// At most this many seats per unit.
    #[arg(long)]
    max_seats: Option<u64>,
}

#[derive(clap::Args)]
struct Seat {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long)]
    server: String,
    /// The convention's id.
    #[arg(long)]
    convention: String,
}

#[derive(Subcommand)]
enum AssemblyCommand {
    /// Make a signing key: a secret file (readable by you only); prints the public key.
    Keygen {
        /// The key file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Create a convention (the supervisor) with the chair's and the secretary's public keys.
    Create {
        #[command(flatten)]
        seat: Seat,
        /// The supervisor's token (the server's DATA/admin-token).
        #[arg(long)]
        admin_token_file: PathBuf,
        #[arg(long)]
        title: String,
        /// The chair's public key (from `convene assembly keygen`).
        #[arg(long)]
        chair: String,
        /// The secretary's public key.
        #[arg(long)]
        secretary: String,
        /// Speaking time per regional delegation per agenda item.
        #[arg(long, default_value_t = 600)]
        speaking_seconds: u64,
        /// Who may be a trustee of the convention's referendums, as NAME=KEY (the public key
        /// `convene keygen` printed); repeat it. Events that name their trustees take them from
        /// this list, and their referendums are record format version 2.
        #[arg(long = "trustee", value_name = "NAME=KEY")]
        trustees: Vec<String>,
        /// A witness who cosigns the convention's checkpoints, as VKEY=URL (its verifier key, from
        /// `convene witness --key-only`, and its address); repeat it. Witnesses make the charter
        /// version 3: every checkpoint a signed note cosigned by --witness-quorum of them.
        #[arg(long = "witness", value_name = "VKEY=URL")]
        witnesses: Vec<String>,
        #[arg(long, default_value_t = 0)]
        witness_quorum: u32,
    },
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
enum TrusteeCommand {
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
enum Command {
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
    Demo {
        /// How many voters to simulate.
        #[arg(long, default_value_t = 200)]
        voters: u64,
        /// Where to write the record (a new or empty directory).
        #[arg(long, default_value = "convene-demo-record")]
        out: PathBuf,
        /// Also ask which structure of the state voters prefer (choose one of four).
        #[arg(long)]
        structure_question: bool,
        /// Make the record reproducible from this seed (for tests; never for a real vote).
        #[arg(long)]
        seed: Option<u64>,
        /// Run the server on this PostgreSQL database instead of a temporary SQLite one.
        #[arg(long)]
        database: Option<String>,
        /// Skip the server: simulate straight into the record (fast; for large benchmark records).
        #[arg(long)]
        offline: bool,
    },
    /// Run the referendum service.
    #[command(long_about = "Run the referendum service over HTTP.\n\n\
By default it keeps its data in SQLite under ./convene-data and listens on 127.0.0.1:8080. \
The supervisor's token for admin actions is kept in DATA/admin-token (created on first start). \
With --demo it seeds an open demonstration referendum and prints voter codes to vote with \
`convene vote`.\n\nExample:\n  convene serve --demo\n  convene serve --database postgres://user@localhost/convene --addr 0.0.0.0:8080")]
    Serve {
        /// The data directory (SQLite database, admin token).
        #[arg(long, default_value = "convene-data")]
        data: PathBuf,
        /// A PostgreSQL URL; without it, SQLite in the data directory.
        #[arg(long)]
        database: Option<String>,
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Seed a demonstration referendum that one can vote in at once.
        #[arg(long)]
        demo: bool,
        /// Voter sign-in attempts allowed per client address per minute.
        #[arg(long, default_value_t = 30)]
        signin_per_minute: u32,
    },
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
    Witness {
        /// The witness's data directory (its key and its SQLite file).
        #[arg(long, default_value = "convene-witness")]
        data: PathBuf,
        /// The witness's name (a schema-less URL such as news.example/w1; no spaces, no +).
        #[arg(long)]
        name: String,
        /// A log this witness witnesses, as its verifier key ORIGIN+ID+KEY (repeat for several);
        /// an election's is its manifest's `log_key`. Remembered in DATA/witness.sqlite3.
        #[arg(long = "log")]
        logs: Vec<String>,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:9090")]
        addr: String,
        /// Print the witness's verifier key (making its key on first use) and exit: give it to
        /// the election authority, who names the witness in the manifest.
        #[arg(long)]
        key_only: bool,
        /// Add the --log keys to the witness's file and exit; a witness already running on DATA
        /// witnesses them from its next request.
        #[arg(long, requires = "logs", conflicts_with = "key_only")]
        add_logs: bool,
    },
    /// Check that the booth a server serves is the one the election's manifest names, and the
    /// one the source builds.
    #[command(long_about = "Check the booth a server hands voters. Every page and asset the \
election's manifest lists (booth_assets: SHA-256 by file name, record format 4) is fetched from the \
server as a browser would and hashed; the web pages are built again from the source in --web (the \
build is reproducible: the same source gives byte-identical files) and hashed. Each file that \
differs is named. Exits 0 if every file matches, 1 if one differs or cannot be fetched.\n\n\
Example:\n  convene check-booth http://127.0.0.1:8080 --election convene-demo")]
    CheckBooth {
        /// The server, e.g. http://127.0.0.1:8080
        url: String,
        /// The election's id.
        #[arg(long)]
        election: String,
        /// The web pages' source (Convene's `web/` directory) to build and compare with.
        #[arg(long, default_value = "web")]
        web: PathBuf,
        /// Compare with the manifest only, without building from source.
        #[arg(long)]
        no_source: bool,
    },
    /// Download an election's public record from a server (or, with --tiles, from any static
    /// host of its exported tiles), for `convene verify`.
    Fetch {
        /// The server, e.g. http://127.0.0.1:8080
        #[arg(long, required_unless_present = "tiles")]
        server: Option<String>,
        /// The election's id.
        #[arg(long, required_unless_present = "tiles")]
        election: Option<String>,
        /// A static host of the record's tiles (`convene export-tiles`), e.g.
        /// https://mirror.example/referendum: the tiles are checked against the cosigned
        /// checkpoint, and the record's log against the tiles.
        #[arg(long, conflicts_with_all = ["server", "election"])]
        tiles: Option<String>,
        /// Where to write the record.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a static copy of the booth, for an observer to host on an origin of their own.
    #[command(long_about = "Write the booth's pages and assets exactly as this build serves them \
(byte for byte: `convene check-booth` and the manifest's booth_assets name the same files), and \
server.json, which tells the pages where the API is. Host DIR on an origin the election's manifest \
lists in booth_origins (the server answers only those, by CORS); voters open \
ORIGIN/vote.html?election=ID.")]
    ExportBooth {
        /// The Convene server the copy talks to, e.g. https://vote.example
        #[arg(long)]
        server: String,
        /// Where to write the copy (a new or empty directory).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a record's log as static tiles (c2sp.org/tlog-tiles), for any web server or CDN.
    #[command(long_about = "Write a format-4 record's log as static files (c2sp.org/tlog-tiles): \
OUT/checkpoint (the last checkpoint, signed and cosigned), OUT/tile/L/N[.p/W] (the Merkle tree, \
256 hashes a tile), OUT/tile/entries/N[.p/W] (the entries, length-prefixed) and OUT/record/ (the \
record's documents). Serve OUT with any web server; `convene fetch --tiles URL --out DIR` reads it \
back and checks it.")]
    ExportTiles {
        /// The record's directory (format version 4).
        record: PathBuf,
        /// Where to write the tiles (a new or empty directory).
        #[arg(long)]
        out: PathBuf,
    },
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
credential's public weight, e.g. shares in a cooperative; 1 if absent). For each voter a credential key pair \
and --codes-per-voter one-time sign-in codes are made. Written to --out: credentials-upload.json \
(public: credential keys and the hashes of the codes, for the server), sheets.csv and sheets.html \
(private: one sheet per voter to print and hand out; readable by the owner only). With --server \
and --admin-token-file the public part is uploaded at once.\n\nExample:\n  \
convene registrar --server http://127.0.0.1:8080 --election ref-2026 --voters voters.csv --out sheets/")]
    Registrar {
        /// The election (its manifest gives the regions).
        #[arg(long)]
        election: String,
        /// The server to read the manifest from (and upload to, with --admin-token-file).
        #[arg(long)]
        server: String,
        /// The voter list (CSV: voter,region).
        #[arg(long)]
        voters: PathBuf,
        /// Where to write the upload and the sheets (a new or empty directory).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        codes_per_voter: usize,
        /// Upload the public list with the supervisor's token from this file.
        #[arg(long)]
        admin_token_file: Option<PathBuf>,
        /// The registrar's identity file (`convene keygen`), whose key the manifest names: the
        /// list is signed with it and uploaded (record format version 2; no token needed).
        #[arg(long)]
        identity: Option<PathBuf>,
    },
    /// Make an actor's identity: a key pair in a file only its owner reads, whose public key a
    /// manifest names (an election authority, a registrar, a code issuer or a trustee).
    #[command(long_about = "Make an actor's long-term identity: a ristretto255 key pair saved in --out \
(mode 0600; never overwritten) with the actor's --name. Give the printed public key to whoever \
creates the election: the manifest names every actor by it (record format version 2), and the \
verifier checks every signature the actor makes with it.\n\nExample:\n  convene keygen --name \
\"Amina Yusuf, trustee\" --out amina.identity")]
    Keygen {
        /// The name the manifest will show.
        #[arg(long)]
        name: String,
        /// The identity file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// The registrar: compare the published credential list with the one it issued.
    #[command(
        name = "registrar-check",
        long_about = "The registrar compares the credential list the server \
publishes (credentials.jsonl) with the one it issued (the credentials-upload.json that `convene \
registrar` wrote): every credential, region and weight, in order. Exit 0 if they are the same; \
1 with every credential the server added, dropped or changed."
    )]
    RegistrarCheck {
        #[arg(long)]
        server: String,
        #[arg(long)]
        election: String,
        /// The upload `convene registrar` wrote (OUT/credentials-upload.json).
        #[arg(long)]
        issued: PathBuf,
    },
    /// The code issuer: make the one-time sign-in codes for the published credentials.
    #[command(long_about = "The code issuer — an official other than the registrar, on their own \
machine — makes --codes-per-voter one-time sign-in codes for every credential of the published \
list, writes printable slips (each names the credential by its first 16 hex digits, which the \
voter finds on the registrar's sheet) to --out, and uploads only the codes' hashes, signed with \
its --identity. The registrar, who holds every credential secret, then has no code to sign in \
with, and the host has no credential to vote with. Needs a manifest that names this issuer.")]
    Codes {
        #[arg(long)]
        server: String,
        #[arg(long)]
        election: String,
        /// The code issuer's identity file (`convene keygen`).
        #[arg(long)]
        identity: PathBuf,
        #[arg(long, default_value_t = 3)]
        codes_per_voter: usize,
        /// Where to write the slips (a new or empty directory).
        #[arg(long)]
        out: PathBuf,
    },
    /// The election authority: read a draft election's manifest and sign it.
    #[command(long_about = "The election authority reviews the manifest a draft election was created \
with (its questions, regions, rule, trustees, registrar, limits) and signs it with its identity. \
A version-2 key ceremony cannot start before. The signature is published as authority.json and \
checked by convene verify.")]
    Authority {
        #[arg(long)]
        server: String,
        #[arg(long)]
        election: String,
        /// The authority's identity file (`convene keygen`).
        #[arg(long)]
        identity: PathBuf,
    },
    /// Load-test a running server: accepted ballots per second and latency percentiles.
    #[command(long_about = "Load-test a running server on loopback. Sets up an election with --voters \
voters, makes every ballot and signs every voter in first (not timed), then casts them: as fast \
as --concurrency allows, or at --rate casts per second (open loop). Prints accepted ballots per \
second and p50/p99/max latency.\n\nExample:\n  convene serve --data /tmp/d --signin-per-minute 100000000 &\n  \
convene loadtest --server http://127.0.0.1:8080 --admin-token-file /tmp/d/admin-token --voters 20000 --concurrency 64")]
    Loadtest {
        #[arg(long)]
        server: String,
        /// The file holding the supervisor's token (DATA/admin-token).
        #[arg(long)]
        admin_token_file: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        voters: u64,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// Casts per second (open loop); without it, as fast as possible.
        #[arg(long)]
        rate: Option<f64>,
        /// Stop sending after this many seconds.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Run this many local witnesses (`convene witness` processes) for the election.
        #[arg(long, default_value_t = 0)]
        witnesses: u32,
        /// How many of them must cosign each checkpoint.
        #[arg(long, default_value_t = 0)]
        witness_quorum: u32,
    },
    /// Vote: encrypt your ballot on this machine, sign it with your credential, and cast it.
    #[command(long_about = "Vote in an open election. Your ballot is encrypted and proven on this machine and \
signed with your credential key; the server sees only the encrypted ballot. With --challenge the \
ballot is revealed and spoiled instead of cast (a Benaloh challenge: check that it says what you \
chose, then vote again with your next code).\n\nExample:\n  convene vote --server http://127.0.0.1:8080 \
--election convene-demo --credential KEY --code ABCDE-FGHJK-LMNPQ-RSTUV --answer yes")]
    Vote {
        #[arg(long)]
        server: String,
        #[arg(long)]
        election: String,
        /// Your credential key (from your sheet), or a delegate's key file for a secret vote.
        #[arg(long)]
        credential: String,
        /// One of your one-time codes (from your sheet).
        #[arg(long)]
        code: String,
        /// One answer per question: `yes` or `no` for yes/no questions, an option's name otherwise.
        #[arg(long = "answer", required = true)]
        answers: Vec<String>,
        /// Challenge (reveal and spoil) this ballot instead of casting it.
        #[arg(long)]
        challenge: bool,
        /// Where to keep a cast ballot's receipt (default: `receipt-ELECTION-INDEX.json` here). Keep it:
        /// `convene receipt` checks it later against the published record and the witnesses.
        #[arg(long)]
        receipt: Option<PathBuf>,
    },
    /// Check every proof, signature, sum and result of a record; list every failure.
    #[command(long_about = "Check a record independently: the parameters and the key ceremony \
(complaints included); every ballot's proofs, signature, credential, region and supersession; \
spoiled ballots' reveals; the log's tree against every signed checkpoint and the consistency \
proofs; every tally sum; every partial decryption; and the published results.\n\n\
It reports every failure with its location and its stable code (listed in \
docs/failure-codes.md) and exits 0 only if every check holds; --json prints the same as one JSON \
document for machines.")]
    Verify {
        /// The record's directory (as written by `convene demo`).
        dir: PathBuf,
        /// Print one JSON document: `verified`, and per record checked its `kind`, `failures`
        /// (`code`, `location`, `check`), `notes` and counts.
        #[arg(long)]
        json: bool,
    },
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
    Apportion {
        #[command(flatten)]
        house: House,
        /// Units with less than this share of all votes get no seats (e.g. 5% or 1/20).
        #[arg(long)]
        threshold: Option<String>,
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
    /// Voting power of a weighted rule: normalized Banzhaf and Shapley–Shubik indices, exactly.
    #[command(long_about = "The voting power of each member of a weighted voting rule, computed exactly.\n\n\
FILE.csv has the columns name and weight (whole numbers). A coalition wins when its weight reaches \
--quota and, with --min-members K, when it has at least K members. Prints CSV \
name,weight,banzhaf,shapley_shubik with the normalized Banzhaf index.\n\nExample:\n  convene power \
--quota 50 delegations.csv")]
    Power {
        #[arg(long)]
        quota: u64,
        #[arg(long, default_value_t = 0)]
        min_members: usize,
        file: PathBuf,
    },
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
    Revenue {
        /// A formula file (TOML); repeat to compare scenarios.
        #[arg(long = "formula", required = true)]
        formulas: Vec<PathBuf>,
        /// The revenue to share, in minor units.
        #[arg(long)]
        revenue: u64,
        localities: PathBuf,
    },
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
    Ratify {
        /// The rule file (TOML).
        #[arg(long)]
        rule: PathBuf,
        /// The results file (CSV).
        results: PathBuf,
        /// Print machine-readable JSON with an `outcome` field instead of text.
        #[arg(long)]
        json: bool,
    },
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
    Receipt {
        /// The published record's directory (`convene fetch` writes one).
        dir: PathBuf,
        /// The receipt file (JSON), as `convene vote` or the booth saved it.
        receipt: PathBuf,
        /// Also ask every witness the manifest names for its latest cosigned checkpoint.
        #[arg(long)]
        ask_witnesses: bool,
    },
}

struct Bar(Mutex<Option<ProgressBar>>);

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
    fn at(&self, stage: &str, done: u64, total: u64) {
        let same_stage = self.0.lock().expect("progress lock").as_ref().is_some_and(|b| b.message() == stage);
        if !same_stage {
            self.stage(stage, total);
        }
        if let Some(b) = &*self.0.lock().expect("progress lock") {
            b.set_position(done);
        }
    }

    fn done(&self) {
        if let Some(bar) = self.0.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo { voters, out, structure_question, seed, database, offline } => {
            let mut config = DemoConfig::new(voters, out.clone());
            config.structure_question = structure_question;
            config.seed = seed;
            let bar = Bar(Mutex::new(None));
            let progress = |stage: &str, done: u64, total: u64| bar.at(stage, done, total);
            let outcome = if offline {
                demo::run_offline(&config, &progress)?
            } else {
                let data = tempfile_dir()?;
                let runtime = tokio::runtime::Runtime::new()?;
                runtime.block_on(async {
                    // Every simulated voter signs in from this one address: no per-address limit.
                    let server = convene::local::start(data.path(), database.as_deref(), "127.0.0.1:0", |c| {
                        c.signin_per_minute = u32::MAX
                    })
                    .await?;
                    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
                    demo::run_http(&client, &config, &progress).await
                })?
            };
            bar.done();
            if !outcome.convention.is_empty() {
                println!("The convention (its record is in {}):", out.join(convene::demo::CONVENTION_DIR).display());
                for step in &outcome.convention {
                    println!("  {step}");
                }
                println!();
            }
            println!("Wrote the record of {} log entries to {}", outcome.entries, out.display());
            println!(
                "Trustee {} dealt a bad share, was named in a public complaint, and was excluded; trustees 1-3 decrypted.",
                outcome.excluded_trustee
            );
            println!(
                "{} ballots were superseded by re-votes. One ballot was challenged and spoiled: tracking code {}.",
                outcome.superseded, outcome.challenged_tracking_code
            );
            println!();
            print!("{}", report::results_table(&outcome.manifest, &outcome.results));
            println!("\nCheck it yourself: convene verify {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { data, database, addr, demo, signin_per_minute } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(serve(data, database, addr, demo, signin_per_minute))
        }
        Command::Witness { data, name, logs, addr, key_only, add_logs } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(witness(data, name, logs, addr, key_only, add_logs))
        }
        Command::CheckBooth { url, election, web, no_source } => {
            let source = if no_source {
                None
            } else {
                if !web.join("build.mjs").is_file() {
                    anyhow::bail!(
                        "{} is not Convene's web source (no build.mjs); give --web DIR, or --no-source",
                        web.display()
                    );
                }
                eprintln!("Building the booth from {} …", web.display());
                Some(convene::booth::build_from_source(&web)?)
            };
            let runtime = tokio::runtime::Runtime::new()?;
            let files =
                runtime.block_on(convene::booth::check_booth(&Client::new(&url, None), &election, source.as_ref()))?;
            let short = |h: &str| h.chars().take(16).collect::<String>();
            let mut differ = 0;
            for f in &files {
                if f.holds() {
                    println!("{}: served = manifest{}", f.file, if f.source.is_some() { " = source" } else { "" });
                    continue;
                }
                differ += 1;
                let served = match &f.served {
                    Ok(h) if *h == f.manifest => "as the manifest".to_string(),
                    Ok(h) => format!("{}…", short(h)),
                    Err(e) => format!("not fetched ({e})"),
                };
                let source = match &f.source {
                    Some(h) if *h == f.manifest => ", source as the manifest".to_string(),
                    Some(h) => format!(", source {}…", short(h)),
                    None => String::new(),
                };
                println!("{}: DIFFERS — manifest {}…, served {served}{source}", f.file, short(&f.manifest));
            }
            if differ == 0 {
                println!("The booth of {election} at {url} is the one its manifest names ({} files).", files.len());
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "{differ} of the booth's {} files differ: do not vote with this booth; report it.",
                    files.len()
                );
                Ok(ExitCode::from(1))
            }
        }
        Command::Fetch { server, election, tiles, out } => {
            let runtime = tokio::runtime::Runtime::new()?;
            if let Some(url) = tiles {
                let fetched = runtime.block_on(convene::tiles::fetch_tiles(&url, &out))?;
                println!(
                    "Fetched the record from the tiles at {url} into {}: {} entries, the tiles' tree is the checkpoint's (cosigned by {} witnesses) and the record's log is that tree. Check it: convene verify {}",
                    out.display(),
                    fetched.size,
                    fetched.cosigned,
                    out.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let (server, election) = (server.unwrap_or_default(), election.unwrap_or_default());
            runtime.block_on(Client::new(&server, None).fetch_record(&election, &out))?;
            println!(
                "Fetched the record of {election} into {}. Check it: convene verify {}",
                out.display(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportBooth { server, out } => {
            if convene_record::format::plain_origin(&server).as_deref() != Some(server.trim_end_matches('/')) {
                anyhow::bail!("--server {server:?} is not an address such as https://vote.example (no path)");
            }
            if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
                anyhow::bail!("{} exists and is not empty; give a new directory", out.display());
            }
            for (name, bytes) in convene_server::built_files() {
                let path = out.join(name);
                std::fs::create_dir_all(path.parent().expect("a file under OUT"))?;
                convene_record::writer::write_atomic(&path, bytes)?;
            }
            let config = serde_json::json!({"server": server.trim_end_matches('/')});
            convene_record::writer::write_atomic(&out.join("server.json"), serde_json::to_string(&config)?.as_bytes())?;
            println!(
                "Wrote the booth into {} ({} files and server.json). Host it on an origin the election's manifest lists in booth_origins; voters open ORIGIN/vote.html?election=ID.",
                out.display(),
                convene_server::built_files().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportTiles { record, out } => {
            let written = convene::tiles::export(&record, &out)?;
            println!("Wrote {written} files into {}: serve that directory as it is.", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Assembly(step) => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(assembly(step))
        }
        Command::Trustee(step) => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(trustee(step))
        }
        Command::Registrar { election, server, voters, out, codes_per_voter, admin_token_file, identity } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(registrar(election, server, voters, out, codes_per_voter, admin_token_file, identity))
        }
        Command::Keygen { name, out } => {
            let identity = convene::identity::generate(&name, &out)?;
            println!("{}", identity.key.public().to_hex());
            eprintln!(
                "Identity of {name:?} in {} (keep it safe; only its public key, above, goes into the manifest).",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::RegistrarCheck { server, election, issued } => {
            let runtime = tokio::runtime::Runtime::new()?;
            let client = Client::new(&server, None);
            let published = runtime
                .block_on(client.get_bytes(&format!("/api/elections/{election}/record/credentials.jsonl")))
                .context("the credential list is not published yet")?;
            let upload: serde_json::Value = serde_json::from_slice(
                &std::fs::read(&issued).with_context(|| format!("cannot read {}", issued.display()))?,
            )
            .with_context(|| format!("{} is not a credentials upload", issued.display()))?;
            let differences = convene::registrar::compare_published(&upload, &published).map_err(anyhow::Error::msg)?;
            if differences.is_empty() {
                println!("The published list of {election} is the one issued: every credential, region and weight.");
                return Ok(ExitCode::SUCCESS);
            }
            println!("The published list of {election} differs from the one issued:");
            for d in &differences {
                println!("  {d}");
            }
            Ok(ExitCode::from(1))
        }
        Command::Codes { server, election, identity, codes_per_voter, out } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(issue_codes(server, election, identity, codes_per_voter, out))
        }
        Command::Authority { server, election, identity } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(authority_sign(server, election, identity))
        }
        Command::Loadtest {
            server,
            admin_token_file,
            voters,
            concurrency,
            rate,
            timeout,
            witnesses,
            witness_quorum,
        } => {
            let token = std::fs::read_to_string(&admin_token_file)
                .with_context(|| format!("cannot read {}", admin_token_file.display()))?;
            let client = Client::new(&server, Some(token.trim().to_string()));
            let options = convene::loadtest::LoadOptions {
                voters,
                concurrency,
                rate,
                timeout: std::time::Duration::from_secs(timeout),
                witnesses,
                witness_quorum,
            };
            let bar = Bar(Mutex::new(None));
            let progress = |stage: &str, done: u64, total: u64| bar.at(stage, done, total);
            let runtime = tokio::runtime::Runtime::new()?;
            let report = runtime.block_on(convene::loadtest::run(&client, &options, &progress))?;
            bar.done();
            println!(
                "accepted {} ballots ({} failed) in {:.2} s: {:.0} ballots/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                report.accepted, report.failed, report.seconds, report.per_second(), report.p50_ms, report.p99_ms, report.max_ms
            );
            Ok(if report.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Vote { server, election, credential, code, answers, challenge, receipt } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(vote(server, election, credential, code, answers, challenge, receipt))
        }
        Command::Verify { dir, json } => {
            if !dir.is_dir() {
                anyhow::bail!(
                    "{} is not a directory; give the directory that `convene demo --out` wrote",
                    dir.display()
                );
            }
            let bar = Bar(Mutex::new(None));
            let verified = convene_record::directory::verify_directory(&dir, &bar);
            bar.done();
            let Some(verified) = verified else {
                anyhow::bail!(
                    "{} holds neither manifest.json (a referendum) nor charter.json (a convention)",
                    dir.display()
                );
            };
            let ok = verified.ok();
            let (convention, referendum) = (verified.convention, verified.referendum);
            if json {
                let mut records = Vec::new();
                if let Some((report, _)) = &convention {
                    records.push(report::verification_json("convention", report));
                }
                if let Some(report) = &referendum {
                    records.push(report::verification_json("referendum", report));
                }
                println!("{}", serde_json::to_string_pretty(&serde_json::json!({"verified": ok, "records": records}))?);
            } else {
                if let Some((report, state)) = &convention {
                    print!("{}", report::convention_report(report, state.as_ref()));
                }
                if let Some(report) = &referendum {
                    if convention.is_some() {
                        println!();
                    }
                    print!("{}", report::verification_report(report));
                }
            }
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Apportion { house: House { method, seats, min_seats, max_seats }, threshold, json, file } => {
            use convene_core::apportion::{apportion, diagnose, parse_units_csv, to_csv, Method, Problem};
            let method = Method::parse(&method).map_err(anyhow::Error::msg)?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (names, populations) =
                parse_units_csv(&text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", file.display()))?;
            let threshold = threshold
                .map(|t| convene_core::Ratio::parse(&t))
                .transpose()
                .map_err(anyhow::Error::msg)
                .context("--threshold")?;
            let problem = Problem { names, populations, seats, min_seats, max_seats, threshold };
            let result = apportion(method, &problem).map_err(anyhow::Error::msg)?;
            let diagnostics = diagnose(method, &problem, &result);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report::apportionment_json(method, &problem, &result, &diagnostics))?
                );
            } else {
                print!("{}", to_csv(&problem, &result));
                eprint!("{}", report::apportionment_diagnostics(method, &result, &diagnostics));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Power { quota, min_members, file } => {
            use convene_core::power::{parse_members_csv, power};
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (names, weights) = parse_members_csv(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", file.display()))?;
            let p = power(&weights, quota, min_members).map_err(anyhow::Error::msg)?;
            println!("name,weight,banzhaf,shapley_shubik");
            for i in 0..names.len() {
                let name = if names[i].contains([',', '"']) {
                    format!("\"{}\"", names[i].replace('"', "\"\""))
                } else {
                    names[i].clone()
                };
                println!("{name},{},{:.6},{:.6}", weights[i], p.banzhaf[i], p.shapley_shubik[i]);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Revenue { formulas, revenue, localities } => {
            use convene_core::revenue::{allocate, compare_csv, parse_localities_csv, Formula};
            let text = std::fs::read_to_string(&localities)
                .with_context(|| format!("cannot read {}", localities.display()))?;
            let places = parse_localities_csv(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", localities.display()))?;
            let mut names = Vec::new();
            let mut allocations = Vec::new();
            for file in &formulas {
                let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
                let formula = Formula::parse(&text)
                    .map_err(anyhow::Error::msg)
                    .with_context(|| format!("in {}", file.display()))?;
                allocations.push(
                    allocate(&formula, &places, revenue)
                        .map_err(anyhow::Error::msg)
                        .with_context(|| format!("under {}", file.display()))?,
                );
                names.push(file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default());
            }
            print!("{}", compare_csv(&names, &places, &allocations));
            Ok(ExitCode::SUCCESS)
        }
        Command::Ratify { rule, results, json } => {
            use convene_core::ratify::{evaluate, parse_results_csv, Rule, Verdict};
            let rule_text =
                std::fs::read_to_string(&rule).with_context(|| format!("cannot read {}", rule.display()))?;
            let rule = Rule::parse(&rule_text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", rule.display()))?;
            let csv =
                std::fs::read_to_string(&results).with_context(|| format!("cannot read {}", results.display()))?;
            let rows = parse_results_csv(&csv)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", results.display()))?;
            let verdict = evaluate(&rule, &rows).map_err(anyhow::Error::msg)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report::verdict_json(&verdict))?);
            } else {
                print!("{}", verdict.to_text());
            }
            let rejected = matches!(&verdict, Verdict::National(e) if !e.ratified);
            Ok(if rejected { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Receipt { dir, receipt, ask_witnesses } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(check_receipt(dir, receipt, ask_witnesses))
        }
    }
}

/// `convene receipt`: the receipt against the published record, then (if asked) the witnesses.
async fn check_receipt(dir: PathBuf, receipt: PathBuf, ask_witnesses: bool) -> Result<ExitCode> {
    use convene_record::receipt::{check_against_record, check_against_witness, ReceiptFailure, WitnessView};
    let text = std::fs::read(&receipt).with_context(|| format!("cannot read {}", receipt.display()))?;
    let receipt: convene_record::writer::Receipt =
        serde_json::from_slice(&text).context("the receipt is not valid JSON of a receipt")?;
    let fail = |failure: ReceiptFailure| {
        println!("The receipt does not hold: {failure}.");
        Ok(ExitCode::from(1))
    };
    let published = match check_against_record(&dir, &receipt) {
        Ok(published) => published,
        Err(failure) => return fail(failure),
    };
    let cosigners = match convene_record::checkpoint::Witnessed::of_manifest(&published.manifest) {
        Some(w) => {
            let cosigned = w
                .check_note(receipt.checkpoint.note.as_deref().unwrap_or_default())
                .map(|(_, cosigned)| cosigned)
                .unwrap_or_default();
            format!(" and cosigned by {} of its {} witnesses (quorum {})", cosigned.len(), w.witnesses.len(), w.quorum)
        }
        _ => String::new(),
    };
    println!(
        "The ballot with tracking code {} is entry {} of the published log, under a checkpoint of {} entries signed by the log key{cosigners}; no later ballot under your credential replaces it.",
        receipt.tracking_code, receipt.index, receipt.checkpoint.size
    );
    if ask_witnesses {
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?;
        let origin = convene_note::Verifier::parse(&published.manifest.log_key).map(|v| v.name).unwrap_or_default();
        for (k, witness) in published.manifest.witnesses.iter().enumerate() {
            let name = convene_note::Verifier::parse(&witness.key).map(|v| v.name).unwrap_or_default();
            let answer = http.get(format!("{}/checkpoint/{origin}", witness.url)).send().await;
            let note = match answer {
                Ok(a) if a.status().is_success() => a.text().await.unwrap_or_default(),
                Ok(a) if a.status() == reqwest::StatusCode::NOT_FOUND => {
                    println!("Witness {name}: it has cosigned nothing of this log.");
                    continue;
                }
                Ok(a) => {
                    println!("Witness {name}: could not be asked (HTTP {}).", a.status());
                    continue;
                }
                Err(e) => {
                    println!("Witness {name}: could not be reached ({e}).");
                    continue;
                }
            };
            let tree = &published.tree;
            match check_against_witness(&published.manifest, k, &note, &receipt, |from, to| {
                tree.consistency_proof(from, to)
            }) {
                Ok(WitnessView::Consistent(size)) if size > tree.len() => {
                    return fail(ReceiptFailure::Withheld { witness: name, witnessed: size, published: tree.len() })
                }
                Ok(WitnessView::Consistent(size)) => {
                    println!("Witness {name}: its latest checkpoint ({size} entries) is consistent with your receipt.")
                }
                Ok(WitnessView::Unseen) => println!("Witness {name}: it has cosigned nothing of this log."),
                Err(failure) => return fail(failure),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tempfile_dir() -> Result<tempfile::TempDir> {
    tempfile::tempdir().context("cannot make a temporary directory for the demo's server")
}

async fn serve(
    data: PathBuf,
    database: Option<String>,
    addr: String,
    demo: bool,
    signin_per_minute: u32,
) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let server =
        convene::local::start(&data, database.as_deref(), &addr, |c| c.signin_per_minute = signin_per_minute).await?;
    let backend = if database.is_some() { "PostgreSQL" } else { "SQLite" };
    println!("Convene is serving on {} ({backend}; data in {}).", server.url(), data.display());
    println!("The supervisor's token is in {}.", data.join("admin-token").display());
    let mut _witnesses = None;
    if demo {
        let client = Client::new(&server.url(), Some(server.admin_token.clone()));
        let (sheets, witnesses) = convene::demo::seed_open_demo(&client, &server.url(), &data).await?;
        println!("{sheets}");
        _witnesses = Some(witnesses);
    }
    server.task.await??;
    Ok(ExitCode::SUCCESS)
}

async fn vote(
    server: String,
    election: String,
    credential: String,
    code: String,
    answers: Vec<String>,
    challenge: bool,
    receipt_path: Option<PathBuf>,
) -> Result<ExitCode> {
    let client = Client::new(&server, None);
    let public = convene::referendum::PublicElection::fetch(&client, &election).await?;
    // A delegate's key file (from `convene assembly keygen`) serves as the credential of a secret vote.
    let credential = match std::fs::read_to_string(&credential) {
        Ok(text) if std::path::Path::new(&credential).is_file() => text,
        _ => credential,
    };
    let secret = convene_crypto::encoding::scalar_from_hex(credential.trim())
        .context("--credential is not a credential key (64 hex digits) or a key file")?;
    let credential = convene_crypto::ballot::CredentialSecret::from_scalar(secret).map_err(anyhow::Error::msg)?;
    let region =
        public.region_of(credential.public()).context("this credential is not on the election's published list")?;
    let choices = convene::referendum::parse_answers(&public.manifest, &answers)?;
    let receipt =
        convene::referendum::cast_as(&client, &election, &public, &credential, &region, &code, &choices, challenge)
            .await?;
    if challenge {
        println!(
            "Challenged: the ballot was revealed and spoiled (never counted). Tracking code {}.",
            receipt.tracking_code
        );
        println!("Check the reveal in the public log (entry {}), then vote again with your next code.", receipt.index);
    } else {
        println!(
            "Cast. Tracking code {} (log entry {}), included under a checkpoint of {} entries signed by the log.",
            receipt.tracking_code, receipt.index, receipt.checkpoint.size
        );
    }
    if challenge {
        return Ok(ExitCode::SUCCESS);
    }
    let path = receipt_path.unwrap_or_else(|| PathBuf::from(format!("receipt-{election}-{}.json", receipt.index)));
    std::fs::write(&path, serde_json::to_vec_pretty(&receipt)?)
        .with_context(|| format!("cannot keep the receipt in {}", path.display()))?;
    println!(
        "Your receipt is in {}. Keep it: `convene receipt RECORD {}` checks it against the published record.",
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn client_for(at: &TrusteeWhere) -> Result<Client> {
    let admin = match &at.admin_token_file {
        Some(f) => {
            Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?.trim().to_string())
        }
        None => None,
    };
    Ok(Client::new(&at.server, admin))
}

async fn trustee(step: TrusteeCommand) -> Result<ExitCode> {
    use convene::trustee;
    match step {
        TrusteeCommand::Start { at, index, state } => {
            let identity = at.identity()?;
            let sent =
                trustee::start(&client_for(&at)?, &at.election, index, &state, identity.as_ref().map(|i| &i.key))
                    .await?;
            println!("Trustee {index} started; secrets in {} (keep it safe). Round 1 {sent}.", state.display());
        }
        TrusteeCommand::Deal { at, state } => {
            let identity = at.identity()?;
            let sent =
                trustee::deal(&client_for(&at)?, &at.election, &state, None, identity.as_ref().map(|i| &i.key)).await?;
            println!("Shares dealt; {sent}.");
        }
        TrusteeCommand::Check { at, state } => {
            let identity = at.identity()?;
            let sent =
                trustee::check(&client_for(&at)?, &at.election, &state, identity.as_ref().map(|i| &i.key)).await?;
            println!("Shares checked: {sent}.");
        }
        TrusteeCommand::Finish { at, state, key } => {
            let k = trustee::finish(&client_for(&at)?, &at.election, &state, &key).await?;
            println!(
                "Trustee {}'s key share is in {}; its public key {} matches the ceremony.",
                k.index,
                key.display(),
                k.public.to_hex()
            );
        }
        TrusteeCommand::Acknowledge { at, key } => {
            let k = trustee::load_key(&at.election, &key)?;
            let identity = at.identity()?.context("acknowledging needs this trustee's --identity file")?;
            trustee::acknowledge(&client_for(&at)?, &at.election, &k, &identity.key).await?;
            println!("Trustee {} acknowledged the election key, its verification key and the base hash.", k.index);
        }
        TrusteeCommand::Decrypt { at, key } => {
            let k = trustee::load_key(&at.election, &key)?;
            let once = key.with_extension("decrypted.json");
            let bar = Bar(Mutex::new(None));
            let identity = at.identity()?;
            let done = trustee::decrypt(
                &client_for(&at)?,
                &at.election,
                &k,
                identity.as_ref().map(|i| &i.key),
                Some(&once),
                &bar,
            )
            .await;
            bar.done();
            done?;
            println!(
                "Verified the record up to the tally (every ballot, checkpoint and sum), decrypted that tally \
                 (once; remembered in {}), and trustee {}'s partial decryption was accepted.",
                once.display(),
                k.index
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene codes`: the code issuer's codes for every published credential.
async fn issue_codes(
    server: String,
    election: String,
    identity: PathBuf,
    codes_per_voter: usize,
    out: PathBuf,
) -> Result<ExitCode> {
    if codes_per_voter == 0 {
        anyhow::bail!("--codes-per-voter must be at least 1");
    }
    if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; give a new directory with --out", out.display());
    }
    let identity = convene::identity::load(&identity)?;
    let client = Client::new(&server, None);
    let manifest_bytes = client
        .get_bytes(&format!("/api/elections/{election}/record/manifest.json"))
        .await
        .context("no such election")?;
    let manifest = convene_record::format::Manifest::parse(&manifest_bytes)?;
    if manifest.code_issuer.as_ref().map(|a| a.key.as_str()) != Some(identity.key.public().to_hex().as_str()) {
        anyhow::bail!("the manifest of {election} does not name this identity as its code issuer");
    }
    let list = client
        .get_bytes(&format!("/api/elections/{election}/record/credentials.jsonl"))
        .await
        .context("the registrar has not published the credential list yet")?;
    // The fingerprint printed on each slip: the published base hash, once its manifest and
    // credential hashes are those of the documents read here.
    let fingerprint = convene::registrar::published_fingerprint(&client, &election, &manifest_bytes).await?;
    let mut slips = Vec::new();
    for line in list.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let listed = convene_record::format::parse_credential_line(line, &manifest).map_err(anyhow::Error::msg)?;
        let codes = (0..codes_per_voter).map(|_| convene::registrar::new_code(&mut rand_core::OsRng)).collect();
        slips.push((listed.credential.to_hex(), codes));
    }
    let upload = convene::registrar::issuer_upload(&election, &manifest_bytes, &slips, &identity.key)
        .map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(&out)?;
    let path = out.join("code-slips.html");
    convene::trustee::write_secret(
        &path,
        convene::registrar::code_slips_html(&manifest.title, &fingerprint, &slips).as_bytes(),
    )?;
    let csv: String = std::iter::once("credential,codes,fingerprint\n".to_string())
        .chain(slips.iter().map(|(credential, codes)| format!("{credential},{},{fingerprint}\n", codes.join(" "))))
        .collect();
    convene::trustee::write_secret(&out.join("code-slips.csv"), csv.as_bytes())?;
    client.post(&format!("/api/elections/{election}/codes"), &upload, convene::client::As::Anyone).await?;
    println!(
        "Issued {codes_per_voter} codes for each of {} credentials; slips in {} (hand them out apart from the \
         registrar's sheets, then delete them). Only the codes' hashes, signed, went to {server}.",
        slips.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `convene authority`: shows what the authority signs, checks it names this identity, signs.
async fn authority_sign(server: String, election: String, identity: PathBuf) -> Result<ExitCode> {
    let identity = convene::identity::load(&identity)?;
    let client = Client::new(&server, None);
    let bytes = client
        .get_bytes(&format!("/api/elections/{election}/record/manifest.json"))
        .await
        .context("no such election")?;
    let manifest = convene_record::format::Manifest::parse(&bytes)?;
    let named = manifest.authority.as_ref().map(|a| a.key.as_str());
    if named != Some(identity.key.public().to_hex().as_str()) {
        anyhow::bail!(
            "the manifest of {election} names {} as its authority, not this identity ({})",
            named.unwrap_or("no one"),
            identity.key.public().to_hex()
        );
    }
    let hash = convene_record::writer::manifest_hash(&bytes);
    println!("Signing the manifest of {election} (manifest hash {}):", convene_crypto::encoding::to_hex(&hash));
    println!("{}", String::from_utf8_lossy(&bytes));
    let signature = identity.key.sign(convene_record::actors::TAG_AUTHORITY, &hash, b"", &mut rand_core::OsRng);
    client
        .post(
            &format!("/api/elections/{election}/authority"),
            &serde_json::json!({"signature": signature}),
            convene::client::As::Anyone,
        )
        .await?;
    println!("Signed as {}; the trustees may start the key ceremony.", identity.name);
    Ok(ExitCode::SUCCESS)
}

async fn registrar(
    election: String,
    server: String,
    voters: PathBuf,
    out: PathBuf,
    codes_per_voter: usize,
    admin_token_file: Option<PathBuf>,
    identity: Option<PathBuf>,
) -> Result<ExitCode> {
    use convene::registrar;
    if codes_per_voter == 0 {
        anyhow::bail!("--codes-per-voter must be at least 1");
    }
    if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; give a new directory with --out", out.display());
    }
    let admin = match &admin_token_file {
        Some(f) => {
            Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?.trim().to_string())
        }
        None => None,
    };
    let client = Client::new(&server, admin);
    let manifest_bytes = client
        .get_bytes(&format!("/api/elections/{election}/record/manifest.json"))
        .await
        .context("no such election")?;
    let manifest = convene_record::format::Manifest::parse(&manifest_bytes)?;
    let text = std::fs::read_to_string(&voters).with_context(|| format!("cannot read {}", voters.display()))?;
    let list = registrar::parse_voters(&text, &manifest.regions)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("in {}", voters.display()))?;
    // With a code issuer named in the manifest, the registrar makes no codes: the issuer does.
    let codes_per_voter = if manifest.code_issuer.is_some() { 0 } else { codes_per_voter };
    let sheets = registrar::issue(&list, codes_per_voter, &mut rand_core::OsRng);
    let identity = identity.as_deref().map(convene::identity::load).transpose()?;
    if manifest.version >= 2 && identity.is_none() {
        anyhow::bail!("this election (record format 2) names its registrar by key: give --identity");
    }
    std::fs::create_dir_all(&out)?;
    let mut upload = registrar::upload(&election, &sheets);
    if let Some(identity) = &identity {
        if manifest.registrar.as_ref().map(|r| r.key.as_str()) != Some(identity.key.public().to_hex().as_str()) {
            anyhow::bail!("the manifest does not name this identity as the registrar");
        }
        registrar::sign_upload(&manifest_bytes, &mut upload, &identity.key).map_err(anyhow::Error::msg)?;
    }
    std::fs::write(out.join("credentials-upload.json"), serde_json::to_vec_pretty(&upload)?)?;
    let told = if identity.is_some() {
        client.post(&format!("/api/elections/{election}/credentials"), &upload, convene::client::As::Anyone).await?;
        "Signed and uploaded the public list to {server}; the sheets stay here: hand them out, then delete them."
    } else if admin_token_file.is_some() {
        client
            .post(&format!("/api/elections/{election}/credentials"), &upload, convene::client::As::Supervisor)
            .await?;
        "Uploaded the public list to {server}; the sheets stay here: hand them out, then delete them."
    } else {
        "Upload credentials-upload.json to POST /api/elections/{election}/credentials; hand out the sheets."
    };
    // Once the list is published the base hash is known: the sheets print the fingerprint.
    let uploaded = identity.is_some() || admin_token_file.is_some();
    let fingerprint = match uploaded {
        true => Some(convene::registrar::published_fingerprint(&client, &election, &manifest_bytes).await?),
        false => None,
    };
    for (name, content) in [
        ("sheets.csv", registrar::sheets_csv(&sheets)),
        ("sheets.html", registrar::sheets_html(&manifest.title, fingerprint.as_deref(), &sheets)),
    ] {
        let path = out.join(name);
        std::fs::write(&path, content)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    println!("Issued {} credentials with {} codes each into {}.", sheets.len(), codes_per_voter, out.display());
    println!("{}", told.replace("{server}", &server).replace("{election}", &election));
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `convene assembly`: exits 1 when the convention refuses the event (the reason is printed),
/// 2 on other errors.
async fn assembly(step: AssemblyCommand) -> Result<ExitCode> {
    match assembly_step(step).await {
        Err(e) if format!("{e:#}").contains("409 refused") => {
            eprintln!("refused: {e:#}");
            Ok(ExitCode::from(1))
        }
        other => other,
    }
}

async fn assembly_step(step: AssemblyCommand) -> Result<ExitCode> {
    use convene::assembly::{self, Convention, Participant};
    use convene_record::convention::{Event, LocalityJson};
    let seated = |seat: &Seat| Client::new(&seat.server, None);
    let signer = |client: Client, seat: Seat, key: PathBuf| async move {
        let secret = assembly::load_key(&key)?;
        let convention = Convention::open(&client, &seat.convention).await.context("no such convention")?;
        let journal = assembly::journal_path(&key);
        let participant = Participant::resume(&client, &convention, secret, Some(journal)).await?;
        Ok::<_, anyhow::Error>((client, convention, participant))
    };
    let show = |applied: serde_json::Value| {
        println!("accepted as log entry {}: {}", applied["index"], applied["summary"].as_str().unwrap_or(""));
    };
    match step {
        AssemblyCommand::Keygen { out } => {
            let public = assembly::keygen(&out, &mut rand_core::OsRng)?;
            println!("{public}");
            eprintln!("The secret is in {} (readable by you only); give others the public key above.", out.display());
        }
        AssemblyCommand::Create {
            seat,
            admin_token_file,
            title,
            chair,
            secretary,
            speaking_seconds,
            trustees,
            witnesses,
            witness_quorum,
        } => {
            let token = std::fs::read_to_string(&admin_token_file)
                .with_context(|| format!("cannot read {}", admin_token_file.display()))?;
            let client = Client::new(&seat.server, Some(token.trim().to_string()));
            let trustees = trustees
                .iter()
                .map(|t| match t.rsplit_once('=') {
                    Some((name, key)) => Ok(serde_json::json!({"name": name, "key": key})),
                    None => Err(anyhow::anyhow!("--trustee {t:?}: give NAME=KEY")),
                })
                .collect::<Result<Vec<_>>>()?;
            let witnesses = witnesses
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((key, url)) => Ok(serde_json::json!({"key": key, "url": url})),
                    None => Err(anyhow::anyhow!("--witness {w:?}: give VKEY=URL")),
                })
                .collect::<Result<Vec<_>>>()?;
            let created = client
                .post(
                    "/api/conventions",
                    &serde_json::json!({"convention_id": seat.convention, "title": title, "chair": chair,
                                        "secretary": secretary, "speaking_seconds": speaking_seconds,
                                        "trustees": trustees, "witnesses": witnesses, "witness_quorum": witness_quorum}),
                    convene::client::As::Supervisor,
                )
                .await?;
            println!("Created convention {}.", seat.convention);
            if !witnesses.is_empty() {
                println!(
                    "Its log key (give it to each witness: convene witness --log KEY): {}",
                    created["charter"]["log_key"].as_str().unwrap_or_default()
                );
            }
        }
        AssemblyCommand::Import { seat, key, source, geojson, file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let mut localities = LocalityJson::from_csv(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", file.display()))?;
            if let Some(geojson) = geojson {
                let text =
                    std::fs::read_to_string(&geojson).with_context(|| format!("cannot read {}", geojson.display()))?;
                LocalityJson::attach_geojson(&mut localities, &text)
                    .map_err(anyhow::Error::msg)
                    .with_context(|| format!("in {}", geojson.display()))?;
            }
            let (client, convention, mut secretary) = signer(seated(&seat), seat, key).await?;
            let event = Event::Localities { source, localities };
            show(secretary.send(&client, &convention, event, &mut rand_core::OsRng).await?);
        }
        AssemblyCommand::Apportion { seat, key, house: House { method, seats, min_seats, max_seats } } => {
            let (client, convention, mut secretary) = signer(seated(&seat), seat, key).await?;
            let (event, table) =
                assembly::apportionment_event(&client, &convention, &method, seats, min_seats, max_seats).await?;
            show(secretary.send(&client, &convention, event, &mut rand_core::OsRng).await?);
            print!("{table}");
        }
        AssemblyCommand::Send { seat, key, event } => {
            let text = if event.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&event).with_context(|| format!("cannot read {}", event.display()))?
            };
            let event: Event = serde_json::from_str(&text)
                .with_context(|| format!("{} is not an event (see docs/convention.md)", event.display()))?;
            let (client, convention, mut participant) = signer(seated(&seat), seat, key).await?;
            show(participant.send(&client, &convention, event, &mut rand_core::OsRng).await?);
        }
        AssemblyCommand::Close { seat, key, vote } => {
            let (client, convention, mut chair) = signer(seated(&seat), seat, key).await?;
            let (event, result) = assembly::closing_event(&client, &convention, vote).await?;
            for (condition, holds) in &result.conditions {
                println!("{} {condition}", if *holds { "holds:" } else { "fails:" });
            }
            show(chair.send(&client, &convention, event, &mut rand_core::OsRng).await?);
        }
        AssemblyCommand::SecretCodes { seat, admin_token_file, vote, codes, out } => {
            let token = std::fs::read_to_string(&admin_token_file)
                .with_context(|| format!("cannot read {}", admin_token_file.display()))?;
            let client = Client::new(&seat.server, Some(token.trim().to_string()));
            let convention = Convention::open(&client, &seat.convention).await.context("no such convention")?;
            let handout = assembly::secret_vote_codes(&client, &convention, vote, codes, &mut rand_core::OsRng).await?;
            let mut csv = String::from("delegate,key,codes\n");
            for (name, key, codes) in &handout {
                csv.push_str(&format!("\"{}\",{key},{}\n", name.replace('"', "\"\""), codes.join(" ")));
            }
            convene::trustee::write_secret(&out, csv.as_bytes())?;
            println!(
                "Registered {} delegates' own keys with one-time codes; hand each their line of {} (then delete it). \
Each votes with: convene vote --server URL --election REFERENDUM --credential THEIR-KEY-FILE --code CODE --answer yes|no|blank",
                handout.len(),
                out.display()
            );
        }
        AssemblyCommand::Constitution { seat, html } => {
            let file = if html { "constitution.html" } else { "constitution.md" };
            let bytes = seated(&seat).get_bytes(&format!("/api/conventions/{}/record/{file}", seat.convention)).await?;
            print!("{}", String::from_utf8_lossy(&bytes));
        }
        AssemblyCommand::Check { key, convention, record } => {
            let path = assembly::journal_path(&key);
            let journal = assembly::read_journal(&path, &convention)?;
            if journal.is_empty() {
                anyhow::bail!("{} holds no event of convention {convention}", path.display());
            }
            let problems = assembly::check_journal(&journal, &record)?;
            for problem in &problems {
                println!("MISSING: {problem}");
            }
            if !problems.is_empty() {
                return Ok(ExitCode::from(1));
            }
            println!("All {} of your events are in the record, where their receipts put them.", journal.len());
        }
        AssemblyCommand::Fetch { seat, out } => {
            seated(&seat).fetch_convention(&seat.convention, &out).await?;
            println!(
                "Fetched the record of convention {} into {}. Check it: convene verify {}",
                seat.convention,
                out.display(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene witness`: the key (made on first start), the logs, the store, the HTTP interface.
async fn witness(
    data: PathBuf,
    name: String,
    logs: Vec<String>,
    addr: String,
    key_only: bool,
    add_logs: bool,
) -> Result<ExitCode> {
    let logs = logs
        .iter()
        .map(|vkey| {
            convene_note::Verifier::parse(vkey)
                .with_context(|| format!("--log {vkey:?} (give the log's verifier key ORIGIN+ID+KEY)"))
        })
        .collect::<Result<Vec<_>>>()?;
    let signer = convene::witnesses::witness_signer(&data, &name).context("--name")?;
    if key_only {
        println!("{}", signer.verifier().to_vkey());
        return Ok(ExitCode::SUCCESS);
    }
    let witness = convene_witness::Witness::open(&data.join("witness.sqlite3"), signer, logs)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let witnessed = witness.logs(None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if add_logs {
        println!("This witness witnesses {} logs:", witnessed.len());
        for log in &witnessed {
            println!("  {}", log.to_vkey());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if witnessed.is_empty() {
        anyhow::bail!(
            "this witness witnesses no log yet: give one with --log ORIGIN+ID+KEY (an election's manifest's log_key)"
        );
    }
    println!("{}", witness.verifier().to_vkey());
    let listener = tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    eprintln!("Witnessing on http://{addr}/add-checkpoint; its verifier key is above.");
    convene_witness::serve(listener, std::sync::Arc::new(witness), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}
