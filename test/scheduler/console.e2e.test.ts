import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The composition root with the scheduler on in the console: it starts beside the console,
// answers commands, and stops cleanly at the end of input.

const dir = mkdtempSync(join(tmpdir(), "cmp-sched-console-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(input: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", "start"], {
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: join(dir, "cmp.db"), LOG_LEVEL: "info", ...env },
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("the console with CMP_SCHEDULER=true", () => {
  it("runs the scheduler beside the commands and exits cleanly at the end of input", () => {
    const { code, out, err } = run("upcoming TIIWG\n", { CMP_SCHEDULER: "true" });
    expect(code).toBe(0);
    expect(out).toContain("Upcoming posts — TIIWG");
    expect(out).toContain("→ console channel tiiwg · English and Spanish");
    expect(err).toContain('"msg":"scheduler started"');
    expect(err).not.toContain('"level":50');
  });

  it("refuses a cron expression it cannot read, naming the variable", () => {
    const { code, err } = run("", { CMP_SCHEDULER: "true", CMP_SCHEDULER_CRON: "hourly" });
    expect(code).toBe(1);
    expect(err).toContain('CMP_SCHEDULER_CRON: "hourly" is not a cron expression');
  });
});
