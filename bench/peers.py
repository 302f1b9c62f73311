#!/usr/bin/env python3
"""Peer QR decoders (zxing-cpp, ZBar, OpenCV QRCodeDetector / WeChatQRCode) on the peer corpora,
same scoring as Interpay's `cargo bench --bench decode_corpus`: a trial passes when one decoded text
equals the .txt byte for byte; every image at 0/90/180/270 degrees.

  peers.py --corpus DIR [--frames-out DIR] [--json OUT] [--decoders zxing-cpp,zbar,...]
  peers.py --table OUT.json [OUT2.json ...]      print the merged comparison table
  peers.py --camera DIR --json OUT               zxing-cpp on the camera frames (DIR/manifest.json,
                                                 written by `cargo bench --bench camera_frames -- --write DIR`)
  peers.py --camera-table OUT.json [...]         print the per-category camera-frame table

--frames-out writes 1280x720 frames (each corpus code placed on a 1280x720 gradient canvas) with
their expected .txt, and times the peers on them; the Rust bench times Interpay on the same files.
Needs: pip install zxing-cpp opencv-contrib-python-headless pyzbar pillow numpy; apt-get install libzbar0.
"""
import sys, os, json, time, glob, argparse

SETS = ["zxing-cpp", "zxing"]
EXTS = (".png", ".jpg", ".webp", ".jpeg", ".gif", ".pgm")


def samples(root, set_name):
    for txt in sorted(glob.glob(os.path.join(root, "qr", set_name, "**", "*.txt"), recursive=True)):
        if txt.endswith(".result.txt"):
            continue
        stem = txt[:-4]
        for ext in EXTS:
            if os.path.exists(stem + ext):
                yield stem + ext, open(txt, "rb").read()
                break


def make_decoders(names):
    import numpy as np
    from PIL import Image
    out = {}
    if "zxing-cpp" in names:
        import zxingcpp
        def zx_texts(img):
            return [r.text.encode("utf-8") for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]
        out["zxing-cpp"] = zx_texts
    if "zbar" in names:
        from pyzbar import pyzbar
        def zbar(img):
            res = []
            for r in pyzbar.decode(Image.fromarray(img), symbols=[pyzbar.ZBarSymbol.QRCODE]):
                try:
                    res.append(r.data.decode("utf-8").encode("utf-8"))
                except UnicodeDecodeError:
                    res.append(r.data.decode("latin-1").encode("utf-8"))
            return res
        out["zbar"] = zbar
    if "opencv" in names or "wechat-cv" in names:
        import cv2
        if "opencv" in names:
            q = cv2.QRCodeDetector()
            def cvqr(img):
                try:
                    ok, texts, _, _ = q.detectAndDecodeMulti(img)
                    return [t.encode("utf-8") for t in texts if t] if ok else []
                except (cv2.error, UnicodeDecodeError):
                    return []
            out["opencv"] = cvqr
        if "wechat-cv" in names:
            wc = cv2.wechat_qrcode_WeChatQRCode()
            def wechat(img):
                try:
                    texts, _ = wc.detectAndDecode(img)
                    return [t.encode("utf-8") for t in texts]
                except (cv2.error, UnicodeDecodeError):
                    return []
            out["wechat-cv"] = wechat
    return out


def make_frame(gray):
    import numpy as np
    from PIL import Image
    ys, xs = np.mgrid[0:720, 0:1280]
    canvas = (90 + xs // 16 + ys // 24).astype(np.uint8)
    im = Image.fromarray(gray)
    w, h = im.size
    s = min(600.0 / max(w, h), 1.0)
    if s < 1.0:
        im = im.resize((int(w * s), int(h * s)), Image.BILINEAR)
    w, h = im.size
    c = Image.fromarray(canvas)
    c.paste(im, ((1280 - w) // 2, (720 - h) // 2))
    return np.array(c)


def run(args):
    import numpy as np
    from PIL import Image
    names = args.decoders.split(",")
    decs = make_decoders(names)
    result = {"decoders": {}}
    for name in decs:
        result["decoders"][name] = {"sets": {}, "frames": None}
    if args.frames_out:
        os.makedirs(args.frames_out, exist_ok=True)
    frame_list = []
    for set_name in SETS:
        counts = {n: 0 for n in decs}
        secs = {n: 0.0 for n in decs}
        trials = 0
        for k, (path, want) in enumerate(samples(args.corpus, set_name)):
            base = np.array(Image.open(path).convert("L"))
            for r in (0, 90, 180, 270):
                img = np.ascontiguousarray(np.rot90(base, k=r // 90))
                trials += 1
                for n, fn in decs.items():
                    t = time.perf_counter()
                    got = fn(img)
                    secs[n] += time.perf_counter() - t
                    counts[n] += want in got
            if args.frames_out:
                f = make_frame(base)
                fp = os.path.join(args.frames_out, f"{set_name}-{k:03d}.png")
                Image.fromarray(f).save(fp)
                open(fp[:-4] + ".txt", "wb").write(want)
                frame_list.append((f, want))
        for n in decs:
            result["decoders"][n]["sets"][set_name] = {"ok": counts[n], "trials": trials, "ms": secs[n] * 1000 / max(trials, 1)}
        print(f"[peers] {set_name}: " + ", ".join(f"{n} {counts[n]}/{trials}" for n in decs), file=sys.stderr)
    if frame_list:
        for n, fn in decs.items():
            ok = 0
            t = time.perf_counter()
            for f, want in frame_list:
                ok += want in fn(f)
            result["decoders"][n]["frames"] = {"ok": ok, "n": len(frame_list), "ms": (time.perf_counter() - t) * 1000 / len(frame_list)}
    if args.json:
        json.dump(result, open(args.json, "w"), indent=1)
    return result


def table(files):
    rows = {}
    for f in files:
        if not os.path.exists(f):
            continue
        d = json.load(open(f))
        rows.update(d.get("decoders", {}))
    ref = rows.get("zxing-cpp")
    order = ["interpay (native)", "zxing-cpp", "zbar", "wechat-cv", "opencv", "interpay (wasm)", "zxing-wasm", "jsQR"]
    names = [n for n in order if n in rows] + [n for n in rows if n not in order]
    hdr = f"{'decoder':<20} {'zxing-cpp set':>15} {'zxing set':>12} {'ms/img':>8} {'vs zxing-cpp':>13} {'1280x720 ms':>12} {'frames read':>12} {'time ratio':>11}"
    print(hdr)
    print("-" * len(hdr))
    for n in names:
        r = rows[n]
        sets = r.get("sets", {})
        cells = []
        tot_ok = tot_n = 0
        ms_sum = ms_n = 0.0
        for s in SETS:
            v = sets.get(s)
            if v:
                cells.append(f"{v['ok']}/{v['trials']}")
                tot_ok += v["ok"]; tot_n += v["trials"]
                ms_sum += v["ms"] * v["trials"]; ms_n += v["trials"]
            else:
                cells.append("-")
        ms = ms_sum / ms_n if ms_n else None
        ratio = "-"
        if ref and tot_n:
            ref_ok = sum(ref["sets"][s]["ok"] for s in SETS if s in ref["sets"])
            ratio = f"{tot_ok / max(ref_ok, 1):.3f}x"
        fr = r.get("frames") or {}
        fms = fr.get("ms")
        tratio = "-"
        browser = n in ("interpay (wasm)", "zxing-wasm", "jsQR")
        fref = rows.get("zxing-wasm") if browser else ref
        if fms is not None and fref and (fref.get("frames") or {}).get("ms"):
            tratio = f"{fms / fref['frames']['ms']:.2f}x"
        print(f"{n:<20} {cells[0]:>15} {cells[1]:>12} {(f'{ms:.2f}' if ms is not None else '-'):>8} {ratio:>13} "
              f"{(f'{fms:.2f}' if fms is not None else '-'):>12} {(str(fr.get('ok','-')) + '/' + str(fr.get('n','-')) if fr else '-'):>12} {tratio:>11}")
    print("\ncounts: trials read with the exact expected text (4 rotations per image); 'vs zxing-cpp' = codes read / zxing-cpp's;")
    print("time ratio = ms per 1280x720 frame / zxing-cpp's (native rows) or zxing-wasm's (browser rows: same frames,")
    print("same headless Chromium page, same run). Lower is faster.")


def camera(args):
    """zxing-cpp (defaults: try harder, rotate, invert, downscale) on the camera frames, per category:
    codes read with the exact text, wrong texts, ms per frame (best of --reps passes)."""
    import numpy as np
    from PIL import Image
    import zxingcpp
    man = json.load(open(os.path.join(args.camera, "manifest.json")))
    frames = [(m, np.array(Image.open(os.path.join(args.camera, m["file"])).convert("RGB"))) for m in man]
    fn = lambda img: [r.text for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]
    for _, img in frames[:5]:
        fn(img)
    cats = {}
    for m, _ in frames:
        cats.setdefault(m["category"], {"ok": 0, "n": 0, "wrong": 0, "ms": None, "frames": 0, "hard": m.get("hard", False)})
    for rep in range(args.reps):
        spent = {c: 0.0 for c in cats}
        for m, img in frames:
            t = time.perf_counter()
            got = fn(img)
            spent[m["category"]] += time.perf_counter() - t
            if rep == 0:
                c = cats[m["category"]]
                c["n"] += len(m["texts"])
                c["ok"] += sum(1 for x in m["texts"] if x in got)
                c["wrong"] += sum(1 for g in got if g not in m["texts"])
                c["frames"] += 1
        for c, v in cats.items():
            ms = spent[c] * 1000 / max(v["frames"], 1)
            v["ms"] = ms if v["ms"] is None else min(v["ms"], ms)
    res = {"decoders": {"zxing-cpp": {"camera": cats}}}
    if args.json:
        json.dump(res, open(args.json, "w"), indent=1)
    return res


def camera_table(files):
    rows, seed = {}, None
    for f in files:
        if not os.path.exists(f):
            continue
        d = json.load(open(f))
        seed = d.get("seed", seed)
        for k, v in d.get("decoders", {}).items():
            if v.get("camera"):
                rows[k] = v["camera"]
    order = ["interpay (native)", "zxing-cpp", "interpay (wasm)", "zxing-wasm"]
    names = [n for n in order if n in rows]
    if not names:
        return
    # Category order: the manifest's (kept by the zxing-cpp rows), else as stored.
    cats = list(rows.get("zxing-cpp", rows[names[0]]).keys())
    print(f"\ncamera frames (1280x720, generated by tests/common/frames.rs, seed {seed}): read/codes, wrong texts, ms per frame")
    hdr = f"{'category':<14}" + "".join(f" | {n:>26}" for n in names)
    print(hdr)
    print("-" * len(hdr))
    def cell(v):
        return f"{v['ok']:>3}/{v['n']:<3} {v['wrong']:>2}w {v['ms']:>7.1f}ms" if v else "-"
    groups = [("everyday", False), ("hard", True)]
    totals = {n: {g: {"ok": 0, "n": 0, "wrong": 0, "t": 0.0, "f": 0} for g, _ in groups} for n in names}
    for c in cats:
        line = f"{c:<14}"
        for n in names:
            v = rows[n].get(c)
            line += f" | {cell(v):>26}"
            if v:
                g = "hard" if v.get("hard") else "everyday"
                t = totals[n][g]
                t["ok"] += v["ok"]; t["n"] += v["n"]; t["wrong"] += v["wrong"]; t["t"] += v["ms"] * v["frames"]; t["f"] += v["frames"]
        print(line)
    print("-" * len(hdr))
    for g, _ in groups:
        line = f"{'all ' + g:<14}"
        for n in names:
            t = totals[n][g]
            line += f" | {cell({'ok': t['ok'], 'n': t['n'], 'wrong': t['wrong'], 'ms': t['t'] / max(t['f'], 1)}):>26}"
        print(line)
    print("native rows: same frames, same run; browser rows: same frames, one headless Chromium page. Lower ms is faster.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("INTERPAY_CORPUS", "../shared/corpus"))
    ap.add_argument("--frames-out")
    ap.add_argument("--json")
    ap.add_argument("--decoders", default="zxing-cpp,zbar,wechat-cv")
    ap.add_argument("--table", nargs="+")
    ap.add_argument("--camera")
    ap.add_argument("--camera-table", nargs="+")
    ap.add_argument("--reps", type=int, default=2)
    args = ap.parse_args()
    if args.camera_table:
        camera_table(args.camera_table)
        return
    if args.camera:
        camera(args)
        return
    if args.table:
        table(args.table)
        return
    run(args)


if __name__ == "__main__":
    main()
