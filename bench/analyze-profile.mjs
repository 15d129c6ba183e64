// Summarises a V8 .cpuprofile (from `BENCH_PROFILE=1 npm run bench`, see bench/README.md): self
// time by package and the heaviest functions, plus inclusive time of chosen frames.
//
//   node bench/analyze-profile.mjs bench/results/profiles/<server>/CPU.*.0.*.cpuprofile [top=25] [--after=S]
//
// --after=S leaves out the first S seconds of the process (its start-up: module loading, and with
// tracing the ESM loader hooks' round trips, which otherwise read as a per-request cost).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const afterArg = args.find((arg) => arg.startsWith('--after='));
const [file, topArg] = args.filter((arg) => !arg.startsWith('--'));
if (!file) {
  process.stderr.write(
    'usage: node bench/analyze-profile.mjs <file.cpuprofile> [top] [--after=seconds]\n',
  );
  process.exit(2);
}
const top = Number(topArg ?? 25);
const afterUs = afterArg ? Number(afterArg.slice('--after='.length)) * 1e6 : 0;
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Sample counts per node id, weighted by the time delta each sample stands for.
const selfUs = new Map();
let elapsedUs = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  elapsedUs += profile.timeDeltas[i] ?? 0;
  if (elapsedUs < afterUs) continue;
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idleUs = [...selfUs]
  .filter(([id]) => nodes.get(id).callFrame.functionName === '(idle)')
  .reduce((sum, [, us]) => sum + us, 0);

function packageOf(url) {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node core';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/dist/')) return 'keel (dist)';
  return url;
}
const nameOf = (frame) =>
  `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}` : ''}`;

const byPackage = new Map();
const byFunction = new Map();
for (const [id, us] of selfUs) {
  const frame = nodes.get(id).callFrame;
  const pkg =
    frame.functionName === '(garbage collector)'
      ? '(garbage collector)'
      : frame.functionName === '(idle)'
        ? '(idle)'
        : frame.functionName === '(program)'
          ? '(program)'
          : packageOf(frame.url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  const name = nameOf(frame);
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
}

// Inclusive time: a sample counts once for every distinct function on its stack.
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const name = nameOf(nodes.get(n).callFrame);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
}

const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const print = (title, map, limit) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    process.stdout.write(`  ${pct(us)}  ${name}\n`);
  }
};
process.stdout.write(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled${afterUs ? ` after the first ${afterUs / 1e6} s` : ''}, ${((total - idleUs) / 1e6).toFixed(1)} s busy\n`,
);
print('Self time by package', byPackage, 20);
print(`Self time, top ${top} functions`, byFunction, top);
print(
  `Inclusive time, top ${top} functions`,
  new Map([...inclusive].filter(([name]) => !name.startsWith('('))),
  top,
);
