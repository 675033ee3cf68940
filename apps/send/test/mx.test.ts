// --mx through the real command line: dnsmasq on a high port answers for the recipients'
// domains (--dns-server), @smtpkit/server listens on addresses of 127.0.0.0/8 that stand for
// different hosts, on one high port (--mx-port).
import { type Dnsmasq, dnsmasqSkipReason, freePort, startDnsmasq } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivingServer, startReceivingServer } from './receiving-server.js';
import { runCli } from './run-cli.js';

describe.skipIf(dnsmasqSkipReason() !== undefined)('smtpkit-send --mx', () => {
  let dns: Dnsmasq;
  let port: number;
  let up: ReceivingServer;
  const mx = () => ['--mx', '--dns-server', dns.server, '--mx-port', String(port)];

  beforeAll(async () => {
    dns = await startDnsmasq({
      mx: [
        // nothing listens on the first: the second takes the message
        { domain: 'mx.test', host: 'down.mx.test', preference: 10 },
        { domain: 'mx.test', host: 'up.mx.test', preference: 20 },
      ],
      nullMx: ['nullmx.test'],
      hosts: [
        { name: 'down.mx.test', addresses: ['127.0.0.61'] },
        { name: 'up.mx.test', addresses: ['127.0.0.62'] },
      ],
    });
    port = await freePort('127.0.0.62');
    up = await startReceivingServer({ host: '127.0.0.62', port });
  });
  afterAll(async () => {
    await up?.stop();
    await dns?.stop();
  });

  it('passes an MX that refuses the connection and delivers to the next one', async () => {
    const r = await runCli([
      ...mx(),
      '--from',
      'a@example.org',
      '--to',
      'b@mx.test',
      '--to',
      'c@mx.test',
    ]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.lines).toEqual([
      `mx mx.test: up.mx.test 127.0.0.62:${port}`,
      expect.stringMatching(/^rcpt <b@mx\.test>: accepted 250 /),
      expect.stringMatching(/^rcpt <c@mx\.test>: accepted 250 /),
      expect.stringMatching(/^message: accepted 250 /),
    ]);
    expect(up.messages.at(-1)).toMatchObject({
      from: '<a@example.org>',
      to: ['<b@mx.test>', '<c@mx.test>'],
    });
  });

  it('a null MX is a permanent failure: exit 1, one line with its reply, no connection', async () => {
    const before = up.connections;
    const r = await runCli([...mx(), '--from', 'a@example.org', '--to', 'b@nullmx.test']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^smtpkit-send: nullmx\.test: .*: 556 5\.1\.10 .*\n$/);
    expect(r.lines).toEqual(['rcpt <b@nullmx.test>: not delivered']);
    expect(up.connections).toBe(before);
  });

  it('recipients in two domains: one delivery each; one failing makes the exit status 1', async () => {
    const r = await runCli([
      ...mx(),
      ...['--from', 'a@example.org', '--to', 'b@mx.test', '--to', 'c@nullmx.test'],
    ]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      `mx mx.test: up.mx.test 127.0.0.62:${port}`,
      expect.stringMatching(/^rcpt <b@mx\.test>: accepted /),
      expect.stringMatching(/^message: accepted /),
      'rcpt <c@nullmx.test>: not delivered',
    ]);
  });

  it('--mx needs a domain in every recipient', async () => {
    const r = await runCli([...mx(), '--from', 'a@example.org', '--to', 'postmaster']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'smtpkit-send: --to "postmaster" has no domain to look up: --mx needs user@domain\n',
    );
  });
});
