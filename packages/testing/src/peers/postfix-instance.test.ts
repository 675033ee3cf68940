import { describe, expect, it } from 'vitest';
import { PeerError } from './peer-error.js';
import {
  privatePostfixMainCf,
  privatePostfixMasterCf,
  privatePostfixSkipReason,
  startPrivatePostfix,
} from './postfix-instance.js';
import { runSwaks } from './swaks.js';
import { sampleMessage, useCaptureServer } from './test-support.js';

/** The message without the Received: header Postfix puts in front (RFC 5321 §4.4). */
function withoutTraceHeader(data: Buffer): Buffer {
  const text = data.toString('latin1');
  const match = /^Received: [^\r]*\r\n(?:\t[^\r]*\r\n)*/.exec(text);
  return data.subarray(match?.[0].length ?? 0);
}

describe('private Postfix configuration', () => {
  it('keeps to loopback, its own directories and the relay host', () => {
    const main = privatePostfixMainCf('/tmp/x', { relayTo: { port: 2526 } });
    expect(main).toContain('inet_interfaces = 127.0.0.1');
    expect(main).toContain('queue_directory = /tmp/x/queue');
    expect(main).toContain('data_directory = /tmp/x/data');
    expect(main).toContain('relayhost = [127.0.0.1]:2526');
  });

  it('listens on 127.0.0.1:PORT and refuses port 25', () => {
    expect(privatePostfixMasterCf(2525).split('\n')[0]).toBe('127.0.0.1:2525 inet n - n - - smtpd');
    expect(() => privatePostfixMasterCf(25)).toThrow(PeerError);
  });

  it('refuses a setting that would inject another line', () => {
    expect(() =>
      privatePostfixMainCf('/tmp/x', { mainCf: { relayhost: 'x\nmynetworks = 0.0.0.0/0' } }),
    ).toThrow(PeerError);
  });
});

describe.skipIf(privatePostfixSkipReason() !== undefined)('startPrivatePostfix', () => {
  const capture = useCaptureServer();

  it('accepts a message on its high port and relays it, bytes intact, to the relay host', {
    timeout: 60_000,
  }, async () => {
    const s = capture.server();
    const n = s.messages.length;
    const pf = await startPrivatePostfix({ relayTo: { port: s.port } });
    try {
      const body = Buffer.from('Subject: via postfix\r\n\r\n.leading dot\r\ncaf\u00e9\r\n', 'utf8');
      await runSwaks({ port: pf.port, from: 'a@example.com', to: 'b@example.org', data: body });
      const m = (await s.waitForMessages(n + 1, 30_000))[n];
      expect(m?.rcptCommands[0]).toMatch(/^RCPT TO:<b@example\.org>/);
      // Postfix prepends its Received: header; the original message follows unchanged.
      expect(m && withoutTraceHeader(m.data).equals(body)).toBe(true);
      await pf.waitForLog(/status=sent/, 10_000);
    } finally {
      await pf.stop();
    }
    expect(() => process.kill(pf.pid, 0)).toThrow();
  });

  it('keeps sampleMessage intact through a relay', { timeout: 60_000 }, async () => {
    const s = capture.server();
    const n = s.messages.length;
    const pf = await startPrivatePostfix({ relayTo: { port: s.port } });
    try {
      const data = sampleMessage('postfix relay');
      await runSwaks({ port: pf.port, from: 'a@example.com', to: 'b@example.org', data });
      const m = (await s.waitForMessages(n + 1, 30_000))[n];
      expect(m && withoutTraceHeader(m.data).equals(data)).toBe(true);
    } finally {
      await pf.stop();
    }
  });
});
