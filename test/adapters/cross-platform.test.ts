import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedResponse } from "../support/fake-slack.js";
import { createHarness, type Harness } from "../support/harness.js";
import { newTriggerId, type Rig, startRig } from "../support/slack-rig.js";
import {
  channelMessage,
  type FakeConnector,
  linkTeamsAccounts,
  startFakeConnector,
  startTeamsBot,
  type TeamsBot,
  type Who,
} from "../support/teams-rig.js";

// One router for every platform: the same commands typed in Slack, in Teams and in the console
// leave the tracker in the same state.

const SCRIPT: [Who, string][] = [
  ["sara", "add TIIWG Joint trade mission roadmap due 2027-Q1 owner COMCE (MX)"],
  ["salvador", "agregar TIIWG Hoja de ruta plazo finales de enero 2027"],
  ["chantal", "ajouter TIIWG Feuille de route échéance juin–décembre 2027 (à confirmer)"],
  ["sara", "update TIIWG-1 in-progress"],
  ["chantal", "modifier TIIWG-2 note Appel avec RNCan"],
  ["sara", "milestone TIIWG-1 add Draft agreement due 2027-02"],
  ["sara", "decide TIIWG Seek approval of the terms of reference"],
  ["salvador", "confirmar TIIWG-D1"],
  ["member", "done TIIWG-3"],
  ["sara", "done TIIWG-3"],
  ["admin", "meeting TIIWG 2027-01-12 10:00 Co-chairs call"],
];

async function snapshot(h: Harness) {
  const group = (await h.app.store.groups.byCode("TIIWG"))!;
  const items = await h.app.store.commitments.list({ groupIds: [group.id] });
  return {
    items: await Promise.all(
      items.map(async (i) => ({
        ref: `${i.groupCode}-${i.number}`,
        title: i.title,
        status: i.status,
        dueAt: i.dueAt,
        timeline: i.timeline,
        owners: i.owners.map((o) => (o.kind === "person" ? o.displayName : o.name)),
        history: (await h.app.store.commitments.updates(i.id)).map((u) => [
          u.kind,
          u.toStatus,
          u.text,
          u.authorName,
        ]),
        milestones: (await h.app.store.commitments.milestones(i.id)).map((m) => [
          m.position,
          m.title,
          m.timeline?.text,
        ]),
      })),
    ),
    decisions: (await h.app.store.decisions.list([group.id], 10)).map((d) => [
      d.number,
      d.text,
      d.status,
      d.confirmations.length,
    ]),
    meetings: (await h.app.store.meetings.upcoming([group.id], "2000-01-01", 10)).map((m) => [
      m.title,
      m.startsAt,
      m.groupCodes,
    ]),
  };
}

let slack: Rig;
let teamsHarness: Harness;
let connector: FakeConnector;
let teams: TeamsBot;
let terminal: Harness;

beforeAll(async () => {
  slack = await startRig();
  teamsHarness = await createHarness();
  await linkTeamsAccounts(teamsHarness);
  connector = await startFakeConnector();
  teams = await startTeamsBot(teamsHarness);
  terminal = await createHarness();
});
afterAll(async () => {
  await slack.close();
  await teams.close();
  await connector.close();
  await teamsHarness.close();
  await terminal.close();
});

describe("the same commands on Slack, Teams and the console", () => {
  it("make the same changes to the tracker", async () => {
    for (const [who, command] of SCRIPT) {
      const triggerId = newTriggerId();
      expect((await slack.command(who, command, { triggerId })).status).toBe(200);
      await slack.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
      expect((await teams.post(channelMessage(connector, who, command))).status).toBe(200);
      await terminal.run(who, command);
    }
    const viaConsole = await snapshot(terminal);
    expect(viaConsole.items.map((i) => [i.ref, i.status])).toEqual([
      ["TIIWG-2", "introduction"],
      ["TIIWG-1", "in_progress"],
      ["TIIWG-3", "done"],
    ]);
    expect(viaConsole.decisions).toEqual([
      [1, "Seek approval of the terms of reference", "confirmed", 2],
    ]);
    expect(await snapshot(slack.h)).toEqual(viaConsole);
    expect(await snapshot(teamsHarness)).toEqual(viaConsole);
  });
});
