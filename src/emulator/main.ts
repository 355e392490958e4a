/**
 * `npm run emulator`: the emulator alone on 127.0.0.1 (port `VC_EMULATOR_PORT`, default 4010).
 *
 *   --data-file <path>   persist to this file and its log (or VC_EMULATOR_DATA_FILE)
 *   --max-body <size>    largest request body, e.g. 64M (or VC_EMULATOR_MAX_BODY; default 10M)
 *   --port <n>           instead of VC_EMULATOR_PORT
 *   --no-seed            start empty instead of with the demo customers
 *   --quiet              no log line per request
 *   --rate-limit <n>/<d> e.g. 60/10s: requests per window (or VC_EMULATOR_RATE_LIMIT)
 *   --plan <name>        business | organization: Voucherify's limits for it (or VC_EMULATOR_PLAN)
 *   --billing-cycle <d>  the plan's billing cycle, e.g. 1h (default 30d; or VC_EMULATOR_BILLING_CYCLE)
 *   --webhook-url <url>  POST signed customer events there (or VC_EMULATOR_WEBHOOK_URL), keyed with
 *   --webhook-secret <s> (or VC_EMULATOR_WEBHOOK_SECRET)
 *
 * VC_EMULATOR_ALLOWED_ORIGINS (comma list) adds client-side origins to localhost and 127.0.0.1.
 * VC_EMULATOR_COMPACT_AFTER (a size, default 64M): with a data file, a new snapshot is written once the log is larger.
 */
import { parseArgs } from 'node:util';
import { EMULATOR_DEFAULTS, PortInUseError, startEmulator, type RunningEmulator } from './index.js';
import { DataFileError } from './persistence.js';
import { commandOptions } from './command-options.js';
import { describeLimits } from './plans.js';

function fail(message: string): never {
  console.error(`vc-consent emulator: ${message}`);
  process.exit(1);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        'data-file': { type: 'string' },
        'max-body': { type: 'string' },
        port: { type: 'string' },
        'no-seed': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        'rate-limit': { type: 'string' },
        plan: { type: 'string' },
        'billing-cycle': { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const args = readArgs();
const portText = args.port ?? process.env.VC_EMULATOR_PORT ?? String(EMULATOR_DEFAULTS.port);
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65_535) fail(`invalid port "${portText}" (VC_EMULATOR_PORT or --port)`);
const dataFile = args['data-file'] ?? (process.env.VC_EMULATOR_DATA_FILE || undefined);
const extraOrigins = (process.env.VC_EMULATOR_ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);
const commandLine = (() => {
  try {
    return commandOptions(
      {
        maxBody: args['max-body'],
        rateLimit: args['rate-limit'],
        plan: args.plan,
        billingCycle: args['billing-cycle'],
        webhookUrl: args['webhook-url'],
        webhookSecret: args['webhook-secret'],
      },
      process.env,
    );
  } catch (error) {
    return fail((error as Error).message);
  }
})();

let emulator: RunningEmulator;
try {
  emulator = await startEmulator({
    port,
    host: EMULATOR_DEFAULTS.host,
    ...(dataFile ? { dataFile } : {}),
    seed: !args['no-seed'],
    allowedOrigins: [...EMULATOR_DEFAULTS.allowedOrigins, ...extraOrigins],
    quiet: args.quiet,
    ...commandLine,
  });
} catch (error) {
  if (error instanceof PortInUseError)
    fail(`${error.message}. Stop whatever uses it or set VC_EMULATOR_PORT to another port.`);
  if (error instanceof DataFileError) fail(error.message);
  fail(`could not start: ${(error as Error).message}`);
}

const [server] = EMULATOR_DEFAULTS.serverKeys;
const [client] = EMULATOR_DEFAULTS.clientKeys;
console.log(
  [
    `Voucherify emulator listening on ${emulator.url}`,
    `  server keys  X-App-Id: ${server.appId}  X-App-Token: ${server.appToken}`,
    `  client keys  X-Client-Application-Id: ${client.clientApplicationId}  X-Client-Token: ${client.clientToken}`,
    `  origins      ${[...EMULATOR_DEFAULTS.allowedOrigins, ...extraOrigins].join(', ')}`,
    `  data         ${dataFile ? `${dataFile} (every write on disk before it is answered)` : 'in memory only (set VC_EMULATOR_DATA_FILE or --data-file to persist)'}`,
    `  limits       ${describeLimits(commandLine)}`,
    ...(commandLine.webhookUrl ? [`  webhooks     ${commandLine.webhookUrl} (customer events, signed)`] : []),
    `  controls     ${emulator.url}/_emulator/{health,reset,faults,requests,quota}`,
  ].join('\n'),
);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the emulator`);
  try {
    await emulator.close();
  } catch (error) {
    console.error(`vc-consent emulator: stopping failed: ${(error as Error).message}`);
    process.exit(1);
  }
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
