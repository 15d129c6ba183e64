import { DockerfileParser, type Instruction, ModifiableInstruction } from 'dockerfile-ast';

/** What the Dockerfile must agree with, read from the project. */
export interface ImageExpectations {
  /** package.json's `start:prod`, e.g. `node dist/main.js`. */
  startCommand: string;
  /** The project's Node release (package.json's `node` devDependency), e.g. `24.21.0`. */
  nodeVersion: string;
  /** The port Keel listens on by default. */
  port: number;
  /** The lines of `.dockerignore`. */
  dockerignore: string[];
}

interface Stage {
  name: string | null;
  instructions: Instruction[];
}

const SECRET_NAME = /secret|password|passwd|token|api_?key|private_?key|database_url/i;

const words = (instruction: Instruction): string[] =>
  instruction.getArguments().map((argument) => argument.getValue());

/** `["node", "dist/main.js"]` → its strings; undefined when the instruction is in shell form. */
function execForm(instruction: Instruction): string[] | undefined {
  const raw = instruction.getArgumentsContent()?.trim() ?? '';
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string')
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** `COPY --from=<stage>`: the stage it copies from, if any. */
const copiedFrom = (copy: Instruction): string | undefined =>
  copy instanceof ModifiableInstruction
    ? (copy
        .getFlags()
        .find((flag) => flag.getName() === 'from')
        ?.getValue() ?? undefined)
    : undefined;

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const [, as, name] = words(instruction);
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/**
 * What the image must be, as a list of problems (empty: none). No Docker engine runs here, so this
 * reads the Dockerfile and .dockerignore as text (dockerfile-ast) and checks the rules of
 * docs/decisions/0080-container-image.md.
 */
export function lintDockerfile(text: string, expected: ImageExpectations): string[] {
  const problems: string[] = [];
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const stages = stagesOf(instructions);
  const runtime = stages.at(-1);
  const stageNames = new Set(stages.map((stage) => stage.name).filter(Boolean));
  if (!runtime || stages.length < 2) problems.push('needs a build stage and a runtime stage');

  for (const from of dockerfile.getFROMs()) {
    const image = from.getImageName() ?? '';
    if (stageNames.has(image)) continue;
    const tag = from.getImageTag() ?? '';
    if (image !== 'node' && !image.endsWith('/node')) {
      problems.push(`FROM ${from.getImage()}: the base must be the official node image`);
    } else if (
      !new RegExp(`^${expected.nodeVersion.replaceAll('.', '\\.')}-[a-z]+-slim$`).test(tag)
    ) {
      problems.push(
        `FROM ${from.getImage()}: pin the base to node:${expected.nodeVersion}-<debian>-slim, the project's Node`,
      );
    }
  }

  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    const content = instruction.getArgumentsContent() ?? '';
    if (keyword === 'ADD') problems.push(`ADD ${content}: use COPY`);
    if (keyword === 'RUN' && /\bnpm\s+(install|i|add)\b/.test(content)) {
      problems.push(`RUN ${content}: install with npm ci (the lock file, exactly)`);
    }
    if (keyword === 'ENV' || keyword === 'ARG') {
      const name = content.split(/[=\s]/)[0];
      if (SECRET_NAME.test(name))
        problems.push(`${keyword} ${name}: secrets never go in the image`);
    }
    if (keyword === 'COPY' && words(instruction).some((word) => /(^|\/)\.env/.test(word))) {
      problems.push(`COPY ${content}: .env files never go in the image`);
    }
  }
  if (!runtime) return problems;

  const runtimeOf = (keyword: string): Instruction[] =>
    runtime.instructions.filter((instruction) => instruction.getKeyword() === keyword);
  const installs = runtimeOf('RUN').map((run) => run.getArgumentsContent() ?? '');
  if (!installs.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))) {
    problems.push('the runtime stage must install with npm ci --omit=dev');
  }
  if (
    !runtimeOf('ENV').some((env) => /\bNODE_ENV=production\b/.test(env.getArgumentsContent() ?? ''))
  ) {
    problems.push('the runtime stage must set NODE_ENV=production');
  }
  for (const copy of runtimeOf('COPY')) {
    const sources = words(copy).slice(0, -1);
    if (copiedFrom(copy) && !sources.every((source) => /(^|\/)dist\/?$/.test(source))) {
      problems.push(`COPY ${copy.getArgumentsContent()}: take only dist/ from the build stage`);
    }
  }

  const user = runtimeOf('USER').at(-1);
  const uid = user ? words(user)[0]?.split(':')[0] : undefined;
  if (!uid || !/^\d+$/.test(uid) || uid === '0') {
    problems.push(
      'the runtime stage must end as a numeric non-root USER (runAsNonRoot checks the number)',
    );
  }

  const [cmd, ...extraCmds] = runtimeOf('CMD');
  const argv = cmd && execForm(cmd);
  const startArgv = expected.startCommand.trim().split(/\s+/);
  if (!argv) problems.push('CMD must be in exec form (a JSON array), so node receives SIGTERM');
  else if (argv.join(' ') !== startArgv.join(' ')) {
    problems.push(`CMD ${JSON.stringify(argv)} differs from start:prod (${expected.startCommand})`);
  }
  if (extraCmds.length > 0 || runtimeOf('ENTRYPOINT').length > 0) {
    problems.push('one CMD and no ENTRYPOINT: nothing may stand between the runtime and node');
  }
  const exposed = runtimeOf('EXPOSE').flatMap(words);
  if (!exposed.includes(String(expected.port))) {
    problems.push(`EXPOSE ${exposed.join(' ')}: Keel listens on ${expected.port}`);
  }

  problems.push(...lintDockerignore(expected.dockerignore, contextSources(stages)));
  return problems;
}

/** Paths the build copies from the build context (not from another stage). */
function contextSources(stages: Stage[]): string[] {
  return stages.flatMap((stage) =>
    stage.instructions
      .filter((instruction) => instruction.getKeyword() === 'COPY')
      .filter((copy) => !copiedFrom(copy))
      .flatMap((copy) => words(copy).slice(0, -1)),
  );
}

/** An allow-list: everything ignored, then only what the build copies let back in. */
function lintDockerignore(lines: string[], sources: string[]): string[] {
  const rules = lines.map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const problems: string[] = [];
  if (!['*', '**'].includes(rules[0])) {
    problems.push(
      '.dockerignore must start by ignoring everything (*), then allow what the build copies',
    );
  }
  const allowed = rules
    .filter((rule) => rule.startsWith('!'))
    .map((rule) => rule.slice(1).replace(/\/$/, ''));
  for (const rule of allowed) {
    if (/(^|\/)\.env|\.git|node_modules|\.data/.test(rule)) {
      problems.push(`.dockerignore lets ${rule} into the build context`);
    }
  }
  for (const source of sources.map((path) => path.replace(/^\.\//, '').replace(/\/$/, ''))) {
    if (!allowed.includes(source))
      problems.push(`COPY ${source}: .dockerignore leaves it out of the context`);
  }
  return problems;
}
