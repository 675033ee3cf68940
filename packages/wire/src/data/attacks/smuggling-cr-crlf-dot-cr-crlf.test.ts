import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// CR CR LF on both sides: a CRLF preceded by an extra CR.
describe('SMTP smuggling: \\r\\r\\n.\\r\\r\\n', () => smugglingCase('\r\r\n.\r\r\n', kit));
