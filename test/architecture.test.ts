import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("the core stays platform-neutral", () => {
  it("src/core imports no platform SDK, database driver or scheduler", () => {
    const forbidden =
      /from ["'](@slack\/|botbuilder|botframework|node-cron|better-sqlite3|kysely|pg["']|\.\.\/(\.\.\/)?(db|adapters|scheduler)\/)/;
    const offenders = files("src/core").filter((f) => forbidden.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("only src/config.ts reads process.env", () => {
    const readers = files("src").filter(
      (f) => readFileSync(f, "utf8").includes("process.env") && !f.endsWith("main.ts"),
    );
    expect(readers).toEqual(["src/config.ts"]);
  });
});
