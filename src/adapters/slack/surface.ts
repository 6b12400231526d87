import type { webApi } from "@slack/bolt";
import { BUTTONS } from "../../core/render/message.js";

type Manifest = webApi.AppsManifestValidateArguments["manifest"];
type BotScope = NonNullable<NonNullable<Manifest["oauth_config"]>["scopes"]>["bot"] & {};
type ManifestEvent = NonNullable<
  NonNullable<Manifest["settings"]>["event_subscriptions"]
>["bot_events"] & {};

/**
 * Everything this adapter registers with Slack, and the scopes it needs for the Web API
 * methods it calls. manifest/slack.yaml must say exactly this (a test compares them).
 */
export const SLACK_SURFACE = {
  command: "/cmp",
  messageShortcuts: ["log_decision"],
  // message.*: replies in a commitment's thread, offered as notes (slack.threads.ts).
  botEvents: [
    "app_mention",
    "app_home_opened",
    "message.channels",
    "message.groups",
  ] as ManifestEvent,
  actions: Object.keys(BUTTONS),
  scopes: [
    "commands", // the /cmp command and the message shortcut
    "chat:write", // replies, thread confirmations, scheduled posts
    "users:read", // users.info: locale, time zone and display name
    "app_mentions:read", // @CMP status in a channel
    // conversations.history/replies: reconcile an ambiguous scheduled post; message.channels
    "channels:history",
    "groups:history", // … in private channels; message.groups
    "im:history", // … in direct messages
    "im:write", // conversations.open: direct messages to a person
    "files:write", // files.getUploadURLExternal + files.completeUploadExternal: exports, reports
    "files:read", // an edited tracker attached to "@CMP import"
  ] as BotScope,
} as const;

export const SLACK_EVENTS_PATH = "/slack/events";
