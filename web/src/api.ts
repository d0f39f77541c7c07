// Generated from docs/openapi.json and docs/record.schema.json by scripts/api-types.mjs: do
// not edit; run `node scripts/api-types.mjs` after changing a schema.

export type ElectionList = {
  elections: {
    id: string;
    phase: Phase;
    title: string;
  }[];
};

/** a referendum's phase (convene_store::Phase), in order */
export type Phase = "draft" | "ceremony" | "credentials" | "open" | "closed" | "tallied" | "decrypted" | "published";

export type Election = {
  id: string;
  phase: Phase;
  manifest: Manifest;
  /** null until the key ceremony is finished */
  base_hash: string | null;
  log_size: number;
  /** a milestone's referendum, once the ratification's signed timeline dates it (docs/timeline.md) */
  scheduled?: {
    date: string;
    /** the ratification referendum whose timeline.json gives the date */
    timeline: string;
  };
};

export type Session = {
  session: string;
  credential: string;
  region: string | null;
  /** POSIX seconds */
  expires: number;
};

/** a receipt (docs/record.schema.json $defs/receipt) */
export type Receipt = {
  version: 1;
  index: number;
  tracking_code: string;
  checkpoint: {
    size: number;
    root: string;
    /** record format 4: the signed, cosigned note */
    note?: string;
    /** formats 1 to 3: the log key's Schnorr signature */
    signature?: Signature;
  };
  inclusion: string[];
};

export type Consistency = {
  from: number;
  to: number;
  proof: string[];
};

export type LogPage = {
  entries: {
    index: number;
    /** a log line (docs/record.schema.json $defs/entry) */
    entry: Record<string, unknown>;
    tracking_code?: string;
  }[];
  next: number | null;
  size: number;
};

export type ConventionList = {
  conventions: {
    id: string;
    /** a convention's phase: sitting until its hand-off */
    phase: "sitting" | "ratified";
    title: string;
  }[];
};

export type Accepted = {
  index: number;
  /** the event's type (docs/convention.md §3) */
  kind: string;
  signer: string;
  /** what the event did, in words (for people; never compared) */
  summary: string;
  /** the number of the motion, amendment or vote it created */
  created?: number;
  hash: string;
  receipt: Receipt;
  said: Said;
};

/** the latest signed checkpoint, or null before the first event */
export type Checkpoint = null | {
  size: number;
  root: string;
  note?: string;
  /** formats 1 to 3: the log key's Schnorr signature */
  signature?: Signature;
};

export type Analysis = {
  revenue: number;
  localities: {
    name: string;
    region: string;
    population: number;
  }[];
  scenarios: {
    motion: number;
    title: string;
    status?: Status;
    /** each locality's share, in the order of `localities` */
    totals?: number[];
    centre?: number;
    /** each deduction's name and amount, before the shares */
    deductions?: ([string, number])[];
    undistributed?: number;
    error?: string;
  }[];
  power: null | {
    quota: number;
    members: {
      region: string;
      seats: number;
      banzhaf: number;
      shapley_shubik: number;
    }[];
  };
};

/** a motion's or an amendment's status */
export type Status = "open" | "adopted" | "rejected" | "withdrawn";

export type Locality = {
  name: string;
  region: string;
  population: number;
  production?: number;
  area?: number;
  /** a GeoJSON Polygon or MultiPolygon geometry, for maps (docs/convention.md §3) */
  boundary?: {
    type: "Polygon";
    coordinates: number[][][];
  } | {
    type: "MultiPolygon";
    coordinates: number[][][][];
  };
};

/** a vote's rule (docs/convention.md §5) */
export type Rule = {
  /** unanimity and consensus from convention version 5 (docs/convention.md §2.4) */
  majority: "simple" | "absolute" | "qualified" | "unanimity" | "consensus";
  /** a qualified majority's share, e.g. 2/3 */
  share?: string;
  base: "present" | "in_office";
  /** members present, as a share of members in office, at least */
  quorum?: string;
  /** the majority must hold within every region's delegation too */
  concurrent?: boolean;
  weighting?: "equal" | "population" | "sqrt_population";
};

/** what a vote decides, by number: a motion, an amendment, or a ranked choice among motions */
export type Subject = {
  motion: number;
} | {
  amendment: number;
} | {
  ranked: number[];
};

export type Choice = "yes" | "no" | "abstain";

export type VoteResult = {
  adopted: boolean;
  yes: number;
  no: number;
  abstain: number;
  /** a ranked vote's Schulze winner, an index into its options */
  winner?: number;
  /** each condition of the rule and whether it held, in words (for people; never compared) */
  conditions?: ([string, boolean])[];
  /** a ranked vote's ties, derived from the rankings (docs/convention.md §7; never compared); options are indices into the vote's options */
  ranked?: {
    /** the options sharing Schulze's first place, when two or more do */
    schulze_tied?: number[];
    runoff_winner?: number;
    /** every option instant runoff elects under some way of breaking its ties for last place */
    runoff_possible_winners?: number[];
    runoff_ties?: {
      round: number;
      tied: number[];
      decisive: boolean;
    }[];
  };
  /** The conditions as data, one per line of `conditions`, in the same order. Derived by the server; never part of a signed event (one that carries it is refused). */
  said?: Said[];
};

export type TrusteeCount = {
  n: number;
  t: number;
  members?: Actor[];
};

/** a convention's state as its log has made it */
export type ConventionState = {
  id: string;
  charter: Charter;
  /** entries applied (the next entry's index) */
  entries: number;
  /** each signer's last sequence number, by key */
  sequence: Record<string, number>;
  /** every version of the localities, oldest first */
  localities: {
    version: number;
    source: string;
    localities: Locality[];
    entry: number;
  }[];
  apportionment: null | {
    localities_version: number;
    method: string;
    seats: number;
    min_seats: number;
    max_seats: number | null;
    /** seats per locality, in the localities' order */
    result: number[];
    entry: number;
  };
  members: {
    key: Hex32;
    name: string;
    locality: string;
    region: string;
    role: "delegate" | "observer" | "head";
    /** the locality's population divided by its seats, rounded down */
    population: number;
    entry: number;
  }[];
  agenda: string[];
  current_item: number;
  /** the keys of the delegates waiting for the floor */
  speakers: string[];
  floors: {
    delegate: string;
    region: string;
    seconds: number;
    entry: number;
  }[];
  motions: {
    id: number;
    title: string;
    proposer: string;
    /** the body as moved */
    moved: Body;
    /** the body with the adopted amendments applied */
    current: Body;
    status: Status;
    history: string[];
    entry: number;
    /** the reference of the entry that moved it */
    hash: string;
    /** the text version: 1 as moved, one more per adopted amendment */
    version: number;
    /** by language tag */
    translations: Record<string, MotionTranslation>;
    /** The history's lines as data, one per line of `history` (absent when it has none). */
    steps?: Said[];
  }[];
  amendments: {
    id: number;
    motion: number;
    proposer: string;
    changes: {
      from: number;
      to: number;
      with: string[];
    }[];
    rationale: string;
    /** the diff against the motion's text when the amendment was moved */
    diff: string;
    status: Status;
    entry: number;
    hash: string;
  }[];
  votes: {
    id: number;
    subject: Subject;
    rule: Rule;
    open: boolean;
    /** the keys of the delegates in office when the vote opened */
    in_office: string[];
    choices: Record<string, Choice>;
    /** each voter's ranking: groups of tied options, best first */
    rankings: Record<string, number[][]>;
    /** as closed, or while open counted so far */
    result: VoteResult;
    secret?: {
      referendum: string;
      trustees: TrusteeCount;
      /** per region [yes, no, abstain], as the referendum published them */
      tally: Record<string, number[]>;
    };
    entry: number;
    hash: string;
    /** a consensus vote's objections, in order, withdrawn or not (docs/convention.md §2.4) */
    objections?: {
      by: Hex32;
      entry: number;
      /** the log entry that withdrew it */
      withdrawn?: number;
    }[];
  }[];
  /** adopted motions in order of adoption: article k + 1 is motion articles[k] */
  articles: number[];
  ratified: null | {
    referendum: string;
    question: string;
    rule: string;
    min_region_ballots: number;
    trustees: TrusteeCount;
    registrar: null | Actor;
    code_issuer: null | Actor;
    credential_kdf?: CredentialKdf;
    translations?: Translations;
    /** the constitution's official translations, Markdown by language tag (docs/convention.md) */
    constitutions?: Record<string, string>;
    entry: number;
  };
  checkpoint: Checkpoint;
  regions: string[];
  constitution: Constitution;
};

/** the charter as the server completed it */
export type ConventionCreated = {
  id: string;
  phase: "sitting";
  charter: Charter;
};

/** a charter without its version and log key, which the server adds */
export type NewConvention = {
  convention_id: string;
  title: string;
  chair: Hex32;
  secretary: Hex32;
  /** per delegation and agenda item; default 600 */
  speaking_seconds?: number;
  trustees?: Actor[];
  /** below how many ballots a secret vote's regions are merged; default 5 */
  min_region_ballots?: number;
  witnesses?: {
    key: string;
    url: string;
  }[];
  witness_quorum?: number;
  conference?: Conference;
};

/** the manifest as the server completed it (its version and log key) */
export type ElectionCreated = {
  id: string;
  phase: "draft";
  manifest: Manifest;
};

/** the authority's signature was stored */
export type Signed = {
  signed: true;
};

/** the key ceremony's outcome */
export type CeremonyFinished = {
  qualified: number[];
  election_key: string;
  /** what the public checks found, in words */
  findings: string[];
};

/** the list is published; the base hash every ballot is bound to */
export type CredentialsAccepted = {
  credentials: number;
  base_hash: string;
};

/** how many code hashes were stored */
export type CodesAccepted = {
  codes: number;
};

/** the trustee's acknowledgement was stored */
export type Acknowledged = {
  trustee: number;
  acknowledged: true;
};

/** voting is open */
export type Opened = {
  phase: "open";
};

/** voting is closed and the tally is computed */
export type Closed = {
  phase: "tallied";
  /** ballots counted nationally */
  counted: number | null;
  /** ballots a later one under the same credential replaced */
  superseded: number;
};

/** the trustee's partial decryptions were checked and stored */
export type DecryptionAccepted = {
  trustee: number;
  accepted: true;
};

/** the ceremony's messages (docs/record.schema.json $defs/ceremony); until the supervisor finishes it, its outcome is the pending one: nobody qualified, no election key */
export type CeremonySoFar = Ceremony | {
  outcome: {
    qualified: unknown[];
    election_key: "";
    verification_keys: unknown[];
  };
};

/** a motion's title and text in another language, of the version it names (older than the motion's: out of date) */
export type MotionTranslation = {
  title: string;
  text: string;
  version: number;
  /** the translator's key: a delegate's or the secretary's */
  by: Hex32;
  entry: number;
};

/** Something a convention's state machine says, as data (docs/convention.md §4.1): the Fluent message `id` of crates/record/locales/*.ftl (`event-…`, `history-…`, `condition-…`) and its variables `args`. The pages say it in their language; the English is beside it. */
export type Said = {
  id: string;
  args: Record<string, string | number>;
};

/** version 2: an actor named in the manifest, by name and long-term ristretto255 key (protocol note §9) */
export type Actor = {
  name: string;
  key: Hex32;
};

/** an adopted article in another language, of its adopted version (docs/convention.md §5) */
export type ArticleTranslation = {
  title: string;
  /** Markdown */
  text: string;
  /** the translator's key: a delegate's or the secretary's */
  by: Hex32;
};

/** a motion's or an article's body (docs/convention.md §3): exactly one of plain text, a matrix of competences, a revenue formula (TOML, docs/revenue.md) or a transitional milestone */
export type Body = {
  text: string;
} | {
  competences: {
    powers: {
      power: string;
      holder: "centre" | "shared" | "regions";
    }[];
    /** the shared rule of a matrix of competences; an absent flag is false */
    shared_rule?: {
      regional_chamber?: boolean;
      regional_consent_to_amendment?: boolean;
      regions_in_executive?: boolean;
      regions_co_decide_revenue?: boolean;
    };
  };
} | {
  /** the formula, TOML */
  revenue: string;
} | {
  milestone: {
    region: string;
    event: string;
    years_after_ratification: number;
    /** version 5: and months */
    months?: number;
    /** version 5: the adopted milestone article this one follows, instead of ratification */
    after_article?: number;
  };
};

export type Ceremony = {
  version: Version;
  round1: {
    trustee: Index;
    communication_key: Hex32;
    communication_proof: Signature;
    commitments: Hex32[];
    commitment_proofs: Signature[];
    /** version 2: the trustee's signature of its round 1 */
    signature?: Signature;
  }[];
  shares: {
    dealer: Index;
    recipient: Index;
    R: Hex32;
    u: Hex32;
  }[];
  complaints: {
    dealer: Index;
    accuser: Index;
    S: Hex32;
    proof: Dleq;
  }[];
  outcome: {
    qualified: Index[];
    election_key: Hex32;
    verification_keys: {
      trustee: Index;
      key: Hex32;
    }[];
  };
  /** version 2: each dealer's signature of its shares */
  signed_shares?: {
    trustee: Index;
    signature: Signature;
  }[];
  /** version 2: each trustee's signature of its complaints (none included) */
  signed_complaints?: {
    trustee: Index;
    signature: Signature;
  }[];
};

/** a convention's charter.json (docs/convention.md §1); its own format version, 1 to 5 */
export type Charter = {
  /** 2: events commit to what their signer saw and name objects by hash (docs/convention.md §2.1); 3: version 2 with a witnessed log (§2.2); 4: version 3 whose referendums name its witnesses (§2.3); 5: version 4 with conferences of states and the unanimity and consensus rules (§2.4) */
  version: 1 | 2 | 3 | 4 | 5;
  convention_id: string;
  title: string;
  chair: Hex32;
  secretary: Hex32;
  speaking_seconds: Count;
  log_key: Hex32 | string;
  /** who may be a trustee of the convention's referendums */
  trustees?: Actor[];
  /** a secret vote's referendum publishes a region's counts only with at least this many ballots; smaller regions are merged (docs/convention.md §4); absent means 0 */
  min_region_ballots?: number;
  /** versions 3 and 4: the witnesses who cosign every checkpoint of the log (version 4: and of the referendums it calls for) */
  witnesses?: {
    /** a C2SP verifier key of type 0x04 (a cosignature key); its name is the witness's name */
    key: string;
    /** where the witness answers POST /add-checkpoint and GET /checkpoint/ORIGIN */
    url: string;
  }[];
  /** versions 3 and 4: how many witnesses must cosign each checkpoint */
  witness_quorum?: number;
  conference?: Conference;
};

/** version 5: a conference of states (docs/convention.md §2.4): one delegation per state, no apportionment, no referendum */
export type Conference = {
  /** the states, each seating one delegation */
  states: string[];
};

/** a convention's constitution.json: the adopted articles with their history */
export type Constitution = {
  /** the charter's version */
  version: 1 | 2 | 3 | 4 | 5;
  title: string;
  constitution_version: number;
  articles: {
    number: number;
    motion: number;
    title: string;
    body: Body;
    history: string[];
    /** by language tag */
    translations?: Record<string, ArticleTranslation>;
  }[];
  ratification?: string | null;
  /** version 5: a conference's adopted texts, its communiqué (absent otherwise) */
  communique?: true;
};

export type Count = number;

/** credentials typed from a sheet: their keys derived by Argon2id with these parameters (protocol note §14.5) */
export type CredentialKdf = {
  algorithm: "argon2id";
  memory_kib: number;
  iterations: number;
  parallelism: number;
};

export type CredentialLine = {
  credential: Hex32;
  region: string;
  /** the credential's public weight; absent means 1 */
  weight?: number;
};

export type Dleq = {
  T1: Hex32;
  T2: Hex32;
  z: Hex32;
};

export type Hex32 = string;

export type Index = number;

export type Manifest = {
  version: Version;
  election_id: string;
  title: string;
  questions: Question[];
  regions: string[];
  trustees: {
    n: number;
    t: Index;
    /** version 2: trustee j is members[j-1] */
    members?: Actor[];
  };
  log_key: Hex32 | string;
  ratification?: {
    question: string;
    /** TOML, as `convene ratify --rule` takes it */
    rule: string;
    region_weights?: Record<string, string>;
  };
  min_region_ballots?: Count;
  /** set when a convention handed the referendum its constitution (docs/convention.md) */
  origin?: {
    convention: string;
    constitution_sha256?: string;
    schedule?: string;
    vote?: number;
  };
  /** version 2: signs the manifest (authority.json) */
  authority?: Actor;
  /** version 2: signs the credential list (registrar.json) */
  registrar?: Actor;
  /** version 2: issues the sign-in codes apart from the registrar; absent: one sheet */
  code_issuer?: Actor;
  /** version 2: the largest weight a credential may carry */
  max_weight?: number;
  /** version 2: log entries one credential may have */
  max_ballots_per_credential?: number;
  credential_kdf?: CredentialKdf;
  /** version 4: the witnesses who cosign every checkpoint */
  witnesses?: {
    /** a C2SP verifier key of type 0x04 (a cosignature key); its name is the witness's name */
    key: string;
    /** where the witness answers POST /add-checkpoint and GET /checkpoint/ORIGIN */
    url: string;
  }[];
  /** version 4: how many witnesses must cosign each checkpoint */
  witness_quorum?: number;
  translations?: Translations;
  /** version 4: the SHA-256 (hex) of every page and asset of the booth the host serves, by file name as the web build lists them (web/build.mjs, assets.json); convene check-booth compares what is served with it */
  booth_assets?: Record<string, Hex32>;
  /** version 4: origins of static copies of the booth (convene export-booth) that the server answers by CORS */
  booth_origins?: string[];
};

export type Question = {
  kind: "yes-no";
  id: string;
  text: string;
  blank?: boolean;
} | {
  kind: "choose";
  id: string;
  text: string;
  options: string[];
  min: Count;
  max: Count;
  max_per_option: number;
};

/** registrar.json (version 2): the registrar's signed statement on the credential list */
export type Registrar = {
  version: Version;
  credentials_hash: Hex32;
  regions: {
    region: string;
    credentials: Count;
    weight: Count;
  }[];
  credentials: Count;
  weight: Count;
  signature: Signature;
};

export type Results = {
  version: Version;
  scopes: {
    scope: string;
    counted: Count;
    questions: Count[][];
    /** total weight of the counted ballots, when it differs from their number */
    weight?: Count;
    /** for the merged scope: the regions it merges */
    regions?: string[];
  }[];
  ratification?: {
    outcome: "ratified" | "rejected" | "per-region";
    /** version 1: the verdict in English, line by line */
    report?: string[];
    /** version 2: each condition with its exact figures and no words (docs/record-format.md) */
    conditions?: {
      region?: string;
      kind: "approval" | "quorum" | "regions" | "blocking";
      holds: boolean;
      figures: Record<string, boolean | number | string | string[]>;
    }[];
  };
};

export type Signature = {
  R: Hex32;
  s: Hex32;
};

/** the election's title, questions and options in other languages, by language tag (docs/record-format.md) */
export type Translations = Record<string, {
  title: string;
  questions: {
    text: string;
    options?: string[];
  }[];
  /** the SHA-256 of the text to ratify in this language, constitution.LANG.md (only for a referendum that ratifies a text) */
  constitution_sha256?: Hex32;
}>;

/** the record format version; every document of a record carries its manifest's */
export type Version = 1 | 2 | 3 | 4;
