// Entry point of the tools subgraph: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createToolsSubgraph } from './subgraph.js';

void runService(() => createToolsSubgraph(parseConfig(process.env)));
