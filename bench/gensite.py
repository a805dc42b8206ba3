#!/usr/bin/env python3
"""gensite.py - a deterministic synthetic weekly blog for the benchmarks.

    bench/gensite.py OUT_DIR [--years N] [--start YEAR] [--seed S] [--title T]

writes a Jekyll-shaped site: OUT_DIR/_config.yml, OUT_DIR/_posts/ with one
post every Sunday from 1 January of START for N years (52 or 53 a year), and
OUT_DIR/img/ with one small PNG per post.  The same arguments give the same
bytes (no clock, no environment; Python's random with a fixed seed).

Each post is of the size and mix of a real Chinese weekly (3 to 9 KB of
Markdown): front matter (title, date, tags), Chinese paragraphs with English
words and inline code, two or three headings, a quote, a bulleted and a
numbered list, a table, a fenced code block, links, and one local image.  The
words are made up here from a small vocabulary, not taken from any corpus.
"""
import argparse
import datetime
import os
import random
import struct
import zlib

ZH = (
    "今天 这周 我们 一起 看看 最近 发现 一些 有趣 的 工具 和 文章 其中 最 值得 推荐 是 "
    "一个 开源 项目 它 可以 帮助 开发者 更 快 地 完成 日常 工作 如果 你 也 喜欢 写作 "
    "那么 不妨 试试 这个 方法 周末 去 了 西湖 边 散步 天气 很 好 阳光 照 在 湖面 上 "
    "朋友 说 生活 需要 一点 仪式感 读书 笔记 记录 思考 设计 产品 体验 细节 决定 成败 "
    "团队 沟通 效率 时间 管理 习惯 坚持 简单 复杂 问题 答案 世界 城市 山 水 风景 "
    "咖啡 早晨 晚上 音乐 电影 旅行 照片 故事 历史 未来 技术 数据 模型 系统 界面"
).split()
EN = (
    "Rust Go Python TypeScript SQLite Postgres Linux macOS iPhone GitHub Docker Kubernetes "
    "WebAssembly Figma Notion Vim Emacs React Vue Swift Kotlin CLI API JSON HTTP CSS"
).split()
PUNCT = ["，", "，", "，", "。", "；", "："]


def sentence(r):
    words = []
    for _ in range(r.randint(8, 22)):
        if r.random() < 0.12:
            words.append(" %s " % r.choice(EN))
        elif r.random() < 0.03:
            words.append(" `%s` " % r.choice(["make", "git log", "cargo run", "npm test"]))
        else:
            words.append(r.choice(ZH))
        if r.random() < 0.1:
            words.append(r.choice(PUNCT[:3]))
    return "".join(words).strip().rstrip("，；：") + r.choice(["。", "。", "！", "？"])


def paragraph(r, n=None):
    return "".join(sentence(r) for _ in range(n or r.randint(2, 5)))


def link(r, i):
    host = r.choice(["example.com", "example.org", "blog.example.net", "docs.example.io"])
    return "[%s](https://%s/%s/%d)" % (r.choice(EN), host, r.choice(["post", "p", "a"]), i)


def png(width, height, seed):
    """A small RGB PNG, a gradient whose colours come from SEED."""
    r0, g0, b0 = (seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((r0 + 2 * x) % 256, (g0 + 3 * y) % 256, (b0 + x + y) % 256))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def post(r, i, day, image):
    title = "第 %d 期：%s%s" % (i, r.choice(ZH), r.choice(ZH))
    tags = sorted({r.choice(["工具", "读书", "生活", "技术", "设计", "旅行"]) for _ in range(2)})
    out = ["---", 'title: "%s"' % title, "date: %s 09:00:00 +0800" % day.isoformat(),
           "tags: [%s]" % ", ".join(tags), "---", ""]
    out += [paragraph(r), "", "![%s](/img/%s)" % (r.choice(ZH) + r.choice(ZH), image), ""]
    for h in range(r.randint(2, 3)):
        out += ["## %s%s %s" % (r.choice(ZH), r.choice(ZH), r.choice(EN)), ""]
        for _ in range(r.randint(2, 4)):
            p = paragraph(r)
            if r.random() < 0.5:
                p += " 详见 %s。" % link(r, i * 10 + h)
            out += [p, ""]
        if h == 0:
            out += ["> " + paragraph(r, 2), "", ]
            out += ["- %s %s" % (sentence(r), link(r, k)) for k in range(r.randint(3, 5))] + [""]
        if h == 1:
            out += ["%d. %s" % (k + 1, sentence(r)) for k in range(r.randint(3, 4))] + [""]
            out += ["| 名称 | 类型 | 说明 |", "|---|---|---|"]
            out += ["| %s | %s | %s |" % (r.choice(EN), r.choice(ZH), sentence(r))
                    for _ in range(r.randint(3, 5))] + [""]
        if h == 2 or (h == 1 and r.random() < 0.5):
            out += ["```python", "def week_%d(items):" % i,
                    "    # %s" % r.choice(EN),
                    "    return [x * %d for x in items if x %% 2]" % r.randint(2, 9), "```", ""]
    out += ["—— %s" % paragraph(r, 1), ""]
    return title, "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--start", type=int, default=2015)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--title", default="Synthetic Weekly")
    a = ap.parse_args()
    r = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "_posts"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "img"), exist_ok=True)
    with open(os.path.join(a.out, "_config.yml"), "w", encoding="utf-8") as f:
        f.write('title: "%s"\nauthor: Bench Writer\nlang: zh-CN\n' % a.title)
    day = datetime.date(a.start, 1, 1)
    day += datetime.timedelta(days=(6 - day.weekday()) % 7)  # the first Sunday
    end = datetime.date(a.start + a.years, 1, 1)
    i = 0
    while day < end:
        i += 1
        image = "w%04d.png" % i
        with open(os.path.join(a.out, "img", image), "wb") as f:
            f.write(png(r.randint(40, 96), r.randint(30, 72), a.seed * 1000 + i))
        _, text = post(r, i, day, image)
        name = "%s-week-%d.md" % (day.isoformat(), i)
        with open(os.path.join(a.out, "_posts", name), "w", encoding="utf-8") as f:
            f.write(text)
        day += datetime.timedelta(days=7)
    print("%s: %d posts, %d years from %d" % (a.out, i, a.years, a.start))


if __name__ == "__main__":
    main()
