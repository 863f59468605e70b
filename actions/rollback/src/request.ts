// Reads and checks every rollback input before anything touches AWS.
import { parseDeployment, type Deployment } from '../../../packages/core/src/deployment.js';
import type { RollbackOrder, RollbackTarget } from '../../../packages/deploy/src/rollback.js';
import { isRegion, unknownRegionMessage } from '../../../packages/core/src/regions.js';
import {
  InputError,
  checkVersionOwner,
  isFunctionName,
  parseVersionRef,
  readInteger,
  readList,
  readStorePath,
  readString,
  type InputSource,
  type VersionRef,
} from '../../../packages/github/src/inputs.js';

export type { RollbackTarget };

export interface RollbackRequest extends RollbackOrder {
  /** `previous`: the stable version recorded (in the deployment, else on the alias); otherwise a version. */
  readonly to: 'previous' | VersionRef;
  readonly reason: string;
  readonly deployment: Deployment | null;
  /** The explicit version the caller confirmed although no record vets it (empty: none). */
  readonly confirmUnvetted: string;
}

const ALIAS_NAME = /^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$/;

/** Longest rollback reason kept; a longer one is truncated (and ends with "…"). */
export const REASON_MAX = 500;

export function readRollbackRequest(source: InputSource, env: NodeJS.ProcessEnv = process.env): RollbackRequest {
  const deploymentText = readString(source, 'deployment');
  const functionsText = source('functions').trim();
  const regionsText = source('regions').trim();
  let targets: RollbackTarget[];
  let deployment: Deployment | null = null;
  if (deploymentText) {
    if (functionsText || regionsText) {
      throw new InputError(functionsText ? 'functions' : 'regions', 'give either deployment, or functions + regions (+ alias), not both');
    }
    deployment = parseDeployment(deploymentText, 'deployment');
    const seen = new Set<string>();
    targets = [];
    for (const t of deployment.targets) {
      if (!isRegion(t.region)) throw new InputError('deployment', `target ${t.function}: ${unknownRegionMessage(t.region)}`);
      const key = `${t.region}/${t.function}/${t.alias}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ region: t.region, function: t.function, alias: t.alias, recordedStable: t.stable, recordedCandidate: t.candidate });
    }
  } else {
    if (!functionsText && !regionsText) throw new InputError('deployment', "no targets: pass wave-deploy's `deployment` output, or functions + regions (+ alias)");
    const functions = readList(source, 'functions', { required: true, hint: 'name at least one Lambda function' });
    for (const name of functions) {
      if (!isFunctionName(name)) throw new InputError('functions', `"${name}" is not a Lambda function name (1 to 64 letters, digits, - and _)`);
    }
    const regions = readList(source, 'regions', { required: true, hint: 'name at least one AWS region' });
    for (const region of regions) if (!isRegion(region)) throw new InputError('regions', unknownRegionMessage(region));
    const alias = readString(source, 'alias') || 'live';
    if (!ALIAS_NAME.test(alias)) throw new InputError('alias', `"${alias}" is not an alias name`);
    targets = regions.flatMap((region) => functions.map((fn) => ({ region, function: fn, alias })));
  }
  const toText = readString(source, 'to') || 'previous';
  const to = toText === 'previous' ? ('previous' as const) : parseVersionRef('to', toText);
  if (to !== 'previous') checkVersionOwner('to', to, [...new Set(targets.map((t) => t.function))]);
  const confirmUnvetted = readString(source, 'confirm-unvetted');
  if (confirmUnvetted !== '' && (to === 'previous' || confirmUnvetted !== to.version)) {
    throw new InputError('confirm-unvetted', `"${confirmUnvetted}" must repeat the version number of input to (${to === 'previous' ? 'previous' : to.version})`);
  }
  // One line of text: a newline would let the reason start a runner command (`::error::`, `::stop-commands::`)
  // in the log or a forged row in the summary. Control characters become spaces; a rollback is never refused for its reason.
  // A long reason (a wide incident names many alarms and regions) is cut to REASON_MAX characters and
  // marked with "…", never refused: refusing it would refuse the rollback itself.
  // eslint-disable-next-line no-control-regex
  const given = readString(source, 'reason').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || 'not given';
  const reason = given.length > REASON_MAX ? `${given.slice(0, REASON_MAX)}…` : given;
  const storePath = readStorePath(env);
  const environment = readString(source, 'environment') || deployment?.stage || env.SAFE_DEPLOY_ENVIRONMENT || 'production';
  return {
    targets,
    to,
    reason,
    environment,
    maxParallel: readInteger(source, 'max-parallel', 50, { min: 1, max: 50 }),
    run: env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `.${env.GITHUB_RUN_ATTEMPT}` : ''}` : 'local',
    commit: deployment?.commit ?? env.GITHUB_SHA ?? '',
    deployment,
    onlyCommit: readCommit(source),
    ...(storePath ? { storePath } : {}),
    confirmUnvetted,
  };
}

function readCommit(source: InputSource): string {
  const commit = readString(source, 'commit');
  if (commit !== '' && !/^[0-9a-zA-Z._-]{1,64}$/.test(commit)) throw new InputError('commit', `"${commit}" is not a commit id`);
  return commit;
}

