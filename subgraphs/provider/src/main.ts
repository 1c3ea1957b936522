// Entry point of the provider subgraph: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createProviderSubgraph } from './subgraph.js';

void runService(() => createProviderSubgraph(parseConfig(process.env)));
