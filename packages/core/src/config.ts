// The pipeline config of one service (`.github/safe-deploy.yml`): a zod schema that checks the
// document and turns it into a normalized `Config` (durations in milliseconds, shares as fractions,
// defaults filled in). The YAML keys are kebab-case (`min-invocations`); the `Config` is camelCase.
//
// - `configSchema`  the schema; `z.toJSONSchema(configSchema, { io: 'input' })` is schema/safe-deploy.schema.json.
// - `parseConfig`   validates a plain object (already parsed from YAML or JSON) and returns the Config or zod issues.
//   Files go through config-loader.ts, which adds file:line:col to every problem and runs the wave checks.
//
// Checked here: durations (`90s`, `10m`, `1h30m`, `2d`), shares (`5%`), AWS region names of every
// partition, alarm references (`name` or `prefix:...`), a one-box share of at most 10%, unique names,
// one partition per stage, IANA time zones, weekly windows and freeze ranges.
// The rules that relate waves to each other live in planner.ts (`checkWaves`).
import { z } from 'zod';
import { formatDurationExact, parseDuration, parseShare, formatShare } from './units.js';
import { ALL_REGIONS, editDistance, partitionOf, unknownRegionMessage } from './regions.js';
import { formatEffect, parseEffect } from './judge.js';
import { parseAllowWindow, parseFreeze, isTimeZone, type AllowWindow, type FreezeRange } from './windows.js';

/** The largest share of a region's traffic a one-box may take (Amazon's rule: at most 10%). */
export const ONEBOX_LIMIT = 0.1;
/** A GitHub-hosted job stops after 6 hours; a `watch` bake longer than this cannot finish on one. */
export const HOSTED_JOB_LIMIT_MS = 6 * 3_600_000;
export const DEFAULT_MAX_WAVE_SIZE = 8;

export type BakeMode = 'watch' | 'verify';

export interface BakePolicy {
  /** How long the candidate must hold its share with no alarm. */
  readonly durationMs: number;
  /** Invocations of the candidate each region must see before the bake can pass. */
  readonly minInvocations: number;
  /** `watch` polls during the bake; `verify` checks the window afterwards (long bakes, with the sentinel). */
  readonly mode: BakeMode;
  /** How long a `watch` bake may wait for enough traffic before failing as insufficient-traffic. */
  readonly maxWaitMs: number;
  /** CloudWatch's ingestion delay the bake allows for after the duration and the function timeout (bake-gate `metrics-delay`). */
  readonly metricsDelayMs: number;
}

export interface OneBox {
  /** Share of the first region's traffic, 0 < traffic <= 0.1. */
  readonly traffic: number;
  readonly bake: BakePolicy;
}

export interface ExplicitWave {
  readonly regions: readonly string[];
  /** Share of each region's traffic the candidate takes in this wave; 1 for a full wave. */
  readonly traffic: number;
  /** Bake of this wave; when absent the planner picks the stage's one-box, first or rest bake. */
  readonly bake?: BakePolicy;
}

export interface Stage {
  readonly name: string;
  /** GitHub environment the stage deploys through (defaults to the stage name). */
  readonly environment: string;
  /** Regions in rollout order: the first one takes the one-box and bakes alone. */
  readonly regions: readonly string[];
  /** Command run against the stage after it is deployed (integration tests). */
  readonly tests?: string;
  readonly onebox?: OneBox;
  /** Bake after the first full-region wave and after every later wave. */
  readonly bake: { readonly first: BakePolicy; readonly rest: BakePolicy };
  readonly waves: 'auto' | readonly ExplicitWave[];
  /** `waves: auto` doubles the number of regions per wave up to this many. */
  readonly maxWaveSize: number;
}

export interface Alarms {
  /** Must all be OK before any stage starts. Each is an alarm name or `prefix:<name prefix>`. */
  readonly block: readonly string[];
  /** Watched during every shift and bake; any of them firing rolls the stage back. */
  readonly rollback: readonly string[];
  /** Canary bounds on the candidate version's own metrics during a one-box bake. */
  readonly onebox: { readonly errorRate?: number; readonly p99DurationMs?: number };
}

export interface Windows {
  /** IANA time zone the weekly hours and freeze dates are written in. */
  readonly timezone: string;
  /** Weekly hours a stage may start in; empty means any time. */
  readonly allow: readonly AllowWindow[];
  /** Date ranges (inclusive, in `timezone`) no stage may start in. */
  readonly freeze: readonly FreezeRange[];
}

export interface Config {
  readonly version: 1;
  readonly service: string;
  readonly alias: string;
  readonly functions: readonly string[];
  readonly stages: readonly Stage[];
  readonly alarms: Alarms;
  readonly windows: Windows;
  /** A trigger names a function without the alias while a wave stays below 100%: refuse (default) or allow. */
  readonly unqualifiedTriggers?: 'refuse' | 'allow';
  /** The judge's settings for every bake (bake-gate reads them through its `config` input); keys given only. */
  readonly judge?: Judge;
}

/** `judge:`: the candidate against the stable version (packages/core/src/judge.ts, docs/bake.md). */
export interface Judge {
  readonly falsePositiveRate?: number;
  readonly minEffect?: number;
  readonly maxP99OverStable?: number;
}

// ---------------------------------------------------------------------------------------------
// Leaf values. Each turns a YAML scalar into a value or adds one issue that says what was expected.

function fromText<T>(parse: (text: string) => T, expected: string, meta: Record<string, unknown>) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected ${expected}, got ${describe(issue.input)}`) })
    .meta(meta)
    .transform((text, ctx) => {
      try {
        return parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, input: text });
        return z.NEVER;
      }
    });
}

/** A short description of a YAML value for messages: `a number (90)`, `a list`. */
export function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `${value}`;
  return typeof value;
}

const DURATION_PATTERN = '^(0|(\\d+(\\.\\d+)?d)?(\\d+(\\.\\d+)?h)?(\\d+(\\.\\d+)?m)?(\\d+(\\.\\d+)?s)?(\\d+(\\.\\d+)?ms)?)$';
const SHARE_PATTERN = '^\\d+(\\.\\d+)?\\s*%$';

const duration = (description: string) =>
  fromText(parseDuration, 'a duration such as 90s, 10m, 1h30m or 2d', { description, pattern: DURATION_PATTERN, examples: ['90s', '10m', '1h30m', '2d'] });

const share = (description: string) =>
  fromText(parseShare, 'a percentage such as 5%', { description, pattern: SHARE_PATTERN, examples: ['5%', '10%', '100%'] });

const count = (description: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : `expected a whole number, got ${describe(issue.input)}`) })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .meta({ description });

const name = (what: string, pattern: RegExp, rule: string, description: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected ${what}, got ${describe(issue.input)}`) })
    .meta({ description, pattern: pattern.source })
    .refine((value) => pattern.test(value), { error: (issue) => `"${String(issue.input)}" is not a valid ${what}: ${rule}` });

function list<T extends z.ZodType>(item: T, what: string, options: { min?: number; unique?: boolean } = {}) {
  let schema = z.array(item, { error: (issue) => (issue.input === undefined ? 'is required' : `expected a list of ${what}, got ${describe(issue.input)}`) });
  if (options.min) schema = schema.min(options.min, `needs at least ${options.min === 1 ? 'one' : options.min} ${what.replace(/s$/, '')}`);
  if (!options.unique) return schema;
  return schema.superRefine((values, ctx) => {
    const seen = new Map<string, number>();
    values.forEach((value, index) => {
      const key = JSON.stringify(value);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else ctx.addIssue({ code: 'custom', path: [index], message: `${JSON.stringify(value)} is listed twice (also at [${first}])`, input: value });
    });
  });
}

const REGION = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected an AWS region name, got ${describe(issue.input)}`) })
  .meta({ description: 'AWS region name, in any partition.', enum: [...ALL_REGIONS] })
  .refine((value) => partitionOf(value) !== undefined, { error: (issue) => unknownRegionMessage(String(issue.input)) });

const regions = (description: string) =>
  list(REGION, 'regions', { min: 1, unique: true })
    .meta({ description })
    .superRefine((values, ctx) => {
      const first = values[0] === undefined ? undefined : partitionOf(values[0]);
      values.forEach((value, index) => {
        const partition = partitionOf(value);
        if (first && partition && partition !== first) {
          ctx.addIssue({ code: 'custom', path: [index], message: `${value} is in partition ${partition} but ${values[0]} is in ${first}; one stage deploys within one partition (one set of credentials)`, input: value });
        }
      });
    });

/** Parses an alarm reference: a CloudWatch alarm name, or `prefix:` and the start of alarm names. */
export function parseAlarmRef(text: string): { kind: 'name'; name: string } | { kind: 'prefix'; prefix: string } {
  if (text.startsWith('prefix:')) {
    const prefix = text.slice('prefix:'.length);
    if (prefix.trim() === '') throw new Error(`"${text}" has an empty prefix; write prefix: and the start of the alarm names, such as prefix:orders-`);
    if (prefix.length > 255) throw new Error(`alarm name prefix is ${prefix.length} characters; CloudWatch alarm names have at most 255`);
    return { kind: 'prefix', prefix };
  }
  if (text.trim() === '') throw new Error('empty alarm name');
  if (text !== text.trim()) throw new Error(`"${text}" starts or ends with spaces; CloudWatch matches alarm names exactly`);
  if (text.length > 255) throw new Error(`alarm name is ${text.length} characters; CloudWatch alarm names have at most 255`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new Error(`alarm name "${text}" contains a control character`);
  return { kind: 'name', name: text };
}

const ALARM_REF = fromText(
  (text) => {
    parseAlarmRef(text);
    return text;
  },
  'an alarm name or prefix:<start of alarm names>',
  { description: 'A CloudWatch alarm name, or `prefix:` followed by the start of alarm names.', examples: ['orders-high-severity', 'prefix:orders-'] },
);

// ---------------------------------------------------------------------------------------------
// Bakes.

interface BakeDefaults {
  readonly durationMs: number;
  readonly minInvocations: number;
}
export const STAGE_BAKE_DEFAULTS: BakeDefaults = { durationMs: 30 * 60_000, minInvocations: 100 };
export const ONEBOX_BAKE_DEFAULTS: BakeDefaults = { durationMs: 60 * 60_000, minInvocations: 100 };
export const DEFAULT_ONEBOX_TRAFFIC = 0.05;

const bakeFields = {
  duration: duration('How long the candidate must hold its share with no alarm.').optional(),
  'min-invocations': count('Invocations of the candidate each region must see before the bake can pass (default 100).').optional(),
  mode: z
    .enum(['watch', 'verify'], { error: (issue) => `expected watch or verify, got ${JSON.stringify(issue.input)}` })
    .meta({ description: '`watch` polls during the bake; `verify` checks the whole window afterwards (for bakes longer than a 6-hour job).' })
    .optional(),
  'max-wait': duration('How long a watch bake may wait for enough traffic before failing as insufficient-traffic (default 3x the duration).').optional(),
  'metrics-delay': duration(
    'How late CloudWatch may still show an invocation\'s metrics after it ended (default 3m): no bake passes before its duration + the longest function timeout + this.',
  ).optional(),
};

type BakeInput = {
  duration?: number | undefined;
  'min-invocations'?: number | undefined;
  mode?: BakeMode | undefined;
  'max-wait'?: number | undefined;
  'metrics-delay'?: number | undefined;
};
export const DEFAULT_METRICS_DELAY_MS = 3 * 60_000;

function toBake(input: BakeInput | undefined, defaults: BakeDefaults): BakePolicy {
  const durationMs = input?.duration ?? defaults.durationMs;
  return {
    durationMs,
    minInvocations: input?.['min-invocations'] ?? defaults.minInvocations,
    mode: input?.mode ?? 'watch',
    maxWaitMs: input?.['max-wait'] ?? durationMs * 3,
    metricsDelayMs: input?.['metrics-delay'] ?? DEFAULT_METRICS_DELAY_MS,
  };
}

const bakePolicyInput = z.strictObject(bakeFields).meta({ description: 'A bake: duration, minimum traffic and mode.' });

/** `bake:` of a stage: one policy for every wave, or `{ first, rest }`. */
const stageBakeInput = z
  .strictObject({
    ...bakeFields,
    first: bakePolicyInput.optional().meta({ description: 'Bake after the first full-region wave (Amazon: at least 12h in production).' }),
    rest: bakePolicyInput.optional().meta({ description: 'Bake after each later wave (Amazon: 2 to 4 hours).' }),
  })
  .superRefine((value, ctx) => {
    if (value.first || value.rest) {
      for (const key of ['duration', 'min-invocations', 'mode', 'max-wait'] as const) {
        if (value[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `give either one bake (duration, min-invocations, ...) or first/rest, not both; move ${key} into first and rest` });
        }
      }
    }
  })
  .meta({ description: 'Bake of each wave: one policy, or `first` (after the first full-region wave) and `rest`. Defaults: 30m, 100 invocations, watch.' });

function toStageBake(input: z.output<typeof stageBakeInput> | undefined): Stage['bake'] {
  if (input?.first || input?.rest) {
    return { first: toBake(input.first, STAGE_BAKE_DEFAULTS), rest: toBake(input.rest, STAGE_BAKE_DEFAULTS) };
  }
  const one = toBake(input, STAGE_BAKE_DEFAULTS);
  return { first: one, rest: one };
}

// ---------------------------------------------------------------------------------------------
// Stages.

const oneboxInput = z
  .strictObject({
    traffic: share('Share of the first region\'s traffic the one-box takes; at most 10% (default 5%).')
      .refine((value) => value > 0, 'a one-box needs some traffic; write a share above 0%')
      .refine((value) => value <= ONEBOX_LIMIT, { error: (issue) => `${formatShare(Number(issue.input))} is above the one-box limit of ${formatShare(ONEBOX_LIMIT)}` })
      .optional(),
    bake: bakePolicyInput.optional().meta({ description: 'Bake of the one-box (default 1h, 100 invocations; Amazon: at least 1 hour in production).' }),
  })
  .meta({ description: 'A first wave that sends a small share of the first region\'s traffic to the candidate.' });

const explicitWaveInput = z
  .strictObject({
    regions: list(REGION, 'regions', { min: 1, unique: true }).meta({ description: 'Regions of this wave.' }),
    traffic: share('Share of each region\'s traffic in this wave: 100% (default) or a one-box share of at most 10%.').optional(),
    bake: bakePolicyInput.optional().meta({ description: 'Bake of this wave (default: the stage\'s one-box, first or rest bake).' }),
  })
  .meta({ description: 'One wave: regions and the candidate\'s share of their traffic.' });

const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** One stage (exported so the loader can check the waves of sound stages while other parts are broken). */
export const stageSchema = z
  .strictObject({
    name: name('stage name', STAGE_NAME, 'letters, digits, - and _, starting with a letter or digit', 'Stage name, such as alpha, beta, gamma or prod.'),
    environment: z.string().min(1).optional().meta({ description: 'GitHub environment of the stage (default: the stage name).' }),
    regions: regions('Regions in rollout order; put a low-traffic region first.'),
    tests: z.string().min(1).optional().meta({ description: 'Command that tests the stage after it is deployed.' }),
    onebox: oneboxInput.optional(),
    bake: stageBakeInput.optional(),
    waves: z
      .union([z.literal('auto'), list(explicitWaveInput, 'waves', { min: 1 })], { error: 'expected auto or a list of waves ({ regions, traffic, bake })' })
      .optional()
      .meta({ description: '`auto` (default): one-box, the first region, the next region alone, then 2, 4, 8 regions at a time. Or an explicit list checked by the same rules.' }),
    'max-wave-size': z
      .number({ error: (issue) => `expected a whole number, got ${describe(issue.input)}` })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .optional()
      .meta({ description: 'Most regions in one automatic wave (default 8).' }),
  })
  .transform((input): Stage => {
    const stage: { -readonly [K in keyof Stage]: Stage[K] } = {
      name: input.name,
      environment: input.environment ?? input.name,
      regions: input.regions,
      bake: toStageBake(input.bake),
      waves:
        input.waves === undefined || input.waves === 'auto'
          ? 'auto'
          : input.waves.map((wave) => ({ regions: wave.regions, traffic: wave.traffic ?? 1, ...(wave.bake ? { bake: toBake(wave.bake, STAGE_BAKE_DEFAULTS) } : {}) })),
      maxWaveSize: input['max-wave-size'] ?? DEFAULT_MAX_WAVE_SIZE,
    };
    if (input.tests !== undefined) stage.tests = input.tests;
    if (input.onebox) stage.onebox = { traffic: input.onebox.traffic ?? DEFAULT_ONEBOX_TRAFFIC, bake: toBake(input.onebox.bake, ONEBOX_BAKE_DEFAULTS) };
    return stage;
  });

// ---------------------------------------------------------------------------------------------
// The document.

/** Every key the file may use anywhere (a test keeps this equal to the JSON Schema's keys). */
export const KNOWN_KEYS: readonly string[] = [
  'version', 'service', 'alias', 'functions', 'stages', 'alarms', 'windows',
  'name', 'environment', 'regions', 'tests', 'onebox', 'bake', 'waves', 'max-wave-size',
  'traffic', 'duration', 'min-invocations', 'mode', 'max-wait', 'metrics-delay', 'first', 'rest',
  'block', 'rollback', 'error-rate', 'p99-duration', 'timezone', 'allow', 'freeze',
  'unqualified-triggers', 'judge', 'false-positive-rate', 'min-effect', 'max-p99-over-stable',
];

/** The message for a key the schema does not know, with the key that was probably meant. */
export function unknownKeyMessage(key: string, allowed?: readonly string[]): string {
  const normal = key.toLowerCase().replace(/_/g, '-');
  const candidates = allowed ?? KNOWN_KEYS;
  const best = candidates
    .map((candidate) => ({ candidate, d: candidate === normal ? 0 : editDistance(normal, candidate) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return best ? `unknown key "${key}"; did you mean "${best.candidate}"?` : `unknown key "${key}"`;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ALIAS_NAME = /^(?!\d+$)[A-Za-z0-9_-]{1,128}$/;
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const alarmsInput = z
  .strictObject({
    block: list(ALARM_REF, 'alarm references', { unique: true }).default([]).meta({ description: 'Alarms that must be OK before any stage starts (the aggregate high-severity alarm).' }),
    rollback: list(ALARM_REF, 'alarm references', { unique: true }).default([]).meta({ description: 'Alarms watched during every shift and bake; one firing rolls back.' }),
    onebox: z
      .strictObject({
        'error-rate': share('Highest error rate of the candidate version during a one-box bake.').optional(),
        'p99-duration': duration('Highest p99 duration of the candidate version during a one-box bake.').optional(),
      })
      .default({})
      .meta({ description: 'Bounds on the candidate version\'s own metrics during a one-box bake.' }),
  })
  .meta({ description: 'CloudWatch alarms that block a stage or roll it back.' });

const windowsInput = z
  .strictObject({
    timezone: z
      .string({ error: (issue) => `expected an IANA time zone such as America/Los_Angeles, got ${describe(issue.input)}` })
      .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone; write one such as America/Los_Angeles, Europe/Berlin or UTC` })
      .default('UTC')
      .meta({ description: 'IANA time zone of the weekly hours and freeze dates (default UTC).', examples: ['America/Los_Angeles', 'Europe/Berlin', 'UTC'] }),
    allow: list(
      fromText(parseAllowWindow, 'weekly hours such as "Mon-Thu 09:00-16:00"', {
        description: 'Days and hours, local time: `Mon-Thu 09:00-16:00`, `Mon,Wed 22:00-02:00` (wraps midnight), `daily 00:00-24:00`.',
        examples: ['Mon-Thu 09:00-16:00', 'Sun-Thu 22:00-02:00'],
      }),
      'weekly windows',
    )
      .default([])
      .meta({ description: 'Weekly hours in which a stage may start; empty (default) means any time.' }),
    freeze: list(
      fromText(parseFreeze, 'a date or date range such as "2026-12-20..2027-01-04"', {
        description: 'A date (`2026-11-26`) or an inclusive date range (`2026-12-20..2027-01-04`) in the time zone.',
        examples: ['2026-12-20..2027-01-04', '2026-11-26'],
      }),
      'freeze dates',
    )
      .default([])
      .meta({ description: 'Dates on which no stage may start.' }),
  })
  .meta({ description: 'When stages may start.' });

const judgeInput = z
  .strictObject({
    'false-positive-rate': share(
      'Chance, over a whole bake, of failing a candidate that is as good as the stable version (default 5%). Lower waits for more evidence.',
    )
      .refine((value) => value > 0 && value < 0.5, 'must be above 0% and below 50%; 5% is usual')
      .optional(),
    'min-effect': fromText(parseEffect, 'a ratio such as 1.5x or an increase such as 50%', {
      description: 'Smallest increase of the error rate over the stable version\'s worth stopping a bake for (default 1.5x): 1.5x and 50% both mean half as many errors again.',
      pattern: '^\\d+(\\.\\d+)?\\s*([xX×]|%)$',
      examples: ['1.5x', '2x', '50%'],
    }).optional(),
    'max-p99-over-stable': share(
      'How much slower (p99 duration) than the stable version the candidate may be, for example 20%; judged once each version has 1000 invocations in the window. Unset: not judged.',
    ).optional(),
  })
  .meta({
    description:
      'The judge: every bake compares the candidate\'s error rate with the stable version\'s on the same alias, with a sequential test that may be checked on every poll. It is on when a bake has no error-rate threshold, and beside the thresholds when this section names the level or the effect.',
  });

export const configSchema = z
  .strictObject({
    version: z.literal(1, { error: (issue) => `expected version 1, got ${JSON.stringify(issue.input)}` }).default(1).meta({ description: 'Format of this file: 1.' }),
    service: name('service name', SERVICE_NAME, 'letters, digits, ., - and _, at most 100', 'Name of the service.'),
    alias: name('alias name', ALIAS_NAME, 'letters, digits, - and _, at most 128, not only digits', 'Lambda alias that takes the traffic (default live).').default('live'),
    functions: list(name('function name', FUNCTION_NAME, 'letters, digits, - and _, at most 64', 'A Lambda function name.'), 'function names', { min: 1, unique: true }).meta({
      description: 'Lambda functions of the service; each region has all of them, each deployed through the alias.',
    }),
    stages: list(stageSchema, 'stages', { min: 1 })
      .superRefine(
        (stages, ctx) => {
          // Runs even when a stage has other problems (`when`), so a duplicate is reported with them;
          // a stage that failed may be half-parsed, hence the type check.
          const seen = new Map<string, number>();
          (stages as unknown[]).forEach((stage, index) => {
            const stageName = (stage as { name?: unknown } | null)?.name;
            if (typeof stageName !== 'string') return;
            const first = seen.get(stageName);
            if (first === undefined) seen.set(stageName, index);
            else ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `stage "${stageName}" is defined twice (also stages[${first}])`, input: stageName });
          });
        },
        { when: (payload) => Array.isArray(payload.value) },
      )
      .meta({ description: 'Stages in the order they deploy, such as alpha, beta, gamma, prod.' }),
    alarms: alarmsInput.default({ block: [], rollback: [], onebox: {} }),
    windows: windowsInput.default({ timezone: 'UTC', allow: [], freeze: [] }),
    'unqualified-triggers': z
      .enum(['refuse', 'allow'], { error: (issue) => `expected refuse or allow, got ${describe(issue.input)}` })
      .default('refuse')
      .meta({ description: 'When an event source mapping, resource-policy permission or function URL invokes a function without the alias (so it runs $LATEST, which holds the candidate from the first write): refuse (default) a wave that leaves the candidate below 100%, or allow it with a warning. See docs/wave-deploy.md.' }),
    judge: judgeInput.optional(),
  })
  .transform(
    (input): Config => ({
      version: 1,
      service: input.service,
      alias: input.alias,
      functions: input.functions,
      stages: input.stages,
      alarms: {
        block: input.alarms.block,
        rollback: input.alarms.rollback,
        onebox: {
          ...(input.alarms.onebox['error-rate'] !== undefined ? { errorRate: input.alarms.onebox['error-rate'] } : {}),
          ...(input.alarms.onebox['p99-duration'] !== undefined ? { p99DurationMs: input.alarms.onebox['p99-duration'] } : {}),
        },
      },
      windows: input.windows,
      unqualifiedTriggers: input['unqualified-triggers'],
      ...(input.judge
        ? {
            judge: {
              ...(input.judge['false-positive-rate'] !== undefined ? { falsePositiveRate: input.judge['false-positive-rate'] } : {}),
              ...(input.judge['min-effect'] !== undefined ? { minEffect: input.judge['min-effect'] } : {}),
              ...(input.judge['max-p99-over-stable'] !== undefined ? { maxP99OverStable: input.judge['max-p99-over-stable'] } : {}),
            },
          }
        : {}),
    }),
  )
  .meta({ title: 'safe-deploy config', description: 'The deployment pipeline of one service (.github/safe-deploy.yml).' });

export type ConfigInput = z.input<typeof configSchema>;

/** Validates a plain object against the schema (no wave checks; use config-loader.ts for files). */
export function parseConfig(data: unknown): { ok: true; config: Config } | { ok: false; issues: z.core.$ZodIssue[] } {
  const result = configSchema.safeParse(data, { reportInput: true });
  return result.success ? { ok: true, config: result.data } : { ok: false, issues: result.error.issues };
}

/** The JSON Schema editors use to complete and check the file. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function bakeToJson(bake: BakePolicy) {
  return {
    duration: formatDurationExact(bake.durationMs),
    'min-invocations': bake.minInvocations,
    mode: bake.mode,
    'max-wait': formatDurationExact(bake.maxWaitMs),
    'metrics-delay': formatDurationExact(bake.metricsDelayMs),
  };
}

/**
 * The Config written back in the file's own terms with every default filled in (durations as `1h30m`,
 * shares as `5%`): the plan action's `config` output, so workflows need no YAML parser of their own.
 * Loading it again gives the same Config.
 */
export function configToJson(config: Config) {
  return {
    version: config.version,
    service: config.service,
    alias: config.alias,
    functions: [...config.functions],
    stages: config.stages.map((stage) => ({
      name: stage.name,
      environment: stage.environment,
      regions: [...stage.regions],
      ...(stage.tests !== undefined ? { tests: stage.tests } : {}),
      ...(stage.onebox ? { onebox: { traffic: formatShare(stage.onebox.traffic), bake: bakeToJson(stage.onebox.bake) } } : {}),
      bake: { first: bakeToJson(stage.bake.first), rest: bakeToJson(stage.bake.rest) },
      waves:
        stage.waves === 'auto'
          ? ('auto' as const)
          : stage.waves.map((wave) => ({ regions: [...wave.regions], traffic: formatShare(wave.traffic), ...(wave.bake ? { bake: bakeToJson(wave.bake) } : {}) })),
      'max-wave-size': stage.maxWaveSize,
    })),
    alarms: {
      block: [...config.alarms.block],
      rollback: [...config.alarms.rollback],
      onebox: {
        ...(config.alarms.onebox.errorRate !== undefined ? { 'error-rate': formatShare(config.alarms.onebox.errorRate) } : {}),
        ...(config.alarms.onebox.p99DurationMs !== undefined ? { 'p99-duration': formatDurationExact(config.alarms.onebox.p99DurationMs) } : {}),
      },
    },
    windows: {
      timezone: config.windows.timezone,
      allow: config.windows.allow.map((window) => window.text),
      freeze: config.windows.freeze.map((range) => range.text),
    },
    'unqualified-triggers': config.unqualifiedTriggers ?? 'refuse',
    ...(config.judge
      ? {
          judge: {
            ...(config.judge.falsePositiveRate !== undefined ? { 'false-positive-rate': formatShare(config.judge.falsePositiveRate) } : {}),
            ...(config.judge.minEffect !== undefined ? { 'min-effect': formatEffect(config.judge.minEffect) } : {}),
            ...(config.judge.maxP99OverStable !== undefined ? { 'max-p99-over-stable': formatShare(config.judge.maxP99OverStable) } : {}),
          },
        }
      : {}),
  };
}
