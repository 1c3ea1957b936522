// The subscribers of the fan-out benchmark, in a worker thread so that reading 1,000 sockets
// does not share the services' event loop. Each is a graphql-ws client on its own connection;
// it records, per event, the delay from the event's `endedAt` to its arrival here.
import { parentPort, workerData } from 'node:worker_threads';
import type { Client } from 'graphql-ws';
import { wsClient } from '../realtime.js';

interface Input {
  url: string;
  token: string;
  query: string;
  subscribers: number;
  /** Give each subscriber an operation name of its own, so that none share an upstream. */
  distinct: boolean;
}

const { url, token, query, subscribers, distinct } = workerData as Input;
const clients: Client[] = [];
const delays: number[] = [];
let errors = 0;
let lastArrival = 0;

for (let i = 0; i < subscribers; i += 1) {
  const client = wsClient(url, token);
  clients.push(client);
  client.subscribe<{ completionEvents: { endedAt: string } }>(
    { query: distinct ? query.replace(/^subscription/, `subscription Subscriber${i}`) : query },
    {
      next: ({ data, errors: failed }) => {
        const now = Date.now();
        if (failed?.length || !data) {
          errors += 1;
          return;
        }
        delays.push(now - Date.parse(data.completionEvents.endedAt));
        lastArrival = now;
      },
      error: () => (errors += 1),
      complete: () => {},
    },
  );
}

parentPort!.on('message', async (message: { type: 'report' | 'close' }) => {
  if (message.type === 'report') {
    parentPort!.postMessage({ delays, errors, lastArrival });
  } else {
    await Promise.all(clients.map((client) => client.dispose()));
    parentPort!.postMessage({ closed: true });
  }
});
