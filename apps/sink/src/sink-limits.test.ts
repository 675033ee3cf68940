import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sink, startSink } from './sink.js';

/** Opens a connection and resolves with the first reply line the sink sends. */
async function firstLine(port: number, open: RawSmtpClient[]): Promise<string> {
  const c = await RawSmtpClient.connect(port);
  open.push(c);
  return (await c.readReply()).raw[0] ?? '';
}

describe('connection limits', () => {
  let sink: Sink | undefined;
  const open: RawSmtpClient[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) s.destroy();
    await sink?.close(1000);
    sink = undefined;
  });

  it('refuses a second connection from one address over maxConnectionsPerIp with 421', async () => {
    sink = await startSink({
      listen: [{ host: '127.0.0.1', port: 0 }],
      hostname: 'sink.test',
      maxConnectionsPerIp: 1,
    });
    const port = sink.addresses.listen[0]?.port ?? 0;
    expect(await firstLine(port, open)).toMatch(/^220 /);
    // RFC 5321 §3.1: 421 when the service is not available to this client.
    expect(await firstLine(port, open)).toMatch(/^421 /);
  });

  it('refuses past maxConnections in total', async () => {
    sink = await startSink({
      listen: [{ host: '127.0.0.1', port: 0 }],
      hostname: 'sink.test',
      maxConnections: 2,
    });
    const port = sink.addresses.listen[0]?.port ?? 0;
    expect(await firstLine(port, open)).toMatch(/^220 /);
    expect(await firstLine(port, open)).toMatch(/^220 /);
    expect(await firstLine(port, open)).toMatch(/^421 /);
  });
});
