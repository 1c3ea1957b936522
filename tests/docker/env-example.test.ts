// .env.example and the README's configuration table document every setting that a service's
// config schema accepts, and nothing that none accepts.
import { APP_SERVICES, configKeys, readText } from './services.js';

const allKeys = async () => {
  const keys = new Set<string>();
  for (const service of APP_SERVICES) for (const key of await configKeys(service)) keys.add(key);
  return keys;
};

const PER_SERVICE = new Set(['PORT']);

describe('.env.example and the README', () => {
  it('.env.example lists every variable of every config schema, and no other', async () => {
    const listed = new Set(
      readText('.env.example')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split('=')[0]!),
    );
    const known = await allKeys();
    const missing = [...known].filter((key) => !listed.has(key) && !PER_SERVICE.has(key));
    const unknown = [...listed].filter((key) => !known.has(key));
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it('the README configuration table names every variable', async () => {
    const readme = readText('README.md');
    const missing = [...(await allKeys())].filter(
      (key) =>
        !readme.includes(`\`${key}\``) &&
        !(key.endsWith('_DATABASE_URL') && readme.includes('`<SUBGRAPH>_DATABASE_URL`')),
    );
    expect(missing).toEqual([]);
  });
});
