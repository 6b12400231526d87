import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The console as a person scripts it: `printf '…' | npm start --silent`, against a real file.

const dir = mkdtempSync(join(tmpdir(), "cmp-console-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: join(dir, "cmp.db"), LOG_LEVEL: "warn", ...env },
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("console", () => {
  it("on first start loads the 2017 partnership and answers piped commands, then exits", () => {
    const { code, out, err } = run(["start"], "/cmp status TIIWG\nlist TIIWG all\n");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("TIIWG — Trade, Investment and Innovation");
    expect(out).toContain("Innovation Bridge - Creative Industries");
    expect(out).toContain("Venture Capital Funds");
  });

  it("speaks as another person with --as and in a group's channel with --channel", () => {
    const denied = run(
      ["console", "--as", "demo.member.ca"],
      "ajouter TIIWG Something due 2027-Q1\n",
    );
    // A French verb: the refusal says why, in French.
    expect(denied.out).toContain(
      "Seuls les coprésidents de TIIWG et le secrétariat peuvent faire cela.",
    );
    // A Spanish verb from the (English) secretariat: the answer is in Spanish.
    const inChannel = run(["console", "--channel", "tiiwg"], "estado\n");
    expect(inChannel.out).toContain("TIIWG — Comercio, Inversión e Innovación");
    expect(inChannel.out).toMatch(/Vencidos? \(\d+\):/);
  });

  it("refuses an unknown speaker with one clear line", () => {
    const { code, err } = run(["console", "--as", "nobody.here"], "status\n");
    expect(code).toBe(1);
    expect(err.trim()).toBe(
      'Unknown console user "nobody.here": use a person key from the imported data.',
    );
  });

  it("import is idempotent and export gives Annex A's columns", () => {
    const first = run(["import", "examples/cmp-2017.yaml"], "");
    expect(first.out).toMatch(/added 0 commitments, 0 decisions, 0 meetings/);
    const csv = run(["export", "TIIWG", "--lang", "fr"], "");
    expect(csv.out.split("\r\n")[0]).toBe(
      "ID,Groupe de travail,Initiative,Jalons clés,Échéancier proposé,Statut,Participants,Commentaires",
    );
    expect(csv.out).toContain("June-December 2018 (TBC)");
  });
});
