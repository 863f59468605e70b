// Triggers that invoke a function without its alias, and what wave-deploy says about them.
//
// An unqualified function name or ARN (or `:$LATEST`) runs `$LATEST`. UpdateFunctionCode changes
// `$LATEST` at once, so every such trigger gets the candidate's code before any traffic shift, in
// every region the wave touches, never sees the one-box share, and keeps the candidate's code after
// the alias is rolled back. wave-deploy therefore reads the three places that name a function
// (event source mappings, the resource policy, the function URL) before any write and refuses a
// shift below 100% while one of them names the function without the alias.
//
// Pure: packages/aws reads, this module classifies and words. Every string here came from AWS and
// goes through logSafe before it reaches a message.
import { logSafe } from './log-safe.js';

export type UnqualifiedTriggers = 'refuse' | 'allow';
export const UNQUALIFIED_TRIGGERS: readonly UnqualifiedTriggers[] = ['refuse', 'allow'];

export type UnqualifiedTrigger =
  | {
      readonly kind: 'event-source-mapping';
      readonly uuid: string;
      readonly sourceArn: string;
      readonly functionArn: string;
      readonly state: string;
    }
  | {
      readonly kind: 'permission';
      readonly sid: string;
      /** `s3.amazonaws.com`, an account ARN, `*`, ... */
      readonly principal: string;
      readonly sourceArn: string | null;
      readonly sourceAccount: string | null;
      readonly resource: string;
    }
  | { readonly kind: 'function-url'; readonly url: string; readonly authType: string };

/** `fn`, `fn:$LATEST` or `fn:alias` from a function ARN (or a name): the qualifier, or null when there is none. */
export function qualifierOf(functionArn: string): string | null {
  const parts = functionArn.split(':');
  // arn:partition:lambda:region:account:function:name[:qualifier]
  if (parts[0] === 'arn') return parts.length >= 8 ? (parts[7] ?? null) : null;
  return parts.length >= 2 ? (parts[1] ?? null) : null;
}

/** True when a function ARN runs $LATEST: no qualifier, or the qualifier `$LATEST`. */
export function runsLatest(functionArn: string): boolean {
  const qualifier = qualifierOf(functionArn);
  return qualifier === null || qualifier === '$LATEST';
}

interface PolicyStatement {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

function principalText(principal: unknown): string {
  if (typeof principal === 'string') return principal;
  if (principal && typeof principal === 'object') {
    const values = Object.values(principal as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v : [v]));
    return values.map(String).join(', ');
  }
  return '?';
}

function conditionValue(condition: unknown, key: string): string | null {
  if (!condition || typeof condition !== 'object') return null;
  for (const operator of Object.values(condition as Record<string, unknown>)) {
    if (!operator || typeof operator !== 'object') continue;
    for (const [name, value] of Object.entries(operator as Record<string, unknown>)) {
      if (name.toLowerCase() === key.toLowerCase()) return Array.isArray(value) ? value.map(String).join(', ') : String(value);
    }
  }
  return null;
}

/**
 * The statements of a function's resource policy (GetPolicy's `Policy` text) that allow invoking
 * it without a qualifier (or as `$LATEST`). Statements on a qualified ARN (the alias, a version)
 * are fine and left out. A policy that is not JSON is reported as one entry, never ignored.
 */
export function unqualifiedPermissions(policyText: string): UnqualifiedTrigger[] {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText) as { Statement?: unknown };
  } catch {
    return [{ kind: 'permission', sid: '(unreadable policy)', principal: '?', sourceArn: null, sourceAccount: null, resource: '?' }];
  }
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : []) as PolicyStatement[];
  const found: UnqualifiedTrigger[] = [];
  for (const statement of statements) {
    if (statement.Effect !== undefined && statement.Effect !== 'Allow') continue;
    const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((r) => String(r ?? ''));
    const resource = resources.find((r) => r === '' || runsLatest(r));
    if (resource === undefined) continue;
    found.push({
      kind: 'permission',
      sid: String(statement.Sid ?? '(no Sid)'),
      principal: principalText(statement.Principal),
      sourceArn: conditionValue(statement.Condition, 'AWS:SourceArn'),
      sourceAccount: conditionValue(statement.Condition, 'AWS:SourceAccount'),
      resource: resource || '(function)',
    });
  }
  return found;
}

/**
 * An ARN as AWS wrote it, when it is one: S3 ARNs carry `:::` (`arn:aws:s3:::bucket`), which logSafe
 * would break up, and a person pastes these into commands. A value that starts with `arn:` and has
 * only ARN characters can never start a runner command; anything else goes through logSafe.
 */
function arnText(value: string, max = 300): string {
  return /^arn:[A-Za-z0-9-]+:[A-Za-z0-9-]+:[A-Za-z0-9-]*:[0-9]*:[A-Za-z0-9_./:*$+=,@-]*$/.test(value) && value.length <= max ? value : logSafe(value, max);
}

function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:,=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One line per trigger: what it is, and exactly how to point it at the alias. */
export function describeTrigger(trigger: UnqualifiedTrigger, where: { region: string; functionName: string; alias: string }): string {
  const fn = where.functionName;
  const qualified = `${fn}:${where.alias}`;
  const region = `--region ${shellWord(where.region)}`;
  switch (trigger.kind) {
    case 'event-source-mapping':
      return (
        `event source mapping ${logSafe(trigger.uuid, 80)} from ${arnText(trigger.sourceArn)} (${logSafe(trigger.state, 40)}) invokes ${arnText(trigger.functionArn)}; ` +
        `point it at the alias: aws lambda update-event-source-mapping ${region} --uuid ${shellWord(logSafe(trigger.uuid, 80))} --function-name ${shellWord(qualified)}`
      );
    case 'permission': {
      const source = trigger.sourceArn ? ` --source-arn ${shellWord(arnText(trigger.sourceArn))}` : '';
      const account = trigger.sourceAccount ? ` --source-account ${shellWord(logSafe(trigger.sourceAccount, 40))}` : '';
      return (
        `resource-policy statement ${logSafe(trigger.sid, 100)} lets ${arnText(trigger.principal, 200)}${trigger.sourceArn ? ` (SourceArn ${arnText(trigger.sourceArn)})` : ''} invoke ${arnText(trigger.resource)}; ` +
        `grant it on the alias (aws lambda add-permission ${region} --function-name ${shellWord(fn)} --qualifier ${shellWord(where.alias)} --statement-id ${shellWord(logSafe(trigger.sid, 100))} ` +
        `--action lambda:InvokeFunction --principal ${shellWord(arnText(trigger.principal, 200))}${source}${account}), make the source invoke the alias ARN (…:function:${qualified}), ` +
        `then remove the unqualified grant (aws lambda remove-permission ${region} --function-name ${shellWord(fn)} --statement-id ${shellWord(logSafe(trigger.sid, 100))})`
      );
    }
    case 'function-url':
      return (
        `function URL ${logSafe(trigger.url, 300)} (auth ${logSafe(trigger.authType, 20)}) invokes $LATEST; ` +
        `create one on the alias (aws lambda create-function-url-config ${region} --function-name ${shellWord(fn)} --qualifier ${shellWord(where.alias)} --auth-type ${shellWord(logSafe(trigger.authType, 20))}), ` +
        `move its callers to that URL, then delete the unqualified one (aws lambda delete-function-url-config ${region} --function-name ${shellWord(fn)})`
      );
  }
}
