// Child process of the gateways benchmark: plain @apollo/gateway served by @apollo/server, the
// baseline our router is compared with. SUPERGRAPH_PATH names the composed supergraph and PORT
// the port on 127.0.0.1; it prints `ready` once it listens and exits on SIGTERM or SIGINT (so
// that --cpu-prof writes its profile).
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';

async function main() {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env['SUPERGRAPH_PATH']!, 'utf8'),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: Number(process.env['PORT']) },
  });
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log('ready');
}

void main();
