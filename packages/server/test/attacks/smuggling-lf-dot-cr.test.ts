// SMTP smuggling variant <LF>.<CR>: see smuggling-scenario.ts for the attack and the RFC text.
import { describeSmuggling } from './smuggling-scenario.js';

describeSmuggling('<LF>.<CR>', '\n.\r');
