// A second reader of the DSNs, written by no one here: Python's email package (/usr/bin/python3)
// parses the report and says what structure it found, so the RFC 3464 / RFC 6522 shape is not
// only checked by the package that wrote it.
import { runProcess, SYSTEM_PYTHON, smtplibSkipReason } from '@smtpkit/testing';

/** One MIME part of the report, as Python's email package read it. */
export interface PythonPart {
  readonly contentType: string;
  /** message/delivery-status: the field groups (per-message first), each field name → value. */
  readonly groups?: readonly Readonly<Record<string, string>>[];
  /** message/rfc822: the enclosed message's header fields and body text. */
  readonly enclosed?: { readonly headers: Readonly<Record<string, string>>; readonly body: string };
  /** text/*: the decoded text. */
  readonly text?: string;
}

/** The report's structure. */
export interface PythonReport {
  readonly contentType: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly defects: readonly string[];
  readonly parts: readonly PythonPart[];
}

const SCRIPT = `
import json, sys
from email import message_from_bytes, policy
msg = message_from_bytes(sys.stdin.buffer.read(), policy=policy.compat32)
def text(p):
    payload = p.get_payload(decode=True)
    return payload.decode(p.get_content_charset() or 'ascii', 'replace') if payload is not None else ''
parts = []
for part in (msg.get_payload() if msg.is_multipart() else []):
    ct = part.get_content_type()
    entry = {'contentType': ct}
    if ct == 'message/delivery-status':
        entry['groups'] = [{k: str(v) for k, v in g.items()} for g in part.get_payload()]
    elif ct == 'message/rfc822':
        inner = part.get_payload(0)
        entry['enclosed'] = {'headers': {k: str(v) for k, v in inner.items()}, 'body': inner.get_payload()}
    elif part.get_content_maintype() == 'text':
        entry['text'] = text(part)
    parts.append(entry)
params = {k: v for k, v in (msg.get_params() or [])[1:]}
print(json.dumps({
    'contentType': msg.get_content_type(),
    'params': params,
    'headers': {k: str(v) for k, v in msg.items()},
    'defects': [type(d).__name__ for d in msg.defects],
    'parts': parts,
}))
`;

/** Why Python cannot read the reports here (throws under CI=true), or undefined. */
export function pythonSkipReason(): string | undefined {
  return smtplibSkipReason();
}

/**
 * Parses a report with Python's email package.
 *
 * @example
 * ```ts
 * const r = await readWithPython(dsn.message);
 * r.params['report-type']; // 'delivery-status'
 * ```
 */
export async function readWithPython(message: Uint8Array): Promise<PythonReport> {
  const r = await runProcess(SYSTEM_PYTHON, ['-c', SCRIPT], { input: message, timeoutMs: 20_000 });
  return JSON.parse(r.stdout) as PythonReport;
}
