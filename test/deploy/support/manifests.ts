import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One YAML document of deploy/k8s, with where it came from. */
export interface Manifest {
  /** `deploy/k8s/deployment.yaml#0` */
  source: string;
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // Manifests are free-form YAML; the schema checks below give them their types.
  [field: string]: unknown;
}

export const MANIFESTS_DIR = 'deploy/k8s';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every document of every YAML file under deploy/k8s; a YAML syntax error throws. */
export function loadManifests(dir = MANIFESTS_DIR): Manifest[] {
  return yamlFiles(dir).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8')).map((document, index) => {
      if (document.errors.length > 0) {
        throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
      }
      const object = document.toJS() as Record<string, unknown>;
      return {
        ...object,
        file: relative('.', file),
        source: `${relative('.', file)}#${index}`,
      } as Manifest;
    }),
  );
}

/** The object as Kubernetes would receive it: without the bookkeeping fields added here. */
export function bare(manifest: Manifest): Record<string, unknown> {
  const object: Record<string, unknown> = { ...manifest };
  delete object.source;
  delete object.file;
  return object;
}

export const ofKind = (manifests: Manifest[], kind: string): Manifest[] =>
  manifests.filter((manifest) => manifest.kind === kind);

export function one(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = ofKind(manifests, kind).filter((m) => !name || m.metadata.name === name);
  if (found.length !== 1)
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}
