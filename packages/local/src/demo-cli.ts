// `npm run demo`: starts moto first, so the emulator boots (about 0.7 s of Python imports) while
// the demo's own modules load, then runs the demo. The wall time the demo reports counts from the
// start of this process. `npm run demo -- --scenario overlap` runs the overlap scenario instead
// (overlap.ts): three releases merged seconds apart through the control loop.
import { startMoto } from './moto.js';

const startedAt = Math.floor(performance.timeOrigin);
const args = process.argv.slice(2);
const wantsHelp = args.some((a) => a === '--help' || a === '-h');
const moto = wantsHelp ? undefined : startMoto();
moto?.catch(() => undefined); // the demo awaits it and reports a failure to start
const scenario = args.indexOf('--scenario');
let status: number;
if (scenario >= 0) {
  const { overlapMain } = await import('./overlap-cli.js');
  status = await overlapMain([...args.slice(0, scenario), ...args.slice(scenario + 2)], args[scenario + 1], { moto, startedAt });
} else {
  const { demoMain } = await import('./demo.js');
  status = await demoMain(args, { moto, startedAt });
}
// Each scenario stops the moto it was given; only a refused argument list never reached it.
if (status !== 0 && moto) await (await moto.catch(() => null))?.stop();
process.exitCode = status;
