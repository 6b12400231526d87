import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../support/fake-slack.js";
import { allText } from "../../support/slack-blocks.js";
import { fixture, type Rig, startRig, TIIWG_CHANNEL } from "../../support/slack-rig.js";

// "@CMP import" with the edited tracker attached: the diff, then "@CMP import apply" applies it,
// once, even when Slack redelivers the event.

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
  await rig.h.run("sara", "add TIIWG Trade mission roadmap due 2027-Q1");
});
afterEach(async () => {
  await rig.close();
});

function mentionWithFile(user: string, text: string, eventId: string, fileId: string) {
  const body = fixture<Record<string, unknown> & { event: Record<string, unknown> }>(
    "event-callback-app-mention.bolt-python.json",
  );
  return {
    ...body,
    event_id: eventId,
    authorizations: [{ user_id: "UBOT", is_bot: true }],
    event: {
      ...body.event,
      text,
      user,
      channel: TIIWG_CHANNEL,
      ts: "1767310000.000300",
      files: [
        {
          id: fileId,
          name: "tracker-edited.csv",
          size: rig.fake.shared.get(fileId)?.length,
          url_private_download: `${rig.fake.url}/files/${fileId}`,
        },
      ],
    },
  };
}

async function editedCsv(): Promise<Buffer> {
  const reply = await rig.h.run("admin", "export TIIWG");
  if (reply.kind !== "file") throw new Error("no export");
  return Buffer.from(String(reply.content).replace("Introduction phase", "In progress"));
}

async function ephemeralAfter(count: number): Promise<string> {
  const call = await rig.fake.waitFor<RecordedCall>(
    "call",
    (c) =>
      c.method === "chat.postEphemeral" &&
      rig.fake.callsTo("chat.postEphemeral").indexOf(c) >= count,
  );
  return allText(call.args.blocks);
}

describe("importing an edited tracker in Slack", () => {
  it("shows the diff, then applies it once", async () => {
    rig.fake.shared.set("F0EDIT", await editedCsv());
    await rig.event(mentionWithFile("U0ADMIN", "<@UBOT> import", "Ev0IMPORT1", "F0EDIT"));
    const diff = await ephemeralAfter(0);
    expect(diff).toContain(
      "0 to add, 1 to change, 0 unchanged, 0 not readable. Nothing has been changed yet.",
    );
    expect(diff).toContain("TIIWG-1 · Status");
    const tiiwg = await rig.h.app.store.groups.byCode("TIIWG");
    const item = () => rig.h.app.store.commitments.byNumber(tiiwg?.id ?? 0, 1);
    expect((await item())?.status).toBe("introduction");

    const apply = mentionWithFile("U0ADMIN", "<@UBOT> import apply", "Ev0IMPORT2", "F0EDIT");
    await rig.event(apply);
    expect(await ephemeralAfter(1)).toContain("Applied: 0 added, 1 changed");
    expect((await item())?.status).toBe("in_progress");
    // Slack retries the event: nothing is applied twice.
    const audits = await rig.h.count("audit_log");
    await rig.event(apply, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    expect(await ephemeralAfter(2)).toContain("already handled");
    expect(await rig.h.count("audit_log")).toBe(audits);
  });

  it("is for the secretariat only, and needs the file", async () => {
    rig.fake.shared.set("F0EDIT", await editedCsv());
    await rig.event(mentionWithFile("U0SARA", "<@UBOT> import apply", "Ev0IMPORT3", "F0EDIT"));
    expect(await ephemeralAfter(0)).toContain("Only the secretariat can do that.");
    const body = mentionWithFile("U0ADMIN", "<@UBOT> import", "Ev0IMPORT4", "F0NONE");
    body.event.files = [];
    await rig.event(body);
    expect(await ephemeralAfter(1)).toContain("Attach the edited tracker (.xlsx or .csv)");
  });
});
