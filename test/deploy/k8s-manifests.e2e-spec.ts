import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Environment, validateEnvironment } from '../../src/config/environment.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { schemaProblems } from './support/kubernetes-schema.js';
import { loadManifests, type Manifest, one, ofKind } from './support/manifests.js';
import { imageExpectations, packageJson } from './support/project.js';
import { parse } from 'yaml';

/** The parts of the manifests these checks read; the schema check above vouches for the rest. */
interface Probe {
  httpGet: { path: string; port: string | number };
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
}
interface Workload {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    strategy?: { rollingUpdate?: { maxSurge?: number; maxUnavailable?: number } };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface Kustomization {
  resources?: string[];
  components?: string[];
  images?: { name: string; newName: string; newTag: string }[];
  patches?: { target: { kind: string; name: string }; patch: string }[];
}

const workload = (manifest: Manifest): Workload => manifest as unknown as Workload;
const spec = <T>(manifest: Manifest): T => (manifest as unknown as { spec: T }).spec;
const probesOf = (container: Container): [string, Probe][] =>
  (['startupProbe', 'readinessProbe', 'livenessProbe'] as const)
    .filter((kind) => container[kind])
    .map((kind) => [kind, container[kind]!]);

/** pg-boss's own pool per replica (src/jobs/job-queue.ts, decision 0032). */
const JOB_QUEUE_CONNECTIONS = 4;
/** `db:migrate` opens at most this many: 2 (src/database/schema.ts) + its lock's session. */
const MIGRATION_CONNECTIONS = 3;
/** A default PostgreSQL: max_connections 100, 3 reserved for superusers. */
const POSTGRES_CONNECTIONS_FOR_APPS = 97;
/** Per replica, on DATABASE_DIRECT_URL past any pooler: the revocation listener (decision 0161). */
const DIRECT_SESSIONS = 1;
/** The example Secrets: not deployed by a kustomization, made from a secret store. */
const SECRET_EXAMPLES = ['deploy/k8s/pooled/secret.example.yaml', 'deploy/k8s/secret.example.yaml'];

/** `key = value` lines of one `[section]` of an ini file (PgBouncer's format). */
function iniSection(text: string, section: string): Record<string, string> {
  const body = text.split(/^\[/m).find((part) => part.startsWith(`${section}]`)) ?? '';
  return Object.fromEntries(
    body
      .split('\n')
      .slice(1)
      .map((line) => /^\s*([\w.]+)\s*=\s*(.*?)\s*$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1], match[2]]),
  );
}

describe('deploy/k8s manifests (validated offline against the Kubernetes schemas)', () => {
  const all = loadManifests();
  const kustomizations = [...ofKind(all, 'Kustomization'), ...ofKind(all, 'Component')];
  const objects = all.filter((manifest) => !kustomizations.includes(manifest));
  const deployment = one(objects, 'Deployment', 'keel');
  const pooler = one(objects, 'Deployment', 'keel-pgbouncer');
  const poolerIni = (
    one(objects, 'ConfigMap', 'keel-pgbouncer') as unknown as { data: Record<string, string> }
  ).data['pgbouncer.ini'];
  const component = one(all, 'Component') as unknown as Kustomization & Manifest;
  const secretsIn = (file: string): Record<string, string> =>
    (
      objects.find(
        (manifest) =>
          manifest.file === file &&
          manifest.kind === 'Secret' &&
          manifest.metadata.name === 'keel-secrets',
      ) as unknown as { stringData: Record<string, string> }
    ).stringData;
  const pod = workload(deployment).spec.template.spec;
  const [keel] = pod.containers;
  const job = one(objects, 'Job', 'keel-migrate');
  const config = (
    one(objects, 'ConfigMap', 'keel-config') as unknown as { data: Record<string, string> }
  ).data;
  const settings = validateEnvironment({
    ...config,
    DATABASE_URL: 'postgres://keel@postgres/keel',
    JWT_SECRET: 'x'.repeat(32),
  });

  it('holds a Deployment, Service, ConfigMap, Secret example, PodDisruptionBudget, HorizontalPodAutoscaler and migration Job, and the PgBouncer option', () => {
    expect(objects.map((manifest) => `${manifest.kind} ${manifest.metadata.name}`).sort()).toEqual([
      'ConfigMap keel-config',
      'ConfigMap keel-pgbouncer',
      'Deployment keel',
      'Deployment keel-pgbouncer',
      'HorizontalPodAutoscaler keel',
      'Job keel-migrate',
      'PodDisruptionBudget keel',
      'PodDisruptionBudget keel-pgbouncer',
      'Secret keel-pgbouncer-users',
      'Secret keel-secrets',
      'Secret keel-secrets',
      'Service keel',
      'Service keel-pgbouncer',
    ]);
  });

  it('matches the Kubernetes schemas, unknown fields rejected', async () => {
    expect(await schemaProblems(objects)).toEqual([]);
  }, 60_000);

  it('the schema check rejects an unknown field at any depth, a wrong type and a missing field', async () => {
    const broken = structuredClone(deployment) as unknown as Workload & Manifest;
    (broken.spec as unknown as Record<string, unknown>).replicaz = 3;
    (broken.spec.template.spec.containers[0] as unknown as Record<string, unknown>).livenesProbe =
      {};
    broken.spec.template.spec.terminationGracePeriodSeconds = '30' as unknown as number;
    const service = structuredClone(one(objects, 'Service', 'keel')) as Manifest & {
      spec: { ports: unknown[] };
    };
    service.spec.ports = [{ name: 'http', targetPort: 'http' }];
    expect((await schemaProblems([broken, service])).sort()).toEqual([
      'deploy/k8s/deployment.yaml#0: data/spec/template/spec/terminationGracePeriodSeconds must be integer',
      'deploy/k8s/deployment.yaml#0: unknown field spec.replicaz',
      'deploy/k8s/deployment.yaml#0: unknown field spec.template.spec.containers[0].livenesProbe',
      'deploy/k8s/service.yaml#0: data/spec/ports/0 must have required property port',
    ]);
  }, 60_000);

  it('kustomizations list files that exist, take in every manifest but the Secret examples, and name one image', () => {
    const listed = kustomizations.flatMap((manifest) => {
      const { resources = [], components = [] } = manifest as unknown as Kustomization;
      return [...resources, ...components].map((entry) => join(dirname(manifest.file), entry));
    });
    for (const file of listed) expect(`${file} ${existsSync(file)}`).toBe(`${file} true`);
    const manifestFiles = [...new Set(objects.map((manifest) => manifest.file))];
    expect(manifestFiles.filter((file) => !listed.includes(file)).sort()).toEqual(SECRET_EXAMPLES);
    // The pooled overlay is the base plus the component.
    expect(listed).toEqual(expect.arrayContaining(['deploy/k8s', 'deploy/k8s/pgbouncer']));
    const images = kustomizations
      .map((manifest) => (manifest as unknown as Kustomization).images)
      .filter((list) => list !== undefined);
    expect(images.length).toBe(2);
    expect(images[1]).toEqual(images[0]);
    expect(keel.image).toBe(images[0][0].name);
    expect(workload(job).spec.template.spec.containers[0].image).toBe(images[0][0].name);
  });

  describe('every probe path and port exists in the app', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app.close());

    it.each(probesOf(keel))('%s answers 200 on its path', async (_kind, probe) => {
      const reply = await app.request('GET', probe.httpGet.path);
      expect(`${probe.httpGet.path} ${reply.status}`).toBe(`${probe.httpGet.path} 200`);
    });

    it('the Service and the image use PORT; the probes use MANAGEMENT_PORT, which the Service does not expose', () => {
      const ports = keel.ports ?? [];
      const resolvePort = (port: string | number): number | undefined =>
        typeof port === 'number'
          ? port
          : ports.find((candidate) => candidate.name === port)?.containerPort;
      expect(settings.MANAGEMENT_PORT).toBeDefined();
      expect(ports.map((port) => port.containerPort)).toEqual([
        settings.PORT,
        settings.MANAGEMENT_PORT,
      ]);
      expect(settings.PORT).toBe(imageExpectations().port);
      for (const [, probe] of probesOf(keel))
        expect(resolvePort(probe.httpGet.port)).toBe(settings.MANAGEMENT_PORT);
      const service = spec<{ ports: { targetPort: string | number }[] }>(
        one(objects, 'Service', 'keel'),
      );
      for (const port of service.ports) expect(resolvePort(port.targetPort)).toBe(settings.PORT);
      const annotations = (
        workload(deployment).spec.template.metadata as { annotations?: Record<string, string> }
      ).annotations;
      expect(annotations?.['prometheus.io/port']).toBe(String(settings.MANAGEMENT_PORT));
    });
  });

  it('probes fit the shutdown: readiness leaves within the drain delay, the grace period outlasts the whole shutdown', () => {
    const readiness = keel.readinessProbe!;
    expect(readiness.periodSeconds * readiness.failureThreshold * 1000).toBeLessThan(
      settings.SHUTDOWN_DRAIN_DELAY_MS,
    );
    expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
      settings.SHUTDOWN_DRAIN_DELAY_MS + settings.SHUTDOWN_TIMEOUT_MS,
    );
    expect(keel.livenessProbe!.httpGet.path).toBe('/health/live');
    const startup = keel.startupProbe!;
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(60);
  });

  it('the migration Job runs npm run db:migrate from the same image', () => {
    const [migrate] = workload(job).spec.template.spec.containers;
    expect(migrate.command?.join(' ')).toBe(packageJson().scripts['db:migrate']);
  });

  it('runs as non-root with a read-only root filesystem, no privilege escalation, no capabilities, and bounded resources', () => {
    for (const manifest of [deployment, job, pooler]) {
      const podSpec = workload(manifest).spec.template.spec;
      expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const container of podSpec.containers) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('three replicas, rolled one new pod at a time, selected alike by the Service, the budget and the autoscaler', () => {
    const { spec: deploymentSpec } = workload(deployment);
    expect(deploymentSpec.replicas).toBe(3);
    expect(deploymentSpec.strategy?.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    const labels = deploymentSpec.template.metadata.labels;
    const selects = (selector: Record<string, string>): boolean =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    expect(selects(deploymentSpec.selector!.matchLabels)).toBe(true);
    expect(
      selects(spec<{ selector: Record<string, string> }>(one(objects, 'Service', 'keel')).selector),
    ).toBe(true);
    const pdb = spec<{ selector: { matchLabels: Record<string, string> } }>(
      one(objects, 'PodDisruptionBudget', 'keel'),
    );
    expect(selects(pdb.selector.matchLabels)).toBe(true);
    const hpa = spec<{ scaleTargetRef: { kind: string; name: string }; minReplicas: number }>(
      one(objects, 'HorizontalPodAutoscaler'),
    );
    expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'keel' });
    expect(hpa.minReplicas).toBe(deploymentSpec.replicas);
    const jobLabels = workload(job).spec.template.metadata.labels;
    expect(
      Object.entries(deploymentSpec.selector!.matchLabels).every(([k, v]) => jobLabels[k] === v),
    ).toBe(false);
  });

  it('without a pooler, every replica the autoscaler may run, plus a rollout surge and the migration, fits a default PostgreSQL', () => {
    const { maxReplicas } = spec<{ maxReplicas: number }>(one(objects, 'HorizontalPodAutoscaler'));
    const surge = workload(deployment).spec.strategy?.rollingUpdate?.maxSurge ?? 0;
    const perReplica = settings.DB_POOL_MAX + JOB_QUEUE_CONNECTIONS + DIRECT_SESSIONS;
    expect((maxReplicas + surge) * perReplica + MIGRATION_CONNECTIONS).toBeLessThanOrEqual(
      POSTGRES_CONNECTIONS_FOR_APPS,
    );
  });

  it('with the PgBouncer component, 20 replicas fit: PostgreSQL sees the server connections of PgBouncer, the direct sessions and the migration', () => {
    const [raise] = component.patches!.filter(
      (patch) => patch.target.kind === 'HorizontalPodAutoscaler' && patch.target.name === 'keel',
    );
    const [operation] = parse(raise.patch) as { op: string; path: string; value: number }[];
    expect(operation).toMatchObject({ op: 'replace', path: '/spec/maxReplicas' });
    const maxReplicas = operation.value;
    expect(maxReplicas).toBe(20);

    const keelPods =
      maxReplicas + (workload(deployment).spec.strategy?.rollingUpdate?.maxSurge ?? 0);
    const { spec: poolerSpec } = workload(pooler);
    const poolerPods = poolerSpec.replicas! + (poolerSpec.strategy?.rollingUpdate?.maxSurge ?? 0);
    const bouncer = iniSection(poolerIni, 'pgbouncer');
    expect(bouncer.pool_mode).toBe('transaction');
    const serverPerPod = Number(bouncer.max_db_connections);
    expect(serverPerPod).toBeGreaterThan(0);
    expect(Number(bouncer.default_pool_size)).toBeLessThanOrEqual(serverPerPod);
    // The primary: every PgBouncer pod's server connections, each Keel pod's direct session, a migration.
    expect(
      poolerPods * serverPerPod + keelPods * DIRECT_SESSIONS + MIGRATION_CONNECTIONS,
    ).toBeLessThanOrEqual(POSTGRES_CONNECTIONS_FOR_APPS);
    // The replica: the poolers' server connections to it.
    expect(poolerPods * serverPerPod).toBeLessThanOrEqual(POSTGRES_CONNECTIONS_FOR_APPS);
    // One PgBouncer pod can take every Keel pod's pools alone: the primary's, pg-boss's, the replica's.
    expect(
      keelPods * (settings.DB_POOL_MAX + JOB_QUEUE_CONNECTIONS + settings.DB_POOL_MAX),
    ).toBeLessThanOrEqual(Number(bouncer.max_client_conn));
  });

  it('the pooled Secret example points DATABASE_URL and DATABASE_READ_URLS at the databases of the pooler and DATABASE_DIRECT_URL past it', () => {
    const secret = secretsIn('deploy/k8s/pooled/secret.example.yaml');
    expect(Object.keys(secret).sort()).toEqual([
      'DATABASE_DIRECT_URL',
      'DATABASE_READ_URLS',
      'DATABASE_URL',
      'JWT_SECRET',
    ]);
    expect(() => validateEnvironment({ ...config, ...secret })).toThrow(/JWT_SECRET/);
    expect(() =>
      validateEnvironment({ ...config, ...secret, JWT_SECRET: 'x'.repeat(32) }),
    ).not.toThrow();

    const service = one(objects, 'Service', 'keel-pgbouncer') as Manifest & {
      spec: { ports: { port: number }[] };
    };
    const poolerAddress = `${service.metadata.name}:${service.spec.ports[0].port}`;
    const databases = iniSection(poolerIni, 'databases');
    const urls = [secret.DATABASE_URL, ...secret.DATABASE_READ_URLS.split(',')].map(
      (url) => new URL(url),
    );
    for (const url of urls) {
      expect(url.host).toBe(poolerAddress);
      expect(Object.keys(databases)).toContain(url.pathname.slice(1));
    }
    expect(new URL(secret.DATABASE_DIRECT_URL).host).not.toBe(poolerAddress);
    // The pooler's databases are the primary and the replica, each the same database name.
    const target = (name: string): string => /dbname=(\S+)/.exec(databases[name])![1];
    expect(target('keel_replica')).toBe(target('keel'));
    expect(databases.keel_replica).not.toBe(databases.keel);
  });

  it('the ConfigMap names only variables Keel reads, and the example Secret cannot be deployed as it is', () => {
    const known = [...Object.keys(new Environment()), 'NODE_OPTIONS'];
    expect(Object.keys(config).filter((key) => !known.includes(key))).toEqual([]);
    const secret = secretsIn('deploy/k8s/secret.example.yaml');
    expect(Object.keys(secret).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET']);
    expect(() => validateEnvironment({ ...config, ...secret })).toThrow(/JWT_SECRET/);
  });

  it('the image the manifests run is the Dockerfile in this repository', () => {
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(new RegExp(`EXPOSE ${settings.PORT}\\b`));
  });
});
