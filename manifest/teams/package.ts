import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";
import { AppManifestUtils, type TeamsManifest } from "@microsoft/app-manifest";
import { ConfigError, loadDotEnv, packagingConfig } from "../../src/config.js";
import { BOT_ID_PLACEHOLDER, MANIFEST_VERSION } from "./make-manifest.js";

// `npm run teams:package`: the Teams app package (manifest, its es/fr localizations and the two
// icons) zipped into manifest/teams/build/cmp-teams.zip, with the bot id taken from
// MICROSOFT_APP_ID. The zip is written with node:zlib (deflate + CRC-32), no zip library.

const HERE = new URL("./", import.meta.url);
const FILES = ["manifest.json", "es.json", "fr.json", "color.png", "outline.png"] as const;
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/**
 * The official schemas that @microsoft/app-manifest ships, read from disk (no network).
 * The v1.30 localization schema has two patterns ("…\\b]\\.description$") that are invalid
 * as Unicode regular expressions, which is how the package's own validator (Ajv) compiles
 * them: the lone "]" is escaped to the literal it means, and nothing else is touched.
 */
export function bundledSchema(name: "MicrosoftTeams" | "MicrosoftTeams.Localization") {
  const path = `@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/${name}.schema.json`;
  const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve(path), "utf8"));
  const patterns = schema.patternProperties as Record<string, unknown> | undefined;
  if (patterns)
    schema.patternProperties = Object.fromEntries(
      Object.entries(patterns).map(([pattern, rule]) => [
        compiles(pattern) ? pattern : pattern.replaceAll("\\b]", "\\b\\]"),
        rule,
      ]),
    );
  return schema;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

export async function schemaProblems(
  document: unknown,
  schema: "MicrosoftTeams" | "MicrosoftTeams.Localization",
): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(document as TeamsManifest, bundledSchema(schema));
}

interface Entry {
  name: string;
  data: Buffer;
}

/** A zip archive (deflated entries, UTF-8 names, fixed timestamps so builds are reproducible). */
export function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // version made by
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The app package for a bot registration, refused when the manifest does not validate. */
export async function buildTeamsPackage(botId: string): Promise<Buffer> {
  if (!GUID.test(botId))
    throw new ConfigError(
      `MICROSOFT_APP_ID must be the Azure Bot's app id (a GUID), not "${botId}".`,
    );
  const read = (name: string) => readFileSync(new URL(name, HERE));
  const manifest = read("manifest.json").toString("utf8").replaceAll(BOT_ID_PLACEHOLDER, botId);
  const problems = [
    ...(await schemaProblems(JSON.parse(manifest), "MicrosoftTeams")),
    ...(await schemaProblems(
      JSON.parse(read("es.json").toString("utf8")),
      "MicrosoftTeams.Localization",
    )),
    ...(await schemaProblems(
      JSON.parse(read("fr.json").toString("utf8")),
      "MicrosoftTeams.Localization",
    )),
  ];
  if (problems.length > 0)
    throw new ConfigError(`The Teams manifest does not validate:\n  ${problems.join("\n  ")}`);
  return zip(
    FILES.map((name) => ({
      name,
      data: name === "manifest.json" ? Buffer.from(manifest, "utf8") : read(name),
    })),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    loadDotEnv();
    const { teamsAppId: appId } = packagingConfig(process.env);
    if (!appId)
      throw new ConfigError(
        "Set MICROSOFT_APP_ID (the Azure Bot's app id) to build the Teams app package.",
      );
    const out = new URL("build/cmp-teams.zip", HERE);
    mkdirSync(new URL("build/", HERE), { recursive: true });
    writeFileSync(out, await buildTeamsPackage(appId));
    process.stdout.write(
      `Wrote ${fileURLToPath(out)}: upload it in Teams (Apps → Manage your apps → Upload an app).\n`,
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
