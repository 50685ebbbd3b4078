"""The editing commands: a thin click face over edition/edit/.

Each command parses its arguments, calls one operation through `apply`
(guard, validate, minimal atomic write, history) and prints what changed;
a refusal prints its located diagnostics and exits 1.
"""
from __future__ import annotations

import click

from ..edit import History, apply, notes, registers, review, tagging, translation

DATE_OPTIONS = ("when", "from", "to", "notBefore", "notAfter")


def _run(obj, operation, dry_run=False, **arguments):
    edition = obj["edition"]
    applied = apply(edition, operation, dry_run=dry_run, **arguments)
    if dry_run:
        click.echo(applied.diff(edition.root), nl=False)
    if not applied.writes:
        click.echo(f"{applied.summary}: nothing to change")
    else:
        names = ", ".join(str(p.relative_to(edition.root)) for p, _, _ in applied.writes)
        click.echo(f"{'would ' if dry_run else ''}{applied.summary} ({names})")
    return applied


def words_options(function):
    for option in reversed([
        click.option("--nth", default=1, show_default=True, help="Which occurrence of the words (1 = first)."),
        click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing."),
    ]):
        function = option(function)
    return function


def tag_command():
    @click.command("tag")
    @click.argument("sentence")
    @click.argument("words")
    @click.argument("ref", required=False)
    @click.option("--kind", type=click.Choice(tagging.KINDS),
                  help="person, place, org, date, figure, measure, sic, orig, seg (default: from REF's prefix).")
    @click.option("--when", help="Date: ISO 8601 day, month or year.")
    @click.option("--from", "from_", help="Date range: start.")
    @click.option("--to", help="Date range: end.")
    @click.option("--not-before", help="Date: not before.")
    @click.option("--not-after", help="Date: not after.")
    @click.option("--cert", type=click.Choice(["high", "medium", "low", "unknown"]), help="Certainty.")
    @click.option("--type", "type_", help="Figure or measure type (troops, tanks, distance-km, ...).")
    @click.option("--value", help="Figure: its value (num/@value).")
    @click.option("--quantity", help="Measure: quantity.")
    @click.option("--unit", help="Measure: unit.")
    @click.option("--correction", help="sic/orig: the corrected or regularised reading.")
    @words_options
    @click.pass_obj
    def command(obj, sentence, words, ref, kind, when, from_, to, not_before, not_after, cert,
                type_, value, quantity, unit, correction, nth, dry_run):
        """Tag WORDS of SENTENCE (an xml:id): a name with REF (per:zhukov), a date,
        a figure, a correction (sic→corr) or a normalisation (orig→reg).

        \b
          edition tag es-khalkhin-gol-s4 "Gueorgui Zhúkov" per:zhukov
          edition tag pl-khasan-s5 "29 lipca" --kind date --when 1938-07-29
          edition tag pl-khasan-s9 "wyżynyZaozernaya" --kind sic --correction "wyżyny Zaozernaya"
        """
        if not kind:
            if not ref:
                raise click.UsageError("give a REF (per:…, pla:…, org:…) or --kind")
            kind = {"per": "person", "pla": "place", "org": "org"}.get(ref.split(":")[0], "person")
        attributes = {"when": when, "from": from_, "to": to, "notBefore": not_before,
                      "notAfter": not_after, "cert": cert, "type": type_, "value": value,
                      "quantity": quantity, "unit": unit}
        _run(obj, tagging.tag, dry_run, sentence=sentence, kind=kind, ref=ref, phrase=words, nth=nth,
             attributes=attributes, correction=correction)
    return command


@click.command("retag")
@click.argument("address")
@click.argument("ref", required=False)
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Set an attribute (NAME= removes it); repeatable.")
@click.option("--words", help="Widen or narrow the tag to these words of its sentence.")
@click.option("--nth", default=1, show_default=True)
@click.option("--remove", is_flag=True, help="Remove the tag, keeping its words.")
@click.option("--dry-run", is_flag=True)
@click.pass_obj
def retag_command(obj, address, ref, settings, words, nth, remove, dry_run):
    """Change the tag at ADDRESS (an xml:id, or ID/k as `edition review` prints):
    retarget it to REF, set attributes, widen/narrow it (--words) or --remove it."""
    if remove:
        return _run(obj, tagging.remove, dry_run, address=address)
    if words:
        applied = _run(obj, tagging.resize, dry_run, address=address, phrase=words, nth=nth)
        address = applied.result or address
    if ref or settings:
        attributes = dict(s.split("=", 1) for s in settings)
        _run(obj, tagging.retarget, dry_run, address=address, ref=ref, attributes=attributes)


@click.command("confirm")
@click.argument("addresses", nargs=-1, required=True)
@click.pass_obj
def confirm_command(obj, addresses):
    """Accept machine annotations as they stand (their @resp and @cert go)."""
    for address in addresses:
        _run(obj, tagging.confirm, address=address)


@click.command("reject")
@click.argument("addresses", nargs=-1, required=True)
@click.pass_obj
def reject_command(obj, addresses):
    """Remove machine annotations; `edition annotate` will not add them again."""
    for address in sorted(addresses, key=_later_first):
        _run(obj, tagging.reject, address=address)


def _later_first(address: str):
    """Removing ID/3 renumbers ID/4: reject the later ones of a sentence first."""
    identifier, _, index = address.partition("/")
    return (identifier, -int(index or 0))


@click.command("review")
@click.argument("source_ids", nargs=-1)
@click.pass_obj
def review_command(obj, source_ids):
    """List the machine annotations nobody has reviewed yet, with their places."""
    items = review.queue(obj["edition"], list(source_ids) or None)
    for item in items:
        click.echo(str(item))
    click.echo(f"{len(items)} machine annotation(s) to review "
               "(edition confirm ADDRESS…, edition reject ADDRESS…, edition retag ADDRESS REF)", err=True)


@click.group("note")
def note_group():
    """The apparatus: factual-problem notes."""


@note_group.command("add")
@click.argument("sentence")
@click.argument("words", required=False)
@click.option("--nth", default=1, show_default=True)
@click.option("--target", help="Point at an element that already has an xml:id instead of WORDS.")
@click.option("--category", required=True, help="A category of the taxonomy in tei/edition.xml (false-claim, ...).")
@click.option("--problem", required=True, help="What the text says (ab type=problem).")
@click.option("--correction", help="What is the case, with the evidence (ab type=correction).")
@click.option("--bib", "bibs", multiple=True, metavar="bib:ID[@LOCATOR]",
              help="Evidence from the bibliography, e.g. bib:coox-1985@p. 578; repeatable.")
@click.option("--url", "urls", multiple=True, metavar="URL TITLE", nargs=2,
              help="Evidence: a page actually read, with its title; repeatable.")
@click.option("--cert", type=click.Choice(["high", "medium", "low"]), default="medium", show_default=True)
@click.option("--dry-run", is_flag=True)
@click.pass_obj
def note_add_command(obj, sentence, words, nth, target, category, problem, correction, bibs, urls, cert, dry_run):
    """Add a factual-problem note about WORDS of SENTENCE; the seg and note ids are assigned."""
    evidence = [dict(zip(("bib", "locator"), b.split("@", 1))) for b in bibs]
    evidence += [{"url": url, "title": title} for url, title in urls]
    _run(obj, notes.add_note, dry_run, sentence=None if target else sentence, target=target,
         phrase=words, nth=nth, category=category, problem=problem, correction=correction,
         evidence=evidence, cert=cert)


@click.command("entry")
@click.argument("kind", type=click.Choice(list(registers.KINDS)))
@click.argument("canonical")
@click.option("--id", "identifier", help="The entry's xml:id (default: a slug of CANONICAL).")
@click.option("--form", "forms", multiple=True, metavar="LANG:TEXT", help="A name form as a source writes it; repeatable.")
@click.option("--type", "entry_type", help="Place or organisation type (lake, hill, army, ...).")
@click.option("--birth")
@click.option("--death")
@click.option("--note", help="A line about the entry (facts, with their sources).")
@click.pass_obj
def entry_command(obj, kind, canonical, identifier, forms, entry_type, birth, death, note):
    """Add an entry to a register (person, place, org); prints its pointer."""
    parsed = [dict(zip(("lang", "text"), f.split(":", 1))) if ":" in f else {"text": f} for f in forms]
    _run(obj, registers.add_entry, kind=kind, canonical=canonical, identifier=identifier, forms=parsed,
         entry_type=entry_type, birth=birth, death=death, note=note)


@click.group("translate")
def translate_group():
    """The English translation, aligned sentence by sentence."""


@translate_group.command("init")
@click.argument("source_id")
@click.pass_obj
def translate_init(obj, source_id):
    """Create the aligned translation skeleton (an empty English sentence for each)."""
    _run(obj, translation.init, source=source_id)


@translate_group.command("set")
@click.argument("sentence")
@click.argument("text")
@click.pass_obj
def translate_set(obj, sentence, text):
    """Type the translation of one original SENTENCE."""
    _run(obj, translation.set_sentence, sentence=sentence, text=text)


@translate_group.command("import")
@click.argument("source_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def translate_import(obj, source_id, file):
    """Import FILE: one line per original sentence, in order (a blank line skips one)."""
    _run(obj, translation.import_file, source=source_id, path=file)


@click.command("undo")
@click.pass_obj
def undo_command(obj):
    """Undo the last edit made with the editing commands or the workbench."""
    entry = History(obj["edition"]).undo()
    click.echo(f"undid: {entry.summary}")


def register(main: click.Group) -> None:
    from .workbench import edit_command
    for command in (tag_command(), retag_command, confirm_command, reject_command, review_command,
                    note_group, entry_command, translate_group, undo_command, edit_command):
        main.add_command(command)
