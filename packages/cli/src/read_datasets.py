"""
Independent reader of a promptseg --out folder's dataset files, used by datasets.test.ts.
Only the standard library, numpy and PyYAML: COCO RLE, PNG, Label Studio brush RLE and the
polygon rasteriser are decoded here from their published formats, not with promptseg's code.
Prints one JSON document with what it found; exits non-zero on the first violated check.
usage: python3 read_datasets.py OUT_DIR
"""
import json, os, re, struct, sys, zlib
import xml.etree.ElementTree as ET
import numpy as np
import yaml

OUT = sys.argv[1]


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def read_png_gray(path):
    """8-bit grayscale PNG -> HxW uint8 (PNG spec: chunks, zlib, per-row filters 0-4)."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path
    pos, idat, w = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and ctype == 0, (path, depth, ctype)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    out = np.zeros((h, w), dtype=np.int32)
    prev = np.zeros(w, dtype=np.int32)
    for y in range(h):
        f = raw[y * (w + 1)]
        row = np.frombuffer(raw, dtype=np.uint8, count=w, offset=y * (w + 1) + 1).astype(np.int32)
        cur = np.zeros(w, dtype=np.int32)
        for x in range(w):
            a = cur[x - 1] if x else 0
            b = prev[x]
            c = prev[x - 1] if x else 0
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
    return out.astype(np.uint8)


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
    assert i == h * w, 'RLE does not cover the image'
    return flat.reshape((w, h)).T


def ls_rle_decode(rle):
    """Label Studio brush RLE (thi.ng rle-pack bit stream) -> flat uint8 array."""
    bits = ''.join(f'{b:08b}' for b in rle)
    pos = 0

    def read(n):
        nonlocal pos
        v = int(bits[pos:pos + n], 2)
        pos += n
        return v

    num = read(32)
    word = read(5) + 1
    sizes = [read(4) + 1 for _ in range(4)]
    out = np.zeros(num, dtype=np.uint8)
    i = 0
    while i < num:
        rep = read(1)
        j = i + 1 + read(sizes[read(2)])
        if rep:
            out[i:j] = read(word)
            i = j
        else:
            while i < j:
                out[i] = read(word)
                i += 1
    return out


def rasterise(rings, w, h):
    """Even-odd fill of rings ([[x, y], ...]) at pixel centres."""
    m = np.zeros((h, w), dtype=np.uint8)
    ys = np.arange(h) + 0.5
    xs = np.arange(w) + 0.5
    for y_i, cy in enumerate(ys):
        cross = []
        for r in rings:
            for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1]):
                if (y0 <= cy) != (y1 <= cy):
                    cross.append(x0 + (cy - y0) / (y1 - y0) * (x1 - x0))
        inside = np.zeros(w, dtype=bool)
        for c in cross:
            inside ^= xs > c
        m[y_i] = inside
    return m


def iou(a, b):
    a, b = a > 0, b > 0
    u = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / u) if u else 1.0


def slug(label):
    return re.sub(r'[^0-9a-z]+', '-', label.lower()).strip('-') or 'object'


def stem_of(file_name):
    return os.path.splitext(os.path.basename(file_name))[0]


report = {}
masks = {}  # (stem, instance id) -> mask from the PNG

coco = json.load(open(os.path.join(OUT, 'instances.json')))
for key in ('images', 'annotations', 'categories'):
    if key not in coco:
        fail(f'instances.json has no {key}')
cats = {c['id']: c['name'] for c in coco['categories']}
if len(cats) != len(coco['categories']):
    fail('category ids repeat')
images = {im['id']: im for im in coco['images']}
per_image = {}
for ann in coco['annotations']:
    im = images[ann['image_id']]
    if ann['category_id'] not in cats:
        fail(f'annotation {ann["id"]} has an unknown category')
    if ann['iscrowd'] != 0:
        fail('iscrowd must be 0')
    m = coco_rle_decode(ann['segmentation'])
    if m.shape != (im['height'], im['width']):
        fail(f'RLE size {m.shape} is not the image size')
    k = per_image.setdefault(im['id'], 0) + 1
    per_image[im['id']] = k
    stem = stem_of(im['file_name'])
    png = read_png_gray(os.path.join(OUT, f'{stem}.mask-{k}-{slug(cats[ann["category_id"]])}.png'))
    if not np.array_equal(m, (png > 0).astype(np.uint8)):
        fail(f'{stem} instance {k}: RLE differs from the mask PNG')
    if int(m.sum()) != ann['area']:
        fail(f'{stem} instance {k}: area {ann["area"]} != {int(m.sum())}')
    ys, xs = np.nonzero(m)
    bbox = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
    if [round(v) for v in ann['bbox']] != bbox:
        fail(f'{stem} instance {k}: bbox {ann["bbox"]} != {bbox}')
    masks[(stem, k)] = (m, cats[ann['category_id']])
report['coco'] = {'images': sorted(stem_of(i['file_name']) for i in coco['images']), 'annotations': len(coco['annotations']), 'categories': sorted(cats.values())}
sizes = {stem_of(i['file_name']): (i['width'], i['height']) for i in coco['images']}

# GeoJSON per image: MultiPolygon (outer rings + holes) rasterised back
geo_ious = []
for stem in sizes:
    path = os.path.join(OUT, f'{stem}.geojson')
    if not os.path.exists(path):
        continue
    doc = json.load(open(path))
    w, h = sizes[stem]
    for k, feat in enumerate(doc['features'], start=1):
        assert feat['geometry']['type'] == 'MultiPolygon'
        rings = [r[:-1] for poly in feat['geometry']['coordinates'] for r in poly]
        m, label = masks[(stem, k)]
        if feat['properties']['label'] != label:
            fail('GeoJSON label differs')
        geo_ious.append(iou(rasterise(rings, w, h), m))
report['geojson_min_iou'] = min(geo_ious) if geo_ious else None

# YOLO: data.yaml names, normalised polygon lines checked against the image size
data = yaml.safe_load(open(os.path.join(OUT, 'yolo', 'data.yaml')))
names = data['names']
yolo = {'names': [names[i] for i in sorted(names)], 'labels': 0, 'iou': {}, 'recall': {}}
for stem, (w, h) in sizes.items():
    path = os.path.join(OUT, 'yolo', 'labels', f'{stem}.txt')
    if not os.path.exists(path):
        fail(f'no YOLO labels for {stem}')
    yolo['labels'] += 1
    by_class = {}
    for line in open(path).read().splitlines():
        parts = line.split()
        cls, vals = int(parts[0]), [float(v) for v in parts[1:]]
        if cls not in names or len(vals) % 2 or len(vals) < 6:
            fail(f'bad YOLO line in {stem}: {line[:60]}')
        if not all(0 <= v <= 1 for v in vals):
            fail(f'YOLO coordinate outside 0..1 in {stem}')
        by_class.setdefault(names[cls], []).append([[vals[i] * w, vals[i + 1] * h] for i in range(0, len(vals), 2)])
    for label in sorted(set(l for (s, _), (_, l) in masks.items() if s == stem)):
        truth = np.zeros((h, w), dtype=np.uint8)
        for (s, _), (m, l) in masks.items():
            if s == stem and l == label:
                truth |= m
        got = np.zeros((h, w), dtype=np.uint8)
        for ring in by_class.get(label, []):
            got |= rasterise([ring], w, h)  # one object per line, outer ring only
        yolo['iou'][f'{stem}/{label}'] = iou(got, truth)
        yolo['recall'][f'{stem}/{label}'] = float((got & truth).sum() / truth.sum())
report['yolo'] = yolo

# Label Studio: tasks with brush RLE predictions, names matching the labeling config
tree = ET.parse(os.path.join(OUT, 'labelstudio-config.xml')).getroot()
brush = tree.find('BrushLabels')
image_tag = tree.find('Image')
config_labels = [l.get('value') for l in brush.findall('Label')]
tasks = json.load(open(os.path.join(OUT, 'labelstudio.json')))
ls_exact = 0
for task in tasks:
    stem = stem_of(task['data']['image'])
    for k, res in enumerate(task['predictions'][0]['result'], start=1):
        if res['from_name'] != brush.get('name') or res['to_name'] != image_tag.get('name') or brush.get('toName') != image_tag.get('name'):
            fail('Label Studio names do not match the labeling config')
        if res['type'] != 'brushlabels' or res['value']['format'] != 'rle':
            fail('not a brush RLE result')
        label = res['value']['brushlabels'][0]
        if label not in config_labels:
            fail(f'{label} not in the labeling config')
        w, h = res['original_width'], res['original_height']
        flat = ls_rle_decode(res['value']['rle'])
        if flat.size != w * h * 4:
            fail('Label Studio RLE length is not width*height*4')
        alpha = flat.reshape((h, w, 4))[:, :, 3]
        m, l = masks[(stem, k)]
        if l != label or not np.array_equal((alpha > 0).astype(np.uint8), m):
            fail(f'{stem} instance {k}: Label Studio mask differs from the mask PNG')
        ls_exact += 1
report['labelstudio'] = {'tasks': len(tasks), 'exact_masks': ls_exact, 'config_labels': config_labels}
print(json.dumps(report))
