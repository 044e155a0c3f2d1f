/** Deadline stages of a task or work order (pure). */
export type DeadlineStage = 'none' | 'warning' | 'due';

/** Share of the allowed time after which the assignee is warned (预警), by default 80 %. */
export const WARNING_FRACTION = 0.8;

/**
 * The stage of a deadline at `now`: `due` from the due time on, `warning` once `fraction` of the allowed time is
 * used, else `none`. `elapsed` and `allowed` may be working time (ms) computed by the business calendar; without
 * them, clock time from `startedAt` to `dueAt` is used.
 */
export function deadlineStage(
  input: { startedAt: Date; dueAt: Date; now: Date; elapsedMs?: number; allowedMs?: number },
  fraction = WARNING_FRACTION,
): DeadlineStage {
  if (input.now.getTime() >= input.dueAt.getTime()) return 'due';
  const allowed = input.allowedMs ?? input.dueAt.getTime() - input.startedAt.getTime();
  const elapsed = input.elapsedMs ?? input.now.getTime() - input.startedAt.getTime();
  if (allowed <= 0) return 'due';
  return elapsed >= allowed * fraction ? 'warning' : 'none';
}

/** Retry delay after the n-th failed attempt (1-based): 1, 2, 4, 8, 16 min …, at most 1 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Attempts before a delivery is given up (status failed). */
export const MAX_ATTEMPTS = 6;
