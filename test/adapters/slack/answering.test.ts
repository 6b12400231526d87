import { afterEach, describe, expect, it } from "vitest";
import { bulkCommitments } from "../../support/bulk-data.js";
import type { RecordedResponse } from "../../support/fake-slack.js";
import { allText } from "../../support/slack-blocks.js";
import { newTriggerId, type Rig, startRig } from "../../support/slack-rig.js";

// How a slash command is answered under Slack's 3-second ack: a quick reply travels in the ack
// itself; a slow one follows through response_url; and when the queue is longer than a reply
// could wait, the person is told at once that the bot is busy, and nothing runs.

let rig: Rig;
afterEach(async () => {
  await rig.close();
});

async function tiiwgCount(): Promise<number> {
  const group = await rig.h.app.store.groups.byCode("TIIWG");
  return (await rig.h.app.store.commitments.list({ groupIds: [group?.id ?? 0] })).length;
}

describe("answering a slash command", () => {
  it("puts a quick reply in the ack, with nothing left to post afterwards", async () => {
    rig = await startRig({ answering: { ackBudgetMs: 2_000, busyAfterMs: 60_000 } });
    const triggerId = newTriggerId();
    const res = await rig.command("sara", "status TIIWG", { triggerId });
    expect(res.status).toBe(200);
    // Slack reads an ack without this type as plain text, and would show the JSON itself.
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    const body = JSON.parse(text) as { response_type: string; blocks: unknown[] };
    expect(body.response_type).toBe("in_channel");
    expect(allText(body.blocks)).toContain("TIIWG — Trade, Investment and Innovation");
    expect(rig.fake.responses.filter((r) => r.id === triggerId)).toEqual([]);
    // The same status again, from the replies kept: the same ack, written once.
    const again = await rig.command("sara", "status TIIWG", { triggerId: newTriggerId() });
    expect(again.headers.get("content-type")).toBe("application/json");
    expect(await again.text()).toBe(text);
  });

  it("puts the first message of a long reply in the ack and sends the rest right after", async () => {
    rig = await startRig({ answering: { ackBudgetMs: 2_000, busyAfterMs: 60_000 } });
    const group = await rig.h.app.store.groups.byCode("TIIWG");
    const sara = await rig.h.app.store.people.byHandle("sara");
    // Overdue, stalled and due-soon items, each listed with its two buttons: over 50 blocks.
    await bulkCommitments(rig.h.app.database.db, {
      groupIds: [group?.id ?? 0],
      count: 500,
      now: rig.h.clock.now(),
      ownerPersonIds: [sara?.id ?? 0],
    });
    const triggerId = newTriggerId();
    const res = await rig.command("sara", "status TIIWG", { triggerId });
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as { response_type: string; blocks: unknown[] };
    expect(body.response_type).toBe("in_channel");
    expect(allText(body.blocks)).toContain("TIIWG — Trade, Investment and Innovation");
    const rest = await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
    expect(rest.body.response_type).toBe("in_channel");
    expect(body.blocks.length + (rest.body.blocks as unknown[]).length).toBeGreaterThan(50);
  });

  it("acknowledges at once and answers through response_url when the reply takes longer", async () => {
    rig = await startRig({ answering: { ackBudgetMs: 1, busyAfterMs: 60_000 } });
    let release = () => {};
    const held = rig.h.app.queue.run(() => new Promise<void>((r) => (release = r)));
    const triggerId = newTriggerId();
    const res = await rig.command("sara", "add TIIWG Roadmap due 2027-Q1", { triggerId });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    release();
    await held;
    const reply = await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
    expect(allText(reply.body.blocks)).toContain("Added TIIWG-1: Roadmap");
  });

  it("says at once, in the person's language, that the bot is busy when the queue is too long, and runs nothing", async () => {
    rig = await startRig({ answering: { ackBudgetMs: 250, busyAfterMs: 50 } });
    // Salvador was seen a moment ago: Slack told us his locale (es-LA).
    expect((await rig.command("salvador", "status TIIWG")).status).toBe(200);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const held = Array.from({ length: 40 }, () => rig.h.app.queue.run(() => gate));
    const busy = await rig.command("salvador", "add TIIWG Should not be added");
    release();
    await Promise.all(held);
    expect(busy.status).toBe(200);
    const body = (await busy.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toBe(
      "El bot está ocupado en este momento y no ejecutó su comando. Inténtelo de nuevo en unos segundos.",
    );
    expect(await tiiwgCount()).toBe(0);
  });
});
