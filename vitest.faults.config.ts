import { defineConfig } from "vitest/config";

// `npm run test:faults`: real bot processes killed, cut off and skewed (test/faults/). Kept out
// of `npm test`, which stays fast; .ci/run runs both.
export default defineConfig({
  test: {
    include: ["test/faults/**/*.faults.ts"],
    pool: "forks",
    // One scenario at a time: each starts real processes and waits on real timers.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
