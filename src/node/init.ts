/**
 * `vc-consent init worker`: sets up a consumer project to deploy the edge worker from the package — a
 * `wrangler.toml`, a one-line entry module re-exporting `vc-consent/worker`, and a `.dev.vars` with freshly
 * generated keys for local development against the emulator (kept out of git).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMULATOR_DEFAULTS } from '../emulator/seed.js';

/** The same `compatibility_date` as the package's own wrangler.toml (a test keeps them equal). */
export const WORKER_COMPATIBILITY_DATE = '2026-04-20';
/** The entry module `init worker` writes, relative to the project. */
export const WORKER_ENTRY = 'src/worker.js';
/** Secrets a deployed worker needs: `wrangler secret put NAME` for each. */
export const WORKER_SECRETS = [
  'VOUCHERIFY_APP_ID',
  'VOUCHERIFY_APP_TOKEN',
  'SESSION_KEYS',
  'UNSUBSCRIBE_KEYS',
  'ADMIN_KEYS',
] as const;

export interface GeneratedKeys {
  /** `SESSION_KEYS`: one HS256 key, 32 random bytes (base64url). */
  SESSION_KEYS: string;
  /** `UNSUBSCRIBE_KEYS`: one link key, 32 random bytes (base64url). */
  UNSUBSCRIBE_KEYS: string;
  /** `ADMIN_KEYS`: one back office key pair with a random 32-byte token. */
  ADMIN_KEYS: string;
}

function random(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Fresh keys in the worker's formats (crypto random; never the published development keys). */
export function generateKeys(now = new Date()): GeneratedKeys {
  const stamp = now.toISOString().slice(0, 10).replaceAll('-', '');
  return {
    SESSION_KEYS: JSON.stringify([{ kid: `s-${stamp}`, alg: 'HS256', secret: random() }]),
    UNSUBSCRIBE_KEYS: JSON.stringify([{ kid: `u-${stamp}`, secret: random() }]),
    ADMIN_KEYS: JSON.stringify([{ appId: 'edge-admin', appToken: random() }]),
  };
}

export function wranglerToml(name: string): string {
  return `# The vc-consent edge worker, deployed from the vc-consent package (written by \`npx vc-consent init worker\`).
#   npx wrangler dev       runs it locally with .dev.vars (against the emulator: \`npx vc-consent emulator\`)
#   npx wrangler deploy    publishes it; set the secrets first (wrangler secret put, below)
name = "${name}"
main = "${WORKER_ENTRY}"
# Must not be later than what your wrangler's workerd supports.
compatibility_date = "${WORKER_COMPATIBILITY_DATE}"
workers_dev = true

# Secrets are never written here: \`npx wrangler secret put NAME\` for each of
#   ${WORKER_SECRETS.join(', ')}
# Locally they come from .dev.vars (which also overrides the [vars] below).
[vars]
# Voucherify's API for your project's region (e.g. https://us1.api.voucherify.io).
VOUCHERIFY_API_URL = "https://api.voucherify.io"
# CHANGE: the \`iss\` your shop's backend puts in session tokens.
SESSION_ISSUER = "https://shop.example.com"
SESSION_AUDIENCE = "vc-edge"
# Longest session token lifetime accepted, in seconds.
SESSION_MAX_TTL = "900"
# CHANGE: the exact origins of your shop's pages that call the worker (comma-separated, no wildcards).
ALLOWED_ORIGINS = "https://shop.example.com"
# CHANGE: where this worker is reachable (unsubscribe, double opt-in and preference center links point here).
PUBLIC_URL = "https://${name}.example.workers.dev"
# "consents" (Voucherify's consents) or "metadata" (customer metadata under CONSENT_METADATA_KEY).
CONSENT_STORAGE = "consents"
CONSENT_METADATA_KEY = "vc_consents"
# Optional:
# PREFERENCES_URL = "https://shop.example.com/account/preferences"   (your shop's own preferences page)
# ELEMENTS_URL = "https://shop.example.com/vc-consent/cdn"          (enhances the /preferences/<token> page)
# PROFILE_METADATA_KEYS = "lang,newsletter_frequency"                 (metadata customers may see and edit)
# CONSENT_LEDGER = "on"                                               ("off": keep no consent ledger)
# LOG_LEVEL = "info"                                                  (debug, info, warn, error, none)
# UPSTREAM_TIMEOUT_MS = "10000"
# UPSTREAM_RETRIES = "2"

# Rate limits (Workers Rate Limiting binding; period 10 or 60 s; approximate, per Cloudflare location). Writes are
# counted per customer, unsubscribe requests per client; size UNSUBSCRIBE_LIMITER to your mail volume.
# namespace_id: any positive integer unique within your Cloudflare account.
[[ratelimits]]
name = "WRITE_LIMITER"
namespace_id = "1001"
simple = { limit = 60, period = 60 }

[[ratelimits]]
name = "UNSUBSCRIBE_LIMITER"
namespace_id = "1002"
simple = { limit = 300, period = 60 }

# Every write for one customer passes through that customer's Durable Object (SQLite-backed: on the free plan).
[[durable_objects.bindings]]
name = "CUSTOMER_OBJECTS"
class_name = "CustomerObject"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["CustomerObject"]
`;
}

export const WORKER_ENTRY_SOURCE = `// The vc-consent edge worker (see wrangler.toml). CustomerObject is its per-customer Durable Object.
export { default, CustomerObject } from 'vc-consent/worker';
`;

export function devVarsFile(keys: GeneratedKeys): string {
  const [server] = EMULATOR_DEFAULTS.serverKeys;
  const quote = (value: string) => `'${value}'`;
  return `# Local development only (\`npx wrangler dev\`, \`npx vc-consent token …\`); kept out of git. Generated by
# \`npx vc-consent init worker\`. Production secrets are set with \`npx wrangler secret put NAME\`.
# The emulator (\`npx vc-consent emulator\`) and its default server keys:
VOUCHERIFY_API_URL=http://${EMULATOR_DEFAULTS.host}:${EMULATOR_DEFAULTS.port}
VOUCHERIFY_APP_ID=${server.appId}
VOUCHERIFY_APP_TOKEN=${server.appToken}
# Your shop's local backend: the issuer of its session tokens and the origins of its pages.
SESSION_ISSUER=http://localhost:3000
SESSION_AUDIENCE=vc-edge
SESSION_MAX_TTL=900
ALLOWED_ORIGINS=http://localhost:3000,http://127.0.0.1:3000
PUBLIC_URL=http://127.0.0.1:8787
# Fresh keys: your shop's backend signs session tokens with SESSION_KEYS and links with UNSUBSCRIBE_KEYS.
SESSION_KEYS=${quote(keys.SESSION_KEYS)}
UNSUBSCRIBE_KEYS=${quote(keys.UNSUBSCRIBE_KEYS)}
ADMIN_KEYS=${quote(keys.ADMIN_KEYS)}
`;
}

export interface InitWorkerOptions {
  /** The project directory (default: the current directory). */
  dir: string;
  force?: boolean;
  /** The worker's name in wrangler.toml (default "vc-consent-edge"). */
  name?: string;
  out(line: string): void;
  err(line: string): void;
}

/** Writes the files; resolves to the exit code (0 written, 2 files exist and `force` is off). */
export async function initWorker(options: InitWorkerOptions): Promise<number> {
  const dir = path.resolve(options.dir);
  const name = options.name ?? 'vc-consent-edge';
  const files: Array<[string, string]> = [
    ['wrangler.toml', wranglerToml(name)],
    [WORKER_ENTRY, WORKER_ENTRY_SOURCE],
    ['.dev.vars', devVarsFile(generateKeys())],
  ];
  const existing = files.map(([file]) => file).filter((file) => existsSync(path.join(dir, file)));
  if (existing.length && !options.force) {
    options.err(
      `vc-consent: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${dir}; nothing written. Use --force to overwrite.`,
    );
    return 2;
  }
  for (const [file, text] of files) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text, file === '.dev.vars' ? { mode: 0o600 } : {});
  }
  const gitignore = path.join(dir, '.gitignore');
  const ignored = existsSync(gitignore) ? await readFile(gitignore, 'utf8') : null;
  const ignoresDevVars =
    ignored?.split(/\r?\n/).some((line) => ['.dev.vars', '/.dev.vars', '.dev.vars*'].includes(line.trim())) ?? false;
  if (!ignoresDevVars) await appendFile(gitignore, `${ignored && !ignored.endsWith('\n') ? '\n' : ''}.dev.vars\n`);

  const out = options.out;
  out(
    `Wrote ${files.map(([file]) => file).join(', ')} in ${dir}${ignoresDevVars ? '' : ` (and added .dev.vars to .gitignore)`}.`,
  );
  out('');
  out('Next steps:');
  out(
    '  1. Edit wrangler.toml [vars]: SESSION_ISSUER, ALLOWED_ORIGINS, PUBLIC_URL (and VOUCHERIFY_API_URL for your region).',
  );
  out('  2. Try it locally: `npx vc-consent emulator` in one terminal, `npx wrangler dev` in another, then');
  out('     `npx vc-consent token session --customer <id>` prints a token the local worker accepts.');
  out('  3. Before `npx wrangler deploy`, set each production secret (new values: not the ones in .dev.vars):');
  for (const secret of WORKER_SECRETS) out(`       npx wrangler secret put ${secret}`);
  out("     VOUCHERIFY_APP_ID / VOUCHERIFY_APP_TOKEN: your Voucherify project's server-side keys.");
  out("     SESSION_KEYS, UNSUBSCRIBE_KEYS, ADMIN_KEYS: JSON in the same format as in .dev.vars; your shop's backend");
  out('     signs with the same SESSION_KEYS and UNSUBSCRIBE_KEYS (`vc-consent/node`).');
  return 0;
}
