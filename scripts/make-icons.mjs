#!/usr/bin/env node
// Draws the Flowdeck app icon and writes every file the packaged app and electron-builder use:
//
//   resources/icon.png            1024 px master (also what a PNG-only tool would start from)
//   resources/icons/NxN.png       16...512 px, each drawn at its own size (Linux icon theme sizes;
//                                 the window icon on Linux and Windows is icons/256x256.png)
//   resources/icon.icns           macOS: PNG images inside an ICNS container
//   resources/icon.ico            Windows: PNG images inside an ICO container
//
// Only Node is needed (zlib for PNG compression); the results are committed, so neither a
// packaging run nor a test ever draws them again. electron-builder could derive .icns and .ico
// from the PNG itself, but its converter is a separate toolset it downloads on first use;
// shipping both containers keeps `npm run dist` free of that download.
//
// The picture: a run of three steps, as the execution view shows one. A rounded blue tile, a
// line of three status dots (done, done, running) joined like a flow, each with its step bar.
//
//   node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const resourcesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');

// ---------------------------------------------------------------------------------------------
// Drawing: shapes are signed distance functions in a 1024-unit design space; each output size
// samples them at its own scale, with one pixel of analytic anti-aliasing at the edges.

const DESIGN = 1024;

/** Signed distance from (x, y) to a rounded rectangle (negative inside). */
function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function circle(x, y, cx, cy, r) {
  return Math.hypot(x - cx, y - cy) - r;
}

function hex(color, alpha = 1) {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

function mix(a, b, t) {
  return [0, 1, 2, 3].map((i) => a[i] + (b[i] - a[i]) * t);
}

const smoothstep = (edge0, edge1, v) => {
  const t = Math.min(Math.max((v - edge0) / (edge1 - edge0), 0), 1);
  return t * t * (3 - 2 * t);
};

const TILE = { cx: 512, cy: 512, half: 412, radius: 184 };
const TILE_TOP = hex('#3B82F6');
const TILE_BOTTOM = hex('#1E3A8A');
const WHITE = hex('#FFFFFF');
const STEP_Y = [332, 512, 692];
const DOT_X = 276;
const STATUS = [hex('#22C55E'), hex('#22C55E'), hex('#F59E0B')];
const BAR = { left: 370, right: 826, halfH: 58 };
const TEXT_RIGHT = [722, 654, 574];
const TEXT_COLOR = hex('#94A3B8');

/**
 * The layers, back to front: each is [distance function (design units), colour function].
 * Colours are straight RGBA with alpha in 0..1.
 */
const layers = [
  // A soft shadow under the tile, so it sits on light and dark docks alike.
  {
    shadow: true,
    sdf: (x, y) => roundedRect(x, y - 14, TILE.cx, TILE.cy, TILE.half, TILE.half, TILE.radius),
    color: () => [0, 0, 0, 0.28],
  },
  {
    sdf: (x, y) => roundedRect(x, y, TILE.cx, TILE.cy, TILE.half, TILE.half, TILE.radius),
    color: (_x, y) => mix(TILE_TOP, TILE_BOTTOM, (y - (TILE.cy - TILE.half)) / (2 * TILE.half)),
  },
  // The flow line joining the three status dots.
  {
    sdf: (x, y) => roundedRect(x, y, DOT_X, (STEP_Y[0] + STEP_Y[2]) / 2, 14, (STEP_Y[2] - STEP_Y[0]) / 2, 14),
    color: () => hex('#FFFFFF', 0.7),
  },
  ...STEP_Y.flatMap((cy, i) => [
    { sdf: (x, y) => roundedRect(x, y, (BAR.left + BAR.right) / 2, cy, (BAR.right - BAR.left) / 2, BAR.halfH, BAR.halfH), color: () => WHITE },
    {
      sdf: (x, y) => roundedRect(x, y, (BAR.left + 40 + TEXT_RIGHT[i]) / 2, cy, (TEXT_RIGHT[i] - BAR.left - 40) / 2, 15, 15),
      color: () => TEXT_COLOR,
    },
    { sdf: (x, y) => circle(x, y, DOT_X, cy, 78), color: () => WHITE },
    { sdf: (x, y) => circle(x, y, DOT_X, cy, 58), color: () => STATUS[i] },
  ]),
];

/** Straight-alpha "over": src drawn on top of dst. */
function over(dst, src) {
  const a = src[3] + dst[3] * (1 - src[3]);
  if (a === 0) return [0, 0, 0, 0];
  return [0, 1, 2].map((i) => (src[i] * src[3] + dst[i] * dst[3] * (1 - src[3])) / a).concat(a);
}

/** Renders the icon at size x size; returns RGBA bytes. */
function render(size) {
  const scale = DESIGN / size;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) * scale;
      const y = (py + 0.5) * scale;
      let out = [0, 0, 0, 0];
      for (const layer of layers) {
        const d = layer.sdf(x, y);
        // Coverage: one output pixel of blur at the edge; the shadow fades over 44 design units.
        const coverage = layer.shadow ? 1 - smoothstep(-20, 24, d) : Math.min(Math.max(0.5 - d / scale, 0), 1);
        if (coverage <= 0) continue;
        const color = layer.color(x, y);
        out = over(out, [color[0], color[1], color[2], color[3] * coverage]);
      }
      const offset = (py * size + px) * 4;
      pixels[offset] = Math.round(out[0]);
      pixels[offset + 1] = Math.round(out[1]);
      pixels[offset + 2] = Math.round(out[2]);
      pixels[offset + 3] = Math.round(out[3] * 255);
    }
  }
  return pixels;
}

// ---------------------------------------------------------------------------------------------
// PNG: 8-bit RGBA, no interlace, filter 0 on every row, one zlib stream.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Containers. Both hold PNG images as they are (macOS 10.7+ and Windows Vista+ read them).

/** ICNS: 'icns' + total length, then (OSType, length including this 8-byte header, data). */
function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** ICO: ICONDIR, one 16-byte ICONDIRENTRY per image (0 means 256 px), then the images. */
function encodeIco(images) {
  const dir = Buffer.alloc(6);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2);
  dir.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry[2] = 0; // no palette
    entry[3] = 0;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([dir, ...entries, ...images.map(({ png }) => png)]);
}

// ---------------------------------------------------------------------------------------------

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const png = new Map();
for (const size of sizes) png.set(size, encodePng(size, render(size)));

function write(relativePath, bytes) {
  const file = join(resourcesDir, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  console.log(`make-icons: resources/${relativePath} (${bytes.length} bytes)`);
}

write('icon.png', png.get(1024));
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) write(`icons/${size}x${size}.png`, png.get(size));
write(
  'icon.icns',
  encodeIcns([
    { type: 'icp4', png: png.get(16) },
    { type: 'icp5', png: png.get(32) },
    { type: 'icp6', png: png.get(64) },
    { type: 'ic07', png: png.get(128) },
    { type: 'ic08', png: png.get(256) },
    { type: 'ic09', png: png.get(512) },
    { type: 'ic10', png: png.get(1024) },
    { type: 'ic11', png: png.get(32) },
    { type: 'ic12', png: png.get(64) },
    { type: 'ic13', png: png.get(256) },
    { type: 'ic14', png: png.get(512) },
  ]),
);
write('icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png.get(size) }))));
