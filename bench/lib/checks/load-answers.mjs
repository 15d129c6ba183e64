// What the loads saw, checked after the rows: any 503 must be a problem document with Retry-After
// (shed load, issue 10); in the smoke, any other error status fails too, and every idle
// connection of the C10k row must have been answered.
import { SETTINGS } from '../settings.mjs';

export function checkLoadAnswers(results) {
  const failures = [];
  for (const r of results) {
    const where = `${r.name} on ${r.label}`;
    if (r.answers?.malformed503)
      failures.push(
        `${where}: ${r.answers.malformed503} answers 503 without a problem document and Retry-After`,
      );
    if (!SETTINGS.smoke) continue;
    if (r.answers?.other)
      failures.push(`${where}: ${r.answers.other} answers with an unexpected status`);
    if (r.idle && !r.idle.allEstablished)
      failures.push(
        `${where}: ${r.idle.answered} of ${r.idle.connections} idle connections answered and established`,
      );
  }
  return failures;
}
