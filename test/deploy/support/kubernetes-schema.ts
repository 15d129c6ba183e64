import ts from 'typescript';
import { resolve } from 'node:path';
import { bare, type Manifest } from './manifests.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Validatable;

/** `apps/v1` → `kubernetes-models/apps/v1`; the core group `v1` → `kubernetes-models/v1`. */
const modelModule = (apiVersion: string): string => `kubernetes-models/${apiVersion}`;

/**
 * Problems against the Kubernetes OpenAPI schemas bundled in `kubernetes-models`: types, formats
 * and required fields (its JSON-schema validators), and **unknown fields**, which those validators
 * let through. For those the manifests are type-checked by the TypeScript compiler against the
 * package's interfaces: an object literal with a property its interface lacks is an error at any
 * depth (excess property checking). Kubernetes' own strict field validation answers the same.
 */
export async function schemaProblems(manifests: Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  const typed: { manifest: Manifest; module: string }[] = [];
  for (const manifest of manifests) {
    const module = modelModule(manifest.apiVersion);
    let Model: ModelClass | undefined;
    try {
      Model = ((await import(module)) as Record<string, ModelClass | undefined>)[manifest.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      problems.push(`${manifest.source}: unknown kind ${manifest.apiVersion} ${manifest.kind}`);
      continue;
    }
    try {
      new Model(bare(manifest)).validate();
    } catch (error) {
      problems.push(`${manifest.source}: ${(error as Error).message}`);
    }
    typed.push({ manifest, module });
  }
  return [...problems, ...unknownFields(typed)];
}

/**
 * Walks each manifest beside its TypeScript interface: every key must be a property of the type
 * at that place (maps such as `labels` have an index signature and take any key).
 */
function unknownFields(typed: { manifest: Manifest; module: string }[]): string[] {
  // Resolved from the project root, where node_modules is; never written to disk.
  const file = resolve('deploy-manifests.check.ts');
  const text = typed
    .map(
      ({ manifest, module }, index) =>
        `import type { I${manifest.kind} as T${index} } from '${module}';\n` +
        `export declare const m${index}: T${index};`,
    )
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(
    file,
    text,
    { languageVersion: ts.ScriptTarget.ES2022, impliedNodeFormat: ts.ModuleKind.ESNext },
    true,
  );
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => (name === file ? source : getSourceFile(name, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram({ rootNames: [file], options, host });
  const broken = program.getSemanticDiagnostics(source);
  if (broken.length > 0) {
    throw new Error(ts.flattenDiagnosticMessageText(broken[0].messageText, ' '));
  }
  const checker = program.getTypeChecker();
  const declared = new Map(
    source.statements
      .filter(ts.isVariableStatement)
      .map((statement) => statement.declarationList.declarations[0])
      .map((declaration) => [
        declaration.name.getText(),
        checker.getTypeAtLocation(declaration.name),
      ]),
  );

  const problems: string[] = [];
  typed.forEach(({ manifest }, index) => {
    const walk = (value: unknown, type: ts.Type, path: string): void => {
      if (Array.isArray(value)) {
        const element = checker.isArrayType(type)
          ? checker.getTypeArguments(type as ts.TypeReference)[0]
          : undefined;
        if (element) value.forEach((item, i) => walk(item, element, `${path}[${i}]`));
        return;
      }
      if (value === null || typeof value !== 'object') return;
      const objectType = checker.getNonNullableType(type);
      if (checker.getIndexInfosOfType(objectType).length > 0) return;
      for (const [key, child] of Object.entries(value)) {
        const property = checker.getPropertyOfType(objectType, key);
        if (!property) {
          problems.push(`${manifest.source}: unknown field ${path ? `${path}.` : ''}${key}`);
          continue;
        }
        walk(
          child,
          checker.getNonNullableType(checker.getTypeOfSymbol(property)),
          path ? `${path}.${key}` : key,
        );
      }
    };
    walk(bare(manifest), declared.get(`m${index}`)!, '');
  });
  return problems;
}
