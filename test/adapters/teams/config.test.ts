import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config.js";

// Settings that decide who can reach the bot: read strictly, whatever their case.

const UNAUTHENTICATED = { TEAMS_ALLOW_UNAUTHENTICATED: "true" };

describe("unauthenticated Teams", () => {
  it("is refused in production however NODE_ENV is written", () => {
    for (const NODE_ENV of ["production", "Production", "PRODUCTION", " production "])
      expect(() => parseConfig({ ...UNAUTHENTICATED, NODE_ENV })).toThrow(
        /refused when NODE_ENV=production/,
      );
    expect(parseConfig({ NODE_ENV: "Production" }).production).toBe(true);
  });

  it("binds loopback by itself, accepts a loopback HOST and refuses any other", () => {
    expect(parseConfig(UNAUTHENTICATED).host).toBe("127.0.0.1");
    expect(parseConfig({ ...UNAUTHENTICATED, HOST: "::1" }).host).toBe("::1");
    expect(parseConfig({ ...UNAUTHENTICATED, HOST: "localhost" }).host).toBe("localhost");
    for (const HOST of ["0.0.0.0", "::", "192.0.2.10"]) {
      expect(() => parseConfig({ ...UNAUTHENTICATED, HOST })).toThrow(ConfigError);
      expect(() => parseConfig({ ...UNAUTHENTICATED, HOST })).toThrow(`HOST=${HOST}`);
    }
  });
});

describe("HOST", () => {
  it("defaults to all interfaces for the platform endpoints, and is used as given", () => {
    expect(parseConfig({}).host).toBeUndefined();
    expect(parseConfig({ HOST: "10.0.0.5" }).host).toBe("10.0.0.5");
    expect(
      parseConfig({ HOST: "0.0.0.0", MICROSOFT_APP_ID: "app", MICROSOFT_APP_PASSWORD: "pw" }).host,
    ).toBe("0.0.0.0");
  });
});
