import type { Router } from "../core/router.js";

// Graceful shutdown needs to know what is still under way. Slack is acknowledged before the
// command runs (it wants an answer within 3 s), so an HTTP server that has finished its
// responses may still be writing a command: the router's work is counted here instead.

export interface Drain {
  /** The router, counting each command from its start to its reply. */
  track(router: Router): Router;
  /** Counts any other work, e.g. what a Slack listener does after its ack. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves true once nothing is under way, or false when `ms` ran out first. */
  idle(ms: number): Promise<boolean>;
  readonly active: number;
}

export function createDrain(): Drain {
  let active = 0;
  const waiters = new Set<() => void>();
  async function counted<T>(work: () => Promise<T>): Promise<T> {
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      if (active === 0) for (const wake of waiters) wake();
    }
  }
  return {
    get active() {
      return active;
    },
    run: counted,
    track(router) {
      return {
        ...router,
        handle: (invocation) => counted(() => router.handle(invocation)),
        press: (invocation, button, ref) => counted(() => router.press(invocation, button, ref)),
        openForm: (invocation, form, prefill) =>
          counted(() => router.openForm(invocation, form, prefill)),
        submitForm: (invocation, submission) =>
          counted(() => router.submitForm(invocation, submission)),
      };
    },
    idle(ms) {
      if (active === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(false);
        }, ms);
        waiters.add(wake);
      });
    },
  };
}
