import { describe, expect, it } from 'vitest';
import { runSmtplib, smtplibSkipReason } from './python-smtplib.js';
import { sampleMessage, useCaptureServer } from './test-support.js';

const skip = smtplibSkipReason();

describe.skipIf(skip !== undefined)('runSmtplib', () => {
  const smtp = useCaptureServer({ tls: true });
  const lmtp = useCaptureServer({ lmtp: true });

  it('sends a message whose bytes arrive intact', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('smtplib plain');
    const r = await runSmtplib({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data,
    });
    expect(r.refused).toEqual({});
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.data.equals(data)).toBe(true);
    // smtplib writes the verb in lower case and adds SIZE= when offered.
    expect(m?.mailCommand).toMatch(/^mail FROM:<a@example\.com> size=\d+$/i);
  });

  it('SMTPUTF8 mail option carries a UTF-8 sender (RFC 6531 §3.4)', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('smtplib smtputf8');
    await runSmtplib({
      port: s.port,
      from: 'j\u00f8rgen@b\u00fccher.example',
      to: ['\u7528\u6237@\u4f8b\u5b50.example'],
      data,
      smtputf8: true,
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.mailCommand).toMatch(
      /^mail FROM:<j\u00f8rgen@b\u00fccher\.example> size=\d+ SMTPUTF8$/i,
    );
    expect(m?.rcptCommands).toEqual(['rcpt TO:<\u7528\u6237@\u4f8b\u5b50.example>']);
    expect(m?.data.equals(data)).toBe(true);
  });

  it('BODY=8BITMIME passes as a MAIL parameter (RFC 6152)', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('smtplib 8bitmime');
    await runSmtplib({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data,
      mailOptions: ['BODY=8BITMIME'],
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.mailCommand).toMatch(/^mail FROM:<a@example\.com> size=\d+ BODY=8BITMIME$/i);
    expect(m?.data.equals(data)).toBe(true);
  });

  it('STARTTLS with an unverified context, then AUTH', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('smtplib starttls');
    await runSmtplib({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data,
      starttls: true,
      auth: { user: 'py', password: 'secret pw' },
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.tls).toBe(true);
    expect(m?.auth?.user).toBe('py');
    expect(m?.auth?.password).toBe('secret pw');
    expect(m?.data.equals(data)).toBe(true);
  });

  it('LMTP: LHLO and one reply per recipient (RFC 2033)', async () => {
    const s = lmtp.server();
    const n = s.messages.length;
    const data = sampleMessage('smtplib lmtp');
    const r = await runSmtplib({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com'],
      data,
      lmtp: true,
    });
    expect(r.refused).toEqual({});
    expect(r.lmtpReplies.map((x) => x[0])).toEqual([250, 250]);
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.greeting).toMatch(/^lhlo /i);
    expect(m?.rcptCommands).toHaveLength(2);
    expect(m?.data.equals(data)).toBe(true);
  });

  it('a refused connection is ERR_PEER_EXIT with the traceback', async () => {
    const { freePort } = await import('./free-port.js');
    const port = await freePort();
    const failure = runSmtplib({
      port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data: 'x\r\n',
      timeoutMs: 5000,
    });
    await expect(failure).rejects.toMatchObject({ code: 'ERR_PEER_EXIT' });
    await expect(failure).rejects.toHaveProperty(
      'stderr',
      expect.stringContaining('ConnectionRefusedError'),
    );
  });
});
