import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, loadResources } from "../src/core/i18n.js";

const resources = loadResources();

function flatten(obj: Record<string, unknown>, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj).flatMap(([k, v]) =>
      v && typeof v === "object"
        ? Object.entries(flatten(v as Record<string, unknown>, `${prefix}${k}.`))
        : [[`${prefix}${k}`, String(v)]],
    ),
  );
}

const flat = {
  en: Object.fromEntries(Object.entries(resources.en).map(([ns, v]) => [ns, flatten(v)])),
  es: Object.fromEntries(Object.entries(resources.es).map(([ns, v]) => [ns, flatten(v)])),
  fr: Object.fromEntries(Object.entries(resources.fr).map(([ns, v]) => [ns, flatten(v)])),
};

const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("en, es and fr have the same namespaces and the same keys", () => {
    for (const lang of ["es", "fr"] as const) {
      expect(Object.keys(flat[lang]).sort()).toEqual(Object.keys(flat.en).sort());
      for (const ns of Object.keys(flat.en)) {
        expect({ ns, keys: Object.keys(flat[lang][ns] ?? {}).sort() }).toEqual({
          ns,
          keys: Object.keys(flat.en[ns] ?? {}).sort(),
        });
      }
    }
  });

  it("every translation uses the same interpolation variables as English", () => {
    for (const [ns, entries] of Object.entries(flat.en)) {
      for (const [key, en] of Object.entries(entries)) {
        for (const lang of ["es", "fr"] as const) {
          expect({ key: `${lang}:${ns}:${key}`, vars: vars(flat[lang][ns]?.[key] ?? "") }).toEqual({
            key: `${lang}:${ns}:${key}`,
            vars: vars(en),
          });
        }
      }
    }
  });

  it("plural keys carry _one, _many and _other, so Spanish and French never show a raw key", () => {
    for (const lang of ["en", "es", "fr"] as const) {
      for (const [ns, entries] of Object.entries(flat[lang])) {
        for (const key of Object.keys(entries).filter((k) => /_(one|many|other)$/.test(k))) {
          const base = key.replace(/_(one|many|other)$/, "");
          for (const form of ["one", "many", "other"])
            expect(
              `${lang}:${ns}:${base}_${form}` in entries ||
                entries[`${base}_${form}`] !== undefined,
            ).toBe(true);
        }
      }
    }
  });

  it("every key the code names literally exists in English", async () => {
    const sources = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory()
          ? walk(p)
          : p.endsWith(".ts")
            ? [readFileSync(p, "utf8")]
            : [];
      });
    })("src");
    const namespaces = Object.keys(flat.en).join("|");
    const literal = new RegExp(`"((?:${namespaces}):[a-z_.]+[a-z_])"`, "g");
    const i18n = await createI18n();
    const l = i18n.localizer("en");
    const missing = new Set<string>();
    for (const source of sources) {
      for (const m of source.matchAll(literal)) {
        const key = m[1] as string;
        const [ns, path] = key.split(":") as [string, string];
        const entries = flat.en[ns] ?? {};
        if (!(path in entries) && !(`${path}_one` in entries) && l.t(key) === path)
          missing.add(key);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it("no two commands share a spelling in any language", async () => {
    const i18n = await createI18n();
    const seen = new Map<string, string>();
    for (const verb of Object.keys(flat.en.verbs ?? {})) {
      for (const spelling of i18n.allSpellings(`verbs:${verb}`)) {
        expect({ spelling, verb: seen.get(spelling) ?? verb }).toEqual({ spelling, verb });
        seen.set(spelling, verb);
      }
    }
  });
});
