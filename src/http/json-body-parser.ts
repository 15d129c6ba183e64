import type { FastifyInstance } from 'fastify';
import { InvalidInputError } from '../errors/domain-error.js';
import { MAX_JSON_DEPTH, isNestedDeeperThan } from './json-depth.js';

export class JsonNestedTooDeep extends InvalidInputError {
  readonly message = `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`;
}

/**
 * Fastify's JSON parser (with its `__proto__`/`constructor` poisoning checks), behind a depth
 * limit. Deep bodies are refused before they are parsed: class-transformer and class-validator
 * walk a body recursively, so 2,000 levels overflowed the stack (a 500) and 250,000 held the
 * event loop for ~0.6 s each. `JSON.parse` itself has no depth option.
 */
export function installJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      // `parseAs: 'string'` hands over text; the type also allows a Buffer.
      const text = body.toString();
      if (isNestedDeeperThan(text, MAX_JSON_DEPTH)) {
        done(new JsonNestedTooDeep(), undefined);
        return;
      }
      void parseJson(request, text, done);
    },
  );
}
