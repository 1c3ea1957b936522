// Entry point of the router: the only file that reads the environment and listens. With
// ROUTER_WORKERS > 1 this process is the primary of a cluster and each worker runs it again.
import cluster from 'node:cluster';
import { createLogger, runService } from '@supergraph/kit';
import { createPrimary } from './cluster.js';
import { parseConfig } from './config.js';
import { createRouter } from './router.js';

void runService(async () => {
  const config = parseConfig(process.env);
  if (config.workers > 1 && cluster.isPrimary) {
    return createPrimary({
      workers: config.workers,
      logger: createLogger('router', config.logLevel),
    });
  }
  const router = await createRouter(config, cluster.worker ? { worker: cluster.worker } : {});
  // SIGHUP loads the supergraph file again (after `npm run compose`); open subscriptions end
  // with SUPERGRAPH_RELOADED so that clients subscribe again.
  // It also reads the trusted documents' manifest again.
  process.on('SIGHUP', () => {
    try {
      router.reloadSupergraph();
    } catch (error) {
      router.logger.error({ err: error }, 'the supergraph could not be reloaded');
    }
    try {
      router.reloadTrustedDocuments();
    } catch {
      // logged by the reload, which keeps the manifest in use
    }
  });
  return router;
});
