import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/core/commands/registry.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The files a module imports, as repository paths (type-only imports included). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']/gms)].map((m) =>
    relative(".", resolve(dirname(file), (m[1] as string).replace(/\.js$/, ".ts"))),
  );
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

describe("adapters see a narrow port of the core", () => {
  it("no adapter imports the database, the app or the store", () => {
    const reach = /from ["'](\.\.\/)+(db\/|app\.js)|\bStore\b[^V]/;
    const offenders = files("src/adapters").filter((f) =>
      [...readFileSync(f, "utf8").matchAll(/^import\b[^;]*;/gms)].some((m) => reach.test(m[0])),
    );
    expect(offenders).toEqual([]);
  });
});

describe("every change goes through the tracker service", () => {
  it("no command module opens a transaction, writes an audit row or calls a store write", () => {
    // The methods ports.ts leaves out of StoreView; the type already refuses them, this says why.
    const writes =
      /\.transaction\(|\baudit\.record\(|\bstore\.\w+\.(create|upsert|upsertByHandle|bindChannel|resolve|linkIdentity|setLanguage|setMembership|setStatus|addUpdate|addMilestone|completeMilestone|confirm|markConfirmed|saveSettings|snooze|claim|recordTick|lease|markSent|markRetry|markFailed|expireStale)\(/;
    const offenders = files("src/core/commands").filter((f) =>
      writes.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("the verbs that write are replay-protected and each names the policy rule it applies", () => {
    const writing = Object.values(COMMANDS).filter((c) => c.writes);
    expect(writing.map((c) => c.name).sort()).toEqual([
      "add",
      "bind",
      "confirm",
      "decide",
      "done",
      "lang",
      "meeting",
      "milestone",
      "schedule",
      "snooze",
      "update",
    ]);
    for (const c of writing) expect(c.permission, c.name).not.toBe("anyone");
  });
});

describe("the source stays navigable", () => {
  it("no file under src/ grows past about 400 lines", () => {
    const long = files("src").filter((f) => readFileSync(f, "utf8").split("\n").length > 420);
    expect(long.sort()).toEqual([]);
  });

  it("has no import cycle under src/", () => {
    const graph = new Map(files("src").map((f) => [f, importsOf(f)]));
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      state.set(node, "open");
      for (const next of graph.get(node) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === "open")
          cycles.push([...path.slice(path.indexOf(next)), node, next].join(" → "));
        else if (!state.get(next)) visit(next, [...path, node]);
      }
      state.set(node, "done");
    };
    for (const file of graph.keys()) if (!state.get(file)) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
