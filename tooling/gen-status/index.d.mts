/** The registry JSON as stored in `../shared/vectors/status/iana-enhanced-status-codes.json`. */
export interface RegistryJson {
  readonly registry_updated: string;
  readonly class_sub_codes: { readonly records: readonly Record<string, unknown>[] };
  readonly subject_sub_codes: { readonly records: readonly Record<string, unknown>[] };
  readonly enumerated_status_codes: { readonly records: readonly Record<string, unknown>[] };
}

/** Identifier of each enumerated code, keyed by registry code ("X.1.1"). */
export const STATUS_NAMES: Readonly<Record<string, string>>;
/** Identifier of each subject sub-code, keyed by subject number. */
export const SUBJECT_NAMES: Readonly<Record<string, string>>;
/** Registry codes the registry itself marks deprecated. */
export const DEPRECATED: ReadonlySet<string>;

/** The TypeScript source of `enhanced-status-registry.ts` for the given registry JSON. */
export function renderEnhancedStatusRegistry(registry: RegistryJson): string;

/** Default location of the registry JSON (honours `SMTPKIT_VECTORS`). */
export function registryJsonPath(): string;

/** Location of the committed generated module. */
export function outputPath(): string;
