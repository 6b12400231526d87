import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeConnector,
  personalMessage,
  startFakeConnector,
  textOfCall,
} from "../../support/teams-rig.js";

// The real command line: `cmp-bot start` with Teams settings in the environment.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cmp-teams-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = () => ({
  PATH: process.env.PATH ?? "",
  DATABASE_URL: join(dir, `cmp-${Math.random().toString(36).slice(2)}.db`),
  CMP_DEMO_DATA: "false",
});

function cli(env: Record<string, string>, input = "") {
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", "start"], {
    env: { ...baseEnv(), ...env },
    encoding: "utf8",
    timeout: 30_000,
    input,
  });
}

describe("starting the bot", () => {
  it("refuses to run Teams unauthenticated in production, saying why", () => {
    const run = cli({ NODE_ENV: "production", TEAMS_ALLOW_UNAUTHENTICATED: "true" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "TEAMS_ALLOW_UNAUTHENTICATED=true is refused when NODE_ENV=production",
    );
    expect(run.stdout).toBe("");
  });

  it("names what is missing when an app id comes alone: single-tenant needs its tenant too", () => {
    const run = cli({ MICROSOFT_APP_ID: "11111111-2222-3333-4444-555555555555" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "Teams (MICROSOFT_APP_TYPE=SingleTenant) needs MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID besides MICROSOFT_APP_ID",
    );
  });

  it("without Teams settings there is no Teams endpoint: start opens the console", () => {
    const run = cli({ LOG_LEVEL: "info" }, "help\n");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("CMP bot — what you can do");
    expect(run.stderr).not.toContain('"listening"');
  });

  describe("in local testing mode", () => {
    let connector: FakeConnector;
    beforeAll(async () => {
      connector = await startFakeConnector();
    });
    afterAll(() => connector.close());

    it("serves /api/messages on the HTTP server after a loud warning, and stops on SIGTERM", async () => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "start"], {
        env: { ...baseEnv(), TEAMS_ALLOW_UNAUTHENTICATED: "true", PORT: "0", LOG_LEVEL: "info" },
      });
      let stderr = "";
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "listening" line:\n${stderr}`)),
          20_000,
        );
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const line = stderr.split("\n").find((l) => l.includes('"listening"'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line).port);
          }
        });
      });
      try {
        expect(stderr).toContain("TEAMS RUNS UNAUTHENTICATED");
        const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(personalMessage(connector, "sara", "help")),
        });
        expect(response.status).toBe(200);
        expect(textOfCall(connector.posts().at(-1)!)).toContain("CMP bot — what you can do");
      } finally {
        const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
        child.kill("SIGTERM");
        expect(await exit).toBe(0);
      }
    });
  });
});
