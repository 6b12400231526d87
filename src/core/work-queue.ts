// Commands run through one queue with a concurrency fitted to the store (the pool's size on
// PostgreSQL, one on SQLite, whose driver is synchronous), first come first served. Unbounded,
// a burst runs every command at once: each waits behind all the others at the pool and every
// reply arrives late together (measured: 0 of 6,815 replies within 11 s). Bounded, the
// earliest finish first, and a request that could not be answered in time is told so at once.

export interface WorkQueue {
  /** Runs `work` when a slot is free, after everything queued before it. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** How long work queued now would wait before it starts, from recent service times. */
  expectedWaitMs(): number;
  /** Work running or waiting. */
  size(): number;
}

export function createWorkQueue(options: { concurrency: number }): WorkQueue {
  const concurrency = Math.max(1, options.concurrency);
  const waiting: (() => void)[] = [];
  let running = 0;
  // A moving average of how long one piece of work holds its slot.
  let serviceMs = 5;

  function next(): void {
    while (running < concurrency && waiting.length > 0) {
      running += 1;
      (waiting.shift() as () => void)();
    }
  }

  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => {
          const started = performance.now();
          work()
            .then(resolve, reject)
            .finally(() => {
              serviceMs = 0.8 * serviceMs + 0.2 * (performance.now() - started);
              running -= 1;
              // The next command starts after pending I/O: on SQLite a command's awaits never
              // leave the microtask queue, so chained directly the whole queue would run before
              // any waiting request is even acknowledged.
              setImmediate(next);
            });
        });
        next();
      });
    },
    expectedWaitMs() {
      return (Math.max(0, running + waiting.length - concurrency + 1) * serviceMs) / concurrency;
    },
    size() {
      return running + waiting.length;
    },
  };
}
