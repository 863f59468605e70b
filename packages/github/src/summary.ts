// Building blocks for job summaries and failure messages that a person reads at 3 a.m.:
// markdown tables, mermaid flowcharts, and the one command that finishes a rollback by hand.
// Pure string builders: the action entry hands the result to core.summary or a log line.

/**
 * Escapes text for one line of a markdown table cell: a backslash first (else `\|` in the text would
 * end the cell), then pipes, which split cells; newlines, which end rows, become spaces.
 */
export function cellText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Escapes a value for a markdown table cell (empty shows as —); newlines become `<br>`. */
export function cell(value: unknown): string {
  const text = value === null || value === undefined || value === '' ? '—' : String(value);
  return cellText(text.replace(/\r?\n/g, '<br>'));
}

/** A GitHub-flavoured markdown table. Rows shorter than the header are padded with dashes. */
export function markdownTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const line = (cells: readonly unknown[]) => `| ${header.map((_, i) => cell(cells[i])).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

export type StepStatus = 'done' | 'running' | 'failed' | 'pending' | 'skipped';

const STATUS_MARK: Record<StepStatus, string> = { done: '✅', running: '⏳', failed: '❌', pending: '⬜', skipped: '⏭️' };
const STATUS_STYLE: Record<StepStatus, string> = {
  done: 'fill:#d4f8d4,stroke:#2da44e',
  running: 'fill:#fff5b1,stroke:#bf8700',
  failed: 'fill:#ffd7d5,stroke:#cf222e',
  pending: 'fill:#f6f8fa,stroke:#8c959f,stroke-dasharray: 4 3',
  skipped: 'fill:#f6f8fa,stroke:#8c959f',
};

export function statusMark(status: StepStatus): string {
  return STATUS_MARK[status];
}

export interface FlowNode {
  readonly id: string;
  /** Lines of the node's label; each is escaped. */
  readonly label: readonly string[];
  readonly status: StepStatus;
  /** Optional group (a mermaid subgraph) the node sits in. */
  readonly group?: string;
}

export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

/** Text safe inside a quoted mermaid label. */
export function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function mermaidId(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * A left-to-right mermaid flowchart: each node shows its status mark and is coloured by status,
 * so a reader sees at a glance how far a rollout got. Returned as a fenced ```mermaid block.
 */
export function mermaidFlow(nodes: readonly FlowNode[], edges: readonly FlowEdge[], direction: 'LR' | 'TD' = 'LR'): string {
  const lines = [`flowchart ${direction}`];
  const groups = new Map<string, FlowNode[]>();
  const loose: FlowNode[] = [];
  for (const node of nodes) {
    if (node.group) groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
    else loose.push(node);
  }
  const nodeLine = (node: FlowNode, indent: string) =>
    `${indent}${mermaidId(node.id)}["${[`${STATUS_MARK[node.status]} ${node.label[0] ?? ''}`, ...node.label.slice(1)].map(mermaidText).join('<br/>')}"]:::${node.status}`;
  for (const node of loose) lines.push(nodeLine(node, '  '));
  let index = 0;
  for (const [group, members] of groups) {
    lines.push(`  subgraph g${index++}["${mermaidText(group)}"]`);
    for (const node of members) lines.push(nodeLine(node, '    '));
    lines.push('  end');
  }
  for (const edge of edges) {
    lines.push(`  ${mermaidId(edge.from)} -->${edge.label ? `|"${mermaidText(edge.label)}"|` : ''} ${mermaidId(edge.to)}`);
  }
  const used = new Set(nodes.map((n) => n.status));
  for (const status of Object.keys(STATUS_STYLE) as StepStatus[]) {
    if (used.has(status)) lines.push(`  classDef ${status} ${STATUS_STYLE[status]}`);
  }
  return ['```mermaid', ...lines, '```'].join('\n');
}

export interface HandRollback {
  /** GitHub environment the rollback workflow runs in. */
  readonly environment: string;
  readonly regions: readonly string[];
  readonly version: string;
  readonly reason: string;
}

/** Quotes a value for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:,=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The one command that finishes a rollback by hand through the rollback workflow. */
export function handRollbackCommand(spec: HandRollback): string {
  return [
    'gh workflow run rollback.yml',
    `-f environment=${shellQuote(spec.environment)}`,
    `-f regions=${shellQuote(spec.regions.join(','))}`,
    `-f version=${shellQuote(spec.version)}`,
    `-f reason=${shellQuote(spec.reason)}`,
  ].join(' ');
}

/**
 * The one command that puts every listed alias back on its version. The rollback workflow takes
 * one version per run: when all aliases go back to the same version it is named, otherwise
 * `previous` lets each alias return to the stable version recorded on it. Regions keep their order.
 */
export function handRollbackFor(
  targets: readonly { readonly region: string; readonly version: string }[],
  common: { readonly environment: string; readonly reason: string },
): string {
  const regions = [...new Set(targets.map((t) => t.region))];
  const versions = [...new Set(targets.map((t) => t.version))];
  const version = versions.length === 1 ? (versions[0] as string) : 'previous';
  return handRollbackCommand({ ...common, regions, version });
}
