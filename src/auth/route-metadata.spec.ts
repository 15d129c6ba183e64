import type { ExecutionContext } from '@nestjs/common';
import { SetMetadata } from '@nestjs/common';
import { routeMetadata } from './route-metadata.js';

const MARK = 'test:mark';

@SetMetadata(MARK, 'class')
class Marked {
  plain(): void {}
  @SetMetadata(MARK, 'handler')
  own(): void {}
}
class Unmarked {
  plain(): void {}
}
class Other extends Marked {}
SetMetadata(MARK, 'other')(Other);

const contextOf = (controller: object, handler: object) =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('routeMetadata', () => {
  const mark = routeMetadata<string>(MARK);

  it('prefers the handler’s value over its class’s, as getAllAndOverride does', () => {
    expect(mark(contextOf(Marked, Marked.prototype.own))).toBe('handler');
    expect(mark(contextOf(Marked, Marked.prototype.plain))).toBe('class');
    expect(mark(contextOf(Unmarked, Unmarked.prototype.plain))).toBeUndefined();
  });

  it('answers a handler shared by two controllers for each controller', () => {
    expect(mark(contextOf(Marked, Marked.prototype.plain))).toBe('class');
    expect(mark(contextOf(Other, Marked.prototype.plain))).toBe('other');
    expect(mark(contextOf(Marked, Marked.prototype.plain))).toBe('class');
  });
});
