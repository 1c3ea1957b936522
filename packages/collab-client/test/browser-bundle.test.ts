// The package runs in browsers: bundled for the browser platform from its TypeScript sources
// (the "source" condition, as the repo's apps bundle workspace packages), it needs no Node
// module and carries one copy of Yjs.
import { build } from 'esbuild';
import { join } from 'node:path';

it('bundles for the browser without Node modules', async () => {
  const result = await build({
    entryPoints: [join(__dirname, '../src/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  expect(result.errors).toEqual([]);
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((path) => path.startsWith('node:') || !path.includes('/'))).toEqual([]);
  expect(inputs.filter((path) => /node_modules\/yjs\/dist\/yjs\.\w+$/.test(path))).toHaveLength(1);
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/\brequire\(/);
  expect(code).toContain('CollabProvider');
});
