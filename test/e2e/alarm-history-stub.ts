// A loopback CloudWatch DescribeAlarmHistory for the bundles (moto has none), in front of moto:
// every other request is passed through unchanged. It speaks AWS JSON 1.0 as the SDK's CloudWatch
// client does (X-Amz-Target GraniteServiceVersion20100801.*, epoch-second timestamps, errors with
// `__type` and the `x-amzn-query-error` header), and enforces CloudWatch's DescribeAlarmHistory
// quota as a token bucket per region (3 requests a second, not raisable: cloudwatch_limits.html),
// answering `Throttling: Rate exceeded` beyond it, as the fault proxy and AWS do.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { regionOf } from '../../packages/local/src/fault-proxy.js';

export interface HistoryItem {
  readonly alarmName: string;
  readonly at: Date;
  readonly from: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly to: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

export interface HistoryStub {
  readonly endpoint: string;
  /** Every DescribeAlarmHistory request: when, in which region, with which AlarmName, and whether it was throttled. */
  readonly calls: { at: number; region: string; alarmName: string | null; throttled: boolean }[];
  close(): Promise<void>;
}

const TARGET = 'GraniteServiceVersion20100801.DescribeAlarmHistory';

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startHistoryStub(options: { target: string; history: (region: string) => readonly HistoryItem[]; ratePerSecond?: number }): Promise<HistoryStub> {
  const rate = options.ratePerSecond ?? 3;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const calls: HistoryStub['calls'] = [];
  const upstream = new URL(options.target);

  const server: Server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      if (req.headers['x-amz-target'] !== TARGET) {
        const forward = request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        forward.end(payload);
        return;
      }
      const region = regionOf(req.headers);
      const input = JSON.parse(payload.toString() || '{}') as { AlarmName?: string; StartDate?: number; EndDate?: number; NextToken?: string; MaxRecords?: number };
      const now = Date.now();
      const bucket = buckets.get(region) ?? { tokens: rate, at: now };
      bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
      buckets.set(region, bucket);
      const throttled = bucket.tokens < 1;
      calls.push({ at: now, region, alarmName: input.AlarmName ?? null, throttled });
      if (throttled) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `stub-${now}`, 'x-amzn-query-error': 'Throttling;Sender' });
        res.end(JSON.stringify({ __type: 'Throttling', message: 'Rate exceeded' }));
        return;
      }
      bucket.tokens -= 1;
      const start = (input.StartDate ?? 0) * 1000;
      const end = (input.EndDate ?? Number.MAX_SAFE_INTEGER / 1000) * 1000;
      // Newest first, as CloudWatch returns them, 100 (or MaxRecords) a page.
      const items = options
        .history(region)
        .filter((h) => (!input.AlarmName || h.alarmName === input.AlarmName) && h.at.getTime() >= start && h.at.getTime() <= end)
        .sort((a, b) => b.at.getTime() - a.at.getTime());
      const offset = Number(input.NextToken ?? '0');
      const size = Math.min(100, input.MaxRecords ?? 100);
      const page = items.slice(offset, offset + size);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `stub-${now}` });
      res.end(
        JSON.stringify({
          AlarmHistoryItems: page.map((h) => ({
            AlarmName: h.alarmName,
            AlarmType: 'MetricAlarm',
            Timestamp: h.at.getTime() / 1000,
            HistoryItemType: 'StateUpdate',
            HistorySummary: `Alarm updated from ${h.from} to ${h.to}`,
            HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: h.from }, newState: { stateValue: h.to } }),
          })),
          ...(offset + size < items.length ? { NextToken: String(offset + size) } : {}),
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
