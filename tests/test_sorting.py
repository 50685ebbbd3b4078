"""Sort keys for registers and indexes (edition/sorting.py), on real lxml elements."""
from __future__ import annotations

from lxml import etree

from edition.sorting import entry_sort_key, natural_key

TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'


def person(xml: str):
    element = etree.fromstring(f"<person {TEI}>{xml}</person>")
    name = element[0]
    return entry_sort_key("person", element, name, " ".join("".join(name.itertext()).split()))


def test_numbers_sort_as_numbers():
    names = ["10th Army", "1st Army Group", "23rd Division", "2nd Army", "11th Tank Brigade"]
    assert sorted(names, key=natural_key) == ["1st Army Group", "2nd Army", "10th Army",
                                              "11th Tank Brigade", "23rd Division"]


def test_people_sort_by_surname_then_forename():
    keys = {n: person(f'<persName xml:lang="en">{n}</persName>')
            for n in ("Georgy Zhukov", "Vasily Blyukher", "Ivan Zhukov")}
    assert sorted(keys, key=keys.get) == ["Vasily Blyukher", "Georgy Zhukov", "Ivan Zhukov"]


def test_marked_up_surname_and_surname_first_languages_are_respected():
    marked = person('<persName><forename>Hachirō</forename> <surname>Arita</surname></persName>')
    japanese = person('<persName xml:lang="ja">Arita Hachirō</persName>')
    western = person('<persName xml:lang="en">Zed Arita</persName>')
    assert marked == natural_key("Arita Hachirō") == japanese
    assert western == natural_key("Arita Zed")
    assert person('<persName xml:lang="zh">朱可夫</persName>') == natural_key("朱可夫")


def test_an_explicit_sort_key_wins_and_accents_fold():
    assert person('<persName sortKey="Aaa">Zoë Zzz</persName>') == natural_key("aaa")
    assert natural_key("Łuszkow") > natural_key("Kowal") and natural_key("Ébano") < natural_key("Fa")


def test_works_cited_sort_by_author_then_year():
    from lxml import etree
    from edition.sorting import work_sort_key
    works = [etree.fromstring(f'<bibl xmlns="http://www.tei-c.org/ns/1.0"><author>{a}</author>, '
                              f'<title>{t}</title>, <date>{y}</date></bibl>') for a, t, y in
             [("Edward J. Drea", "Nomonhan", "1981"), ("Alvin D. Coox", "Nomonhan", "1985"),
              ("Alvin D. Coox", "The Anatomy of a Small War", "1977")]]
    assert [(w.findtext("{*}author"), w.findtext("{*}date")) for w in sorted(works, key=work_sort_key)] == [
        ("Alvin D. Coox", "1977"), ("Alvin D. Coox", "1985"), ("Edward J. Drea", "1981")]
