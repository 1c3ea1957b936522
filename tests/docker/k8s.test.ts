// docker/k8s is applied only to a cluster; these checks catch without one a variable that
// its service ignores, a port or probe that disagrees with the service, and a reference to a
// ConfigMap or Secret key that does not exist (a pod that never starts).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  APP_PORTS,
  APP_SERVICES,
  ROOT,
  SUBGRAPHS,
  configKeys,
  databaseKey,
  readYamlDocuments,
  serviceFolder,
} from './services.js';

interface Container {
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
}
interface KeyRef {
  name: string;
  key: string;
}
interface Resource {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    minReplicas?: number;
    scaleTargetRef?: { kind: string; name: string };
    selector?: Record<string, string> & { matchLabels?: Record<string, string> };
    ports?: { port: number }[];
    template?: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
  };
}

const K8S = 'docker/k8s';
const files = readdirSync(path.join(ROOT, K8S)).filter((file) => file.endsWith('.yaml'));
const resources = files
  .filter((file) => file !== 'kustomization.yaml')
  .flatMap((file) => readYamlDocuments(`${K8S}/${file}`) as Resource[]);

const find = (kind: string, name: string): Resource => {
  const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
  if (!found) throw new Error(`${K8S} has no ${kind} "${name}"`);
  return found;
};
const keysOf = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
  const resource = find(kind, name);
  return { ...resource.data, ...resource.stringData };
};
const containerOf = (name: string): Container => {
  const container = find('Deployment', name).spec?.template?.spec.containers[0];
  if (!container) throw new Error(`Deployment "${name}" has no container`);
  return container;
};

/** The container's environment as name -> value (a Secret's value for secret references). */
function environment(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { configMapRef, secretRef } of container.envFrom ?? []) {
    if (configMapRef) Object.assign(env, keysOf('ConfigMap', configMapRef.name));
    if (secretRef) Object.assign(env, keysOf('Secret', secretRef.name));
  }
  for (const { name, value, valueFrom } of container.env ?? []) {
    const ref = valueFrom?.secretKeyRef ?? valueFrom?.configMapKeyRef;
    const source = ref && keysOf(valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name);
    if (ref && !(ref.key in (source ?? {}))) throw new Error(`${ref.name} has no key ${ref.key}`);
    env[name] = ref ? (source?.[ref.key] ?? '') : (value ?? '');
  }
  return env;
}

describe('docker/k8s', () => {
  it('lists every manifest in kustomization.yaml', () => {
    const [kustomization] = readYamlDocuments(`${K8S}/kustomization.yaml`) as {
      resources: string[];
    }[];
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(
      files.filter((file) => file !== 'kustomization.yaml').sort(),
    );
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    const port = APP_PORTS[name];

    it(`runs on port ${port}, behind a Service of its name that selects its pods`, () => {
      expect(containerOf(name).ports?.map((p) => p.containerPort)).toEqual([port]);
      const service = find('Service', name).spec;
      expect(service?.ports?.map((p) => p.port)).toEqual([port]);
      const labels = find('Deployment', name).spec?.template?.metadata.labels;
      expect(labels).toEqual(expect.objectContaining(service?.selector));
    });

    it('is ready on /readyz and alive on /health', () => {
      expect(containerOf(name).readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(containerOf(name).livenessProbe?.httpGet?.path).toBe('/health');
    });

    it(`gets only variables that ${serviceFolder(name)}/src/config.ts knows, and the ones it needs`, async () => {
      const known = await configKeys(name);
      const env = environment(containerOf(name));
      expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
      expect(env).toMatchObject({ PORT: String(port), HOST: '0.0.0.0', NODE_ENV: 'production' });
      expect(env.REDIS_URL).toBeTruthy();
      expect(env.SECURITY_JWKS_URL).toBeTruthy();
    });
  });

  it.each(SUBGRAPHS)('%s takes its database URL from the Secret', (name) => {
    const ref = containerOf(name).env?.find((e) => e.name === databaseKey(name));
    expect(ref?.valueFrom?.secretKeyRef?.name).toBe('supergraph-secrets');
  });

  it('names every subgraph at its Service for the router', () => {
    const env = environment(containerOf('router'));
    const urls = Object.fromEntries((env.SUBGRAPH_URLS ?? '').split(',').map((e) => e.split('=')));
    for (const name of SUBGRAPHS) {
      expect(urls[name]).toBe(`http://${name}:${APP_PORTS[name]}/graphql`);
    }
    expect(env.SUPERGRAPH_PATH).toBeTruthy();
  });

  it('runs at least two routers, scaled by a HorizontalPodAutoscaler', () => {
    expect(find('Deployment', 'router').spec?.replicas).toBeGreaterThanOrEqual(2);
    const hpa = resources.find((r) => r.kind === 'HorizontalPodAutoscaler');
    expect(hpa?.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'router' });
    expect(hpa?.spec?.minReplicas).toBeGreaterThanOrEqual(2);
  });
});
