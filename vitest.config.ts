import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // better-sqlite3 and the HTTP fakes are native/IO bound; two cores here.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
