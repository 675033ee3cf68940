import { defineExtension, ExtensionError, type SessionContext } from '@smtpkit/extensions';

/** Options of {@link limits}: the RFC 9422 limits this server applies. */
export interface LimitsOptions {
  /** MAILMAX: most transactions (MAIL commands) per session. */
  readonly mailMax?: number;
  /** RCPTMAX: most RCPT commands per transaction. */
  readonly rcptMax?: number;
  /** RCPTDOMAINMAX: most distinct recipient domains per transaction. */
  readonly rcptDomainMax?: number;
  /**
   * Where no value is given, advertise the limit the server session already enforces
   * (`ctx.limits.transactions`, `recipients`, `recipientDomains`). On by default, so what is
   * advertised is what is enforced.
   */
  readonly fromSession?: boolean;
}

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new ExtensionError(
      'ERR_EXTENSION_MISUSE_OPTION',
      `LIMITS ${name} must be a positive integer`,
    );
  }
}

/**
 * LIMITS, RFC 9422, server side: advertises `LIMITS MAILMAX=n RCPTMAX=n RCPTDOMAINMAX=n` with
 * the limits in force (silent when there is none to tell), and declares the explicit ones to the
 * registry so the server session enforces them too. Built only with the public API of
 * `@smtpkit/extensions`.
 *
 * @example
 * ```ts
 * import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
 * import { limits } from '@smtpkit/ext-limits';
 * const registry = createRegistry([...defaultExtensions(), limits({ rcptMax: 50 })]);
 * ```
 */
export function limits(options: LimitsOptions = {}) {
  checkLimit('MAILMAX', options.mailMax);
  checkLimit('RCPTMAX', options.rcptMax);
  checkLimit('RCPTDOMAINMAX', options.rcptDomainMax);
  const fromSession = options.fromSession !== false;
  const declared = {
    ...(options.mailMax === undefined ? {} : { transactions: options.mailMax }),
    ...(options.rcptMax === undefined ? {} : { recipients: options.rcptMax }),
    ...(options.rcptDomainMax === undefined ? {} : { recipientDomains: options.rcptDomainMax }),
  };
  const inForce = (own: number | undefined, session: number | undefined) => {
    if (!fromSession) return own;
    if (own === undefined) return session;
    return session === undefined ? own : Math.min(own, session);
  };
  return defineExtension({
    name: 'LIMITS',
    keyword: 'LIMITS',
    limits: declared,
    // RFC 9422 §3: the LIMITS keyword with limits-param = limit-name-value 0*[SP limit-name-value],
    // limit-name-value = limit-name ["=" limit-value]; the limits we announce all carry a count.
    advertise(ctx: SessionContext) {
      const params: string[] = [];
      const mailMax = inForce(options.mailMax, ctx.limits.transactions);
      const rcptMax = inForce(options.rcptMax, ctx.limits.recipients);
      const domainMax = inForce(options.rcptDomainMax, ctx.limits.recipientDomains);
      if (mailMax !== undefined) params.push(`MAILMAX=${mailMax}`);
      if (rcptMax !== undefined) params.push(`RCPTMAX=${rcptMax}`);
      if (domainMax !== undefined) params.push(`RCPTDOMAINMAX=${domainMax}`);
      return params.length === 0 ? false : params;
    },
  });
}
