import { afterEach, expect, it } from "vitest";
import type { RecordedResponse } from "../../support/fake-slack.js";
import { type FakeSocketMode, startFakeSocketMode } from "../../support/fake-slack-socket.js";
import { allText } from "../../support/slack-blocks.js";
import { type Rig, startRig, TIIWG_CHANNEL } from "../../support/slack-rig.js";

// Socket Mode (SLACK_APP_TOKEN set): the app connects out to Slack over a WebSocket, for
// development behind a firewall; the same listeners answer.

let rig: Rig | undefined;
let socket: FakeSocketMode | undefined;
afterEach(async () => {
  await rig?.close();
  await socket?.close();
});

it("connects with the app token, acknowledges a slash command envelope and answers it", async () => {
  rig = await startRig({
    config: { appToken: "xapp-test", signingSecret: null },
    beforeStart: async (fake) => {
      socket = await startFakeSocketMode(fake, "xapp-test");
    },
  });
  expect(rig.adapter.mode).toBe("socket");
  await socket?.connected;
  socket?.send({
    envelope_id: "env-1",
    type: "slash_commands",
    payload: {
      command: "/cmp",
      text: "estado TIIWG",
      user_id: "U0SALVADOR",
      user_name: "salvador.behar",
      channel_id: TIIWG_CHANNEL,
      team_id: "T1",
      trigger_id: "sock.1",
      response_url: rig.fake.responseUrl("sock-1"),
    },
  });
  const reply = await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === "sock-1");
  expect(allText(reply.body.blocks)).toContain("TIIWG — Comercio, Inversión e Innovación");
  expect(socket?.acks.map((a) => a.envelope_id)).toContain("env-1");
  // No HTTP endpoint is served in Socket Mode.
  expect((await rig.post("command=%2Fcmp&text=help")).status).toBe(404);
});
