import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { MtaError } from '../mta-error.js';

/**
 * The TLS key and certificate: the configured files, or a self-signed pair made on first start
 * and kept under `DATA_DIR/tls/` (so clients that pin it see the same one after a restart).
 */
export async function loadOrCreateCertificate(options: {
  readonly files?: { readonly key: string; readonly cert: string } | undefined;
  readonly dataDir: string;
  readonly hostname: string;
}): Promise<{ key: Buffer; cert: Buffer; generated: boolean }> {
  if (options.files !== undefined) {
    const read = async (key: string, path: string): Promise<Buffer> => {
      try {
        return await readFile(path);
      } catch (e) {
        throw new MtaError(
          'ERR_MTA_FILES',
          `tls.${key}: ${JSON.stringify(path)}: cannot read it (${(e as Error).message.split(', ')[0]})`,
          { cause: e },
        );
      }
    };
    return {
      key: await read('key', options.files.key),
      cert: await read('cert', options.files.cert),
      generated: false,
    };
  }
  const dir = join(options.dataDir, 'tls');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    return { key: await readFile(keyPath), cert: await readFile(certPath), generated: false };
  } catch {
    // First start: make one.
  }
  const pems = await generate([{ name: 'commonName', value: options.hostname }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 825 * 86_400_000),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: options.hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  return { key: Buffer.from(pems.private), cert: Buffer.from(pems.cert), generated: true };
}
