"""`coop-logic map --measure M`: the overall verdict for every ordered pair of States, as
CSV, JSON, an interactive HTML page and a heatmap (PNG/SVG), States ordered by treaty bloc.

Exit codes as for the other commands: 0 done; 2 bad input (a bad option, an image format
asked without Pillow), with nothing on stdout; 1 an internal error. A progress bar is
shown on stderr when it is a terminal; the summary table always goes to stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from coop_logic.cli import options
from coop_logic.cli.progress import (
    jobs_option,
    progress_bar,
    status_rank,
    stderr_console,
    summary_table,
)
from coop_logic.errors import InputError

EXAMPLES = """\b
Examples:
  coop-logic map --measure expedited_preservation --states FR,DE,US,JP --format html
  coop-logic map --measure extradition --states un --closed-world -o maps/extradition
  coop-logic map --measure extradition --states FR,DE,US --fact death_penalty_risk=true
"""


@click.command("map", epilog=EXAMPLES)
@click.option("--measure", "measure", required=True, help="The measure (an id of the contract).")
@click.option("--states", "states", default=None,
              help="Comma-separated State codes (FR,US,...), or 'un' for the 193 UN Member "
                   "States (default: every State named in the party data).")
@options.date("Date for party data (default: today).")
@click.option("--offence-category", "category", default=None,
              help="The offence category (an id of the contract); unknown by default.")
@options.closed_world
@options.facts
@click.option("--output", "-o", "prefix", default=None,
              help="Prefix of the files written: PREFIX.csv, PREFIX.json, PREFIX.html, "
                   "PREFIX.png, PREFIX.svg (default: coop-map-MEASURE).")
@click.option("--format", "formats", default=None,
              help="The files written, comma-separated among csv,json,html,png,svg (default: "
                   "csv,json,png; csv,json without Pillow): json the machine-readable "
                   "object, html one self-contained page with a tooltip per cell, as "
                   "--format means in every verb.")
@jobs_option
@options.spec_files
def command(measure: str, states: str | None, date: dt.date | None, category: str | None,
            closed_world: bool, facts: dict[str, bool] | None, prefix: str | None,
            formats: str | None, jobs: int | None, specs: tuple[str, ...],
            parties: tuple[str, ...]) -> None:
    """The overall verdict for every ordered pair of States for one measure, written as
    CSV and JSON and drawn as a heatmap with the States ordered by treaty bloc."""
    from coop_logic.cli.shell import EXIT_OK, STYLES, guarded
    from coop_logic.practice import cooperation_map as cm

    def run() -> int:
        cm.check_measure(measure)
        cm.check_category(category)
        when = date or dt.date.today()
        wanted = cm.check_formats(formats or "csv,json,png")
        images = [f for f in wanted if f in cm.IMAGE_FORMATS]
        console = stderr_console()
        if images and not cm.have_pillow():
            if formats is not None:
                raise InputError(
                    f"{'/'.join(images)} needs Pillow, which is not installed",
                    field="--format",
                    expected="pip install 'coop-logic[map]', or --format csv,json")
            wanted = tuple(f for f in wanted if f not in cm.IMAGE_FORMATS)
            console.print("note: Pillow is not installed, so no image is drawn "
                          "(pip install 'coop-logic[map]')")
        base = prefix or f"coop-map-{measure}"
        paths = {f: Path(f"{base}.{f}") for f in wanted}
        parent = Path(base).parent
        if not parent.is_dir():
            raise InputError("names a folder that does not exist", file=str(parent),
                             field="--output", expected="an existing folder")
        given, flags = options.split_facts(facts)
        chosen = cm.select_states(states, specs, parties)
        pairs = len(chosen) * (len(chosen) - 1)
        with progress_bar(pairs, "pairs") as progress:
            cmap = cm.build_map(measure, chosen, date=when, category=category,
                                closed_world=closed_world, facts=given, flags=flags,
                                jobs=jobs, specs=specs,
                                parties=parties,
                                progress=(lambda n: progress(n, n)) if progress else None)
        if "csv" in paths:
            cm.write_csv(cmap, paths["csv"])
        if "json" in paths:
            cm.write_json(cmap, paths["json"])
        if "html" in paths:
            cm.write_html(cmap, paths["html"])
        drawn = [paths[f] for f in wanted if f in cm.IMAGE_FORMATS]
        if drawn:
            cm.draw(cmap, drawn)
        for path in paths.values():
            click.echo(str(path))
        counts = cmap.counts()
        rows = [(s, f"{n:,}", STYLES.get(f"status.{s}", ""))
                for s, n in sorted(counts.items(), key=lambda kv: status_rank(kv[0]))]
        rows.append(("pairs", f"{len(cmap.cells):,}", "bold"))
        console.print(summary_table(f"map summary: {measure}", rows))
        rate = len(cmap.cells) / cmap.seconds if cmap.seconds else 0.0
        console.print(f"{len(chosen)} States, {len(cmap.cells):,} pairs in {cmap.seconds:.2f} s "
                      f"with {cmap.jobs} job{'s' if cmap.jobs > 1 else ''}: {rate:,.0f} pairs/s")
        return EXIT_OK

    guarded(run, budget=False)
