// AWS region names of every partition, as the AWS SDK's endpoint rules list them.
// The config refuses a name that is not here: a typo such as `us-weast-1` must fail in review,
// not at 3 a.m. in the middle of a rollout. A region AWS opens later is one line to add.

export const PARTITIONS = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1',
    'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1',
    'sa-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
} as const satisfies Record<string, readonly string[]>;

export type Partition = keyof typeof PARTITIONS;

const PARTITION_OF = new Map<string, Partition>();
for (const [partition, regions] of Object.entries(PARTITIONS) as [Partition, readonly string[]][]) {
  for (const region of regions) PARTITION_OF.set(region, partition);
}

/** Every known region name, sorted. */
export const ALL_REGIONS: readonly string[] = [...PARTITION_OF.keys()].sort();

/** The partition of a known region, or undefined for a name AWS does not have. */
export function partitionOf(region: string): Partition | undefined {
  return PARTITION_OF.get(region);
}

export function isRegion(name: string): boolean {
  return PARTITION_OF.has(name);
}

/** Levenshtein distance, for did-you-mean hints (regions here, config keys in config.ts). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The message for a name that is not a region, with the nearest real names. */
export function unknownRegionMessage(name: string): string {
  const nearest = ALL_REGIONS.map((region) => ({ region, d: editDistance(name, region) }))
    .filter(({ d }) => d <= 3)
    .sort((x, y) => x.d - y.d || x.region.localeCompare(y.region))
    .slice(0, 3)
    .map(({ region }) => region);
  const hint = nearest.length > 0 ? `; did you mean ${nearest.join(' or ')}?` : ' (for example us-east-1, eu-west-1, cn-north-1, us-gov-west-1)';
  return `"${name}" is not an AWS region${hint}`;
}
