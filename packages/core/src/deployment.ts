// The deployment record and the `deployment` JSON handed between actions.
//
// Two shapes live here:
// - AliasRecord: the compact JSON kept in a Lambda alias Description (at most 256 characters).
//   It is written by the same UpdateAlias call that moves the traffic, so the split and the
//   knowledge of how to undo it always change together.
// - Deployment: the `deployment` output of wave-deploy, the input of bake-gate and rollback.
import { z } from 'zod';

export const ALIAS_DESCRIPTION_LIMIT = 256;
export const RECORD_FORMAT = 1;

/**
 * Where a deployment stands on one alias.
 * - shifting: traffic is moving in steps; the candidate holds part of the traffic.
 * - baking:   the candidate holds its share of the wave and waits for the bake.
 * - promoted: the candidate holds all traffic; `stable` is still the rollback target.
 * - rolled-back: the alias is back on `stable`; `candidate` is the version that was refused.
 */
export const DEPLOYMENT_STATES = ['shifting', 'baking', 'promoted', 'rolled-back'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** States a sentinel must keep watching: the candidate serves traffic and the bake is not over. */
export const IN_FLIGHT_STATES: readonly DeploymentState[] = ['shifting', 'baking'];

export interface AliasRecord {
  /** Format of the record. */
  readonly v: typeof RECORD_FORMAT;
  /** Known-good version: what a rollback returns to. */
  readonly stable: string;
  /** Version being deployed (null when none was ever deployed through safe-deploy). */
  readonly candidate: string | null;
  /** The stable version before `stable`, kept so a second rollback knows where it came from. */
  readonly previous: string | null;
  /** Share of traffic on the candidate, 0..1. */
  readonly weight: number;
  readonly state: DeploymentState;
  /** Commit being deployed (shortened to 12 characters). */
  readonly commit: string;
  /** GitHub run id that last wrote the record. */
  readonly run: string;
  /** Unix seconds of the write. */
  readonly at: number;
}

/** Characters of the record's commit (`g`) and run (`r`) fields. */
export const RECORD_TOKEN = /^[0-9A-Za-z._-]*$/;

// Short keys keep the record well under the 256-character Description limit.
const wireRecord = z
  .object({
    sd: z.literal(RECORD_FORMAT),
    s: z.string().regex(/^\d+$/),
    c: z.string().regex(/^\d+$/).nullable(),
    p: z.string().regex(/^\d+$/).nullable(),
    w: z.number().min(0).max(1),
    st: z.enum(DEPLOYMENT_STATES),
    // Commit and run id reach logs and summaries: only the characters a commit or run id can have
    // (a newline here could start a runner command such as `::stop-commands::`).
    g: z.string().max(40).regex(RECORD_TOKEN),
    r: z.string().max(24).regex(RECORD_TOKEN),
    t: z.number().int().nonnegative(),
  })
  .strict();

/**
 * Weights are kept to 5 decimals. The Lambda API documents AdditionalVersionWeights only as a double
 * between 0.0 and 1.0; every share safe-deploy writes comes from a percentage with at most 3 decimals
 * (5 decimals as a fraction), so rounding here never changes what was asked, and read-backs compare
 * within half a unit of the 5th decimal (`sameWeight`) in case Lambda stores the double differently.
 */
export function roundWeight(weight: number): number {
  return Math.round(weight * 100_000) / 100_000;
}

/** Two weights are the same share when they differ by at most half a unit of the 5th decimal. */
export function sameWeight(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.000005 + Number.EPSILON;
}

/** A commit or run id in the record's alphabet: any other character becomes `_`. */
function token(text: string): string {
  return text.replace(/[^0-9A-Za-z._-]/g, '_');
}

export function encodeRecord(record: AliasRecord): string {
  const wire: z.infer<typeof wireRecord> = {
    sd: RECORD_FORMAT,
    s: record.stable,
    c: record.candidate,
    p: record.previous,
    w: roundWeight(record.weight),
    st: record.state,
    g: token(record.commit).slice(0, 12),
    r: token(record.run).slice(0, 24),
    t: Math.floor(record.at),
  };
  const text = JSON.stringify(wire);
  if (text.length > ALIAS_DESCRIPTION_LIMIT) {
    throw new Error(`deployment record is ${text.length} characters, above the alias description limit of ${ALIAS_DESCRIPTION_LIMIT}`);
  }
  return text;
}

export type DecodedRecord =
  | { readonly kind: 'record'; readonly record: AliasRecord }
  | { readonly kind: 'none' } // empty or human text: the alias is adopted as it is
  | { readonly kind: 'corrupt'; readonly reason: string }; // looks like ours but does not parse

/** Reads an alias description. A description that is not ours means "no record"; one that is ours but broken is reported. */
export function decodeRecord(description: string | undefined | null): DecodedRecord {
  const text = (description ?? '').trim();
  if (!text.startsWith('{') || !text.includes('"sd"')) return { kind: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', reason: `not JSON: ${(error as Error).message}` };
  }
  const result = wireRecord.safeParse(parsed);
  if (!result.success) {
    return { kind: 'corrupt', reason: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  const w = result.data;
  return {
    kind: 'record',
    record: { v: RECORD_FORMAT, stable: w.s, candidate: w.c, previous: w.p, weight: w.w, state: w.st, commit: w.g, run: w.r, at: w.t },
  };
}

/** One alias in one region, as wave-deploy left it. */
export const deploymentTargetSchema = z.object({
  region: z.string().min(1),
  function: z.string().min(1),
  alias: z.string().min(1),
  /** Version a rollback returns to. */
  stable: z.string().regex(/^\d+$/),
  /** Version being deployed. */
  candidate: z.string().regex(/^\d+$/),
  /** Share of traffic on the candidate after the write, 0..1. */
  weight: z.number().min(0).max(1),
  /** Alias RevisionId after the write (guards the next write). */
  revision: z.string().nullable(),
  /** The record written into the alias description. */
  record: z.string().max(ALIAS_DESCRIPTION_LIMIT),
});
export type DeploymentTarget = z.infer<typeof deploymentTargetSchema>;

export const deploymentSchema = z.object({
  format: z.literal(1),
  service: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  wave: z.string().min(1).optional(),
  alias: z.string().min(1),
  commit: z.string(),
  run: z.string(),
  /** Share of traffic the wave put on the candidate, 0..1. */
  traffic: z.number().min(0).max(1),
  /** ISO time the wave finished moving traffic; bake windows start here. */
  shiftedAt: z.string(),
  /**
   * Seconds of the lease wave-deploy wrote into the deployment store (input `lease`); null: no
   * lease; absent: written by a version without leases. A watching bake-gate renews it for as long.
   */
  leaseSeconds: z.number().int().nonnegative().nullable().optional(),
  targets: z.array(deploymentTargetSchema).min(1),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** Parses the `deployment` input of bake-gate and rollback; the error names the input. */
export function parseDeployment(text: string, inputName = 'deployment'): Deployment {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`input ${inputName}: not JSON (${(error as Error).message}); pass the \`deployment\` output of wave-deploy`);
  }
  const result = deploymentSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`input ${inputName}: not a safe-deploy deployment (${problems})`);
  }
  return result.data;
}
