// SMTP smuggling variant <CR><LF>.<LF>: see smuggling-scenario.ts for the attack and the RFC text.
import { describeSmuggling } from './smuggling-scenario.js';

describeSmuggling('<CR><LF>.<LF>', '\r\n.\n');
