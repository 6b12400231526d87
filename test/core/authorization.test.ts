import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandName } from "../../src/core/commands/names.js";
import { COMMANDS } from "../../src/core/commands/registry.js";
import type { ImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness, textOf } from "../support/harness.js";

// Who may write what, as one table: every role × every verb that writes × the group it is
// about. A refusal changes nothing and leaves an audit row of the attempt; an allowed write
// leaves the audit row of what it did.

type Role = "secretariat" | "co-chair" | "other co-chair" | "member" | "no role";
type Target = "own group" | "other group" | "restricted group" | "direct message";

const PEOPLE: Record<Role, string> = {
  secretariat: "admin",
  "co-chair": "chair",
  "other co-chair": "otherchair",
  member: "member",
  "no role": "nobody",
};

const group = (
  code: string,
  visibility: "partnership" | "restricted",
  chairs: string[],
  members: string[] = [],
) => ({
  code,
  names: { en: code, es: code, fr: code },
  timeZone: "America/Toronto",
  languages: ["en" as const, "es" as const],
  visibility,
  confirmationsRequired: 2 as const,
  // Mexico's co-chair makes each fixture, so Canada's side is left for a confirmation.
  coChairs: [
    ...chairs.map((person) => ({ person, country: "CA" as const, sector: "public" as const })),
    { person: "mxchair", country: "MX" as const, sector: "public" as const },
  ],
  members: members.map((person) => ({ person, country: "MX" as const })),
  channels: [{ platform: "console" as const, id: code.toLowerCase() }],
  commitments: [],
  decisions: [],
  meetings: [],
});

const DATA: ImportFile = {
  people: [
    { key: "admin", name: "Secretariat", admin: true, language: "en", country: "CA" },
    { key: "chair", name: "Chair of TIIWG", language: "en", country: "CA" },
    { key: "otherchair", name: "Chair of EWG", language: "en", country: "CA" },
    { key: "member", name: "Member of TIIWG", language: "en", country: "MX" },
    { key: "nobody", name: "No Role", language: "en", country: "MX" },
    { key: "mxchair", name: "Mexico's co-chair", language: "en", country: "MX" },
  ],
  groups: [
    group("TIIWG", "partnership", ["chair"], ["member"]),
    group("EWG", "partnership", ["otherchair"]),
    group("LMWG", "restricted", []),
  ],
};

const GROUP_OF: Record<Target, string> = {
  "own group": "TIIWG",
  "other group": "EWG",
  "restricted group": "LMWG",
  "direct message": "TIIWG",
};

/** What each writing verb needs made first (by the secretariat), and the line to type. */
interface Case {
  setup?: (code: string) => string[];
  line: (code: string, made: { item: string; decision: string; n: number }) => string;
  /** Who may: by default the group's co-chairs and the secretariat. */
  allowed?: (role: Role, code: string) => boolean;
}

const manage = (role: Role, code: string) =>
  role === "secretariat" ||
  (role === "co-chair" && code === "TIIWG") ||
  (role === "other co-chair" && code === "EWG");

const CASES: Record<string, Case> = {
  add: { line: (g, m) => `add ${g} Matrix item ${m.n}` },
  update: { line: (_g, m) => `update ${m.item} in progress` },
  "update (note)": {
    line: (_g, m) => `update ${m.item} note Checked with the embassy`,
    allowed: (role, code) => manage(role, code) || (role === "member" && code === "TIIWG"),
  },
  done: { line: (_g, m) => `done ${m.item}` },
  milestone: { line: (_g, m) => `milestone ${m.item} add Draft agreement due Q1 2027` },
  snooze: { line: (_g, m) => `snooze ${m.item} 7` },
  decide: { line: (g, m) => `decide ${g} Matrix decision ${m.n}` },
  confirm: { line: (_g, m) => `confirm ${m.decision}` },
  meeting: { line: (g) => `meeting ${g} 2027-01-12 10:00 Ottawa Matrix call` },
  schedule: { line: (g) => `schedule ${g} agenda 48` },
  bind: { line: (g) => `bind ${g}`, allowed: (role) => role === "secretariat" },
  lang: { line: () => "lang es", allowed: () => true },
};

let h: Harness;
let made = 0;

beforeAll(async () => {
  h = await createHarness({ data: DATA, now: "2026-11-20T15:00:00Z" });
}, 60_000);

afterAll(async () => {
  await h.close();
});

async function auditRows(): Promise<{ action: string; actor_name: string; ref: string }[]> {
  return (await h.app.database.db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("id")
    .execute()) as never;
}

/** A fresh item and decision in the group, made by Mexico's co-chair of every group. */
async function fixtures(code: string) {
  made += 1;
  const item = textOf(await h.run("mxchair", `add ${code} Fixture ${made}`)).match(
    /[A-Z]+-\d+/,
  )?.[0];
  const decision = textOf(await h.run("mxchair", `decide ${code} Fixture decision ${made}`)).match(
    /[A-Z]+-D\d+/,
  )?.[0];
  if (!item || !decision) throw new Error(`fixtures in ${code}`);
  return { item, decision, n: made };
}

describe("authorization matrix", () => {
  it("covers every verb that writes", () => {
    const writing = (Object.keys(COMMANDS) as CommandName[]).filter((v) => COMMANDS[v].writes);
    for (const verb of writing) expect(Object.keys(CASES)).toContain(verb);
  });

  const roles = Object.keys(PEOPLE) as Role[];
  const targets = Object.keys(GROUP_OF) as Target[];
  const rows = roles.flatMap((role) =>
    Object.keys(CASES).flatMap((verb) => targets.map((target) => [role, verb, target] as const)),
  );

  it.each(rows)("%s × %s × %s", async (role, verb, target) => {
    const code = GROUP_OF[target];
    const spec = CASES[verb] as Case;
    const fresh = await fixtures(code);
    const person = PEOPLE[role];
    const channel =
      target === "direct message" ? "D-direct" : verb === "bind" ? `spare-${fresh.n}` : undefined;
    const before = await auditRows();
    const rowsBefore =
      (await h.count("commitments")) + (await h.count("decisions")) + (await h.count("meetings"));
    const reply = await h.run(person, spec.line(code, fresh), {
      channel,
      requestKey: `matrix-${fresh.n}`,
    });
    const after = (await auditRows()).slice(before.length);
    const allowed = (spec.allowed ?? manage)(role, code);
    if (allowed) {
      expect(after.filter((a) => a.action === "refused")).toEqual([]);
      if (verb !== "lang") expect(after.length).toBeGreaterThan(0);
    } else {
      expect(textOf(reply)).not.toBe("");
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ action: "refused" });
      const rowsAfter =
        (await h.count("commitments")) + (await h.count("decisions")) + (await h.count("meetings"));
      expect(rowsAfter).toBe(rowsBefore);
    }
  });
});
