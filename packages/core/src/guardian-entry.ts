// The guardian's store entry: what the guardian needs about a deployment beyond the alias record.
//
// The alias record (deployment.ts) says, per alias, which version is stable and which candidate is in
// flight. It cannot say which alarms watch the deployment, until when the pipeline promises to watch
// it itself (the lease), or which other aliases belong to the same deployment. That lives in one
// SSM Parameter Store parameter per deployment and region (packages/aws/src/deployment-store.ts),
// written by wave-deploy before its first shift, renewed by a watching bake-gate, deleted by the last
// bake of the wave. It exists without the guardian's stack, so a guardian installed later finds every
// deployment in flight. See docs/guardian.md for why Parameter Store and not tags.
//
// Pure: the encoding, the parameter name and the strict decoder. A value that does not decode is
// reported by its parameter name only; its text never reaches a log.
import { z } from 'zod';

export const ENTRY_FORMAT = 1;
/** Standard-tier parameters hold at most 4 KB (4096 characters). */
export const ENTRY_VALUE_LIMIT = 4096;
/** Where entries live unless told otherwise (SAFE_DEPLOY_STORE_PATH for the guardian). */
export const DEFAULT_STORE_PATH = '/safe-deploy';

/** Names that go into a parameter name or a log: Lambda function and alias names, service and stage names. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Commit and run ids: the same charset the alias record allows (F: record fields g/r). */
const TOKEN = /^[A-Za-z0-9._-]*$/;
/** Parameter Store paths: letters, digits, `._-` and `/`, never starting with aws or ssm. */
const PATH = /^(\/[A-Za-z0-9._-]+)+$/;

const alarmRef = z
  .string()
  .min(1)
  .max(262) // "prefix:" + a 255-character alarm name
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s), 'control characters are not allowed in an alarm reference');

const wireEntry = z
  .object({
    sd: z.literal(ENTRY_FORMAT),
    service: z.string().regex(NAME).nullable(),
    stage: z.string().regex(NAME).nullable(),
    wave: z.string().regex(NAME).nullable(),
    alias: z.string().regex(NAME),
    /** Functions of the deployment in this region. */
    functions: z.array(z.string().regex(NAME)).min(1).max(100),
    /** Every region of the deployment (this one included). */
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)).min(1).max(40),
    /** Rollback alarms: names or `prefix:`. */
    alarms: z.array(alarmRef).max(100),
    commit: z.string().max(12).regex(TOKEN),
    run: z.string().max(24).regex(TOKEN),
    /** Unix seconds until which the pipeline watches the deployment itself; null: no lease. */
    lease: z.number().int().nonnegative().nullable(),
    /** Unix seconds of the write. */
    at: z.number().int().nonnegative(),
  })
  .strict();

export interface DeploymentEntry {
  readonly service: string | null;
  readonly stage: string | null;
  readonly wave: string | null;
  readonly alias: string;
  readonly functions: readonly string[];
  readonly regions: readonly string[];
  /** Rollback alarm references (names or `prefix:`), as the config's `alarms.rollback`. */
  readonly alarms: readonly string[];
  /** Commit being deployed, shortened to 12 characters like the alias record's. */
  readonly commit: string;
  readonly run: string;
  /** Unix seconds; null when the deployment has no lease (it never expires by time). */
  readonly lease: number | null;
  readonly at: number;
}

/** The key of a deployment in the store: the service when the config names one, else its first function. */
export function entryKey(entry: Pick<DeploymentEntry, 'service' | 'functions'>): string {
  return entry.service ?? [...entry.functions].sort()[0] ?? '';
}

/** Checks a store path (`/safe-deploy`, `/safe-deploy/team-a`); the error names the setting. */
export function checkStorePath(path: string, setting = 'store path'): string {
  const trimmed = path.replace(/\/+$/, '');
  if (!PATH.test(trimmed)) throw new Error(`${setting}: "${path}" is not a Parameter Store path (/name or /name/name, letters, digits, . _ -)`);
  if (/^\/(aws|ssm)/i.test(trimmed)) throw new Error(`${setting}: "${path}" starts with aws or ssm, which Parameter Store reserves`);
  return trimmed;
}

/** The parameter holding a deployment in one region: `<path>/<alias>/<key>`. */
export function entryName(path: string, entry: Pick<DeploymentEntry, 'alias' | 'service' | 'functions'>): string {
  return `${checkStorePath(path)}/${entry.alias}/${entryKey(entry)}`;
}

/** The value written into the parameter; throws naming the field when the entry is not valid. */
export function encodeEntry(entry: DeploymentEntry): string {
  const wire = {
    sd: ENTRY_FORMAT,
    service: entry.service,
    stage: entry.stage,
    wave: entry.wave,
    alias: entry.alias,
    functions: [...entry.functions],
    regions: [...entry.regions],
    alarms: [...entry.alarms],
    commit: entry.commit.slice(0, 12),
    run: entry.run.slice(0, 24),
    lease: entry.lease === null ? null : Math.floor(entry.lease),
    at: Math.floor(entry.at),
  };
  const result = wireEntry.safeParse(wire);
  if (!result.success) {
    throw new Error(`deployment store entry: ${result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const text = JSON.stringify(result.data);
  if (text.length > ENTRY_VALUE_LIMIT) {
    throw new Error(`deployment store entry is ${text.length} characters, above the ${ENTRY_VALUE_LIMIT} a standard parameter holds (too many functions or alarms)`);
  }
  return text;
}

export type DecodedEntry = { readonly ok: true; readonly entry: DeploymentEntry } | { readonly ok: false; readonly problem: string };

/**
 * Reads a parameter value strictly. The problem names only fields of the format (never the text),
 * so it can be logged as it is.
 */
export function decodeEntry(value: string | undefined | null): DecodedEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const result = wireEntry.safeParse(parsed);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((i) => (i.code === 'unrecognized_keys' ? 'unknown field' : i.path.map(String).join('.') || '(root)')))];
    return { ok: false, problem: `invalid ${fields.join(', ')}` };
  }
  const w = result.data;
  return {
    ok: true,
    entry: {
      service: w.service,
      stage: w.stage,
      wave: w.wave,
      alias: w.alias,
      functions: w.functions,
      regions: w.regions,
      alarms: w.alarms,
      commit: w.commit,
      run: w.run,
      lease: w.lease,
      at: w.at,
    },
  };
}
