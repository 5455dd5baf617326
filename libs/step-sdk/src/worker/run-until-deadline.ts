/** How a piece of work ended relative to its deadline. */
export type DeadlineOutcome<T> =
  | { kind: 'returned'; value: T }
  | { kind: 'threw'; error: unknown }
  | { kind: 'deadline' };

/**
 * Waits for `work` until the deadline. The deadline is read again when it passes, so a later
 * value (a heartbeat pushed it) keeps waiting. JavaScript cannot stop the work itself: at the
 * deadline the caller gives up and aborts its signal; the work keeps running until it settles.
 * @param deadline - current deadline, epoch ms
 * @internal
 */
export function runUntilDeadline<T>(work: Promise<T>, deadline: () => number, now: () => number = Date.now): Promise<DeadlineOutcome<T>> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (outcome: DeadlineOutcome<T>) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve(outcome);
    };
    const arm = () => {
      const left = deadline() - now();
      if (left <= 0) return finish({ kind: 'deadline' });
      // setTimeout holds at most 2^31-1 ms; a farther deadline is checked again then.
      timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
    };
    work.then((value) => finish({ kind: 'returned', value }), (error: unknown) => finish({ kind: 'threw', error }));
    arm();
  });
}
