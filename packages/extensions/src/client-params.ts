import type { EsmtpParameter } from '@smtpkit/wire';
import type { AnyExtension } from './define-extension.js';
import { ExtensionError } from './extension-error.js';
import type { ParamEntry } from './registry-index.js';
import type { ServerCapabilities } from './server-capabilities.js';

// RFC 5321 §4.1.2: esmtp-value = 1*(%d33-60 / %d62-126); RFC 6531 §3.3 adds UTF-8 (here: code
// points above 127). Anything else would corrupt the command line, so the client refuses it.
function isSafeEsmtpValue(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c === 61 || c === 127) return false;
  }
  return true;
}

/** Whether the server offered `extension` and, transitively, what it requires. */
export function offeredBy(
  extension: AnyExtension,
  caps: ServerCapabilities,
  byName: ReadonlyMap<string, AnyExtension>,
): boolean {
  if (extension.keyword !== undefined && !caps.has(extension.keyword)) return false;
  return (extension.requires ?? []).every((r) => {
    const dep = byName.get(r);
    return dep === undefined || offeredBy(dep, caps, byName);
  });
}

/** Formats typed client values into `out` (by upper-case keyword; later values win). */
export function formatClientParams(
  index: ReadonlyMap<string, ParamEntry>,
  values: Readonly<Record<string, unknown>>,
  caps: ServerCapabilities,
  byName: ReadonlyMap<string, AnyExtension>,
  out: Map<string, EsmtpParameter>,
): void {
  for (const [keyword, v] of Object.entries(values)) {
    if (v === undefined || v === false) continue;
    const upper = keyword.toUpperCase();
    const entry = index.get(upper);
    if (entry === undefined) {
      throw new ExtensionError(
        'ERR_EXTENSION_MISUSE_UNKNOWN_PARAMETER',
        `no registered extension owns the parameter ${upper}`,
      );
    }
    // A parameter the server did not offer is not sent (RFC 5321 §4.1.1.11: the server would
    // answer 555); the extension's client check decides whether that is fatal.
    if (!offeredBy(entry.extension, caps, byName)) continue;
    if (entry.spec.value === 'none') {
      out.set(upper, { keyword: upper, value: undefined });
      continue;
    }
    const text = entry.spec.format ? entry.spec.format(v) : String(v);
    if (text !== undefined && !isSafeEsmtpValue(text)) {
      throw new ExtensionError(
        'ERR_EXTENSION_MISUSE_UNSAFE_VALUE',
        `the value of ${upper} is not an RFC 5321 esmtp-value`,
      );
    }
    out.set(upper, { keyword: upper, value: text });
  }
}
