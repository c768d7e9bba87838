import { describe, expect, it } from 'vitest';
import type { Finding } from '../analysis/types';
import { locationsByFingerprint } from './query-locations';

const finding = (over: Partial<Finding>): Finding => ({
  file: '/w/src/a.ts', line: 3, column: 5, endLine: 3, endColumn: 40, rule: 'n-plus-one', severity: 'warning',
  messageId: 'queryInLoop', message: 'm', orm: 'pg', related: [], fixes: [], ...over,
});

describe('slow statement → code locations', () => {
  it('groups findings by SQL fingerprint, skips findings without one, de-duplicates places', () => {
    const m = locationsByFingerprint([
      finding({ sqlFingerprint: 'f1' }),
      finding({ sqlFingerprint: 'f1', rule: 'unbounded-select' }),
      finding({ sqlFingerprint: 'f1', file: '/w/src/b.ts', line: 9 }),
      finding({ sqlFingerprint: 'f2', line: 20 }),
      finding({}),
    ]);
    expect([...m.keys()]).toEqual(['f1', 'f2']);
    expect(m.get('f1')!.map((l) => `${l.file}:${l.line}`)).toEqual(['/w/src/a.ts:3', '/w/src/b.ts:9']);
    expect(m.get('f2')![0]).toMatchObject({ line: 20, column: 5, endColumn: 40, rule: 'n-plus-one' });
  });
});
