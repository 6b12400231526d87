import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLACK_EVENTS_PATH, SLACK_SURFACE } from "../../../src/adapters/slack/surface.js";
import type { RecordedCall, RecordedResponse } from "../../support/fake-slack.js";
import { messageShortcut, newTriggerId, type Rig, startRig } from "../../support/slack-rig.js";

// manifest/slack.yaml is what a workspace admin pastes to create the app: it must declare
// exactly what the code handles, ask for the scopes the code uses and no more, and stay within
// Slack's field limits.

interface SlackManifest {
  display_information: { name: string; description?: string; long_description?: string };
  features: {
    bot_user: { display_name: string };
    slash_commands: {
      command: string;
      url?: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
    }[];
    shortcuts: { type: string; name: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(
  readFileSync(new URL("../../../manifest/slack.yaml", import.meta.url), "utf8"),
) as SlackManifest;

describe("the Slack app manifest", () => {
  it("declares exactly the slash command, shortcut and events the adapter registers", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLACK_SURFACE.command]);
    expect(
      manifest.features.shortcuts.filter((s) => s.type === "message").map((s) => s.callback_id),
    ).toEqual([...SLACK_SURFACE.messageShortcuts]);
    expect(manifest.features.shortcuts.filter((s) => s.type !== "message")).toEqual([]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...SLACK_SURFACE.botEvents]);
    // Buttons and modals need interactivity.
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it("asks for the bot scopes the code uses, no user scopes, and Socket Mode off", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_SURFACE.scopes].sort());
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("sends commands, interactivity and events to the one endpoint, with mentions escaped", () => {
    const [command] = manifest.features.slash_commands;
    for (const url of [
      command?.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ])
      expect(new URL(url ?? "").pathname).toBe(SLACK_EVENTS_PATH);
    // With should_escape, Slack sends <@U…|name> for a mention: the core can resolve the person.
    expect(command?.should_escape).toBe(true);
  });

  it("names the shortcut in English and gives its Spanish and French names", () => {
    const [shortcut] = manifest.features.shortcuts;
    expect(shortcut?.name).toBe("Log as decision");
    expect(shortcut?.description).toContain("Registrar como decisión");
    expect(shortcut?.description).toContain("Consigner comme décision");
  });

  it("stays within Slack's manifest limits", () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description?.length ?? 0).toBeLessThanOrEqual(140);
    expect(d.long_description?.length ?? 0).toBeLessThanOrEqual(4000);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    for (const c of manifest.features.slash_commands) {
      expect(c.command.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(2000);
      expect(c.usage_hint?.length ?? 0).toBeLessThanOrEqual(1000);
    }
    for (const s of manifest.features.shortcuts) {
      expect(s.description.length).toBeLessThanOrEqual(150);
      expect(s.callback_id.length).toBeLessThanOrEqual(255);
    }
  });
});

describe("the running app handles what the manifest declares", () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.close();
  });

  it("answers every declared slash command and opens a modal for every declared message shortcut", async () => {
    for (const { command } of manifest.features.slash_commands) {
      const triggerId = newTriggerId();
      const res = await rig.post(
        new URLSearchParams({
          command,
          text: "help",
          user_id: "U0SARA",
          user_name: "sara",
          channel_id: "C0TIIWG",
          trigger_id: triggerId,
          response_url: rig.fake.responseUrl(triggerId),
        }).toString(),
      );
      expect(res.status).toBe(200);
      await rig.fake.waitFor<RecordedResponse>("response", (r) => r.id === triggerId);
    }
    for (const { callback_id } of manifest.features.shortcuts) {
      const shortcut = {
        ...messageShortcut(rig, "sara", {
          text: "We agree",
          user: "U0SALVADOR",
          ts: "1767300000.000100",
        }),
        callback_id,
      };
      await rig.interactive(shortcut);
      await rig.fake.waitFor<RecordedCall>(
        "call",
        (c) => c.method === "views.open" && c.args.trigger_id === shortcut.trigger_id,
      );
    }
  });

  it("does nothing with a shortcut the manifest does not declare", async () => {
    const shortcut = {
      ...messageShortcut(rig, "sara", {
        text: "We agree",
        user: "U0SALVADOR",
        ts: "1767300000.000100",
      }),
      callback_id: "some_other_shortcut",
    };
    await rig.interactive(shortcut);
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.fake.callsTo("views.open")).toHaveLength(0);
    expect(rig.fake.responses).toHaveLength(0);
  });
});
