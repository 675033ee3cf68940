import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// A bare LF, a dot, a bare LF: the classic look-alike (CVE-2023-51764 family).
describe('SMTP smuggling: \\n.\\n', () => smugglingCase('\n.\n', kit));
