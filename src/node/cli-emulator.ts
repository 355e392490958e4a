import { commandOptions } from '../emulator/command-options.js';
import { DataFileError, EMULATOR_DEFAULTS, PortInUseError, startEmulator } from '../emulator/index.js';
import { describeLimits } from '../emulator/plans.js';
import { UsageError } from './cli-io.js';
import type { CliIO } from './cli-io.js';

export /** `emulator`: starts it, prints its URL and keys, runs until SIGINT/SIGTERM (or `io.signal`). */
async function emulatorCommand(
  values: {
    port?: string;
    host?: string;
    data?: string;
    'no-seed'?: boolean;
    quiet?: boolean;
    'max-body'?: string;
    'rate-limit'?: string;
    plan?: string;
    'billing-cycle'?: string;
    'webhook-url'?: string;
    'webhook-secret'?: string;
  },
  io: CliIO,
): Promise<number> {
  const env = io.env ?? process.env;
  const portText = values.port ?? env.VC_EMULATOR_PORT ?? String(EMULATOR_DEFAULTS.port);
  if (!/^\d+$/.test(portText) || Number(portText) > 65_535)
    throw new UsageError(`--port must be a port number from 0 to 65535 (got ${JSON.stringify(portText)}).`);
  const host = values.host?.trim() || EMULATOR_DEFAULTS.host;
  const dataFile = values.data ?? (env.VC_EMULATOR_DATA_FILE || undefined);
  let commandLine;
  try {
    commandLine = commandOptions(
      {
        maxBody: values['max-body'],
        rateLimit: values['rate-limit'],
        plan: values.plan,
        billingCycle: values['billing-cycle'],
        webhookUrl: values['webhook-url'],
        webhookSecret: values['webhook-secret'],
      },
      env,
    );
  } catch (error) {
    throw new UsageError(`${(error as Error).message}.`);
  }
  const origins = [
    ...EMULATOR_DEFAULTS.allowedOrigins,
    ...(env.VC_EMULATOR_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  ];
  let emulator;
  try {
    emulator = await startEmulator({
      port: Number(portText),
      host,
      ...(dataFile ? { dataFile } : {}),
      seed: !values['no-seed'],
      allowedOrigins: origins,
      quiet: values.quiet ?? false,
      ...commandLine,
    });
  } catch (error) {
    if (error instanceof PortInUseError) {
      io.err(`vc-consent: ${error.message}. Stop whatever uses it, or pass --port <n> (0: any free port).`);
      return 1;
    }
    if (error instanceof DataFileError) {
      io.err(`vc-consent: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const [server] = EMULATOR_DEFAULTS.serverKeys;
  const [client] = EMULATOR_DEFAULTS.clientKeys;
  io.out(`Voucherify emulator listening on ${emulator.url}`);
  io.out(`  server keys  X-App-Id: ${server.appId}  X-App-Token: ${server.appToken}`);
  io.out(
    `  client keys  X-Client-Application-Id: ${client.clientApplicationId}  X-Client-Token: ${client.clientToken}`,
  );
  io.out(`  origins      ${origins.join(', ')}`);
  io.out(
    `  data         ${dataFile ? `${dataFile} (every write on disk before it is answered)` : 'in memory only (--data <file> keeps it)'}`,
  );
  io.out(`  limits       ${describeLimits(commandLine)}`);
  if (commandLine.webhookUrl) io.out(`  webhooks     ${commandLine.webhookUrl} (customer events, signed)`);
  io.out(`  controls     ${emulator.url}/_emulator/{health,reset,faults,requests,quota}`);
  io.out('Press Ctrl-C to stop.');
  const stoppedBy = await new Promise<string>((resolve) => {
    const onSigint = () => finish('SIGINT');
    const onSigterm = () => finish('SIGTERM');
    const onAbort = () => finish('stop');
    function finish(reason: string) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      io.signal?.removeEventListener('abort', onAbort);
      resolve(reason);
    }
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    if (io.signal?.aborted) finish('stop');
    else io.signal?.addEventListener('abort', onAbort);
  });
  io.err(`vc-consent: ${stoppedBy}: stopping the emulator`);
  await emulator.close();
  return 0;
}
