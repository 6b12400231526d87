import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Actor } from "../core/actor.js";
import type { OwnerInput, Store } from "../core/ports.js";
import { STORED_GROUP_CODE } from "../core/tracker/rules.js";
import { createCommitment, scheduleMeeting } from "../core/tracker/service.js";
import { parseTimeline, unreadTimeline } from "../core/tracker/timeline.js";
import {
  COUNTRIES,
  LANGUAGES,
  STATUSES,
  type Timeline,
  type WorkingGroup,
} from "../core/tracker/types.js";

// Working groups, people, channels and commitments from YAML (see examples/cmp-2017.yaml).
// Idempotent: groups by code, people by key, items by title, decisions by text, meetings by
// start and title; a second import of the same file changes nothing.

const zone = z
  .string()
  .refine((tz) => DateTime.local().setZone(tz).isValid, "not an IANA time zone");
const language = z.enum(LANGUAGES);
const country = z.enum(COUNTRIES);
const sector = z.enum(["public", "private"]);

const ownerSchema = z.union([
  z.object({ person: z.string() }).strict(),
  z
    .object({
      org: z.string().min(1),
      country: country.optional(),
      sector: sector.optional(),
      tbc: z.boolean().optional(),
    })
    .strict(),
]);

const fileSchema = z
  .object({
    people: z
      .array(
        z
          .object({
            key: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "lowercase letters, digits, dots"),
            name: z.string().min(1),
            organisation: z.string().optional(),
            title: z.string().optional(),
            admin: z.boolean().optional(),
            language: language.optional(),
            timeZone: zone.optional(),
            country: country.optional(),
            identities: z.partialRecord(z.enum(["slack", "teams"]), z.string()).optional(),
          })
          .strict(),
      )
      .default([]),
    groups: z
      .array(
        z
          .object({
            code: z.string().regex(STORED_GROUP_CODE, "2–10 capital letters or digits"),
            names: z.object({
              en: z.string().min(1),
              es: z.string().min(1),
              fr: z.string().min(1),
            }),
            timeZone: zone,
            languages: z.array(language).min(1).default(["en", "es"]),
            visibility: z.enum(["partnership", "restricted"]).default("partnership"),
            confirmationsRequired: z.union([z.literal(1), z.literal(2)]).default(2),
            coChairs: z
              .array(z.object({ person: z.string(), country, sector: sector.default("public") }))
              .default([]),
            members: z
              .array(z.object({ person: z.string(), country: country.optional() }))
              .default([]),
            channels: z
              .array(
                z.object({
                  platform: z.enum(["slack", "teams", "console"]),
                  id: z.string().min(1),
                }),
              )
              .default([]),
            commitments: z
              .array(
                z
                  .object({
                    title: z.string().min(1).max(200),
                    description: z.string().optional(),
                    due: z.string().optional(),
                    status: z.enum(STATUSES).default("introduction"),
                    owners: z.array(ownerSchema).default([]),
                    comments: z.string().optional(),
                    milestones: z
                      .array(z.object({ title: z.string().min(1), due: z.string().optional() }))
                      .default([]),
                  })
                  .strict(),
              )
              .default([]),
            decisions: z
              .array(
                z.object({
                  text: z.string().min(1),
                  saidAt: z.string(),
                  status: z.enum(["proposed", "confirmed"]).default("confirmed"),
                }),
              )
              .default([]),
            meetings: z
              .array(
                z.object({
                  title: z.string().optional(),
                  startsAt: z
                    .string()
                    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "YYYY-MM-DDTHH:MM, local time"),
                  timeZone: zone.optional(),
                  durationMinutes: z.number().int().positive().default(60),
                  with: z.array(z.string()).default([]),
                  callLink: z.string().url().optional(),
                  agendaLink: z.string().url().optional(),
                }),
              )
              .default([]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type ImportFile = z.infer<typeof fileSchema>;

export interface ImportReport {
  groups: number;
  people: number;
  commitmentsAdded: number;
  decisionsAdded: number;
  meetingsAdded: number;
}

export class ImportError extends Error {}

export function readImportFile(path: string): ImportFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ImportError(`${path}: not readable YAML: ${(error as Error).message}`);
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 10)
      .map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ImportError(`${path}: does not match the import format:\n${problems.join("\n")}`);
  }
  return result.data;
}

function timelineOf(text: string | undefined, referenceDate: string): Timeline | null {
  if (!text) return null;
  const parsed = parseTimeline(text, { referenceDate });
  // Imports keep what the documents wrote, even what the bot cannot read: `status` lists those
  // for a co-chair to fix.
  if (!parsed.ok) return parsed.error === "empty" ? null : unreadTimeline(text);
  return parsed.timeline;
}

export async function importData(
  store: Store,
  data: ImportFile,
  actor: Actor,
  now: Date,
): Promise<ImportReport> {
  const at = now.toISOString();
  const report: ImportReport = {
    groups: 0,
    people: 0,
    commitmentsAdded: 0,
    decisionsAdded: 0,
    meetingsAdded: 0,
  };
  return store.transaction(async (tx) => {
    const people = new Map<string, number>();
    for (const p of data.people) {
      const person = await tx.people.upsertByHandle(
        {
          handle: p.key,
          displayName: p.name,
          organisation: p.organisation ?? null,
          isAdmin: p.admin ?? false,
          country: p.country ?? null,
          language: p.language ?? null,
          timeZone: p.timeZone ?? null,
        },
        at,
      );
      for (const [platform, userId] of Object.entries(p.identities ?? {})) {
        await tx.people.linkIdentity(person.id, platform as "slack" | "teams", userId);
      }
      people.set(p.key, person.id);
      report.people += 1;
    }
    const personId = (key: string, where: string) => {
      const id = people.get(key.toLowerCase());
      if (id === undefined)
        throw new ImportError(`${where}: unknown person "${key}" (not listed under people)`);
      return id;
    };
    const groups = new Map<string, WorkingGroup>();
    for (const g of data.groups) {
      const group = await tx.groups.upsert(
        {
          code: g.code,
          names: g.names,
          timeZone: g.timeZone,
          languages: g.languages,
          visibility: g.visibility,
          confirmationsRequired: g.confirmationsRequired,
        },
        at,
      );
      groups.set(g.code, group);
      report.groups += 1;
      for (const c of g.coChairs) {
        await tx.people.setMembership({
          groupId: group.id,
          personId: personId(c.person, g.code),
          role: "co_chair",
          country: c.country,
          sector: c.sector,
        });
      }
      for (const m of g.members) {
        await tx.people.setMembership({
          groupId: group.id,
          personId: personId(m.person, g.code),
          role: "member",
          country: m.country ?? null,
          sector: "public",
        });
      }
      for (const ch of g.channels)
        await tx.groups.bindChannel(
          { groupId: group.id, platform: ch.platform, channelId: ch.id },
          at,
        );
    }
    for (const g of data.groups) {
      const group = groups.get(g.code) as WorkingGroup;
      const referenceDate = at.slice(0, 10);
      for (const c of g.commitments) {
        if (await tx.commitments.byTitle(group.id, c.title)) continue;
        const owners: OwnerInput[] = c.owners.map((o) =>
          "person" in o
            ? { kind: "person", personId: personId(o.person, `${g.code} "${c.title}"`) }
            : {
                kind: "organisation",
                name: o.org,
                country: o.country ?? null,
                sector: o.sector ?? null,
                tbc: o.tbc ?? false,
              },
        );
        const item = await createCommitment(
          tx,
          actor,
          {
            group,
            title: c.title,
            description: c.description ?? null,
            timeline: timelineOf(c.due, referenceDate),
            owners,
            status: c.status,
            comments: c.comments ?? null,
          },
          at,
        );
        for (const m of c.milestones) {
          await tx.commitments.addMilestone(
            item.id,
            m.title,
            timelineOf(m.due, referenceDate),
            null,
          );
        }
        report.commitmentsAdded += 1;
      }
      const existingDecisions = new Set(
        (await tx.decisions.list([group.id], 10_000)).map((d) => d.text),
      );
      for (const d of g.decisions) {
        if (existingDecisions.has(d.text)) continue;
        const saidAt = DateTime.fromISO(d.saidAt, { zone: group.timeZone });
        if (!saidAt.isValid)
          throw new ImportError(
            `${g.code} decision "${d.text}": saidAt "${d.saidAt}" is not a date`,
          );
        const stamp = saidAt.toUTC().toISO() as string;
        const decision = await tx.decisions.create({
          groupId: group.id,
          text: d.text,
          status: d.status,
          source: null,
          loggedBy: { personId: actor.person.id, name: actor.person.displayName },
          at: stamp,
        });
        await tx.audit.record({
          at,
          actor: { personId: actor.person.id, name: actor.person.displayName },
          entity: "decision",
          ref: `${group.code}-D${decision.number}`,
          action: "import",
          after: decision,
        });
        report.decisionsAdded += 1;
      }
      for (const m of g.meetings) {
        const timeZone = m.timeZone ?? group.timeZone;
        const startsAt = DateTime.fromISO(m.startsAt, { zone: timeZone });
        if (!startsAt.isValid)
          throw new ImportError(`${g.code} meeting "${m.title ?? m.startsAt}": not a valid time`);
        const startsAtUtc = startsAt.toUTC().toISO() as string;
        const joint = [
          group,
          ...m.with.map((code) => {
            const other = groups.get(code);
            if (!other)
              throw new ImportError(
                `${g.code} meeting "${m.title ?? m.startsAt}": unknown group "${code}" in with`,
              );
            return other;
          }),
        ];
        const existing = await tx.meetings.upcoming(
          joint.map((j) => j.id),
          startsAtUtc,
          50,
        );
        if (existing.some((e) => e.startsAt === startsAtUtc && e.title === (m.title ?? null)))
          continue;
        await scheduleMeeting(
          tx,
          actor,
          joint,
          {
            title: m.title ?? null,
            startsAt: startsAtUtc,
            durationMinutes: m.durationMinutes,
            timeZone,
            callLink: m.callLink ?? null,
            agendaLink: m.agendaLink ?? null,
          },
          at,
        );
        report.meetingsAdded += 1;
      }
    }
    return report;
  });
}
