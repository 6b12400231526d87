import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config.js";

// Slack settings: absent means the adapter is off; partial means start-up refuses, naming
// exactly what is missing.

describe("Slack configuration", () => {
  it("turns the Slack adapter off when no Slack setting is present", () => {
    expect(parseConfig({}).slack).toBeNull();
    expect(parseConfig({ SLACK_BOT_TOKEN: "  " }).slack).toBeNull();
  });

  it("refuses a bot token without a signing secret, naming the missing variable", () => {
    expect(() => parseConfig({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(ConfigError);
    expect(() => parseConfig({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(
      /SLACK_SIGNING_SECRET is missing/,
    );
    expect(() => parseConfig({ SLACK_SIGNING_SECRET: "s" })).toThrow(/SLACK_BOT_TOKEN is missing/);
  });

  it("refuses tokens of the wrong kind", () => {
    expect(() => parseConfig({ SLACK_BOT_TOKEN: "xoxp-user", SLACK_SIGNING_SECRET: "s" })).toThrow(
      /must be a bot token starting with xoxb-/,
    );
    expect(() => parseConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xoxb-2" })).toThrow(
      /SLACK_APP_TOKEN must be an app-level token/,
    );
  });

  it("runs HTTP mode with a signing secret, and Socket Mode with an app token alone", () => {
    expect(parseConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }).slack).toEqual({
      botToken: "xoxb-1",
      signingSecret: "s",
      appToken: null,
      apiUrl: null,
      responseUrlHosts: ["hooks.slack.com"],
    });
    expect(
      parseConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack,
    ).toMatchObject({
      appToken: "xapp-1",
      signingSecret: null,
    });
  });

  it("follows response_urls on the hosts configured, plus the Web API's own host", () => {
    const slack = parseConfig({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: "https://slack-gov.com/api/",
      SLACK_RESPONSE_URL_HOSTS: "hooks.slack-gov.com, Hooks.Example.org",
    }).slack;
    expect(slack?.apiUrl).toBe("https://slack-gov.com/api/");
    expect(slack?.responseUrlHosts).toEqual([
      "hooks.slack-gov.com",
      "hooks.example.org",
      "slack-gov.com",
    ]);
    expect(() =>
      parseConfig({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: "ftp://x",
      }),
    ).toThrow(/SLACK_API_URL/);
  });
});
