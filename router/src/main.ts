// Entry point of the router: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createRouter } from './router.js';

void runService(() => createRouter(parseConfig(process.env)));
