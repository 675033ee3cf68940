// Test support: a client greeted by a server listening on `port`, and every write the server's
// sockets make from then on (a spy on net.Socket.prototype.write; restore with
// vi.restoreAllMocks()). For tests of how replies are grouped into writes.
import net from 'node:net';
import { RawSmtpClient } from '@smtpkit/testing';
import { expect, vi } from 'vitest';

export async function greetedClientWithWrites(
  port: number,
): Promise<{ c: RawSmtpClient; writes: string[] }> {
  const writes: string[] = [];
  const write = net.Socket.prototype.write;
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    if (this.localPort === port) writes.push(Buffer.from(args[0] as Uint8Array).toString('latin1'));
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  });
  const c = await RawSmtpClient.connect(port);
  expect(await c.readCodes()).toEqual([220]);
  await c.write('EHLO c.example\r\n');
  expect(await c.readCodes()).toEqual([250]);
  writes.length = 0;
  return { c, writes };
}
