/**
 * The Voucherify emulator: a stateful, faithful local stand-in for Voucherify's Customers API (see
 * docs/emulator.md). Start it in-process with `startEmulator()`, or from a shell with `npm run emulator`.
 */
export { startEmulator, PortInUseError, type RunningEmulator } from './server.js';
export type { EmulatorOptions } from './options.js';
export type { FaultRule } from './faults.js';
export type { RecordedRequest } from './request-log.js';
export type { ResetOutcome } from './emulator-runtime.js';
export { DataFileError } from './persistence.js';
export { limitOptions, type LimitOptions, type LimitTexts, type PlanName } from './plans.js';
export * from './seed.js';
