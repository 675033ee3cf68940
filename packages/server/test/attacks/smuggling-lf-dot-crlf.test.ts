// SMTP smuggling variant <LF>.<CR><LF>: see smuggling-scenario.ts for the attack and the RFC text.
import { describeSmuggling } from './smuggling-scenario.js';

describeSmuggling('<LF>.<CR><LF>', '\n.\r\n');
