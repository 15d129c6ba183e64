import { DockerfileParser, type Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the image would hold and run: its folder, environment and command. */
export interface RuntimeTree {
  dir: string;
  env: Record<string, string>;
  command: string[];
  /** `npm ci` lines replayed, as written in the Dockerfile. */
  installs: string[];
}

/** Steps of a RUN that do not change the image's files: skipped here (they would clean this machine's npm cache). */
const NO_EFFECT_ON_FILES = [/^npm cache clean\b/];

/**
 * This process's environment without what `npm run`/`npm test` export (`npm_config_*`,
 * `npm_lifecycle_*`): a Docker build has none of it, and it must not steer the replayed `npm ci`.
 */
const buildEnvironment = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

const words = (instruction: Instruction): string[] =>
  instruction.getArguments().map((argument) => argument.getValue());

/**
 * Replays the Dockerfile's last stage in `dir`, without Docker: COPY from the build context comes
 * from the project, `COPY --from=<build stage> <workdir>/dist` is the project's own built dist/,
 * each `npm ci` of a RUN runs as written. Anything else the stage does fails the replay, so the
 * stage cannot grow a step this test does not reproduce.
 */
export async function replayRuntimeStage(dockerfile: string, dir: string): Promise<RuntimeTree> {
  const instructions = DockerfileParser.parse(dockerfile).getInstructions();
  const lastFrom = instructions.map((instruction) => instruction.getKeyword()).lastIndexOf('FROM');
  const env: Record<string, string> = {};
  const installs: string[] = [];
  let command: string[] = [];
  let buildWorkdir = '/app';
  for (const instruction of instructions.slice(0, lastFrom)) {
    if (instruction.getKeyword() === 'WORKDIR') buildWorkdir = words(instruction)[0];
  }
  mkdirSync(dir, { recursive: true });

  for (const instruction of instructions.slice(lastFrom + 1)) {
    const keyword = instruction.getKeyword();
    const args = words(instruction);
    switch (keyword) {
      case 'ENV':
        for (const pair of args) {
          const [name, ...value] = pair.split('=');
          env[name] = value.join('=');
        }
        break;
      case 'COPY': {
        const from =
          instruction instanceof ModifiableInstruction
            ? instruction.getFlags().find((flag) => flag.getName() === 'from')
            : undefined;
        const destination = args.at(-1)!;
        const target = resolve(dir, destination);
        for (const source of args.slice(0, -1)) {
          const local = from ? source.replace(new RegExp(`^${buildWorkdir}/?`), '') : source;
          const into = destination.endsWith('/') ? join(target, basename(local)) : target;
          cpSync(resolve(local), into, { recursive: true });
        }
        break;
      }
      case 'RUN':
        for (const step of (instruction.getArgumentsContent() ?? '')
          .split('&&')
          .map((s) => s.trim())) {
          if (NO_EFFECT_ON_FILES.some((pattern) => pattern.test(step))) continue;
          if (!/^npm ci\b/.test(step))
            throw new Error(`the runtime stage runs "${step}": replay it here too`);
          installs.push(step);
          await run('sh', ['-c', step], {
            cwd: dir,
            env: { ...buildEnvironment(), ...env },
            maxBuffer: 16 * 1024 * 1024,
          });
        }
        break;
      case 'CMD':
        command = JSON.parse(instruction.getArgumentsContent() ?? '[]') as string[];
        break;
      case 'WORKDIR':
      case 'USER':
      case 'EXPOSE':
        break;
      default:
        throw new Error(`the runtime stage uses ${keyword}: replay it here too`);
    }
  }
  return { dir, env, command, installs };
}
