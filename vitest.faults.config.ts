import { defineConfig } from "vitest/config";

// `npm run test:faults`: real bot processes killed, cut off and skewed (test/faults/). Kept out
// of `npm test`, which stays fast; .ci/run runs both.
export default defineConfig({
  test: {
    include: ["test/faults/**/*.faults.ts"],
    pool: "forks",
    // Two scenarios at a time. The kill loop (kill-writes) is bound by the CPU, restarting
    // processes; the others mostly wait on real timers (a due time, a Retry-After, a lease), so
    // they overlap it well. Their time checks are lower bounds or wide windows, which a busy
    // machine stretches without breaking.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
