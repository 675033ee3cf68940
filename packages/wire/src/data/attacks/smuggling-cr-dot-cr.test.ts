import * as kit from '@smtpkit/testing';
import { describe } from 'vitest';
import { smugglingCase } from './smuggling-case.js';

// Bare CR on both sides of the dot.
describe('SMTP smuggling: \\r.\\r', () => smugglingCase('\r.\r', kit));
