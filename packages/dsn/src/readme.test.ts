/** The README snippet, run as a test: its printed values are the asserted ones. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDsn, parseDsn, planNotification } from './index.js';

describe('README', () => {
  it('plans, builds and parses a bounce as documented', () => {
    const envelope = { sender: 'alice@example.com', envid: 'QQ314159', ret: 'HDRS' as const };
    const bob = {
      address: 'bob@example.org',
      notify: ['FAILURE' as const],
      orcpt: { addrType: 'rfc822', address: 'bob@example.org' },
    };
    const plan = planNotification('failed', envelope, [bob]);
    expect(plan.send).toBe('dsn');
    const dsn = buildDsn({
      reportingMta: 'mx.example.com',
      envelope,
      recipients: [
        {
          ...bob,
          action: 'failed',
          reply: {
            code: 550,
            enhanced: '5.1.1',
            text: 'No such user',
            remoteMta: 'mx.example.org',
          },
        },
      ],
      original: new TextEncoder().encode('Subject: lunch?\r\n\r\nAt noon.\r\n'),
      now: Date.UTC(2026, 0, 2, 3, 4, 5),
      messageId: 'bounce.1',
    });
    expect([JSON.stringify(dsn.sender), dsn.recipient]).toEqual(['""', 'alice@example.com']);
    const report = parseDsn(dsn.message);
    const [r] = report.recipients;
    expect([r?.action, r?.status, r?.diagnosticCode?.text]).toEqual([
      'failed',
      '5.1.1',
      '550 5.1.1 No such user',
    ]);
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
  });

  it('is the snippet this test runs (kept in step by hand: compare the calls)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const call of [
      "planNotification('failed', envelope, [bob])",
      "messageId: 'bounce.1'",
      'parseDsn(dsn.message)',
    ]) {
      expect(readme).toContain(call);
    }
  });
});
