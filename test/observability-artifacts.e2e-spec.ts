import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { exportedFamilies, fromGrafana, isExported, metricNamesIn } from './support/promql.js';
import { type TestApp, startTestApp } from './support/test-app.js';

const DIR = 'deploy/observability';

/** Used by the rules or the dashboard without being Keel's: Prometheus writes `up` for every scrape. */
const NOT_EXPORTED_BY_KEEL = new Set(['up']);

/**
 * What promtool's lint says of prom-client's default metrics, which Keel does not name: gauges with
 * a `_total` suffix (prometheus/client_js#283). Any other finding fails.
 */
const UPSTREAM_LINT =
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;

interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}
interface Dashboard {
  panels: { targets?: { expr: string }[] }[];
  templating: { list: { query?: string | { query: string } }[] };
}

const rules = (): { alert: string; expr: string }[] =>
  (parse(readFileSync(`${DIR}/keel-alerts.yml`, 'utf8')) as RuleFile).groups.flatMap(
    (group) => group.rules,
  );
function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(`${DIR}/keel-dashboard.json`, 'utf8')) as Dashboard;
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((t) => t.expr);
  const variables = dashboard.templating.list
    .map((variable) => (typeof variable.query === 'object' ? variable.query.query : undefined))
    .filter((query): query is string => query !== undefined);
  return [...targets, ...variables].map(fromGrafana);
}

const promtoolFound = spawnSync('promtool', ['--version']).status === 0;
/** CI installs promtool (.ci/run); elsewhere these checks are skipped when it is missing. */
const withPromtool = promtoolFound || process.env.CI ? it : it.skip;
const promtool = (args: string[], input?: string) =>
  spawnSync('promtool', args, { cwd: DIR, input, encoding: 'utf8' });

describe('operator artifacts: alert rules and dashboard over the running app', () => {
  let api: TestApp;
  let exposition: string;

  beforeAll(async () => {
    api = await startTestApp();
    await api.request('GET', '/health/ready');
    exposition = (await api.request('GET', '/metrics')).text;
  });
  afterAll(() => api.close());

  it('uses only metrics the running app exports (`up` aside), the shed counter among them', () => {
    const families = exportedFamilies(exposition);
    const used = new Set([
      ...rules().flatMap((rule) => metricNamesIn(rule.expr)),
      ...dashboardQueries().flatMap(metricNamesIn),
    ]);
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter(
      (name) => !NOT_EXPORTED_BY_KEEL.has(name) && !isExported(name, families),
    );
    expect(missing).toEqual([]);
    for (const external of NOT_EXPORTED_BY_KEEL) expect(used).toContain(external);
    expect(used).toContain('http_requests_shed_total');
  });

  it('has an alert for each failure an operator must hear about', () => {
    expect(rules().map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'KeelHighErrorRate',
        'KeelHighLatencyP99',
        'KeelReadinessFlapping',
        'KeelEventLoopLag',
        'KeelDatabasePoolSaturated',
        'KeelSheddingRequests',
        'KeelJobsDeadLettered',
        'KeelRestarting',
      ]),
    );
  });

  withPromtool('promtool accepts the rules and their unit tests pass', () => {
    expect(promtoolFound).toBe(true);
    const checked = promtool(['check', 'rules', 'keel-alerts.yml']);
    expect(checked.stdout + checked.stderr).toContain('SUCCESS');
    expect(checked.status).toBe(0);
    const tested = promtool(['test', 'rules', 'keel-alerts.test.yml']);
    expect(tested.stdout + tested.stderr).toContain('SUCCESS');
    expect(tested.status).toBe(0);
  });

  withPromtool(
    "promtool finds nothing wrong with the live /metrics but prom-client's own names",
    () => {
      expect(promtoolFound).toBe(true);
      const checked = promtool(['check', 'metrics'], exposition);
      const findings = (checked.stdout + checked.stderr).split('\n').filter((line) => line !== '');
      expect(findings.filter((line) => !UPSTREAM_LINT.test(line))).toEqual([]);
      // Exit 3 means lint findings only; 1 would mean the exposition does not parse.
      expect([0, 3]).toContain(checked.status);
    },
  );
});
