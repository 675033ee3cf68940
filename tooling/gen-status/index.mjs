#!/usr/bin/env node
// Generates packages/reply/src/generated/enhanced-status-registry.ts from the IANA "SMTP Enhanced
// Status Codes" registry (RFC 5248) stored in ../shared/vectors/status/. Run it with
// `pnpm --filter @smtpkit/reply gen`. The reply package has a test that fails when the committed
// file differs from what this script renders, so rerun it whenever the registry snapshot changes.
//
// Output is written already formatted the way `biome format` formats it, so formatting the
// package never makes the committed file stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

/**
 * Identifiers for the enumerated codes. Hand-picked from the registry's sample text so that they
 * stay stable and readable; a registry code missing here stops the generator, so a new IANA
 * registration gets a deliberate name.
 */
export const STATUS_NAMES = Object.freeze({
  'X.0.0': 'OtherUndefinedStatus',
  'X.1.0': 'OtherAddressStatus',
  'X.1.1': 'BadDestinationMailboxAddress',
  'X.1.2': 'BadDestinationSystemAddress',
  'X.1.3': 'BadDestinationMailboxAddressSyntax',
  'X.1.4': 'DestinationMailboxAddressAmbiguous',
  'X.1.5': 'DestinationAddressValid',
  'X.1.6': 'DestinationMailboxHasMoved',
  'X.1.7': 'BadSenderMailboxAddressSyntax',
  'X.1.8': 'BadSenderSystemAddress',
  'X.1.9': 'MessageRelayedToNonCompliantMailer',
  'X.1.10': 'RecipientAddressHasNullMx',
  'X.2.0': 'OtherMailboxStatus',
  'X.2.1': 'MailboxDisabled',
  'X.2.2': 'MailboxFull',
  'X.2.3': 'MessageLengthExceedsAdministrativeLimit',
  'X.2.4': 'MailingListExpansionProblem',
  'X.3.0': 'OtherMailSystemStatus',
  'X.3.1': 'MailSystemFull',
  'X.3.2': 'SystemNotAcceptingNetworkMessages',
  'X.3.3': 'SystemNotCapableOfSelectedFeatures',
  'X.3.4': 'MessageTooBigForSystem',
  'X.3.5': 'SystemIncorrectlyConfigured',
  'X.3.6': 'RequestedPriorityWasChanged',
  'X.4.0': 'OtherNetworkOrRoutingStatus',
  'X.4.1': 'NoAnswerFromHost',
  'X.4.2': 'BadConnection',
  'X.4.3': 'DirectoryServerFailure',
  'X.4.4': 'UnableToRoute',
  'X.4.5': 'MailSystemCongestion',
  'X.4.6': 'RoutingLoopDetected',
  'X.4.7': 'DeliveryTimeExpired',
  'X.5.0': 'OtherProtocolStatus',
  'X.5.1': 'InvalidCommand',
  'X.5.2': 'SyntaxError',
  'X.5.3': 'TooManyRecipients',
  'X.5.4': 'InvalidCommandArguments',
  'X.5.5': 'WrongProtocolVersion',
  'X.5.6': 'AuthenticationExchangeLineTooLong',
  'X.6.0': 'OtherMediaError',
  'X.6.1': 'MediaNotSupported',
  'X.6.2': 'ConversionRequiredAndProhibited',
  'X.6.3': 'ConversionRequiredButNotSupported',
  'X.6.4': 'ConversionWithLossPerformed',
  'X.6.5': 'ConversionFailed',
  'X.6.6': 'MessageContentNotAvailable',
  'X.6.7': 'NonAsciiAddressesNotPermitted',
  'X.6.8': 'Utf8ReplyRequired',
  'X.6.9': 'Utf8HeaderNotTransferable',
  'X.6.10': 'DeprecatedDuplicateOfUtf8ReplyRequired',
  'X.7.0': 'OtherSecurityStatus',
  'X.7.1': 'DeliveryNotAuthorized',
  'X.7.2': 'MailingListExpansionProhibited',
  'X.7.3': 'SecurityConversionNotPossible',
  'X.7.4': 'SecurityFeaturesNotSupported',
  'X.7.5': 'CryptographicFailure',
  'X.7.6': 'CryptographicAlgorithmNotSupported',
  'X.7.7': 'MessageIntegrityFailure',
  'X.7.8': 'AuthenticationCredentialsInvalid',
  'X.7.9': 'AuthenticationMechanismTooWeak',
  'X.7.10': 'EncryptionNeeded',
  'X.7.11': 'EncryptionRequiredForAuthenticationMechanism',
  'X.7.12': 'PasswordTransitionNeeded',
  'X.7.13': 'UserAccountDisabled',
  'X.7.14': 'TrustRelationshipRequired',
  'X.7.15': 'PriorityLevelTooLow',
  'X.7.16': 'MessageTooBigForPriority',
  'X.7.17': 'MailboxOwnerChanged',
  'X.7.18': 'DomainOwnerChanged',
  'X.7.19': 'RrvsTestCannotBeCompleted',
  'X.7.20': 'NoPassingDkimSignature',
  'X.7.21': 'NoAcceptableDkimSignature',
  'X.7.22': 'NoAuthorMatchedDkimSignature',
  'X.7.23': 'SpfValidationFailed',
  'X.7.24': 'SpfValidationError',
  'X.7.25': 'ReverseDnsValidationFailed',
  'X.7.26': 'MultipleAuthenticationChecksFailed',
  'X.7.27': 'SenderAddressHasNullMx',
  'X.7.28': 'MailFloodDetected',
  'X.7.29': 'ArcValidationFailure',
  'X.7.30': 'RequireTlsSupportRequired',
});

/** Identifiers for the subject sub-codes (RFC 3463 §3). */
export const SUBJECT_NAMES = Object.freeze({
  0: 'Other',
  1: 'Addressing',
  2: 'Mailbox',
  3: 'MailSystem',
  4: 'NetworkRouting',
  5: 'MailDeliveryProtocol',
  6: 'MessageContentOrMedia',
  7: 'SecurityOrPolicy',
});

/**
 * Codes the registry marks deprecated in their description. Checked against the description
 * text, so the list cannot silently drift from the registry.
 */
export const DEPRECATED = new Set(['X.6.10']);

/** `"X.1.10"` → `{ subject: 1, detail: 10 }`. */
function splitCode(code, pattern) {
  const m = pattern.exec(code);
  if (m === null) throw new Error(`unexpected registry code ${JSON.stringify(code)}`);
  return m.slice(1).map(Number);
}

/** A string literal in the quote style biome picks (single unless double needs fewer escapes). */
function str(value) {
  const s = String(value);
  const singles = s.split("'").length - 1;
  const doubles = s.split('"').length - 1;
  const quote = singles > doubles ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** Text safe inside a TSDoc comment. */
function doc(value) {
  return String(value).replaceAll('*/', '*\\/').replaceAll('@', '\\@').replace(/\s+/g, ' ').trim();
}

/** Biome's line width (biome.json `lineWidth`). */
const LINE_WIDTH = 100;

/** `key: value,` at `indent`, broken after the colon the way biome does when it is too wide. */
function prop(indent, key, value) {
  const line = `${indent}${key}: ${value},`;
  if (line.length <= LINE_WIDTH) return line;
  return `${indent}${key}:\n${indent}  ${value},`;
}

function numbers(list) {
  return `[${list.map(Number).join(', ')}]`;
}

/** The TypeScript source of the generated module for the given registry JSON. */
export function renderEnhancedStatusRegistry(registry) {
  const classes = registry.class_sub_codes.records.map((r) => {
    const [cls] = splitCode(r.code, /^([245])\.XXX\.YYY$/);
    return { ...r, cls };
  });
  const subjects = registry.subject_sub_codes.records.map((r) => {
    const [subject] = splitCode(r.code, /^X\.(\d{1,3})\.YYY$/);
    const name = SUBJECT_NAMES[subject];
    if (name === undefined)
      throw new Error(`no identifier for subject ${r.code}; add one to SUBJECT_NAMES`);
    return { ...r, subject, name };
  });
  const codes = registry.enumerated_status_codes.records.map((r) => {
    const [subject, detail] = splitCode(r.code, /^X\.(\d{1,3})\.(\d{1,3})$/);
    const name = STATUS_NAMES[r.code];
    if (name === undefined) throw new Error(`no identifier for ${r.code}; add one to STATUS_NAMES`);
    const deprecated = DEPRECATED.has(r.code);
    if (deprecated !== /\bdeprecated\b/i.test(r.description)) {
      throw new Error(`${r.code}: DEPRECATED disagrees with the registry description`);
    }
    return { ...r, subject, detail, name, deprecated };
  });
  const seen = new Set();
  for (const c of codes) {
    if (seen.has(c.name)) throw new Error(`duplicate identifier ${c.name}`);
    seen.add(c.name);
  }

  const out = [];
  const w = (line = '') => out.push(line);
  w('// GENERATED FILE - DO NOT EDIT.');
  w('// Generated by `pnpm --filter @smtpkit/reply gen` (node tooling/gen-status/index.mjs) from');
  w(
    '// ../shared/vectors/status/iana-enhanced-status-codes.json, the IANA "SMTP Enhanced Status Codes"',
  );
  w(
    `// registry (RFC 5248) updated ${registry.registry_updated}. A test fails when this file is out of date.`,
  );
  w();
  w('import type {');
  w('  ClassSubCodeRecord,');
  w('  EnumeratedStatusRecord,');
  w('  SubjectSubCodeRecord,');
  w("} from '../enhanced-status-record.js';");
  w();
  w('/**');
  w(' * Date of the IANA registry snapshot this module was generated from.');
  w(' *');
  w(' * @example');
  w(' * ```ts');
  w(` * ENHANCED_STATUS_REGISTRY_UPDATED; // ${str(registry.registry_updated)}`);
  w(' * ```');
  w(' */');
  w(`export const ENHANCED_STATUS_REGISTRY_UPDATED = ${str(registry.registry_updated)};`);
  w();
  w('/**');
  w(' * The class sub-codes of the registry (RFC 3463 §3.1), in registry order.');
  w(' *');
  w(' * @example');
  w(' * ```ts');
  w(" * classSubCodes.find((c) => c.class === 5)?.summary; // 'Permanent Failure'");
  w(' * ```');
  w(' */');
  w('export const classSubCodes: readonly ClassSubCodeRecord[] = [');
  for (const c of classes) {
    w('  {');
    w(prop('    ', 'class', c.cls));
    w(prop('    ', 'summary', str(c.summary)));
    w(prop('    ', 'description', str(c.description)));
    w(prop('    ', 'reference', str(c.reference)));
    w('  },');
  }
  w('];');
  w();
  w('/**');
  w(' * The subject sub-codes of the registry (RFC 3463 §3.2), in registry order.');
  w(' *');
  w(' * @example');
  w(' * ```ts');
  w(" * subjectSubCodes.find((s) => s.subject === 1)?.summary; // 'Addressing Status'");
  w(' * ```');
  w(' */');
  w('export const subjectSubCodes: readonly SubjectSubCodeRecord[] = [');
  for (const s of subjects) {
    w('  {');
    w(prop('    ', 'subject', s.subject));
    w(prop('    ', 'name', str(s.name)));
    w(prop('    ', 'summary', str(s.summary)));
    w(prop('    ', 'description', str(s.description)));
    w(prop('    ', 'reference', str(s.reference)));
    w('  },');
  }
  w('];');
  w();
  w('/**');
  w(
    ' * Every enumerated status code of the registry, in registry order, with its sample text, the',
  );
  w(
    ' * basic reply codes the registry associates with it (`basicCodes`, parsed; `basicCodesText`,',
  );
  w(' * verbatim), description and reference.');
  w(' *');
  w(' * @example');
  w(' * ```ts');
  w(
    ' * enumeratedStatusCodes.find((s) => s.subject === 1 && s.detail === 1)?.basicCodes; // [451, 550]',
  );
  w(' * ```');
  w(' */');
  w('export const enumeratedStatusCodes: readonly EnumeratedStatusRecord[] = [');
  for (const c of codes) {
    w('  {');
    w(prop('    ', 'subject', c.subject));
    w(prop('    ', 'detail', c.detail));
    w(prop('    ', 'name', str(c.name)));
    w(prop('    ', 'sampleText', str(c.sample_text)));
    w(prop('    ', 'basicCodes', numbers(c.basic_codes)));
    w(prop('    ', 'basicCodesText', str(c.basic_codes_raw)));
    w(prop('    ', 'description', str(c.description)));
    w(prop('    ', 'reference', str(c.reference)));
    w(prop('    ', 'deprecated', c.deprecated));
    w('  },');
  }
  w('];');
  w();
  w('/**');
  w(' * Subject sub-codes by name (RFC 3463 §3.2).');
  w(' *');
  w(' * @example');
  w(' * ```ts');
  w(' * Subject.SecurityOrPolicy; // 7');
  w(' * ```');
  w(' */');
  w('export const Subject = {');
  for (const s of subjects) {
    w(`  /** X.${s.subject}.XXX ${doc(s.summary)} */`);
    w(`  ${s.name}: ${s.subject},`);
  }
  w('} as const;');
  w();
  w('/**');
  w(
    " * The registry's enumerated status codes by name, without the class: combine one with a class",
  );
  w(' * through `enhancedStatus(5, Status.BadDestinationMailboxAddress)` to get 5.1.1.');
  w(' *');
  w(' * @example');
  w(' * ```ts');
  w(' * Status.BadDestinationMailboxAddress; // { subject: 1, detail: 1 }');
  w(' * ```');
  w(' */');
  w('export const Status = {');
  for (const c of codes) {
    const text = c.sample_text === '' ? doc(c.description) : `${doc(c.sample_text)}.`;
    const basic = c.basic_codes_raw === '' ? 'none given' : doc(c.basic_codes_raw);
    w('  /**');
    w(`   * X.${c.subject}.${c.detail} ${text}`);
    w(`   * Basic codes: ${basic}. ${doc(c.reference)}`);
    if (c.deprecated) w('   * @deprecated Deprecated by the registry.');
    w('   */');
    w(`  ${c.name}: { subject: ${c.subject}, detail: ${c.detail} },`);
  }
  w('} as const;');
  return `${out.join('\n')}\n`;
}

/** Default location of the registry JSON (honours `SMTPKIT_VECTORS`). */
export function registryJsonPath() {
  const vectors = process.env.SMTPKIT_VECTORS ?? resolve(repoRoot, '..', 'shared', 'vectors');
  return resolve(vectors, 'status', 'iana-enhanced-status-codes.json');
}

/** Location of the committed generated module. */
export function outputPath() {
  return resolve(repoRoot, 'packages', 'reply', 'src', 'generated', 'enhanced-status-registry.ts');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const registry = JSON.parse(readFileSync(registryJsonPath(), 'utf8'));
  writeFileSync(outputPath(), renderEnhancedStatusRegistry(registry));
  console.log(`wrote ${outputPath()}`);
}
