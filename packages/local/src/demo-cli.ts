// `npm run demo`: starts moto first, so the emulator boots (about 0.7 s of Python imports) while
// the demo's own modules load, then runs the demo. The wall time the demo reports counts from the
// start of this process.
import { startMoto } from './moto.js';

const startedAt = Math.floor(performance.timeOrigin);
const wantsHelp = process.argv.slice(2).some((a) => a === '--help' || a === '-h');
const moto = wantsHelp ? undefined : startMoto();
moto?.catch(() => undefined); // the demo awaits it and reports a failure to start
const { demoMain } = await import('./demo.js');
const status = await demoMain(process.argv.slice(2), { moto, startedAt });
// runDemo stops the moto it was given; only a refused argument list never reached it.
if (status !== 0 && moto) await (await moto.catch(() => null))?.stop();
process.exitCode = status;
