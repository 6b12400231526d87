// Commands run through one queue with a concurrency fitted to the store (the pool's size on
// PostgreSQL, one on SQLite, whose driver is synchronous), first come first served. Unbounded,
// a burst runs every command at once: each waits behind all the others at the pool and every
// reply arrives late together (measured: 0 of 6,815 replies within 11 s). Bounded, the
// earliest finish first, and a request that could not be answered in time is told so at once.

/** Past this expected wait in the queue a command is answered "busy" (Slack's ack limit is 3 s). */
export const BUSY_AFTER_MS = 1_500;

/**
 * How long a "busy" answer waits before it goes, on Slack and Teams alike: a client retrying at
 * once would otherwise flood the bot with "busy" answers that leave no CPU to the commands it
 * accepted (PostgreSQL, 50 connections: a third of those answered after 3 s).
 */
export const BUSY_ANSWER_DELAY_MS = 200;

/** Resolves with `value` after `ms`, without keeping the process alive. */
export const delay = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(resolve, ms, value).unref());

export interface WorkQueue {
  /** Runs `work` when a slot is free, after everything queued before it. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** How long work queued now would wait before it starts, from recent service times. */
  expectedWaitMs(): number;
  /** Work running or waiting. */
  size(): number;
}

/** How long one turn of the event loop may run queued work before reading new requests. */
const TURN_MS = 10;

export function createWorkQueue(options: { concurrency: number }): WorkQueue {
  const concurrency = Math.max(1, options.concurrency);
  const waiting: (() => void)[] = [];
  let running = 0;
  // A moving average of how long one piece of work holds its slot.
  let serviceMs = 5;
  // A moving average of the time between two starts while work was waiting: how fast the queue
  // really moves. Under load it is more than serviceMs / concurrency, because the process also
  // reads, acknowledges and answers "busy" to the requests arriving meanwhile (measured on
  // PostgreSQL at 50 connections: replies past 3 s while serviceMs promised 1.5 s).
  let gapMs = serviceMs / concurrency;
  let lastStart = 0;
  // A moving average of how long recent work took from being queued to being done: what its
  // requester actually waited. Under a flood of requests it is the truest signal; the pace
  // above only says how the queue moves.
  let turnaroundMs = 0;
  let scheduled = false;
  let turnStarted = Number.NEGATIVE_INFINITY;

  /** Starts waiting work on the next turn of the event loop, once however often it is asked. */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      turnStarted = performance.now();
      next();
    });
  }

  function next(): void {
    while (running < concurrency && waiting.length > 0) {
      running += 1;
      const now = performance.now();
      // Only starts that had to wait tell the queue's pace; the first after a quiet spell does not.
      if (lastStart > 0 && running === concurrency)
        gapMs = 0.8 * gapMs + 0.2 * Math.min(now - lastStart, 10_000);
      lastStart = now;
      (waiting.shift() as () => void)();
    }
    if (waiting.length === 0 && running < concurrency) lastStart = 0;
  }

  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const queued = performance.now();
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => {
          const started = performance.now();
          work()
            .then(resolve, reject)
            .finally(() => {
              const done = performance.now();
              serviceMs = 0.8 * serviceMs + 0.2 * (done - started);
              turnaroundMs = 0.8 * turnaroundMs + 0.2 * (done - queued);
              running -= 1;
              // Within a turn's budget the next command starts at once; past it, after pending
              // I/O: on SQLite a command's awaits never leave the microtask queue, so chained
              // without a bound the whole queue would run before any waiting request is even
              // acknowledged, and one command per turn left the process reading requests
              // faster than it served them.
              if (performance.now() - turnStarted < TURN_MS) next();
              else schedule();
            });
        });
        // Never started where it was asked for, even with a slot free: on SQLite a command
        // started in the callback that read its request runs to its end there, so requests
        // were served in the order the kernel reported their sockets ready, not the order
        // they came, the queue never saw them wait, and some waited seconds unread (50
        // connections: acks past 3 s while every command took 4 ms).
        schedule();
      });
    },
    expectedWaitMs() {
      const ahead = Math.max(0, running + waiting.length - concurrency + 1);
      if (ahead === 0) return 0;
      return Math.max(ahead * Math.max(serviceMs / concurrency, gapMs), turnaroundMs);
    },
    size() {
      return running + waiting.length;
    },
  };
}
