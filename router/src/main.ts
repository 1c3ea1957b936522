// Entry point of the router: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createRouter } from './router.js';

void runService(async () => {
  const router = await createRouter(parseConfig(process.env));
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
