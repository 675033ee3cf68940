import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Bare CR before the dot, bare LF after it.
describe('SMTP smuggling: \\r.\\n', () => smugglingCase('\r.\n', kit));
