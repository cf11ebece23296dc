import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError, describeError } from '../../src/errors.ts';

test('describeError: the message, the hint, the code when the message lacks it', () => {
  assert.equal(describeError(new UserError('bad port', { hint: 'use 0-65535' })), 'bad port (use 0-65535)');
  assert.equal(describeError(Object.assign(new Error('no such file'), { code: 'ENOENT' })), 'no such file [ENOENT]');
  assert.equal(describeError('plain'), 'plain');
});

test('describeError: a failed connect to several addresses says why (regression: it read " [ECONNREFUSED]")', () => {
  const attempt = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
  const error = Object.assign(new AggregateError([attempt('::1:8101'), attempt('127.0.0.1:8101')], ''), { code: 'ECONNREFUSED' });
  assert.equal(describeError(error), 'connect ECONNREFUSED ::1:8101');
});
