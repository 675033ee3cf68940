import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ReadGate } from './read-gate.js';

function fakeSocket() {
  const calls: string[] = [];
  const emitter = new EventEmitter();
  const socket = Object.assign(emitter, {
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  }) as unknown as net.Socket;
  return { socket, calls };
}

describe('ReadGate', () => {
  it('pauses on the first hold and resumes only when neither holds', () => {
    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(socket);
    gate.holdForBody(true);
    gate.holdForSession(true);
    gate.holdForBody(false);
    expect(calls).toEqual(['pause']);
    gate.holdForSession(false);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('does nothing when nothing changes', () => {
    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(socket);
    gate.holdForSession(false);
    gate.holdForBody(false);
    expect(calls).toEqual([]);
    gate.holdForSession(true);
    gate.holdForSession(true);
    expect(calls).toEqual(['pause']);
  });

  it('held for writes until the socket drains, and composes with the other holds', () => {
    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(socket);
    gate.holdForWrites();
    gate.holdForWrites(); // a second full write before 'drain': still one listener
    expect(gate.heldForWrites).toBe(true);
    expect(socket.listenerCount('drain')).toBe(1);
    gate.holdForSession(true);
    socket.emit('drain');
    expect(gate.heldForWrites).toBe(false);
    expect(calls).toEqual(['pause']);
    gate.holdForSession(false);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('acts on the socket it was last given (after a TLS upgrade)', () => {
    const plain = fakeSocket();
    const secure = fakeSocket();
    const gate = new ReadGate(plain.socket);
    gate.socket = secure.socket;
    gate.holdForBody(true);
    expect(gate.heldForBody).toBe(true);
    expect(plain.calls).toEqual([]);
    expect(secure.calls).toEqual(['pause']);
  });
});
