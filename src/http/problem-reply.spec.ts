import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { describeError } from './error-table.js';
import { logFailure } from './problem-reply.js';

describe('logFailure', () => {
  const request = { requestId: 'r-1', method: 'GET', url: '/x' };
  const logger = new Logger('Errors');
  const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  const log = jest.spyOn(logger, 'log').mockImplementation(() => undefined);
  beforeEach(() => jest.clearAllMocks());

  it('logs a 500 at error as a bug, with the error itself', () => {
    const bug = new TypeError('x is undefined');
    logFailure(logger, request, describeError(bug), bug);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ bug: true, err: bug, status: 500, requestId: 'r-1' }),
      'unexpected error: a bug in Keel',
    );
  });

  it('logs an outage at error, but not as a bug', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    logFailure(logger, request, describeError(outage), outage);
    expect(error).toHaveBeenCalledWith(
      expect.not.objectContaining({ bug: true }),
      'request failed',
    );
  });

  it('logs a refused request at info without its stack', () => {
    const refused = Object.assign(new Error('too big'), { statusCode: 413 });
    logFailure(logger, request, describeError(refused), refused);
    expect(error).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ status: 413, error: { type: 'Error', message: 'too big' } }),
      'request refused',
    );
  });

  it('logs a client that left mid-body at info, as a client that left, without the error', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    logFailure(logger, request, describeError(aborted), aborted);
    expect(error).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(
      { requestId: 'r-1', method: 'GET', url: '/x', status: 499 },
      'client left before its request had arrived',
    );
  });
});
