import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { crc32, deflateSync } from "node:zlib";

// Draws the Teams app icons (a check mark in a ring) and writes them as PNG with node:zlib only:
//   color.png   192×192, white mark on the accent colour
//   outline.png  32×32, white mark on transparent (what Teams requires of an outline icon)
// Run: npx tsx manifest/teams/make-icons.ts  (needs Node ≥ 20.15 for zlib.crc32)

export const ACCENT = "#0B5C7A";

type Rgba = [number, number, number, number];

function hex(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Distance from point p to segment ab, in the unit square. */
function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Whether a point of the unit square is on the mark; `weight` thickens it for small sizes. */
function onMark(x: number, y: number, weight: number): boolean {
  const ring = Math.abs(Math.hypot(x - 0.5, y - 0.5) - 0.36) <= 0.035 * weight;
  const check =
    Math.min(segment(x, y, 0.33, 0.52, 0.45, 0.64), segment(x, y, 0.45, 0.64, 0.68, 0.39)) <=
    0.045 * weight;
  return ring || check;
}

/** Coverage of a pixel by the mark, from 4×4 samples (anti-aliasing). */
function coverage(px: number, py: number, size: number, weight: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++)
    for (let sx = 0; sx < 4; sx++)
      if (onMark((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size, weight)) hits++;
  return hits / 16;
}

function draw(size: number, pixel: (cover: number) => Rgba, weight: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(coverage(x, y, size, weight)), row + 1 + x * 4);
  }
  return raw;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG: signature, IHDR, one IDAT, IEND. */
export function png(size: number, scanlines: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(scanlines, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export function colorIcon(): Buffer {
  const [r, g, b] = hex(ACCENT);
  const mix = (from: number, cover: number) => Math.round(from + (255 - from) * cover);
  return png(
    192,
    draw(192, (c) => [mix(r, c), mix(g, c), mix(b, c), 255], 1),
  );
}

export function outlineIcon(): Buffer {
  // At 32 px the strokes are drawn heavier so that they stay legible.
  return png(
    32,
    draw(32, (c) => [255, 255, 255, Math.round(255 * c)], 1.6),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(new URL("color.png", import.meta.url), colorIcon());
  writeFileSync(new URL("outline.png", import.meta.url), outlineIcon());
  process.stdout.write("Wrote manifest/teams/color.png and manifest/teams/outline.png\n");
}
