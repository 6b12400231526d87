import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { crc32, inflateRawSync, inflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { colorIcon, outlineIcon } from "../../../manifest/teams/make-icons.js";
import {
  BOT_ID_PLACEHOLDER,
  MANIFEST_VERSION,
  teamsManifest,
} from "../../../manifest/teams/make-manifest.js";
import { buildTeamsPackage, schemaProblems } from "../../../manifest/teams/package.js";
import { LOG_DECISION_COMMAND } from "../../../src/adapters/teams/teams.adapter.js";
import { COMMANDS } from "../../../src/core/commands/registry.js";
import { createI18n, type I18n } from "../../../src/core/i18n.js";
import { BUTTONS } from "../../../src/core/render/message.js";

const read = (name: string) =>
  readFileSync(new URL(`../../../manifest/teams/${name}`, import.meta.url));
const readJson = (name: string) => JSON.parse(read(name).toString("utf8"));

type Manifest = {
  manifestVersion: string;
  bots: { botId: string; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
  composeExtensions: {
    botId: string;
    commands: { id: string; type: string; context: string[]; fetchTask: boolean }[];
  }[];
  icons: { color: string; outline: string };
};

let i18n: I18n;
beforeAll(async () => {
  i18n = await createI18n();
});

describe("the Teams app manifest", () => {
  it("is the newest manifest version the official schemas bundled in @microsoft/app-manifest know", () => {
    const schemas = dirname(
      createRequire(import.meta.url).resolve(
        "@microsoft/app-manifest/build/json-schemas/teams/v1.30/MicrosoftTeams.schema.json",
      ),
    );
    const versions = readdirSync(dirname(schemas))
      .filter((v) => /^v\d+\.\d+$/.test(v))
      .map((v) => v.slice(1).split(".").map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(versions.at(-1)?.join(".")).toBe(MANIFEST_VERSION);
    expect(readJson("manifest.json").manifestVersion).toBe(MANIFEST_VERSION);
  });

  it("validates against the official schema, offline, as do its Spanish and French files", async () => {
    expect(await schemaProblems(readJson("manifest.json"), "MicrosoftTeams")).toEqual([]);
    expect(await schemaProblems(readJson("es.json"), "MicrosoftTeams.Localization")).toEqual([]);
    expect(await schemaProblems(readJson("fr.json"), "MicrosoftTeams.Localization")).toEqual([]);
  });

  it("the validation does catch a manifest Teams would refuse", async () => {
    const broken = readJson("manifest.json") as Manifest;
    broken.bots[0]!.commandLists[0]!.commands.push(
      ...Array.from({ length: 12 }, (_, i) => ({ title: `extra${i}` })),
    );
    (broken as unknown as { id: string }).id = "not-a-guid";
    const problems = await schemaProblems(broken, "MicrosoftTeams");
    expect(problems.join("\n")).toMatch(/commandLists\/0\/commands.*must NOT have more than 12/);
    expect(problems.join("\n")).toMatch(/\/id must match pattern/);
  });

  it("is what make-manifest.ts writes from locales/ (no hand edits drift from the bot's words)", async () => {
    const { manifest, localizations } = await teamsManifest();
    expect(readJson("manifest.json")).toEqual(manifest);
    expect(readJson("es.json")).toEqual(localizations.es);
    expect(readJson("fr.json")).toEqual(localizations.fr);
  });

  it("declares every verb the router knows, and nothing else, in each language", () => {
    const manifest = readJson("manifest.json") as Manifest;
    const lists = manifest.bots[0]!.commandLists;
    expect(lists.map((l) => l.scopes)).toEqual([["personal"], ["team"], ["groupChat"]]);
    const declared = new Set<string>();
    const spellingsOf = (verb: string) => i18n.allSpellings(`verbs:${verb}`);
    const verbOf = (title: string) =>
      Object.keys(COMMANDS).find((verb) => spellingsOf(verb).includes(title.toLowerCase()));
    lists.forEach((list, i) => {
      list.commands.forEach((command, j) => {
        const verb = verbOf(command.title);
        expect(verb, `"${command.title}" is a command`).toBeDefined();
        declared.add(verb!);
        for (const lang of ["es", "fr"] as const) {
          const title = readJson(`${lang}.json`)[`bots[0].commandLists[${i}].commands[${j}].title`];
          expect(verbOf(title), `${lang} "${title}"`).toBe(verb);
          expect(
            i18n
              .localizer(lang)
              .t(`verbs:${verb}`)
              .split(",")
              .map((w) => w.trim()),
          ).toContain(title);
        }
      });
    });
    expect([...declared].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it("declares exactly the message action the adapter handles, on messages, opening a dialog", () => {
    const manifest = readJson("manifest.json") as Manifest;
    const commands = manifest.composeExtensions.flatMap((e) => e.commands);
    expect(commands.map((c) => c.id)).toEqual([LOG_DECISION_COMMAND]);
    expect(commands[0]).toMatchObject({ type: "action", context: ["message"], fetchTask: true });
    expect(readJson("es.json")["composeExtensions[0].commands[0].title"]).toBe(
      "Registrar como decisión",
    );
    expect(readJson("fr.json")["composeExtensions[0].commands[0].title"]).toBe(
      "Consigner comme décision",
    );
    // Card buttons need no declaration; each verb they carry runs a command the router knows.
    for (const action of Object.values(BUTTONS))
      if ("verb" in action) expect(Object.keys(COMMANDS)).toContain(action.verb);
  });

  it("the bot id is a placeholder that packaging replaces", () => {
    const manifest = readJson("manifest.json") as Manifest;
    expect(manifest.bots[0]!.botId).toBe(BOT_ID_PLACEHOLDER);
    expect(manifest.composeExtensions[0]!.botId).toBe(BOT_ID_PLACEHOLDER);
  });
});

/** Width, height and RGBA pixels of one of our PNGs (8-bit RGBA, filter "none" rows). */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString("ascii", 12, 16)).toBe("IHDR");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect([png[24], png[25]]).toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels: number[][] = [];
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    expect(raw[row]).toBe(0);
    for (let x = 0; x < width; x++)
      pixels.push([...raw.subarray(row + 1 + x * 4, row + 5 + x * 4)]);
  }
  return { width, height, pixels };
}

describe("the icons", () => {
  it("colour icon: 192×192, opaque", () => {
    const { width, height, pixels } = decodePng(read("color.png"));
    expect([width, height]).toEqual([192, 192]);
    expect(pixels.every((p) => p[3] === 255)).toBe(true);
  });

  it("outline icon: 32×32, white on transparent", () => {
    const { width, height, pixels } = decodePng(read("outline.png"));
    expect([width, height]).toEqual([32, 32]);
    expect(pixels.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
    expect(pixels.some((p) => p[3] === 0)).toBe(true);
    expect(pixels.some((p) => p[3] === 255)).toBe(true);
  });

  it("are what make-icons.ts draws", () => {
    expect(read("color.png").equals(colorIcon())).toBe(true);
    expect(read("outline.png").equals(outlineIcon())).toBe(true);
  });
});

/** The entries of a zip archive, read through its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const crc = archive.readUInt32LE(at + 16);
    const packed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart =
      offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const data = inflateRawSync(archive.subarray(dataStart, dataStart + packed));
    expect(crc32(data)).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength;
  }
  return files;
}

describe("npm run teams:package", () => {
  it("zips the manifest with the bot's app id, its localizations and icons", async () => {
    const appId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const files = unzip(await buildTeamsPackage(appId));
    expect([...files.keys()]).toEqual([
      "manifest.json",
      "es.json",
      "fr.json",
      "color.png",
      "outline.png",
    ]);
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8")) as Manifest;
    expect(manifest.bots[0]!.botId).toBe(appId);
    expect(manifest.composeExtensions[0]!.botId).toBe(appId);
    expect(files.get("outline.png")!.equals(read("outline.png"))).toBe(true);
  });

  it("refuses an app id that is not a GUID", async () => {
    await expect(buildTeamsPackage("my-bot")).rejects.toThrow("must be the Azure Bot's app id");
  });
});
