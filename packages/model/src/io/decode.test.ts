import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PromptsegError } from '@promptseg/shared';
import { decodeImage, encodeImage, encodePng, readRawPixels, resizePixels, type FixtureFormat, type RawPixels } from './decode.js';

/** A 40x24 pattern with four coloured quadrants, so orientation and colour mistakes show. */
const W = 40, H = 24;
const QUADRANTS: [number, number, number][] = [
  [220, 30, 30], // top-left: red
  [30, 200, 40], // top-right: green
  [30, 40, 210], // bottom-left: blue
  [240, 220, 40], // bottom-right: yellow
];
function quadrant(x: number, y: number, w = W, h = H): number {
  return (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
}
function pattern(channels: 3 | 4 = 3, alphaOf?: (x: number, y: number) => number): RawPixels {
  const data = new Uint8Array(W * H * channels);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const c = QUADRANTS[quadrant(x, y)], i = (y * W + x) * channels;
    data.set(c, i);
    if (channels === 4) data[i + 3] = alphaOf ? alphaOf(x, y) : 255;
  }
  return { width: W, height: H, channels, data };
}
/** Mean absolute difference per channel between a decoded image and the pattern. */
function meanDiff(got: Uint8Array, want: RawPixels): number {
  let d = 0;
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) d += Math.abs(got[i * 3 + c] - want.data[i * want.channels + c]);
  return d / (W * H * 3);
}
async function expectError(p: Promise<unknown>, code: string, message: RegExp): Promise<PromptsegError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(PromptsegError);
  const pe = e as PromptsegError;
  expect(pe.code).toBe(code);
  expect(pe.message).toMatch(message);
  expect(pe.hint.length).toBeGreaterThan(10);
  return pe;
}

describe('decodeImage: formats', () => {
  const cases: [FixtureFormat, number, string][] = [
    ['png', 0, 'png'],
    ['jpeg', 6, 'jpeg'],
    ['webp', 8, 'webp'],
    ['tiff', 0, 'tiff'],
    ['gif', 3, 'gif'],
    ['avif', 10, 'heif'],
  ];
  for (const [fmt, tolerance, name] of cases) {
    it(`reads ${fmt} as upright 8-bit RGB`, async () => {
      const src = pattern();
      const img = await decodeImage(await encodeImage(src, fmt));
      expect([img.width, img.height, img.format]).toEqual([W, H, name]);
      expect(img.data.length).toBe(W * H * 3);
      expect(meanDiff(img.data, src)).toBeLessThanOrEqual(tolerance);
      expect(img.alpha).toBeUndefined();
      expect(img.hash).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('reads only the first frame of an animated GIF', async () => {
    const first = pattern();
    const second: RawPixels = { ...first, data: new Uint8Array(first.data.length).fill(128) };
    const bytes = await encodeImage(first, 'gif', { frames: [second] });
    const img = await decodeImage(bytes);
    expect([img.width, img.height]).toEqual([W, H]);
    expect(meanDiff(img.data, first)).toBeLessThanOrEqual(3);
  });

  it('converts grayscale to RGB with equal channels', async () => {
    const gray: RawPixels = { width: W, height: H, channels: 1, data: new Uint8Array(W * H).map((_, i) => (i % W) * 6) };
    const img = await decodeImage(await encodeImage(gray, 'png'));
    for (const i of [0, 17, W * H - 1]) {
      expect([img.data[i * 3], img.data[i * 3 + 1], img.data[i * 3 + 2]]).toEqual([gray.data[i], gray.data[i], gray.data[i]]);
    }
  });

  it('converts 16-bit PNG and TIFF to 8 bits without losing the picture', async () => {
    for (const fmt of ['png', 'tiff'] as const) {
      const src = pattern();
      const bytes = await encodeImage(src, fmt, { sixteenBit: true });
      expect(bytes.length).toBeGreaterThan(0);
      const img = await decodeImage(bytes);
      expect(meanDiff(img.data, src)).toBeLessThanOrEqual(1);
    }
  });

  it('converts CMYK JPEG and TIFF to sRGB', async () => {
    for (const fmt of ['jpeg', 'tiff'] as const) {
      const src = pattern();
      const img = await decodeImage(await encodeImage(src, fmt, { cmyk: true }));
      expect([img.width, img.height]).toEqual([W, H]);
      // CMYK round trips through colour profiles: close, not exact; the quadrants must still be
      // the same hues (each pixel's dominant channel matches).
      for (let i = 0; i < W * H; i += 7) {
        const want = src.data.subarray(i * 3, i * 3 + 3), got = img.data.subarray(i * 3, i * 3 + 3);
        const dominant = (c: Uint8Array) => c.indexOf(Math.max(c[0], c[1], c[2]));
        expect(dominant(got)).toBe(dominant(want));
      }
      expect(meanDiff(img.data, src)).toBeLessThan(40);
    }
  });

  it('keeps a source alpha channel beside the RGB pixels', async () => {
    const src = pattern(4, (x) => (x < 10 ? 0 : x < 20 ? 128 : 255));
    const img = await decodeImage(await encodeImage(src, 'png'));
    expect(img.alpha).toBeDefined();
    expect(img.alpha![0]).toBe(0);
    expect(img.alpha![15]).toBe(128);
    expect(img.alpha![35]).toBe(255);
    expect(img.data.length).toBe(W * H * 3);
  });
});

describe('decodeImage: EXIF orientation', () => {
  /** Where displayed pixel (x, y) of the upright W x H image sits in the stored pixels, per EXIF orientation. */
  const storedAt: Record<number, (x: number, y: number) => [number, number]> = {
    1: (x, y) => [x, y],
    2: (x, y) => [W - 1 - x, y],
    3: (x, y) => [W - 1 - x, H - 1 - y],
    4: (x, y) => [x, H - 1 - y],
    5: (x, y) => [y, x],
    6: (x, y) => [y, W - 1 - x],
    7: (x, y) => [H - 1 - y, W - 1 - x],
    8: (x, y) => [H - 1 - y, x],
  };
  function stored(orientation: number): RawPixels {
    const up = pattern();
    const sw = orientation >= 5 ? H : W, sh = orientation >= 5 ? W : H;
    const data = new Uint8Array(sw * sh * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const [sx, sy] = storedAt[orientation](x, y);
      data.set(up.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3), (sy * sw + sx) * 3);
    }
    return { width: sw, height: sh, channels: 3, data };
  }

  for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`turns a PNG stored with orientation ${o} upright, pixel for pixel`, async () => {
      const bytes = await encodeImage(stored(o), 'png', { orientation: o });
      const img = await decodeImage(bytes);
      expect([img.width, img.height]).toEqual([W, H]);
      expect(meanDiff(img.data, pattern())).toBe(0);
    });
  }

  it('turns an EXIF-rotated JPEG (orientation 6, as phones write) upright', async () => {
    const bytes = await encodeImage(stored(6), 'jpeg', { orientation: 6 });
    const raw = await readRawPixels(bytes); // the stored pixels are portrait
    expect([raw.width, raw.height]).toEqual([H, W]);
    const img = await decodeImage(bytes);
    expect([img.width, img.height]).toEqual([W, H]);
    expect(meanDiff(img.data, pattern())).toBeLessThan(6);
  });
});

/** A PNG whose header claims width x height but whose pixel data is a few bytes: a decompression bomb. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb) >>> 0);
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeImage: limits and bad input', () => {
  it('refuses a header claiming 30000x30000 before decoding any pixel', async () => {
    const bomb = pngHeaderOnly(30000, 30000);
    expect(bomb.length).toBeLessThan(2000);
    const e = await expectError(decodeImage(bomb), 'image_too_large', /30000x30000 \(900\.0 MP\).*limit of 40\.0 MP/);
    expect(e.hint).toMatch(/--max-pixels/);
    expect(e.exitCode).toBe(3);
  });

  it('applies a configured maximum pixel count', async () => {
    const bytes = await encodeImage(pattern(), 'png'); // 960 pixels
    await expectError(decodeImage(bytes, { maxPixels: 900 }), 'image_too_large', /40x24/);
    await expect(decodeImage(bytes, { maxPixels: 960 })).resolves.toMatchObject({ width: W, height: H });
    await expectError(decodeImage(bytes, { maxPixels: 0 }), 'invalid_option', /positive/);
  });

  it('says what is wrong with empty, non-image, truncated, vector and tiny files', async () => {
    await expectError(decodeImage(new Uint8Array(0)), 'corrupt_image', /empty/);
    await expectError(decodeImage(new TextEncoder().encode('hello, I am a text file\n')), 'unsupported_image', /not an image/);
    const jpeg = await encodeImage(pattern(), 'jpeg');
    await expectError(decodeImage(jpeg.subarray(0, 200)), 'corrupt_image', /starts like a JPEG image but its header is damaged/);
    const big = { width: 400, height: 300, channels: 3 as const, data: new Uint8Array(400 * 300 * 3).map((_, i) => (i * 7919) % 251) };
    const bigJpeg = await encodeImage(big, 'jpeg');
    const cut = await expectError(decodeImage(bigJpeg.subarray(0, Math.floor(bigJpeg.length / 2))), 'corrupt_image', /JPEG file could not be decoded/);
    expect(cut.message).not.toMatch(/\n/);
    const png = await encodeImage(big, 'png');
    await expectError(decodeImage(png.subarray(0, Math.floor(png.length / 2))), 'corrupt_image', /PNG/);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>');
    await expectError(decodeImage(svg), 'unsupported_image', /SVG/);
    const tiny = await encodePng(new Uint8Array(4 * 4 * 3), 4, 4, 3);
    await expectError(decodeImage(tiny), 'image_too_small', /4x4/);
  });
});

describe('resizePixels (scaling masks and cut-outs for the quality benchmark)', () => {
  it('keeps a 1-channel mask single-channel and scales its shape', async () => {
    // a 40x20 mask whose left half is set
    const data = new Uint8Array(40 * 20);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) data[y * 40 + x] = 255;
    const out = await resizePixels({ width: 40, height: 20, channels: 1, data }, 10, 5);
    expect([out.width, out.height, out.channels, out.data.length]).toEqual([10, 5, 1, 50]);
    expect(out.data[0]).toBe(255); // left stays set
    expect(out.data[9]).toBe(0); // right stays clear
  });
  it('keeps the alpha of an RGBA cut-out', async () => {
    const data = new Uint8Array(8 * 8 * 4).fill(0);
    for (let i = 0; i < 64; i++) if (i % 8 < 4) { data[i * 4] = 200; data[i * 4 + 3] = 255; }
    const out = await resizePixels({ width: 8, height: 8, channels: 4, data }, 16, 16);
    expect(out.channels).toBe(4);
    expect(out.data[3]).toBe(255); // top-left opaque
    expect(out.data[(16 - 1) * 4 + 3]).toBe(0); // top-right transparent
  });
});
