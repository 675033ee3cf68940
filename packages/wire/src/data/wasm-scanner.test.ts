import { latin1 } from '@smtpkit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the decoder and scanner modules, so the lazy instantiation runs again. */
async function freshModules() {
  vi.resetModules();
  const scanner = await import('./wasm-scanner.js');
  const decoder = await import('./data-decoder.js');
  return { ...scanner, ...decoder };
}

const message = Uint8Array.from(
  `${'a'.repeat(500)}\r\n..b\n${'c'.repeat(300)}\r\n.\r\nQUIT\r\n`,
  (c) => c.charCodeAt(0),
);

function decodeAll(DataDecoder: typeof import('./data-decoder.js').DataDecoder) {
  const decoder = new DataDecoder();
  const r = decoder.push(message);
  return {
    body: r.chunks.map((c) => latin1(c)).join(''),
    rest: latin1(r.rest ?? new Uint8Array(0)),
    violations: decoder.violations,
  };
}

const expected = {
  body: `${'a'.repeat(500)}\r\n.b\n${'c'.repeat(300)}\r\n`,
  rest: 'QUIT\r\n',
  violations: [{ kind: 'bare-lf', offset: 505 }],
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('WebAssembly scanner instantiation', () => {
  it('is used where WebAssembly SIMD is available', async () => {
    const { wasmScanner, DataDecoder } = await freshModules();
    expect(wasmScanner()).toBeDefined();
    expect(decodeAll(DataDecoder)).toEqual(expected);
  });

  it('falls back to JavaScript when there is no WebAssembly global', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const { wasmScanner, DataDecoder } = await freshModules();
    expect(wasmScanner()).toBeUndefined();
    expect(decodeAll(DataDecoder)).toEqual(expected);
  });

  it('falls back to JavaScript when the engine does not validate the SIMD module', async () => {
    const real = (globalThis as unknown as { WebAssembly: object }).WebAssembly;
    const validate = vi.fn(() => false);
    vi.stubGlobal('WebAssembly', { ...real, validate });
    const { wasmScanner, DataDecoder } = await freshModules();
    expect(wasmScanner()).toBeUndefined();
    expect(validate).toHaveBeenCalledOnce();
    expect(decodeAll(DataDecoder)).toEqual(expected);
  });

  it('falls back to JavaScript when compiling is forbidden, and tries only once', async () => {
    const real = (globalThis as unknown as { WebAssembly: object }).WebAssembly;
    const Module = vi.fn(() => {
      throw new Error('compiling WebAssembly is forbidden here');
    });
    vi.stubGlobal('WebAssembly', { ...real, Module });
    const { wasmScanner, DataDecoder } = await freshModules();
    expect(wasmScanner()).toBeUndefined();
    expect(wasmScanner()).toBeUndefined();
    expect(Module).toHaveBeenCalledOnce();
    expect(decodeAll(DataDecoder)).toEqual(expected);
  });
});
