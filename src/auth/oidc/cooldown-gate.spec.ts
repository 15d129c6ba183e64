import { CooldownGate } from './cooldown-gate.js';

describe('CooldownGate', () => {
  it('stays shut for the cooldown after a failure, then opens; a success opens it at once', () => {
    let now = 1_000;
    const gate = new CooldownGate(500, () => now);
    expect(gate.open).toBe(true);
    gate.failed();
    now += 499;
    expect(gate.open).toBe(false);
    now += 1;
    expect(gate.open).toBe(true);
    gate.failed();
    gate.succeeded();
    expect(gate.open).toBe(true);
  });
});
