// Entry point of the ui subgraph: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createUiSubgraph } from './subgraph.js';

void runService(() => createUiSubgraph(parseConfig(process.env)));
