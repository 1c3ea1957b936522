// Entry point of the security subgraph: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createSecuritySubgraph } from './subgraph.js';

void runService(() => createSecuritySubgraph(parseConfig(process.env)));
