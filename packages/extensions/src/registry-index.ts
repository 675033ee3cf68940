import type { AnyExtension, ExtensionLimits, ParamSpec, VerbSpec } from './define-extension.js';
import { ExtensionError, type ExtensionErrorCode } from './extension-error.js';
import { isEsmtpKeyword } from './server-capabilities.js';

/**
 * RFC 5321 §4.1.1 commands (and LMTP's LHLO) the session core implements; no extension may claim
 * them. Sessions use the same set to tell core verbs from extension verbs.
 */
export const CORE_VERBS: ReadonlySet<string> = new Set([
  'HELO',
  'EHLO',
  'LHLO',
  'MAIL',
  'RCPT',
  'DATA',
  'RSET',
  'QUIT',
  'NOOP',
  'HELP',
  'VRFY',
  'EXPN',
]);

/** A parameter and the extension that owns it. */
export interface ParamEntry {
  readonly extension: AnyExtension;
  readonly spec: ParamSpec<unknown>;
}

/** A verb and the extension that owns it. */
export interface VerbEntry {
  readonly extension: AnyExtension;
  readonly spec: VerbSpec<unknown>;
}

/** The dispatch tables of a registry, built once from its extension list. */
export interface RegistryIndex {
  readonly byName: ReadonlyMap<string, AnyExtension>;
  readonly mailIndex: ReadonlyMap<string, ParamEntry>;
  readonly rcptIndex: ReadonlyMap<string, ParamEntry>;
  readonly verbIndex: ReadonlyMap<string, VerbEntry>;
  readonly limits: ExtensionLimits;
}

function claim<T>(
  table: Map<string, T>,
  key: string,
  value: T,
  code: ExtensionErrorCode,
  what: string,
): void {
  if (table.has(key)) throw new ExtensionError(code, `${what} ${key} is claimed twice`);
  table.set(key, value);
}

function indexParams(
  table: Map<string, ParamEntry>,
  extension: AnyExtension,
  specs: Readonly<Record<string, ParamSpec<unknown>>> | undefined,
  command: string,
): void {
  if (specs === undefined) return;
  for (const [keyword, spec] of Object.entries(specs)) {
    if (!isEsmtpKeyword(keyword)) {
      throw new ExtensionError(
        'ERR_EXTENSION_MISUSE_PARAMETER_SYNTAX',
        `${extension.name}: ${command} parameter "${keyword}" is not an RFC 5321 esmtp-keyword`,
      );
    }
    claim(
      table,
      keyword.toUpperCase(),
      { extension, spec },
      'ERR_EXTENSION_MISUSE_PARAMETER_CONFLICT',
      `${command} parameter`,
    );
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Indexes the extensions' keywords, parameters and verbs, throwing an `ExtensionError` with an
 * `ERR_EXTENSION_MISUSE_*` code on any conflict or missing requirement.
 */
export function buildRegistryIndex(extensions: readonly AnyExtension[]): RegistryIndex {
  const byName = new Map<string, AnyExtension>();
  const keywordOwners = new Map<string, AnyExtension>();
  const mailIndex = new Map<string, ParamEntry>();
  const rcptIndex = new Map<string, ParamEntry>();
  const verbIndex = new Map<string, VerbEntry>();
  let limits: ExtensionLimits = {};

  for (const extension of extensions) {
    claim(
      byName,
      extension.name,
      extension,
      'ERR_EXTENSION_MISUSE_NAME_CONFLICT',
      'extension name',
    );
    if (extension.keyword !== undefined) {
      if (!isEsmtpKeyword(extension.keyword)) {
        throw new ExtensionError(
          'ERR_EXTENSION_MISUSE_KEYWORD_SYNTAX',
          `${extension.name}: "${extension.keyword}" is not an RFC 5321 ehlo-keyword`,
        );
      }
      claim(
        keywordOwners,
        extension.keyword.toUpperCase(),
        extension,
        'ERR_EXTENSION_MISUSE_KEYWORD_CONFLICT',
        'EHLO keyword',
      );
    }
    indexParams(mailIndex, extension, extension.mailParams, 'MAIL');
    indexParams(rcptIndex, extension, extension.rcptParams, 'RCPT');
    for (const [name, spec] of Object.entries(extension.verbs ?? {})) {
      const upper = name.toUpperCase();
      if (!/^[A-Z][A-Z0-9-]*$/.test(upper)) {
        throw new ExtensionError(
          'ERR_EXTENSION_MISUSE_VERB_SYNTAX',
          `${extension.name}: verb "${name}"`,
        );
      }
      if (CORE_VERBS.has(upper)) {
        throw new ExtensionError(
          'ERR_EXTENSION_MISUSE_VERB_RESERVED',
          `${extension.name}: ${upper} is a core command`,
        );
      }
      claim(
        verbIndex,
        upper,
        { extension, spec: spec as VerbSpec<unknown> },
        'ERR_EXTENSION_MISUSE_VERB_CONFLICT',
        'verb',
      );
    }
    const l = extension.limits;
    if (l !== undefined) {
      const merged = {
        messageSize: minDefined(limits.messageSize, l.messageSize),
        recipients: minDefined(limits.recipients, l.recipients),
        transactions: minDefined(limits.transactions, l.transactions),
        recipientDomains: minDefined(limits.recipientDomains, l.recipientDomains),
      };
      limits = Object.fromEntries(
        Object.entries(merged).filter(([, v]) => v !== undefined),
      ) as ExtensionLimits;
    }
  }
  for (const extension of extensions) {
    for (const required of extension.requires ?? []) {
      if (!byName.has(required)) {
        throw new ExtensionError(
          'ERR_EXTENSION_MISUSE_REQUIREMENT_MISSING',
          `${extension.name} requires ${required}, which is not registered`,
        );
      }
    }
  }
  Object.freeze(limits);

  return { byName, mailIndex, rcptIndex, verbIndex, limits };
}
