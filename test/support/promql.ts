import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's variables, replaced by values that make a dashboard query plain PromQL. */
const GRAFANA_VARIABLES: [RegExp, string][] = [
  [/\$__rate_interval|\$__interval|\$__range/g, '5m'],
  [/\$instance/g, '.*'],
];

export function fromGrafana(query: string): string {
  const labelValues = /^label_values\((.*),\s*\w+\)$/.exec(query.trim());
  const expression = labelValues ? labelValues[1] : query;
  return GRAFANA_VARIABLES.reduce(
    (text, [variable, value]) => text.replace(variable, value),
    expression,
  );
}

/** The metric names a PromQL expression selects; throws on a syntax error. */
export function metricNamesIn(expression: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expression);
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        throw new Error(`PromQL syntax error at ${node.from} in: ${expression}`);
      }
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.add(expression.slice(node.from, node.to));
      }
    },
  });
  return [...names];
}

/** Metric families of a Prometheus text exposition, by name, with their type. */
export function exportedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    families.set(name, type);
  }
  return families;
}

/** Whether a series name belongs to an exported family (histograms add _bucket, _sum, _count). */
export function isExported(name: string, families: Map<string, string>): boolean {
  if (families.has(name)) return true;
  const family = name.replace(/_(bucket|sum|count)$/, '');
  return family !== name && ['histogram', 'summary'].includes(families.get(family) ?? '');
}
