import { describe, expect, it } from "vitest";
import { createWorkQueue } from "../../src/core/work-queue.js";

// The queue commands run through: first come first served, never more at once than the store
// serves, and other requests get a turn between two commands.

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe("the work queue", () => {
  it("runs at most `concurrency` at once, in arrival order", async () => {
    const queue = createWorkQueue({ concurrency: 2 });
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const jobs = Array.from({ length: 6 }, (_, i) =>
      queue.run(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return i;
      }),
    );
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(queue.size()).toBe(0);
  });

  it("starts nothing in the callback that asked, so requests read together run in the order they came", async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    const events: string[] = [];
    const first = queue.run(async () => {
      events.push("first");
    });
    const second = queue.run(async () => {
      events.push("second");
    });
    // Both asked in one callback (one read of the sockets): neither ran there.
    expect(events).toEqual([]);
    await Promise.all([first, second]);
    expect(events).toEqual(["first", "second"]);
  });

  it("lets waiting I/O run once a turn has spent its budget on commands that never leave the microtask queue", async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    const events: string[] = [];
    const spend = (name: string) => async () => {
      busy(11);
      events.push(name);
    };
    const jobs = ["first", "second", "third"].map((name) => queue.run(spend(name)));
    setImmediate(() => events.push("an acknowledgement"));
    await Promise.all(jobs);
    // The first command spends more than a turn's 10 ms: the acknowledgement goes next.
    expect(events).toEqual(["first", "an acknowledgement", "second", "third"]);
  });

  it("expects a longer wait the longer the queue, and none when a slot is free", async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    expect(queue.expectedWaitMs()).toBe(0);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const held = Array.from({ length: 10 }, () => queue.run(() => gate));
    const ten = queue.expectedWaitMs();
    held.push(...Array.from({ length: 10 }, () => queue.run(() => gate)));
    expect(ten).toBeGreaterThan(0);
    expect(queue.expectedWaitMs()).toBeGreaterThan(ten);
    release();
    await Promise.all(held);
    await tick();
    expect(queue.expectedWaitMs()).toBe(0);
  });

  it("expects the wait the queue really shows when other work slows it, not only its service times", async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    // Each command takes 3 ms, and for each the process spends 4 ms elsewhere (acknowledging
    // other requests): the queue moves at one command per 7 ms or so, not per 3.
    const command = async () => {
      busy(3);
      setImmediate(() => busy(4));
    };
    const jobs = Array.from({ length: 40 }, () => queue.run(command));
    await Promise.all(jobs.slice(0, 30));
    const held = Array.from({ length: 10 }, () => queue.run(command));
    expect(queue.expectedWaitMs()).toBeGreaterThan(10 * 5);
    await Promise.all([...jobs, ...held]);
  });

  it("expects at least what recent requesters really waited, while work is queued", async () => {
    const queue = createWorkQueue({ concurrency: 2 });
    const slow = () => new Promise<void>((r) => setTimeout(r, 30));
    // Twelve at once, two at a time: the last ones waited about 150 ms before being done.
    await Promise.all(Array.from({ length: 12 }, () => queue.run(slow)));
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const held = [queue.run(() => gate), queue.run(() => gate), queue.run(async () => {})];
    expect(queue.expectedWaitMs()).toBeGreaterThan(80);
    release();
    await Promise.all(held);
  });

  it("passes a failure to its caller and goes on with the next", async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    const failed = queue.run(async () => {
      throw new Error("boom");
    });
    const next = queue.run(async () => "next");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("next");
  });
});
