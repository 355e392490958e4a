import { VoucherifyError } from './errors.js';
import { sleep } from './retry.js';
import type { RequestOptions } from './http.js';
import type { AsyncAction } from './types.js';

export interface WaitForAsyncActionOptions<R = unknown> {
  /** Stops waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with every state read, the last one (`DONE` or `FAILED`) included. */
  onProgress?: (action: AsyncAction<R>) => void;
  /** Milliseconds between two reads. Default 1 000. */
  intervalMs?: number;
  /** Gives up after this many milliseconds with a `VoucherifyError` of kind `timeout`. Default: wait forever. */
  timeoutMs?: number;
}

type GetAsyncAction = <R>(asyncActionId: string, options?: RequestOptions) => Promise<AsyncAction<R>>;

/**
 * Reads an async action until it is `DONE` or `FAILED` and resolves with its last state. A `FAILED` job resolves
 * too: the caller reads `status`, `operation_status` and `result` (a `DONE` job may still report failed records).
 */
export async function waitForAsyncAction<R = unknown>(
  getAsyncAction: GetAsyncAction,
  asyncActionId: string,
  options: WaitForAsyncActionOptions<R> = {},
): Promise<AsyncAction<R>> {
  const { signal, onProgress, intervalMs = 1000, timeoutMs } = options;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  for (;;) {
    const action = await getAsyncAction<R>(asyncActionId, signal ? { signal } : {});
    onProgress?.(action);
    if (action.status === 'DONE' || action.status === 'FAILED') return action;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new VoucherifyError({
        kind: 'timeout',
        message: `Async action ${asyncActionId} was still ${action.status} after ${timeoutMs} ms`,
        body: { resource_id: asyncActionId, resource_type: 'async_action' },
      });
    }
    await sleep(Math.min(intervalMs, left), signal);
  }
}
