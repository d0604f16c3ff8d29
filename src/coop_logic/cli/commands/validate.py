"""`coop-logic validate FILE ...`: check requests, specs, party files and network files
without evaluating anything.

The kind of each file is read from its top-level keys (a request names `requesting_state`,
a spec `rules`, a party file `instrument` and `parties`, a network file `network`), or
given with `--kind`. A spec is checked as the loader checks it, beside the bundled specs
(replacing the bundled one of the same id) so that its cross-references resolve; a party
or network file as `--parties` / `--networks` would merge it. Exit 0 when every file is
valid (one line each on stdout); 2 when one is not: every file's line then goes to stderr,
each error naming the file, line and field, and nothing to stdout.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_INPUT, EXIT_OK, guarded
from coop_logic.errors import InputError

KINDS = ("request", "spec", "parties", "networks")

EXAMPLES = """\b
Examples:
  coop-logic validate request.yaml
  coop-logic validate my_mlat.yaml corrections.yaml --spec my_mlat.yaml
  cat request.json | coop-logic validate - --kind request
"""


@click.command("validate", epilog=EXAMPLES)
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--kind", "kind", type=click.Choice(KINDS), default=None,
              help="The kind of every FILE (default: read from each file's keys).")
@options.spec_files
def command(files: tuple[str, ...], kind: str | None, specs: tuple[str, ...],
            parties: tuple[str, ...]) -> None:
    """Check that each FILE is a valid request, spec, party file or network file, without
    evaluating anything (- reads one request from standard input)."""

    def run() -> int:
        lines: list[str] = []
        bad = 0
        for name in files:
            try:
                lines.append(f"{name}: {validate(name, kind, specs, parties)}")
            except InputError as exc:
                bad += 1
                lines.append(f"error: {exc}")
        if bad:
            for line in lines:
                click.echo(line, err=True)
            return EXIT_INPUT
        click.echo("\n".join(lines))
        return EXIT_OK

    guarded(run, budget=False)


def validate(name: str, kind: str | None, specs: tuple[str, ...],
             parties: tuple[str, ...]) -> str:
    """What `name` is, once checked ('valid request: FR -> US, ...'); InputError if not."""
    from coop_logic.io.documents import load_file

    if name == "-":
        kind = kind or "request"
        if kind != "request":
            raise InputError("standard input holds a request only", file="<stdin>",
                             field="--kind", expected="request")
    found = kind or _kind_of(load_file(name, InputError).data, name)
    if found == "request":
        return _request(name, specs, parties)
    if found == "spec":
        return _spec(Path(name), specs, parties)
    if found == "parties":
        from coop_logic.engine.knowledge_base import load_instruments

        load_instruments(specs, (*parties, name))
        return "valid party file"
    from coop_logic.engine.knowledge_base import load_instruments
    from coop_logic.spec.loader import bundled_spec_dir
    from coop_logic.spec.networks import load_networks

    nets = load_networks([bundled_spec_dir() / "networks"], [name],
                         load_instruments(specs, parties))
    return f"valid network file ({len(nets)} networks loaded with it)"


def _kind_of(data: object, name: str) -> str:
    keys = set(data) if isinstance(data, dict) else set()
    if "requesting_state" in keys or "requested_state" in keys:
        return "request"
    if "rules" in keys or "spec_version" in keys:
        return "spec"
    if "parties" in keys and "instrument" in keys:
        return "parties"
    if "network" in keys:
        return "networks"
    raise InputError("cannot tell what kind of file this is", file=name,
                     expected="a request (requesting_state, ...), a spec (rules), a party "
                              "file (instrument, parties) or a network file (network); or "
                              "say which with --kind")


def _request(name: str, specs: tuple[str, ...], parties: tuple[str, ...]) -> str:
    request = options.read_request(name)
    if request.instruments:
        from coop_logic.engine.knowledge_base import load_instruments

        loaded = load_instruments(specs, parties)
        unknown = [i for i in request.instruments if i not in loaded]
        if unknown:
            from coop_logic.errors import RequestError, did_you_mean

            raise RequestError(f"unknown instrument '{unknown[0]}'"
                               f"{did_you_mean(unknown[0], loaded)}", file=request.source,
                               line=request.instruments_line, field="instruments",
                               expected="ids of loaded instruments")
    return (f"valid request ({request.requesting_state} -> {request.requested_state}: "
            f"{request.measure}, {request.date.isoformat()})")


def _spec(path: Path, specs: tuple[str, ...], parties: tuple[str, ...]) -> str:
    """Check the spec beside the bundled ones, standing in for the bundled spec of the
    same id (a corrected copy of a bundled spec is checked as it would replace it)."""
    from coop_logic.engine.knowledge_base import load_instruments
    from coop_logic.spec.instrument_reader import read_spec
    from coop_logic.spec.loader import bundled_spec_dir, spec_files

    bundled = bundled_spec_dir()
    own = read_spec(path, (bundled / "parties",))
    extra = [p for p in spec_files(specs) if p.resolve() != path.resolve()]
    with tempfile.TemporaryDirectory(prefix="coop-logic-validate-") as tmp:
        folder = Path(tmp)
        (folder / "parties").symlink_to(bundled / "parties", target_is_directory=True)
        for spec in spec_files([bundled]):
            if spec.resolve() != path.resolve() and read_spec(spec).id != own.id:
                (folder / spec.name).symlink_to(spec)
        stand_in = folder / f"zz_{path.name}"
        stand_in.symlink_to(path.resolve())
        try:
            loaded = load_instruments(extra, parties, spec_dirs=[folder])
        except InputError as exc:  # name the user's file, not its stand-in
            if exc.file == str(stand_in):
                raise type(exc)(exc.detail, file=str(path), line=exc.line, field=exc.field,
                                expected=exc.expected) from None
            raise
    inst = loaded[own.id]
    return f"valid spec ({inst.id}: {len(inst.rules)} rules)"
