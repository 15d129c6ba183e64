import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Environment, validateEnvironment } from '../../src/config/environment.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { schemaProblems } from './support/kubernetes-schema.js';
import { loadManifests, type Manifest, one, ofKind } from './support/manifests.js';
import { imageExpectations, packageJson } from './support/project.js';

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
  resources: string[];
  images: { name: string; newName: string; newTag: string }[];
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

describe('deploy/k8s manifests (validated offline against the Kubernetes schemas)', () => {
  const all = loadManifests();
  const kustomizations = ofKind(all, 'Kustomization');
  const objects = all.filter((manifest) => manifest.kind !== 'Kustomization');
  const deployment = one(objects, 'Deployment', 'keel');
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

  it('holds a Deployment, Service, ConfigMap, Secret example, PodDisruptionBudget, HorizontalPodAutoscaler and migration Job', () => {
    expect(objects.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Job',
      'PodDisruptionBudget',
      'Secret',
      'Service',
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
    const service = structuredClone(one(objects, 'Service')) as Manifest & {
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

  it('kustomizations list files that exist, take in every manifest but the Secret example, and name one image', () => {
    const listed = kustomizations.flatMap((manifest) => {
      const { resources } = manifest as unknown as Kustomization;
      return resources.map((resource) => join(dirname(manifest.file), resource));
    });
    for (const file of listed) expect(`${file} ${existsSync(file)}`).toBe(`${file} true`);
    const manifestFiles = [...new Set(objects.map((manifest) => manifest.file))];
    expect(manifestFiles.filter((file) => !listed.includes(file))).toEqual([
      'deploy/k8s/secret.example.yaml',
    ]);
    const images = kustomizations.map((manifest) => (manifest as unknown as Kustomization).images);
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
      const service = spec<{ ports: { targetPort: string | number }[] }>(one(objects, 'Service'));
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
    for (const manifest of [deployment, job]) {
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
      selects(spec<{ selector: Record<string, string> }>(one(objects, 'Service')).selector),
    ).toBe(true);
    const pdb = spec<{ selector: { matchLabels: Record<string, string> } }>(
      one(objects, 'PodDisruptionBudget'),
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

  it('every replica the autoscaler may run, plus a rollout surge and the migration, fits a default PostgreSQL', () => {
    const { maxReplicas } = spec<{ maxReplicas: number }>(one(objects, 'HorizontalPodAutoscaler'));
    const surge = workload(deployment).spec.strategy?.rollingUpdate?.maxSurge ?? 0;
    const perReplica = settings.DB_POOL_MAX + JOB_QUEUE_CONNECTIONS;
    expect((maxReplicas + surge) * perReplica + MIGRATION_CONNECTIONS).toBeLessThanOrEqual(
      POSTGRES_CONNECTIONS_FOR_APPS,
    );
  });

  it('the ConfigMap names only variables Keel reads, and the example Secret cannot be deployed as it is', () => {
    const known = [...Object.keys(new Environment()), 'NODE_OPTIONS'];
    expect(Object.keys(config).filter((key) => !known.includes(key))).toEqual([]);
    const secret = (one(objects, 'Secret') as unknown as { stringData: Record<string, string> })
      .stringData;
    expect(Object.keys(secret).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET']);
    expect(() => validateEnvironment({ ...config, ...secret })).toThrow(/JWT_SECRET/);
  });

  it('the image the manifests run is the Dockerfile in this repository', () => {
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(new RegExp(`EXPOSE ${settings.PORT}\\b`));
  });
});
