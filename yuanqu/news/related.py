"""Related articles: TF-IDF cosine over segmented text, plus shared parks/industries/chain
links/category.

Text similarity decides; the links only add a bounded bonus to candidates that already share
words, so an article never becomes "related" for sharing a park, a chain or a category alone.
Place names (parks, counties, townships, 经开区 …) are left out of the text: they say where a
story happened, not what it is about, and count once as a shared park instead.

What links an article, the same in both paths below and in bench/related_quality.py:
- parks: its `parks` field, plus the parks its text names (the segmenter dictionary's park
  names, short names and aliases);
- industries: its `industries` field;
- chain links: the industrial-chain links (`chains.ChainLink`) whose keywords its text contains
  (挖掘机 → 工程机械「挖掘机械」), and so their chains; the policy themes of `themes.py`
  (安家补贴 → 人才与就业「人才引进政策」) count as chains too; the chains with the most of its
  links (a link its title names counts twice) are its main chains;
- category: its category (the smallest bonus).

Two paths over the same weights:
- `related_recompute_all` builds every vector in memory (an inverted index over each
  article's top terms) and stores the top 8 for all articles, plus the document
  frequencies (`TermStatistic`);
- `related_refresh_for_article` does one article: its candidates come from the search index
  (the most recent articles holding its strongest terms) and the stored frequencies, so it
  never reads the whole corpus.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.db import transaction

from yuanqu.core import search
from yuanqu.core.text import (
    fold,
    park_name_groups,
    place_names,
    segment_for_index_by_token,
    segment_for_query,
)
from yuanqu.news.content import html_to_text
from yuanqu.news.models import Article, RelatedArticle, TermStatistic
from yuanqu.news.selectors import article_extras_forget
from yuanqu.news.signals import bump_page_cache
from yuanqu.news.themes import theme_links

RELATED_COUNT = 8
TITLE_WEIGHT = 2
VECTOR_TERMS = 40
CANDIDATE_TERMS = 8
CANDIDATES_PER_TERM = 200
MAX_CANDIDATES = 120
MIN_SCORE = 0.05
# Link bonuses, chosen on the "tune" half of bench/data/related_topics_v2.json only (see
# docs/bench/news.md): a shared main chain mattered most; a shared park lowered topic
# precision there (one park hosts stories on every subject), so it only breaks near-ties.
PARK_BONUS = 0.02
INDUSTRY_BONUS = 0.04
LINK_BONUS = 0.06
CHAIN_BONUS = 0.20
CATEGORY_BONUS = 0.02
MAX_BONUS = 0.30
COMMON_TERM_SHARE = 0.05


@dataclass(frozen=True)
class Terms:
    """An article's content words (title words counted TITLE_WEIGHT times), apart from them
    the place names it mentions, and its folded text (for multi-word chain keywords); the
    title's own words and folded text too, to tell the links its title names."""

    counts: Counter[str]
    places: frozenset[str]
    text: str
    title_words: frozenset[str]
    title: str


# Per cut token: (its index terms as the segmenter gave them, its content words, its place
# names). Checked by identity against the segmenter's own memo, so words added to the
# dictionary at run time are seen; bounded like that memo.
_TOKEN_CACHE_SIZE = 50_000
_token_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}


def _token_parts(
    token: str, index_terms: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    place_words = place_names()
    if token in place_words:
        # 徐州经开区 goes with its parts (徐州, 经开区, 经济技术开发区 …).
        words: tuple[str, ...] = ()
        places: tuple[str, ...] = (token,)
    else:
        content = [term for term in index_terms if _is_content_word(term)]
        words = tuple(term for term in content if term not in place_words)
        places = tuple(term for term in content if term in place_words)
    parts = (index_terms, words, places)
    if len(_token_cache) < _TOKEN_CACHE_SIZE:
        _token_cache[token] = parts
    return parts


def article_terms(title: str, text: str) -> Terms:
    """Index-mode tokens (so 集成电路 also counts as 电路); place names go to `places`, not to
    the counts. Measured on bench/data/related_topics.json: index-mode tokens raised text-only
    precision@5 from 0.20 to 0.30 over precise cutting."""
    counts: dict[str, int] = {}
    places: set[str] = set()
    title, text = fold(title), fold(text)
    cache = _token_cache

    def add(source: str, weight: int) -> None:
        for token, index_terms in segment_for_index_by_token(source):
            parts = cache.get(token)
            if parts is None or parts[0] is not index_terms:
                parts = _token_parts(token, index_terms)
            for word in parts[1]:
                counts[word] = counts.get(word, 0) + weight
            if parts[2]:
                places.update(parts[2])

    add(title, TITLE_WEIGHT)
    title_words = frozenset(counts)
    add(text, 1)
    return Terms(Counter(counts), frozenset(places), title + "\n" + text, title_words, title)


def term_counts(title: str, text: str) -> Counter[str]:
    """Content words of an article, place names left out; the title counts twice."""
    return article_terms(title, text).counts


def _is_content_word(token: str) -> bool:
    return len(token) >= 2 and not token.isdigit() and len(token) <= 64


@lru_cache(maxsize=1)
def _park_keys() -> dict[str, str]:
    """Folded park name, short name or alias → the folded full name (the park's key)."""
    keys: dict[str, str] = {}
    for group in park_name_groups():
        for name in group:
            keys[fold(name)] = fold(group[0])
    return keys


def parks_named(places: Iterable[str]) -> frozenset[str]:
    """The parks (keys: folded full names) among place tokens; 经开区 alone names none."""
    keys = _park_keys()
    return frozenset(keys[place] for place in places if place in keys)


def park_key(name: str) -> str:
    """The key of a park row's name, the same as the one its mentions in text give."""
    folded = fold(name)
    return _park_keys().get(folded, folded)


class LinkVocabulary:
    """Industrial-chain links and the keywords that place a text in them.

    A keyword is found in a text when it is one of the text's terms (a token, or a dictionary
    word inside one), or when the text contains it verbatim and every content word of its
    precise cut is a term (创新药 → 创新 + 药: not "创新" alone, and 合成 is not inside 综合成本).
    Link names are labels, not keywords, and are not matched.
    """

    def __init__(self, links: Iterable[tuple[str, str, Iterable[str]]] = ()) -> None:
        # first content word of a keyword → [(folded keyword, its other words, link, chain)]
        self._by_first: dict[str, list[tuple[str, tuple[str, ...], str, str]]] = defaultdict(list)
        for chain, name, keywords in links:
            for keyword in dict.fromkeys(fold(keyword) for keyword in keywords):
                words = tuple(
                    dict.fromkeys(
                        word for word in segment_for_query(keyword) if _is_content_word(word)
                    )
                )
                if words:
                    entry = (keyword, words[1:], f"{chain}/{name}", chain)
                    self._by_first[words[0]].append(entry)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def match(self, terms: Collection[str], text: str) -> tuple[frozenset[str], frozenset[str]]:
        """(link keys, chain slugs) whose keywords the text holds (`terms`: its content words,
        `text`: the folded text)."""
        links: set[str] = set()
        chains: set[str] = set()
        by_first = self._by_first
        for term in by_first.keys() & terms:
            for keyword, rest, link, chain in by_first[term]:
                if keyword == term or (keyword in text and all(word in terms for word in rest)):
                    links.add(link)
                    chains.add(chain)
        return frozenset(links), frozenset(chains)


_vocabulary_lock = threading.Lock()
_vocabulary_cache: tuple[tuple, LinkVocabulary] | None = None


def link_vocabulary() -> LinkVocabulary:
    """The chain links stored in the database (one query of about two hundred short rows) and
    the policy themes of `themes.py`; the vocabulary is rebuilt only when those rows changed."""
    global _vocabulary_cache
    from yuanqu.chains.models import ChainLink, split_list

    rows = tuple(ChainLink.objects.order_by("id").values_list("chain__slug", "name", "keywords"))
    with _vocabulary_lock:
        if _vocabulary_cache is None or _vocabulary_cache[0] != rows:
            vocabulary = LinkVocabulary(
                [
                    *theme_links(),
                    *((chain, name, split_list(keywords)) for chain, name, keywords in rows),
                ]
            )
            _vocabulary_cache = (rows, vocabulary)
        return _vocabulary_cache[1]


def weigh(counts: Counter[str], document_frequency: dict[str, int], total: int) -> dict[str, float]:
    """L2-normalised TF-IDF over the strongest VECTOR_TERMS terms."""
    weights = {
        term: (1 + math.log(count))
        * math.log((total + 1) / (document_frequency.get(term, 0) + 1) + 1)
        for term, count in counts.items()
    }
    top = sorted(weights.items(), key=lambda item: item[1], reverse=True)[:VECTOR_TERMS]
    norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
    return {term: weight / norm for term, weight in top}


def cosine(left: dict[str, float], right: dict[str, float]) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(weight * right.get(term, 0.0) for term, weight in left.items())


@dataclass
class Doc:
    id: int
    counts: Counter[str]
    category_id: int | None = None
    parks: frozenset[str | int] = field(default_factory=frozenset)
    industries: frozenset[str] = field(default_factory=frozenset)
    links: frozenset[str] = field(default_factory=frozenset)
    chains: frozenset[str] = field(default_factory=frozenset)
    # The chains it is mostly about (see `main_chains`); only these earn CHAIN_BONUS.
    main_chains: frozenset[str] = field(default_factory=frozenset)


def make_doc(
    doc_id: int,
    title: str,
    text: str,
    *,
    vocabulary: LinkVocabulary,
    category_id: int | None = None,
    parks: Iterable[str] = (),
    industries: Iterable[str] = (),
) -> Doc:
    """A ranking document: the text's terms, and its links — the given parks (keys, see
    `park_key`) and industries plus the parks and chain links its text names."""
    terms = article_terms(title, text)
    links, chains = vocabulary.match(terms.counts, terms.text)
    title_links, _ = vocabulary.match(terms.title_words, terms.title)
    return Doc(
        id=doc_id,
        counts=terms.counts,
        category_id=category_id,
        parks=frozenset(parks) | parks_named(terms.places),
        industries=frozenset(industries),
        links=links,
        chains=chains,
        main_chains=main_chains(links, title_links),
    )


def main_chains(links: Iterable[str], title_links: Iterable[str]) -> frozenset[str]:
    """The chains with the most links in the text, a link its title names counting twice.

    A port story naming the excavators it ships is in the machinery chain too, but mostly
    about logistics. On the tune half of bench/data/related_topics_v2.json, giving
    CHAIN_BONUS (0.20) only for a shared main chain raised precision@5 from 0.442 to 0.500;
    raising the bonus for any shared chain instead did less (docs/bench/news.md).
    """
    weight = Counter(_chain_of(link) for link in itertools.chain(links, title_links))
    if not weight:
        return frozenset()
    most = max(weight.values())
    return frozenset(chain for chain, count in weight.items() if count == most)


def _chain_of(link: str) -> str:
    return link.partition("/")[0]


def link_bonus(left: Doc, right: Doc) -> float:
    bonus = PARK_BONUS * len(left.parks & right.parks)
    bonus += INDUSTRY_BONUS * len(left.industries & right.industries)
    bonus += LINK_BONUS * len(left.links & right.links)
    if not left.main_chains.isdisjoint(right.main_chains):
        bonus += CHAIN_BONUS
    if left.category_id is not None and left.category_id == right.category_id:
        bonus += CATEGORY_BONUS
    return min(bonus, MAX_BONUS)


def rank_all(docs: Sequence[Doc], *, use_links: bool = True, top: int = RELATED_COUNT):
    """For every doc, [(other doc id, score)] best first. Pure; used by the bench too."""
    document_frequency: Counter[str] = Counter()
    for doc in docs:
        document_frequency.update(doc.counts.keys())
    total = len(docs)
    vectors = [weigh(doc.counts, document_frequency, total) for doc in docs]
    # Terms in more than COMMON_TERM_SHARE of articles carry little signal and would make
    # the inverted lists quadratic; they still count in the vectors' norms.
    common_limit = max(50, int(total * COMMON_TERM_SHARE))
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            if document_frequency[term] <= common_limit:
                postings[term].append((index, weight))
    ranked: dict[int, list[tuple[int, float]]] = {}
    for index, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for other, other_weight in postings.get(term, ()):
                if other != index:
                    scores[other] += weight * other_weight
        if use_links:
            for other in scores:
                scores[other] += link_bonus(docs[index], docs[other])
        best = sorted(scores.items(), key=lambda item: (-item[1], -docs[item[0]].id))[:top]
        ranked[docs[index].id] = [
            (docs[other].id, score) for other, score in best if score >= MIN_SCORE
        ]
    return ranked, document_frequency


def _published_docs(
    ids: Iterable[int] | None = None, *, vocabulary: LinkVocabulary | None = None
) -> list[Doc]:
    queryset = Article.objects.published()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    rows = list(
        queryset.order_by("id").values_list("id", "title", "summary", "body", "category_id")
    )
    if vocabulary is None:
        vocabulary = link_vocabulary()
    id_list = [row[0] for row in rows]
    parks: dict[int, set[str]] = defaultdict(set)
    industries: dict[int, set[str]] = defaultdict(set)
    through_parks = Article.parks.through.objects
    through_industries = Article.industries.through.objects
    for start in range(0, len(id_list), 900):
        chunk = id_list[start : start + 900]
        for article_id, park_name in through_parks.filter(article_id__in=chunk).values_list(
            "article_id", "park__name"
        ):
            parks[article_id].add(park_key(park_name))
        for article_id, code in through_industries.filter(article_id__in=chunk).values_list(
            "article_id", "industry_id"
        ):
            industries[article_id].add(code)
    return [
        make_doc(
            article_id,
            title,
            summary + "\n" + html_to_text(body),
            vocabulary=vocabulary,
            category_id=category_id,
            parks=parks[article_id],
            industries=industries[article_id],
        )
        for article_id, title, summary, body, category_id in rows
    ]


def related_recompute_all() -> int:
    """Recompute and store related articles for every published article; returns the count."""
    docs = _published_docs()
    ranked, document_frequency = rank_all(docs)
    links = [
        RelatedArticle(
            article_id=article_id, related_id=other_id, score=round(score, 5), position=position
        )
        for article_id, items in ranked.items()
        for position, (other_id, score) in enumerate(items)
    ]
    with transaction.atomic():
        RelatedArticle.objects.all().delete()
        RelatedArticle.objects.bulk_create(links, batch_size=2000)
        TermStatistic.objects.all().delete()
        TermStatistic.objects.bulk_create(
            (
                TermStatistic(term=term, document_count=count)
                for term, count in document_frequency.items()
                if count >= 2
            ),
            batch_size=5000,
        )
    # Every article's related block may have changed: retire all cached article parts.
    bump_page_cache()
    return len(docs)


def _frequencies(terms: Iterable[str]) -> dict[str, int]:
    terms = list(terms)
    found: dict[str, int] = {}
    for start in range(0, len(terms), 900):
        found.update(
            TermStatistic.objects.filter(term__in=terms[start : start + 900]).values_list(
                "term", "document_count"
            )
        )
    return found


def related_refresh_for_article(*, article_id: int) -> list[tuple[int, float]]:
    """Recompute one article's related list from the index and stored frequencies."""
    vocabulary = link_vocabulary()
    docs = _published_docs([article_id], vocabulary=vocabulary)
    if not docs:
        RelatedArticle.objects.filter(article_id=article_id).delete()
        article_extras_forget(article_id=article_id)
        return []
    doc = docs[0]
    # The corpus size only shifts IDF slightly; counting 100k rows on every refresh is not
    # worth it, so it is cached for ten minutes.
    total = cache.get("news:published-count")
    if total is None:
        total = Article.objects.published().count()
        cache.set("news:published-count", total, 600)
    total = max(int(total), 1)
    frequencies = _frequencies(doc.counts)
    vector = weigh(doc.counts, frequencies, total)
    common_limit = max(50, int(total * COMMON_TERM_SHARE))
    strongest = [term for term in vector if frequencies.get(term, 0) <= common_limit][
        :CANDIDATE_TERMS
    ]
    votes: defaultdict[int, float] = defaultdict(float)
    for term in strongest:
        for object_id in search.ids_with_term(kind="article", term=term, limit=CANDIDATES_PER_TERM):
            if object_id != article_id:
                votes[object_id] += vector[term]
    candidate_ids = sorted(votes, key=lambda object_id: -votes[object_id])[:MAX_CANDIDATES]
    candidates = _published_docs(candidate_ids, vocabulary=vocabulary)
    frequencies.update(
        _frequencies({term for other in candidates for term in other.counts} - set(frequencies))
    )
    scored = []
    for other in candidates:
        score = cosine(vector, weigh(other.counts, frequencies, total))
        if score > 0:
            score += link_bonus(doc, other)
        if score >= MIN_SCORE:
            scored.append((other.id, score))
    scored.sort(key=lambda item: (-item[1], -item[0]))
    best = scored[:RELATED_COUNT]
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id=article_id).delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(
                article_id=article_id, related_id=other_id, score=round(score, 5), position=position
            )
            for position, (other_id, score) in enumerate(best)
        )
    # The article page shows the new list at once (its cached related block is dropped).
    article_extras_forget(article_id=article_id)
    return best
