import { defineConfig } from "vitest/config";

// Checks that need a real browser (Debian's chromium) and poppler-utils: `npm run test:browser`.
// `npm test` never starts a browser, so the quick start passes on a fresh machine.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
