import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The console as a person scripts it: `printf '…' | npm start --silent`, against a real file.

const dir = mkdtempSync(join(tmpdir(), "cmp-console-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input: string, env: Record<string, string> = {}, cwd?: string) {
  // Absolute paths: a test may run the bot from another folder.
  const main = join(process.cwd(), "src/main.ts");
  const tsx = pathToFileURL(join(process.cwd(), "node_modules/tsx/dist/loader.mjs")).href;
  const result = spawnSync(process.execPath, ["--import", tsx, main, ...args], {
    input,
    cwd,
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

  it("saves a file reply beside the person, never over an earlier one, and says where", () => {
    const here = mkdtempSync(join(dir, "files-"));
    const { code, out } = run(["start"], "export TIIWG xlsx\nexport TIIWG xlsx\n", {}, here);
    expect(code).toBe(0);
    const saved = [...out.matchAll(/Saved to (.+)$/gm)].map((m) => m[1] as string);
    expect(saved).toHaveLength(2);
    expect(saved[0]).not.toBe(saved[1]);
    // An XLSX is a zip: its bytes are in the file, none of them on the terminal.
    for (const path of saved) expect(readFileSync(path).subarray(0, 2).toString()).toBe("PK");
    expect(out).not.toContain("PK\u0003\u0004");
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
