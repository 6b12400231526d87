import { beforeAll, describe, expect, it } from "vitest";
import { createI18n, type I18n, loadResources } from "../src/core/i18n.js";
import { LANGUAGES } from "../src/core/tracker/types.js";

// Renders every key of every namespace, in each language, the way the code calls it: with each
// interpolation variable filled and with counts 0, 1, 2 and 5. What a reader sees must never be a
// raw key, a leftover "{{variable}}" or an empty string.

const resources = loadResources();

function leaves(obj: Record<string, unknown>, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj).flatMap(([k, v]) =>
      v && typeof v === "object"
        ? Object.entries(leaves(v as Record<string, unknown>, `${prefix}${k}.`))
        : [[`${prefix}${k}`, String(v)]],
    ),
  );
}

/** Every key as the code names it: "status:overdue" for status:overdue_one/_many/_other. */
function keysOf(): { key: string; vars: string[] }[] {
  const out = new Map<string, Set<string>>();
  for (const [ns, tree] of Object.entries(resources.en)) {
    for (const [path, value] of Object.entries(leaves(tree))) {
      const key = `${ns}:${path.replace(/_(zero|one|two|few|many|other)$/, "")}`;
      const vars = out.get(key) ?? new Set<string>();
      for (const m of value.matchAll(/\{\{(\w+)\}\}/g)) vars.add(m[1] as string);
      out.set(key, vars);
    }
  }
  return [...out].map(([key, vars]) => ({ key, vars: [...vars] }));
}

let i18n: I18n;
beforeAll(async () => {
  i18n = await createI18n();
});

describe("every key renders in every language", () => {
  const keys = keysOf();

  it("covers every namespace", () => {
    expect(new Set(keys.map((k) => k.key.split(":")[0]))).toEqual(
      new Set(Object.keys(resources.en)),
    );
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: with counts 0, 1, 2 and 5 — no missing key, raw key or unfilled variable`, () => {
      const l = i18n.localizer(lang);
      const own = Object.fromEntries(
        Object.entries(resources[lang]).map(([ns, tree]) => [ns, leaves(tree)]),
      );
      const problems: string[] = [];
      for (const { key, vars } of keys) {
        const [ns, path] = key.split(":") as [string, string];
        const forms = ["", "_one", "_many", "_other"].map((f) => own[ns]?.[`${path}${f}`]);
        if (forms.every((form) => form === undefined)) problems.push(`${key}: missing`);
        const written = new Set(forms.filter((form) => form !== undefined));
        for (const count of [0, 1, 2, 5]) {
          const values = Object.fromEntries(vars.map((v) => [v, `‹${v}›`]));
          const text = l.t(key, { ...values, count });
          const raw = text === key || (text.startsWith(path) && !written.has(text));
          if (text.trim() === "" || raw) problems.push(`${key} (count ${count}): raw → "${text}"`);
          if (/\{\{|\}\}|\$t\(/.test(text))
            problems.push(`${key} (count ${count}): unfilled → "${text}"`);
          for (const v of vars)
            if (v !== "count" && !text.includes(`‹${v}›`))
              problems.push(`${key} (count ${count}): drops {{${v}}} → "${text}"`);
          // A "one" form may say "your link" rather than "1 link"; from 2 on the count shows.
          if (vars.includes("count") && count >= 2 && !text.includes(String(count)))
            problems.push(`${key} (count ${count}): does not show the count → "${text}"`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe("grammar a reader notices", () => {
  it("Spanish and French adjectives agree with their counts", () => {
    const render = (lang: "es" | "fr", key: string, count: number) =>
      i18n.localizer(lang).t(key, { count });
    expect([1, 2].map((n) => render("es", "status:count.open", n))).toEqual([
      "1 abierto",
      "2 abiertos",
    ]);
    expect([1, 2].map((n) => render("es", "status:count.overdue", n))).toEqual([
      "1 vencido",
      "2 vencidos",
    ]);
    expect([0, 1, 2].map((n) => render("fr", "status:count.open", n))).toEqual([
      "0 ouvert",
      "1 ouvert",
      "2 ouverts",
    ]);
    expect(render("es", "schedule:count.decisions", 1)).toBe("1 decisión registrada");
    expect(render("fr", "schedule:count.decisions", 5)).toBe("5 décisions consignées");
  });

  it("French puts a narrow no-break space before : ; ! ? and inside « », never a plain space", () => {
    const bad: string[] = [];
    for (const [ns, tree] of Object.entries(resources.fr)) {
      for (const [path, value] of Object.entries(leaves(tree))) {
        if (/ [:;!?»]|« /.test(value) || /[^\s\u202f\d{(/"HM][;!?»]/.test(value))
          bad.push(`${ns}:${path}: ${value}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("French says “du Canada et du Mexique”", () => {
    const l = i18n.localizer("fr");
    expect(l.list(["CA", "MX"].map((c) => l.t(`common:country_of.${c}`)))).toBe(
      "du Canada et du Mexique",
    );
  });

  it("Spanish names co-chairs one way throughout: la copresidencia", () => {
    const text = JSON.stringify(resources.es);
    expect(text).not.toMatch(/copresidente/i);
    expect(text).toMatch(/copresidencia/);
  });
});
