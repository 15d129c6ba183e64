export const log = (line) => process.stderr.write(`[bench] ${line}\n`);
