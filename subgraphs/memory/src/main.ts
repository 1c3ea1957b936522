// Entry point of the memory subgraph: the only file that reads the environment and listens.
import { runService } from '@supergraph/kit';
import { parseConfig } from './config.js';
import { createMemorySubgraph } from './subgraph.js';

void runService(() => createMemorySubgraph(parseConfig(process.env)));
