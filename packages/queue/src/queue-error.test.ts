import { describe, expect, it } from 'vitest';
import { isQueueError, QueueError } from './queue-error.js';

describe('QueueError', () => {
  it('reads misuse from the code', () => {
    expect(new QueueError('ERR_QUEUE_MISUSE_RESULT', 'x').misuse).toBe(true);
    expect(new QueueError('ERR_QUEUE_LOCKED', 'x').misuse).toBe(false);
    expect(new QueueError('ERR_QUEUE_IO', 'x', { cause: 'disk' }).cause).toBe('disk');
  });

  it('is recognised by its brand, also when made by another copy of the package', () => {
    expect(isQueueError(new QueueError('ERR_QUEUE_IO', 'x'))).toBe(true);
    expect(isQueueError(new Error('x'))).toBe(false);
    expect(isQueueError(null)).toBe(false);
    const foreign = Object.create({ [Symbol.for('@smtpkit/queue.QueueError')]: true });
    expect(isQueueError(foreign)).toBe(true);
  });
});
