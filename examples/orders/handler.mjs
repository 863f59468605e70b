// The sample "orders" service: one tiny Lambda handler behind API Gateway (orders-api) and
// a queue consumer (orders-worker) share this file. The demo publishes it as the function code.
// ORDERS_FAIL_RATE (0..1) makes a bad release fail on purpose, so the one-box alarm can catch it.
const failRate = Number(process.env.ORDERS_FAIL_RATE ?? '0');

export const handler = async (event = {}) => {
  if (Math.random() < failRate) throw new Error('orders: injected failure (ORDERS_FAIL_RATE)');
  if (Array.isArray(event.Records)) {
    // Queue batch (orders-worker): report every record as processed.
    return { batchItemFailures: [] };
  }
  const id = event.pathParameters?.id ?? 'unknown';
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order: id, status: 'accepted', version: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST' }),
  };
};
