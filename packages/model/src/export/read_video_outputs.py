"""
Independent reader of promptseg's video outputs, used by video.test.ts and the CLI's video
tests. Only the standard library, numpy, and the ffmpeg / ffprobe binaries given on the command
line: COCO RLE, MOT lines and PNG are decoded here from their published formats, not with
promptseg's code. Compares everything with the ground truth written by the test and prints one
JSON report.

usage: python3 read_video_outputs.py OUT_DIR BASE TRUTH_DIR FFMPEG FFPROBE
  TRUTH_DIR/meta.json: {"frames": N, "width": W, "height": H, "ids": [...]} and TRUTH_DIR/<id>.bin:
  N*H*W bytes (0/1), object <id>'s visible mask per frame. Track ids of the outputs are matched
  to truth ids by best IoU.
"""
import json, os, struct, subprocess, sys, zlib
import numpy as np

OUT, BASE, TRUTH, FFMPEG, FFPROBE = sys.argv[1:6]
meta = json.load(open(os.path.join(TRUTH, 'meta.json')))
N, W, H = meta['frames'], meta['width'], meta['height']
truth = {i: np.fromfile(os.path.join(TRUTH, f'{i}.bin'), dtype=np.uint8).reshape((N, H, W)) for i in meta['ids']}
report = {}


def coco_rle_decode(rle):
    """COCO compressed RLE (maskApi.c rleFrString) -> HxW uint8, column-major runs from 0."""
    h, w = rle['size']
    s, counts, p = rle['counts'], [], 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1f) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    flat = np.zeros(h * w, dtype=np.uint8)
    i, v = 0, 0
    for n in counts:
        flat[i:i + n] = v
        i += n
        v ^= 1
    assert i == h * w, 'RLE does not cover the frame'
    return flat.reshape((w, h)).T


def read_png(path):
    """8-bit PNG (gray or RGB/RGBA) -> HxWxC uint8 (PNG spec: chunks, zlib, per-row filters)."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path
    pos, idat = 8, b''
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            assert depth == 8, path
            ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8)
    stride = w * ch
    out = np.zeros((h, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(h):
        f = raw[y * (stride + 1)]
        row = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)].astype(np.int32)
        cur = np.zeros(stride, dtype=np.int32)
        if f in (0, 1, 2):  # none / sub / up need no per-pixel loop
            if f == 0: cur = row
            elif f == 2: cur = (row + prev) & 255
            else: cur = (np.cumsum(row.reshape((w, ch)), axis=0) & 255).reshape(stride)
            out[y] = cur
            prev = cur
            continue
        for x in range(stride):
            a = cur[x - ch] if x >= ch else 0
            b = prev[x]
            c = prev[x - ch] if x >= ch else 0
            if f == 0: p = 0
            elif f == 1: p = a
            elif f == 2: p = b
            elif f == 3: p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (row[x] + p) & 255
        out[y] = cur
        prev = cur
    return out.astype(np.uint8).reshape((h, w, ch))


def iou(a, b):
    u = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / u) if u else 1.0


def probe(path):
    r = subprocess.run([FFPROBE, '-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', path], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def decode(path, pix_fmt, channels, codec=None):
    args = [FFMPEG, '-v', 'error'] + (['-c:v', codec] if codec else []) + ['-i', path, '-f', 'rawvideo', '-pix_fmt', pix_fmt, '-']
    r = subprocess.run(args, capture_output=True, check=True)
    return np.frombuffer(r.stdout, dtype=np.uint8).reshape((-1, H, W, channels))


def match(track_masks):
    """track id -> truth id, by the best mean IoU over the frames where both exist."""
    out = {}
    for tid, frames in track_masks.items():
        best, best_v = None, 0
        for gid, gt in truth.items():
            vs = [iou(m, gt[f]) for f, m in frames.items() if gt[f].any()]
            v = sum(vs) / len(vs) if vs else 0
            if v > best_v:
                best, best_v = gid, v
        out[tid] = best
    return out


path = lambda suffix: os.path.join(OUT, BASE + suffix)

# The per-clip document: frames, tracks, each RLE against the truth.
if os.path.exists(path('.json')):
    doc = json.load(open(path('.json')))
    masks = {}
    for fr in doc['frames']:
        for inst in fr['instances']:
            masks.setdefault(inst['track_id'], {})[fr['index']] = coco_rle_decode(inst['rle']).astype(bool)
    ids = match(masks)
    report['json'] = {
        'frames': len(doc['frames']), 'video': doc['video'], 'tracks': doc['tracks'], 'match': {str(k): v for k, v in ids.items()},
        'min_iou': min(iou(m, truth[ids[t]][f]) for t, fs in masks.items() for f, m in fs.items()) if masks else None,
        'times': [fr['time_s'] for fr in doc['frames']],
    }

if os.path.exists(path('.youtube_vis.json')):
    vis = json.load(open(path('.youtube_vis.json')))
    assert isinstance(vis, list), 'YouTube-VIS results are a JSON array'
    masks, per = {}, []
    for k, entry in enumerate(vis):
        assert set(entry) >= {'video_id', 'category_id', 'score', 'segmentations'}, entry.keys()
        assert len(entry['segmentations']) == N, (len(entry['segmentations']), N)
        masks[k] = {f: coco_rle_decode(s).astype(bool) for f, s in enumerate(entry['segmentations']) if s is not None}
        per.append({'category_id': entry['category_id'], 'score': entry['score'], 'frames': len(masks[k])})
    ids = match(masks)
    report['youtube_vis'] = {'entries': per, 'match': [ids[k] for k in range(len(vis))],
                             'min_iou': min(iou(m, truth[ids[k]][f]) for k, fs in masks.items() for f, m in fs.items())}

if os.path.exists(path('.mot.txt')):
    rows = []
    for line in open(path('.mot.txt')).read().splitlines():
        parts = line.split(',')
        assert len(parts) == 10, line
        rows.append([float(p) for p in parts])
    rows = np.array(rows)
    boxes_ok = 0
    for fr, tid, x, y, w, h, conf, a, b, c in rows:
        assert fr >= 1 and a == b == c == -1 and 0 <= conf <= 1
        f = int(fr) - 1
        best = 0
        for gt in truth.values():
            ys, xs = np.nonzero(gt[f])
            if len(xs) and [x, y, w, h] == [xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1]:
                best = 1
        boxes_ok += best
    report['mot'] = {'lines': len(rows), 'frames': sorted({int(r[0]) for r in rows}), 'ids': sorted({int(r[1]) for r in rows}), 'boxes_exact': boxes_ok}

if os.path.exists(path('.overlay.mp4')):
    info = probe(path('.overlay.mp4'))
    s = info['streams'][0]
    frames = decode(path('.overlay.mp4'), 'rgb24', 3).astype(np.int32)
    tint = {}
    for gid, gt in truth.items():
        # mean colour over the object's pixels, all frames
        sel = gt.astype(bool)
        tint[gid] = frames[sel].mean(axis=0).round().tolist()
    bg = frames[~np.any(np.stack([g.astype(bool) for g in truth.values()]), axis=0)].mean(axis=0).round().tolist()
    report['overlay'] = {'codec': s['codec_name'], 'pix_fmt': s['pix_fmt'], 'width': s['width'], 'height': s['height'],
                         'frames': int(s['nb_read_frames']), 'duration': float(info['format']['duration']), 'object_colour': tint, 'background_colour': bg}

if os.path.exists(path('.cutout.webm')):
    info = probe(path('.cutout.webm'))
    s = info['streams'][0]
    # the alpha plane travels as a side stream only libvpx decodes (the native vp9 decoder drops it)
    frames = decode(path('.cutout.webm'), 'rgba', 4, codec='libvpx-vp9')
    union = np.any(np.stack([g.astype(bool) for g in truth.values()]), axis=0)
    alpha = frames[..., 3] >= 128
    report['cutout'] = {'codec': s['codec_name'], 'alpha_mode': (s.get('tags') or {}).get('alpha_mode') or (s.get('tags') or {}).get('ALPHA_MODE'),
                        'frames': int(frames.shape[0]), 'alpha_iou': min(iou(alpha[f], union[f]) for f in range(N))}

if os.path.isdir(path('.masks')):
    seqs = {}
    for d in sorted(os.listdir(path('.masks'))):
        files = sorted(os.listdir(os.path.join(path('.masks'), d)))
        tid = int(d.split('-')[0])
        seqs[tid] = {'folder': d, 'files': files, 'masks': {int(f[:-4]): read_png(os.path.join(path('.masks'), d, f))[..., 0] for f in files}}
    ids = match({t: {f: m > 127 for f, m in s['masks'].items() if (m > 127).any()} for t, s in seqs.items()})
    report['masks'] = {str(t): {'folder': s['folder'], 'first': s['files'][0], 'last': s['files'][-1], 'count': len(s['files']),
                                'values': sorted({int(v) for m in s['masks'].values() for v in np.unique(m)}), 'truth': ids[t],
                                'min_iou': min(iou(m > 127, truth[ids[t]][f]) for f, m in s['masks'].items() if truth[ids[t]][f].any())}
                       for t, s in seqs.items()}

print(json.dumps(report))
