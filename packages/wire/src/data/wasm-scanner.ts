import { SCAN_WASM_BASE64 } from './generated/scan-wasm.js';

/**
 * Octets of message data copied into WebAssembly memory per scan. 64 KiB stays in the L2 cache
 * between the copy and the scan, and a socket read is rarely larger.
 */
export const SCAN_WINDOW = 65536;
/** Memory layout of the module (tooling/gen-wasm-scan/scan.wat): header, events, window. */
const HEADER_STATE = 0;
const HEADER_LINE_START = 1;
const HEADER_LINE_FIRST = 2;
const HEADER_EVENT_COUNT = 3;
const EVENTS = 1024;
/** At most one event per octet; 64 spare octets keep the octet before the window at zero. */
const DATA = EVENTS + 4 * SCAN_WINDOW + 64;
const MEMORY_BYTES = DATA + SCAN_WINDOW + 64;
/** A line count the scanner never reaches: "no line length limit". */
export const NO_LINE_LIMIT = 0x7fffffff;
/** Longer lines are passed as this length: the caller keeps the exact count. */
const LINE_LENGTH_CAP = 0x40000000;

/** Event kinds written by the scanner (the two low bits of an event word). */
export const EVENT_DOT = 0;
export const EVENT_BARE_LF = 1;
export const EVENT_BARE_CR = 2;
/** `flags` bits: report bare LFs, report bare CRs as events. */
export const FLAG_BARE_LF = 1;
export const FLAG_BARE_CR = 2;

/**
 * The part of the WebAssembly JavaScript API used here. The package compiles against ES and Node
 * types only (no DOM library), which do not declare the `WebAssembly` global.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
};

type ScanFunction = (
  start: number,
  end: number,
  lineStart: number,
  max: number,
  flags: number,
  events: number,
) => number;

/**
 * The WebAssembly SIMD scanner of {@link DataDecoder}'s MID state: one instance per process,
 * shared by every decoder (a push runs to completion before the next one starts, and each push
 * calls {@link WasmScanner.reset} first).
 *
 * {@link WasmScanner.scan} copies a window of the pushed bytes into the module's memory and walks
 * it; the decoder then visits only the events (deleted dots, bare LF, bare CR) and cuts its
 * `subarray` views from the original bytes. Ordinary CRLF lines cost no JavaScript work at all.
 */
export class WasmScanner {
  readonly #scan: ScanFunction;
  readonly #memory: Uint8Array;
  readonly #header: Int32Array;
  /** Event words of the last scan: `address << 2 | kind`; add {@link offset} to the address. */
  readonly events: Int32Array;
  #source: Uint8Array | undefined;
  #windowStart = 0;
  #windowEnd = 0;
  /** Position in the pushed bytes of memory address 0, for the last scan. */
  offset = 0;
  /** Decoder state where the last scan stopped (MID 0, AFTER_CR 1, LINE_START 2). */
  state = 0;
  /** Whether the last scan passed a line end: then the two fields below are set. */
  newLine = false;
  /** Position of the first counted octet of the current line (after a deleted dot). */
  lineStart = 0;
  /** Position of the first octet of the current line. */
  lineFirst = 0;
  /** Number of events of the last scan. */
  eventCount = 0;

  constructor(scan: ScanFunction, memory: WasmMemory) {
    this.#scan = scan;
    this.#memory = new Uint8Array(memory.buffer);
    this.#header = new Int32Array(memory.buffer, 0, 4);
    this.events = new Int32Array(memory.buffer, EVENTS, SCAN_WINDOW);
  }

  /** Forgets the copied window: the next scan copies afresh. */
  reset(): void {
    this.#source = undefined;
  }

  /**
   * Scans `bytes` from `i` (the decoder is in MID there, `lineLength` octets into the line) up to
   * at most `n`, as far as one window goes. Returns the position where it stopped.
   */
  scan(
    bytes: Uint8Array,
    i: number,
    n: number,
    lineLength: number,
    max: number,
    flags: number,
  ): number {
    if (this.#source !== bytes || i < this.#windowStart || i >= this.#windowEnd) {
      const end = Math.min(n, i + SCAN_WINDOW);
      this.#memory.set(i === 0 && end === bytes.length ? bytes : bytes.subarray(i, end), DATA);
      this.#source = bytes;
      this.#windowStart = i;
      this.#windowEnd = end;
    }
    const shift = this.#windowStart - DATA;
    const lineStartIn = i - shift - Math.min(lineLength, LINE_LENGTH_CAP);
    const stop = this.#scan(
      i - shift,
      Math.min(n, this.#windowEnd) - shift,
      lineStartIn,
      Math.min(max, NO_LINE_LIMIT),
      flags,
      EVENTS,
    );
    const header = this.#header;
    const lineStart = header[HEADER_LINE_START] as number;
    this.offset = shift;
    this.state = header[HEADER_STATE] as number;
    this.eventCount = header[HEADER_EVENT_COUNT] as number;
    this.newLine = lineStart !== lineStartIn;
    this.lineStart = lineStart + shift;
    this.lineFirst = (header[HEADER_LINE_FIRST] as number) + shift;
    return stop + shift;
  }
}

let enabled = true;
let instance: WasmScanner | null | undefined;

/**
 * The process-wide scanner, instantiated on first use; `undefined` when WebAssembly or its SIMD
 * instructions are not available here (the decoder then scans with `indexOf` in JavaScript), or
 * when disabled with {@link setWasmScannerEnabled}.
 */
export function wasmScanner(): WasmScanner | undefined {
  if (!enabled) return undefined;
  if (instance === undefined) instance = instantiate();
  return instance ?? undefined;
}

/**
 * Turns the WebAssembly scanner off or back on for this process (tests compare both paths). Not
 * exported from the package.
 */
export function setWasmScannerEnabled(on: boolean): void {
  enabled = on;
}

function instantiate(): WasmScanner | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = base64Bytes(SCAN_WASM_BASE64);
    // `validate` is false where the engine lacks the v128 instructions.
    if (!WebAssembly.validate(bytes)) return null;
    // The module is about 1.3 KB: compiling it synchronously takes well under a millisecond.
    const module = new WebAssembly.Module(bytes);
    const exports = new WebAssembly.Instance(module, {}).exports as {
      readonly memory: WasmMemory;
      readonly scan: ScanFunction;
    };
    if (exports.memory.buffer.byteLength < MEMORY_BYTES) return null;
    return new WasmScanner(exports.scan, exports.memory);
  } catch {
    // A host that forbids compiling code (a CSP without 'wasm-unsafe-eval'): scan in JavaScript.
    return null;
  }
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) out[k] = binary.charCodeAt(k);
  return out;
}
