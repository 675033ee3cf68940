import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sink, startSink } from './sink.js';

/** Opens a connection and resolves with the first reply line the sink sends. */
function firstLine(port: number, open: Socket[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    open.push(socket);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    socket.on('error', reject);
  });
}

describe('connection limits', () => {
  let sink: Sink | undefined;
  const open: Socket[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) s.destroy();
    await sink?.close(1000);
    sink = undefined;
  });

  it('refuses a second connection from one address over maxConnectionsPerIp with 421', async () => {
    sink = await startSink({
      listen: { host: '127.0.0.1', port: 0 },
      hostname: 'sink.test',
      maxConnectionsPerIp: 1,
    });
    const port = sink.addresses.listen?.port ?? 0;
    expect(await firstLine(port, open)).toMatch(/^220 /);
    // RFC 5321 §3.1: 421 when the service is not available to this client.
    expect(await firstLine(port, open)).toMatch(/^421 /);
  });

  it('refuses past maxConnections in total', async () => {
    sink = await startSink({
      listen: { host: '127.0.0.1', port: 0 },
      hostname: 'sink.test',
      maxConnections: 2,
    });
    const port = sink.addresses.listen?.port ?? 0;
    expect(await firstLine(port, open)).toMatch(/^220 /);
    expect(await firstLine(port, open)).toMatch(/^220 /);
    expect(await firstLine(port, open)).toMatch(/^421 /);
  });
});
