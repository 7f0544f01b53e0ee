// The bare ssh2 fan-out as a process of its own, the baseline `flowdeck run` is judged against
// in the cli bench: both pay Node's start, loading ssh2 and a cold JIT. The bench bundles this
// file with esbuild (ssh2 left in node_modules, as the CLI's bundle leaves it) and starts it as
//   node out/bench/bare-fanout.mjs FLEET.json HOSTS
// where FLEET.json is a BareFleet. It connects to the first HOSTS hosts, runs the fan-out's
// commands, ends the connections without waiting for them (as the CLI does when it exits),
// prints {"workMs": ...} (from when its modules are loaded, ssh2 included, to the end of the
// fan-out) and exits 0.
import { readFileSync } from 'node:fs';
import { bareFanout, type BareFleet } from './bare-ssh';

const t0 = performance.now();
const [fleetFile, hostsArg] = process.argv.slice(2);
const hosts = Number(hostsArg);
if (!fleetFile || !Number.isInteger(hosts) || hosts < 1) {
  process.stderr.write('usage: bare-fanout FLEET.json HOSTS\n');
  process.exit(2);
}
try {
  const fleet = JSON.parse(readFileSync(fleetFile, 'utf8')) as BareFleet;
  const clients = await bareFanout(fleet, hosts);
  for (const c of clients) c.end();
  process.stdout.write(JSON.stringify({ workMs: performance.now() - t0 }) + '\n', () => process.exit(0));
} catch (e) {
  process.stderr.write(`bare-fanout: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
