"""Segmenter benchmark (issue 2): jieba vs rjieba for yuanqu's Chinese text module.

Measures, each segmenter loaded with the same domain dictionary (yuanqu.core.text.domain_words):
- load time in a fresh process: import + dictionary + domain words (jieba cold = no prefix-dict
  cache file, warm = cache present);
- throughput (MB/s of UTF-8 input) of precise cut and search cut on a corpus generated from the
  repository's reference data (GB/T 4754 scope notes, park notes) and templated listing and
  news sentences;
- agreement of the two on sample sentences (identical token lists, token-set Jaccard);
- throughput of yuanqu's own pipeline (fold + cut + inner words + synonyms);
- resident memory of a web process (config.wsgi imported) before and after the first
  segmentation, with rjieba (what yuanqu ships) and with jieba.

Usage: .venv/bin/python bench/bench_segmenter.py [--runs 5] [--corpus-mb 2]
Bounded: about one to two minutes on a 2-core machine. Prints a Markdown report to stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable

LOAD_PROBE = r"""
import json, sys, time, logging
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from yuanqu.core.text import domain_words, fold
words = [fold(w) for w in domain_words()]
t1 = time.perf_counter()
kind = {kind!r}
if kind == "rjieba":
    import rjieba
    seg = rjieba.Jieba()
    for w in words:
        seg.add_word(w, None, None)
    seg.cut("徐州经济技术开发区")
else:
    import jieba
    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    seg.tmp_dir = {tmp_dir!r}
    seg.initialize()
    for w in words:
        seg.add_word(w)
    seg.lcut("徐州经济技术开发区")
t2 = time.perf_counter()
print(json.dumps({{"words": t1 - t0, "segmenter": t2 - t1}}))
"""

MEMORY_PROBE = r"""
import json, os, sys, logging
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
def rss():
    return int([l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1]) / 1024
from config.wsgi import application
before = rss()
kind = {kind!r}
text = "徐州經濟技術開發區招商引资,拿地即开工,专精特新企业集聚,标准厂房先租后买"
if kind == "rjieba":
    from yuanqu.core.text import segment_for_index
    segment_for_index(text)
else:
    import jieba
    jieba.setLogLevel(logging.WARNING)
    from yuanqu.core.text import domain_words, fold
    seg = jieba.Tokenizer()
    seg.tmp_dir = {tmp_dir!r}
    seg.initialize()
    for w in domain_words():
        seg.add_word(fold(w))
    seg.lcut_for_search(fold(text))
after = rss()
print(json.dumps({{"before": before, "after": after}}))
"""

KINDS = ("厂房", "仓库", "土地", "写字楼")
DEALS = ("出租", "出售", "先租后买")
TEMPLATES = (
    "{park}{kind}{deal},建筑面积{area}平方米,层高{height}米,承重{load}吨/平方米,可配电{power}kVA,{extra}。",
    "{park}新签约{industry}项目,总投资{money}亿元,计划{month}月拿地即开工,达产后年税收{tax}万元。",
    "招商动态:{park}围绕{industry}强链补链,今年新增专精特新企业{count}家,主要指标实现双过半。",
    "求租{kind}{area}平左右,做{industry}的,要{crane}吨行车,预算{price}元一平一个月,最好在{park}附近。",
    "{region}{kind}{deal},独门独院,可环评,{extra},租金{price}元/㎡·月,押一付三,起租三年。",
)
EXTRAS = (
    "带办公楼",
    "有天然气",
    "双回路供电",
    "消防丙类",
    "钢结构",
    "近高速口",
    "有货梯",
    "洁净车间",
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def build_corpus(target_bytes: int, seed: int = 2026) -> tuple[str, list[str]]:
    """Real scope-note prose plus templated listing/news sentences, to `target_bytes`."""
    data = ROOT / "yuanqu" / "core" / "data"
    industries = read_csv(data / "gbt4754_2017.csv")
    parks = read_csv(ROOT / "yuanqu" / "parks" / "data" / "parks.csv")
    regions = [
        row["name"]
        for row in read_csv(data / "admin_divisions_jiangsu.csv")
        if row["level"] == "county"
    ]
    notes = [row["remark"] for row in industries if len(row["remark"]) > 10]
    notes += [row["industry_note"] for row in parks]
    park_names = [row["name"] for row in parks] + [
        row["short_name"] for row in parks if row["short_name"]
    ]
    industry_names = [row["name"] for row in industries if row["level"] == "4"]
    rng = random.Random(seed)
    sentences: list[str] = []
    size = 0
    while size < target_bytes:
        if rng.random() < 0.35:
            sentence = rng.choice(notes)
        else:
            sentence = rng.choice(TEMPLATES).format(
                park=rng.choice(park_names),
                region=rng.choice(regions),
                kind=rng.choice(KINDS),
                deal=rng.choice(DEALS),
                area=rng.randrange(500, 30000, 100),
                height=rng.choice((6, 8, 9, 10, 12)),
                load=rng.choice((1, 2, 3, 5)),
                power=rng.choice((250, 400, 630, 800, 1250)),
                extra=rng.choice(EXTRAS),
                industry=rng.choice(industry_names),
                money=rng.choice((1.5, 3, 5, 10, 20)),
                month=rng.randrange(1, 13),
                tax=rng.randrange(100, 5000, 50),
                count=rng.randrange(2, 30),
                crane=rng.choice((5, 10, 16, 20)),
                price=rng.choice((12, 15, 18, 20, 25)),
            )
        sentences.append(sentence)
        size += len(sentence.encode("utf-8"))
    return "\n".join(sentences), sentences


def text_to_traditional(document: str) -> str:
    from opencc_purepy import OpenCC

    return OpenCC("s2t").convert(document)


def median_runs(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run_probe(template: str, runs: int, **values: str) -> list[dict]:
    results = []
    for _ in range(runs):
        code = template.format(root=str(ROOT), **values)
        output = subprocess.run(
            [PYTHON, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=120
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus-mb", type=float, default=2.0)
    args = parser.parse_args()

    import logging

    import jieba
    import rjieba

    from yuanqu.core import text

    jieba.setLogLevel(logging.WARNING)
    words = [text.fold(word) for word in text.domain_words()]
    corpus, sentences = build_corpus(int(args.corpus_mb * 1024 * 1024))
    corpus_mb = len(corpus.encode("utf-8")) / 1024 / 1024
    # Documents of 20 sentences (about 2.5 KB), the unit an index or a request handles.
    documents = ["".join(sentences[i : i + 20]) for i in range(0, len(sentences), 20)]
    folded = [text.fold(document) for document in documents]

    report: list[str] = []
    add = report.append
    add(
        f"Command: `.venv/bin/python bench/bench_segmenter.py --runs {args.runs} --corpus-mb {args.corpus_mb}`"
    )
    add(
        f"Python {sys.version.split()[0]}, jieba {jieba.__version__}, rjieba 0.2.2, {os.cpu_count()} CPUs"
    )
    add(
        f"Corpus: {corpus_mb:.2f} MB UTF-8, {len(sentences)} sentences in {len(documents)} documents; domain dictionary: {len(words)} words"
    )
    add("")

    # 1. Load time in a fresh process.
    with tempfile.TemporaryDirectory() as cold_dir, tempfile.TemporaryDirectory() as warm_dir:
        rjieba_load = run_probe(LOAD_PROBE, args.runs, kind="rjieba", tmp_dir=warm_dir)
        jieba_cold = []
        for _ in range(args.runs):
            for cached in Path(cold_dir).glob("*"):
                cached.unlink()
            jieba_cold += run_probe(LOAD_PROBE, 1, kind="jieba", tmp_dir=cold_dir)
        run_probe(LOAD_PROBE, 1, kind="jieba", tmp_dir=warm_dir)  # writes the cache
        jieba_warm = run_probe(LOAD_PROBE, args.runs, kind="jieba", tmp_dir=warm_dir)
        rjieba_memory = run_probe(MEMORY_PROBE, args.runs, kind="rjieba", tmp_dir=warm_dir)
        jieba_memory = run_probe(MEMORY_PROBE, args.runs, kind="jieba", tmp_dir=warm_dir)

    def med(results: list[dict], key: str) -> float:
        return statistics.median(result[key] for result in results)

    words_seconds = med(rjieba_load, "words")
    add(
        f"## Load time (fresh process, median of {args.runs}; "
        f"dictionary words read from CSVs: {words_seconds:.3f} s)"
    )
    add("")
    add("| segmenter | load + 2.3k domain words |")
    add("|---|---|")
    add(f"| rjieba | {med(rjieba_load, 'segmenter'):.3f} s |")
    add(f"| jieba, no cache file | {med(jieba_cold, 'segmenter'):.3f} s |")
    add(f"| jieba, cache file present | {med(jieba_warm, 'segmenter'):.3f} s |")
    add("")

    # 2. Throughput.
    fast = rjieba.Jieba()
    for word in words:
        fast.add_word(word, None, None)
    slow = jieba.Tokenizer()
    slow.initialize()
    for word in words:
        slow.add_word(word)
    slow_runs = max(1, min(3, args.runs))

    def each(function):
        return lambda: [function(document) for document in folded]

    def each_raw(function):
        return lambda: [function(document) for document in documents]

    timings = {
        ("rjieba", "cut"): median_runs(each(fast.cut), args.runs),
        ("rjieba", "cut_for_search"): median_runs(each(fast.cut_for_search), args.runs),
        ("jieba", "cut"): median_runs(each(slow.lcut), slow_runs),
        ("jieba", "cut_for_search"): median_runs(each(slow.lcut_for_search), slow_runs),
    }
    text._load_segmenter()
    traditional = [text_to_traditional(document) for document in documents[:200]]
    traditional_mb = sum(len(d.encode("utf-8")) for d in traditional) / 1024 / 1024
    pipeline = {
        "fold": median_runs(each_raw(text.fold), args.runs),
        "segment_for_query": median_runs(each_raw(text.segment_for_query), args.runs),
        "segment_for_index": median_runs(each_raw(text.segment_for_index), args.runs),
    }
    fold_traditional = median_runs(lambda: [text.fold(d) for d in traditional], args.runs)
    add(f"## Throughput (MB/s of UTF-8 input, median of {args.runs} runs, jieba {slow_runs})")
    add("")
    add("| segmenter | precise cut | search cut |")
    add("|---|---|---|")
    for name in ("rjieba", "jieba"):
        add(
            f"| {name} | {corpus_mb / timings[(name, 'cut')]:.1f} | "
            f"{corpus_mb / timings[(name, 'cut_for_search')]:.1f} |"
        )
    ratio = timings[("jieba", "cut")] / timings[("rjieba", "cut")]
    add("")
    add(f"rjieba / jieba speed ratio (precise cut): {ratio:.0f}×")
    add("")
    add("yuanqu pipeline on the same corpus (rjieba inside):")
    add("")
    add("| function | MB/s |")
    add("|---|---|")
    for name, seconds in pipeline.items():
        add(f"| `{name}` | {corpus_mb / seconds:.1f} |")
    add(
        f"| `fold` on the same documents in traditional characters | {traditional_mb / fold_traditional:.1f} |"
    )
    add("")

    # 3. Agreement.
    rng = random.Random(7)
    sample = rng.sample(sentences, min(500, len(sentences)))
    identical = 0
    jaccards = []
    for sentence in sample:
        a = fast.cut(text.fold(sentence))
        b = slow.lcut(text.fold(sentence))
        identical += a == b
        jaccards.append(len(set(a) & set(b)) / max(1, len(set(a) | set(b))))
    add(f"## Agreement on {len(sample)} sample sentences (precise cut, same dictionary)")
    add("")
    add(f"- identical token lists: {identical}/{len(sample)} ({identical / len(sample):.1%})")
    add(f"- mean token-set Jaccard: {statistics.mean(jaccards):.3f}")
    differing = [s for s in sample if fast.cut(text.fold(s)) != slow.lcut(text.fold(s))][:3]
    for sentence in differing:
        short = sentence[:40]
        add(
            f"- differs: `{short}` → rjieba `{'/'.join(fast.cut(text.fold(short)))}` · jieba `{'/'.join(slow.lcut(text.fold(short)))}`"
        )
    add("")

    # 4. Memory.
    add(f"## Web process memory (config.wsgi imported; VmRSS, median of {args.runs})")
    add("")
    add("| segmenter | before first segmentation | after | delta |")
    add("|---|---|---|---|")
    for name, results in (("rjieba (yuanqu.core.text)", rjieba_memory), ("jieba", jieba_memory)):
        before, after = med(results, "before"), med(results, "after")
        add(f"| {name} | {before:.1f} MB | {after:.1f} MB | {after - before:+.1f} MB |")
    print("\n".join(report))


if __name__ == "__main__":
    main()
