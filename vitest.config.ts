import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // better-sqlite3 and the HTTP fakes are native/IO bound; two cores here.
    pool: "forks",
    // Files share their worker's loaded modules: importing the app afresh for each of 84 files
    // cost two minutes of a seven-minute run. Tests build their own apps and stores and undo
    // what they add to the process (listeners, environment).
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
