// The printed report: the table of figures against targets, the statements, the plans.
import { performance } from 'node:perf_hooks';
import type { Latency } from './latency.js';
import type { loadMemories } from './load.js';
import type { measureRecall } from './recall.js';
import {
  DIMENSIONS,
  EF_SEARCH,
  EXPLAINED_SIMILAR,
  FOLDS,
  INDEX_NAME,
  REQUESTS,
  SIMILAR_FIELDS,
  TARGETS,
  WARM_UP,
} from './settings.js';
import { vectorStatements, type countStatements, type Plan } from './statements.js';

const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

function printPlan(label: string, plan: Plan) {
  console.log(`\n  EXPLAIN (ANALYZE, BUFFERS) of ${label}:`);
  console.log(`    top node: ${plan.top}`);
  console.log(`    ${plan.execution}`);
  const scan = plan.lines.find((line) => /Scan|Sort/.test(line) && !line.includes('Function'));
  if (plan.usesIndex) {
    console.log(`    HNSW index used: yes (Index Scan using ${INDEX_NAME})`);
  } else {
    console.log(`    !!!!!!!! HNSW INDEX NOT USED: ${INDEX_NAME} is absent from the plan !!!!!!!!`);
    console.log(`    !!!!!!!! first scan/sort node: ${scan?.trim() ?? '(none)'}`);
  }
  for (const line of plan.lines) console.log(`      | ${line}`);
}

export interface Figures {
  /** performance.now() at the start of the benchmark. */
  began: number;
  memories: number;
  create: Latency;
  read: Latency;
  searchDirect: Latency;
  searchRouter: Latency;
  loaded: Awaited<ReturnType<typeof loadMemories>>;
  recall: Awaited<ReturnType<typeof measureRecall>>;
  counted: Awaited<ReturnType<typeof countStatements>>;
  updates: { upd: string; hot: string };
}

export function printReport(figures: Figures) {
  const { began, create, read, searchDirect, searchRouter, loaded, updates } = figures;
  const { apiQueries, apiRecall, sqlRecall, exactMs } = figures.recall;
  const { onOne, onMany, manyOk, searchPlan, similarPlan } = figures.counted;
  const row = (name: string, figure: string, target: string, ok: boolean) =>
    `  ${name.padEnd(34)} ${figure.padEnd(40)} ${target.padEnd(12)} ${verdict(ok)}`;
  const lat = (l: Latency) => `p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}`;
  console.log(
    `\nmemory subgraph on PostgreSQL (pgvector), ${figures.memories} memories x ${DIMENSIONS} dims, ` +
      `${FOLDS} folds + none, HNSW ef_search ${EF_SEARCH}`,
  );
  console.log(`  ${REQUESTS} sequential requests each after ${WARM_UP} warm-up, 127.0.0.1\n`);
  console.log(`  ${'measure'.padEnd(34)} ${'figure'.padEnd(40)} ${'target'.padEnd(12)} verdict`);
  console.log(
    row(
      'create (createMemory), direct',
      lat(create),
      'p95 < 50 ms',
      create.p95 < TARGETS.createP95,
    ),
  );
  console.log(
    row('read (memory(id)), direct', lat(read), 'p95 < 20 ms', read.p95 < TARGETS.readP95),
  );
  console.log(
    row(
      'search top-10 by text, direct',
      lat(searchDirect),
      'p95 < 20 ms',
      searchDirect.p95 < TARGETS.searchDirectP95,
    ),
  );
  console.log(
    row(
      'search top-10 by text, router',
      lat(searchRouter),
      'p95 < 50 ms',
      searchRouter.p95 < TARGETS.searchRouterP95,
    ),
  );
  console.log(
    row(
      'batch create (createMemories)',
      `${loaded.perSecond.toFixed(0)} memories/s over ${loaded.seconds.toFixed(1)} s`,
      '>= 1,000/s',
      loaded.perSecond >= TARGETS.batchPerSecond,
    ),
  );
  console.log(
    row(
      `recall@10, API, ef_search ${EF_SEARCH}`,
      `${apiRecall.strict.toFixed(3)} (tie-aware ${apiRecall.tieAware.toFixed(3)}), ${apiQueries} queries`,
      '>= 0.95',
      apiRecall.strict >= TARGETS.recall,
    ),
  );
  for (const [ef, recall] of sqlRecall) {
    console.log(
      row(
        `recall@10, SQL-level, ef_search ${ef}`,
        `${recall.strict.toFixed(3)} (tie-aware ${recall.tieAware.toFixed(3)}), ${recall.ms.toFixed(1)} ms/q${recall.usesIndex ? '' : ' NO INDEX'}`,
        '>= 0.95',
        recall.strict >= TARGETS.recall,
      ),
    );
  }
  console.log(`  ${'exact scan (index off), SQL'.padEnd(34)} ${exactMs.toFixed(1)} ms/query`);
  console.log(
    `  ${'updates of memories (reads touch)'.padEnd(34)} ${updates.upd} row updates, ${updates.hot} HOT` +
      ' (a non-HOT update inserts into every index, the HNSW one included)',
  );
  const stmtRow = (name: string, counted: { statements: { query: string }[] }) =>
    row(
      name,
      `${vectorStatements(counted.statements)} with ::vector( of ${counted.statements.length} statements`,
      '1',
      vectorStatements(counted.statements) === TARGETS.statements,
    );
  console.log(stmtRow(`${SIMILAR_FIELDS} x similar on one memory`, onOne));
  console.log(stmtRow(`similar on ${SIMILAR_FIELDS} memories`, onMany));
  if (!manyOk)
    console.log('  !! similar on 50 memories: some answer is not 10 hits without itself');
  for (const [label, list] of [
    ['50 x similar on one memory', onOne.statements],
    ['similar on 50 memories', onMany.statements],
  ] as const) {
    console.log(`    statements of "${label}":`);
    for (const s of list) console.log(`      - ${s.query.replace(/\s+/g, ' ').slice(0, 110)}`);
  }

  if (searchPlan) printPlan('the API searchMemories statement', searchPlan);
  else console.log('\n  !!!!!!!! no search statement captured');
  if (similarPlan)
    printPlan(
      `the API statement of similar on ${SIMILAR_FIELDS} memories (its first ${EXPLAINED_SIMILAR} searches)`,
      similarPlan,
    );
  if (searchPlan && !searchPlan.usesIndex) {
    console.log(
      '\n  !!!!!!!! THE API SEARCH DOES NOT USE THE HNSW INDEX: it scans exactly !!!!!!!!',
    );
  }
  console.log(`\n  total time ${((performance.now() - began) / 1000).toFixed(0)} s`);
}
