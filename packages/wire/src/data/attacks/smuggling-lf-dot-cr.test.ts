import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Bare LF before the dot, bare CR after it.
describe('SMTP smuggling: \\n.\\r', () => smugglingCase('\n.\r', kit));
