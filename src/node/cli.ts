/**
 * `vc-consent` — mints tokens the way a shop backend would:
 *
 *   vc-consent token session --customer <id> [--scope <scope>]… [--ttl <seconds>]
 *   vc-consent token unsubscribe --customer <id> [--mailto <address>] [--public-url <url>]
 *   vc-consent token confirm --email <address> --consents <json> [--ttl <seconds>] [--public-url <url>]
 *   vc-consent token preferences --customer <id> [--ttl <seconds>] [--public-url <url>]
 *   vc-consent ledger verify <file>
 *   vc-consent init worker [--dir <path>] [--name <name>] [--force]
 *   vc-consent emulator [--port <n>] [--host <host>] [--data <file>] [--max-body <size>] [--rate-limit <n>/<d>]
 *                       [--plan business|organization] [--billing-cycle <d>] [--no-seed] [--quiet]
 *
 * Keys come from the environment, then `.dev.vars` (or `.dev.vars.example` when there is none: the same file
 * `npm run worker:dev` gives `wrangler dev`), so the local worker accepts what this prints.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EMULATOR_DEFAULTS } from '../emulator/index.js';
import { emulatorCommand } from './cli-emulator.js';
import { UsageError } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { ledgerCommand } from './cli-ledger.js';
import { initWorker } from './init.js';
import {
  ALL_SCOPES,
  KeyConfigError,
  MissingKeysError,
  confirmationLink,
  loadKeys,
  preferencesLink,
  sessionTokenFor,
  unsubscribeLink,
} from './index.js';
import type { LoadedKeys, Scope } from './index.js';

const USAGE = `Usage:
  vc-consent token session --customer <id> [--scope <scope>]... [--ttl <seconds>] [--json]
      Prints a session token for the edge worker's /v1/me routes.
      --scope   one of: ${ALL_SCOPES.join(', ')}
                (repeat it, or separate with commas/spaces; default: every scope)
      --ttl     lifetime in seconds (default 600; at most SESSION_MAX_TTL, default 900)

  vc-consent token unsubscribe --customer <id> [--mailto <address>] [--public-url <url>] [--json]
      Prints the one-click unsubscribe URL, then the List-Unsubscribe and List-Unsubscribe-Post header lines.

  vc-consent token confirm --email <address> --consents <json> [--ttl <seconds>] [--public-url <url>] [--json]
      Prints a double opt-in link: the worker records the choices (e.g. '{"cnst_...":true}') for that address only
      once the person opens it and confirms. It works once; --ttl defaults to three days.

  vc-consent token preferences --customer <id> [--ttl <seconds>] [--public-url <url>] [--json]
      Prints a preference center link: the worker's page where that customer manages every consent without
      signing in. --ttl defaults to 60 days (at most 365).

  vc-consent init worker [--dir <path>] [--name <name>] [--force]
      Sets up a project to deploy the edge worker from this package: writes wrangler.toml (bindings, [vars] to
      fill in), src/worker.js (re-exports vc-consent/worker) and .dev.vars with freshly generated keys for local
      development against the emulator (added to .gitignore), then prints the \`wrangler secret put\` commands.
      Refuses (exit 2) to overwrite any of these files unless --force.
      --dir   the project directory (default: the current directory)
      --name  the worker's name in wrangler.toml (default vc-consent-edge)

  vc-consent emulator [--port <n>] [--host <host>] [--data <file>] [--max-body <size>] [--rate-limit <n>/<d>]
                      [--plan business|organization] [--billing-cycle <d>] [--no-seed] [--quiet]
      Runs the Voucherify emulator (Customers API) until Ctrl-C, and prints its URL and keys.
      --port           default VC_EMULATOR_PORT or ${EMULATOR_DEFAULTS.port} (0: any free port)
      --host           default ${EMULATOR_DEFAULTS.host}
      --data           keep the data in this file (and its .log) across restarts; every write is on disk before it
                       is answered (default: in memory; or VC_EMULATOR_DATA_FILE)
      --max-body       largest request body, e.g. 64M (default 10M; or VC_EMULATOR_MAX_BODY)
      --rate-limit     requests per window, e.g. 60/10s (or VC_EMULATOR_RATE_LIMIT)
      --plan           Voucherify's limits for a plan: business or organization (or VC_EMULATOR_PLAN)
      --billing-cycle  the plan's billing cycle, e.g. 1h (default 30d; or VC_EMULATOR_BILLING_CYCLE)
      --webhook-url    POST signed customer events there, with --webhook-secret (or VC_EMULATOR_WEBHOOK_URL and
                       VC_EMULATOR_WEBHOOK_SECRET)
      --no-seed        start empty instead of with the demo customers
      --quiet          no log line per request

  vc-consent ledger verify <file>
      Checks a consent ledger export (JSON or CSV from the worker's GET /v1/consent-records): every record's hash
      and its link to the record before it. Exits 1 and names the first broken record when the file was altered.

  --customer  a Voucherify customer id (cust_...) or source_id
  --json      print a JSON object instead of plain lines
  -h, --help  show this help

Keys and settings are read from the environment (SESSION_SIGNING_KEY or SESSION_KEYS, SESSION_ISSUER,
SESSION_AUDIENCE, SESSION_MAX_TTL, UNSUBSCRIBE_KEYS, PUBLIC_URL), then from .dev.vars in the current directory,
or .dev.vars.example when there is no .dev.vars (not when NODE_ENV=production). With NODE_ENV=production the
token commands refuse the published development keys of .dev.vars.example, wherever they come from.
`;

function parseScopes(values: string[] | undefined): Scope[] | undefined {
  if (!values?.length) return undefined;
  const scopes = values.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
  const unknown = scopes.filter((scope) => !(ALL_SCOPES as readonly string[]).includes(scope));
  if (unknown.length)
    throw new UsageError(
      `Unknown scope ${unknown.map((scope) => JSON.stringify(scope)).join(', ')}. Known: ${ALL_SCOPES.join(', ')}.`,
    );
  return scopes as Scope[];
}

function parseTtl(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new UsageError('--ttl must be a positive whole number of seconds.');
  return Number(value);
}

async function confirmCommand(
  values: {
    email?: string;
    consents?: string;
    ttl?: string;
    'public-url'?: string;
    customer?: string;
    scope?: string[];
    mailto?: string;
    json?: boolean;
  },
  io: CliIO,
): Promise<number> {
  if (values.customer || values.scope || values.mailto)
    throw new UsageError('"token confirm" takes --email and --consents (not --customer, --scope or --mailto).');
  const email = values.email?.trim();
  if (!email) throw new UsageError('Missing --email <address> (the address that signed up).');
  if (!values.consents)
    throw new UsageError('Missing --consents <json>, e.g. \'{"cnst_…":true}\' (what the person chose).');
  let consents: Record<string, boolean>;
  try {
    consents = JSON.parse(values.consents) as Record<string, boolean>;
  } catch {
    throw new UsageError('--consents must be JSON, e.g. \'{"cnst_…":true}\'.');
  }
  const ttlSeconds = parseTtl(values.ttl);
  const keys = loadKeys({ ...(io.env ? { env: io.env } : {}), ...(io.cwd ? { cwd: io.cwd } : {}) });
  const link = await confirmationLink(keys, email, consents, {
    ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    ...(ttlSeconds ? { ttlSeconds } : {}),
  });
  devNote(keys, io);
  io.out(values.json ? JSON.stringify(link) : link.url);
  return 0;
}

/** Options each command accepts (parseArgs knows them all; this refuses the ones that belong elsewhere). */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  init: ['dir', 'name', 'force'],
  emulator: [
    ...['port', 'host', 'data', 'no-seed', 'quiet', 'max-body', 'rate-limit', 'plan', 'billing-cycle'],
    ...['webhook-url', 'webhook-secret'],
  ],
  token: ['customer', 'email', 'consents', 'scope', 'ttl', 'mailto', 'public-url', 'json'],
  ledger: [],
};

function devNote(keys: LoadedKeys, io: CliIO): void {
  const files = [...new Set(Object.values(keys.sources).filter((source) => source !== 'environment'))];
  if (files.length) io.err(`vc-consent: using dev-only values from ${files.join(', ')}`);
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        customer: { type: 'string' },
        email: { type: 'string' },
        consents: { type: 'string' },
        scope: { type: 'string', multiple: true },
        ttl: { type: 'string' },
        mailto: { type: 'string' },
        'public-url': { type: 'string' },
        json: { type: 'boolean' },
        dir: { type: 'string' },
        name: { type: 'string' },
        force: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'max-body': { type: 'string' },
        'rate-limit': { type: 'string' },
        plan: { type: 'string' },
        'billing-cycle': { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
        'no-seed': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`vc-consent: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? io.out : io.err)(USAGE.trimEnd());
    return values.help ? 0 : 2;
  }
  try {
    const [group, kind, ...rest] = positionals;
    const allowed = COMMAND_OPTIONS[group ?? ''];
    const foreign = allowed
      ? Object.keys(values).filter((option) => option !== 'help' && !allowed.includes(option))
      : [];
    if (foreign.length)
      throw new UsageError(`"${group}" does not take ${foreign.map((option) => `--${option}`).join(', ')}.`);
    if (group === 'init') {
      if (kind !== 'worker' || rest.length)
        throw new UsageError('Usage: vc-consent init worker [--dir <path>] [--name <name>] [--force]');
      if (values.name !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.name)) {
        throw new UsageError('--name must be a worker name: lowercase letters, digits and dashes (at most 63).');
      }
      return await initWorker({
        dir: path.resolve(io.cwd ?? process.cwd(), values.dir ?? '.'),
        force: values.force ?? false,
        ...(values.name ? { name: values.name } : {}),
        out: io.out,
        err: io.err,
      });
    }
    if (group === 'emulator') {
      if (kind !== undefined)
        throw new UsageError(
          'Usage: vc-consent emulator [--port <n>] [--host <host>] [--data <file>] [--max-body <size>] [--rate-limit <n>/<d>] [--plan business|organization] [--billing-cycle <d>] [--no-seed] [--quiet]',
        );
      return await emulatorCommand(values, io);
    }
    if (group === 'ledger') return await ledgerCommand([kind ?? '', ...rest].filter(Boolean), io);
    if (
      group !== 'token' ||
      (kind !== 'session' && kind !== 'unsubscribe' && kind !== 'confirm' && kind !== 'preferences') ||
      rest.length
    ) {
      throw new UsageError(
        `Unknown command "${positionals.join(' ')}". Commands: "token session", "token unsubscribe", "token confirm", "token preferences", "ledger verify", "init worker", "emulator".`,
      );
    }
    if (kind === 'confirm') return await confirmCommand(values, io);
    if (values.email || values.consents) throw new UsageError('--email and --consents belong to "token confirm".');
    const customer = values.customer?.trim();
    if (!customer) throw new UsageError('Missing --customer <id> (a customer id such as cust_… or a source_id).');
    const keys = loadKeys({ ...(io.env ? { env: io.env } : {}), ...(io.cwd ? { cwd: io.cwd } : {}) });

    if (kind === 'session') {
      if (values.mailto || values['public-url'])
        throw new UsageError('--mailto belongs to "token unsubscribe", --public-url to the link commands.');
      const ttlSeconds = parseTtl(values.ttl);
      const scopes = parseScopes(values.scope);
      const token = await sessionTokenFor(keys, customer, {
        ...(scopes ? { scopes } : {}),
        ...(ttlSeconds ? { ttlSeconds } : {}),
      });
      devNote(keys, io);
      io.out(values.json ? JSON.stringify({ token }) : token);
      return 0;
    }

    if (kind === 'preferences') {
      if (values.scope || values.mailto)
        throw new UsageError('"token preferences" takes --customer, --ttl and --public-url (not --scope or --mailto).');
      const ttlSeconds = parseTtl(values.ttl);
      const link = await preferencesLink(keys, customer, {
        ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
        ...(ttlSeconds ? { ttlSeconds } : {}),
      });
      devNote(keys, io);
      io.out(values.json ? JSON.stringify(link) : link.url);
      return 0;
    }

    if (values.scope || values.ttl)
      throw new UsageError(
        '--scope and --ttl belong to "token session" (--ttl also to "token confirm" and "token preferences").',
      );
    const link = await unsubscribeLink(keys, customer, {
      ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
      ...(values.mailto ? { mailto: values.mailto } : {}),
    });
    devNote(keys, io);
    if (values.json) io.out(JSON.stringify(link));
    else {
      io.out(link.url);
      for (const [name, value] of Object.entries(link.headers)) io.out(`${name}: ${value}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`vc-consent: ${error.message}\nRun "vc-consent --help" for usage.`);
      return 2;
    }
    if (
      error instanceof MissingKeysError ||
      error instanceof KeyConfigError ||
      error instanceof RangeError ||
      error instanceof TypeError
    ) {
      io.err(`vc-consent: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export type { CliIO } from './cli-io.js';
