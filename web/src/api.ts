// Generated from docs/openapi.json by scripts/api-types.mjs: do not edit; run
// `node scripts/api-types.mjs` after changing a response schema.

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
  /** the manifest (docs/record.schema.json $defs/manifest) */
  manifest: Record<string, unknown>;
  /** null until the key ceremony is finished */
  base_hash: string | null;
  log_size: number;
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
    signature?: Record<string, unknown>;
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
};

/** the latest signed checkpoint, or null before the first event */
export type Checkpoint = null | {
  size: number;
  root: string;
  note?: string;
  signature?: Record<string, unknown>;
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
    status?: string;
    /** each locality's share, in the order of `localities` */
    totals?: number[];
    centre?: number;
    deductions?: unknown[];
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
